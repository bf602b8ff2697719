"""The clean stage: raw article text in, cleaned text plus everything removed or repaired out.

Order matters and is fixed: repair each line (encoding, spacing, doubled words), then judge
furniture on the repaired lines, then mark headings and cut-off paragraphs on what is kept. That
order makes the stage idempotent: cleaning its own output changes and removes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyweave.clean.furniture import classify
from storyweave.clean.headings import is_heading
from storyweave.clean.repair import repair_line, split_lines
from storyweave.clean.truncation import is_truncated
from storyweave.model import Removed

# Article-level flags this stage sets (Article.flags / quality.flags).
FLAGS: dict[str, str] = {
    "truncated": "at least one paragraph stops mid-sentence (see CleanResult.truncated_at)",
    "mojibake_repaired": "text decoded with the wrong codec was repaired",
    "doubled_words_repaired": "words written twice in a row were collapsed (a sign of a garbled rewrite)",
}


@dataclass
class CleanResult:
    """What clean made of one article; every offset points into ``text``."""

    text: str
    removed: list[Removed] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    truncated_at: list[int] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)


def clean_text(raw: str, title: str | None = None) -> CleanResult:
    """Clean one article's raw text: remove furniture, repair text, mark headings and truncation.

    Paragraphs are joined by a single "\\n"; ``title`` (when the input has one) marks a matching
    line as the headline.
    """
    repaired: list[str] = []
    repairs: list[list[Removed]] = []
    for line in split_lines(raw):
        fixed, found = repair_line(line)
        repaired.append(fixed)
        repairs.append(found)

    reasons = classify(repaired, title)
    removed: list[Removed] = []
    kept: list[str] = []
    for line, reason, found in zip(repaired, reasons, repairs, strict=True):
        if not line:
            continue
        if reason is not None:
            removed.append(Removed(text=line, reason=reason))
            continue
        removed.extend(found)  # repairs are listed only for lines that stay in the text
        kept.append(line)

    headings: list[tuple[int, int]] = []
    truncated_at: list[int] = []
    offset = 0
    for index, line in enumerate(kept):
        end = offset + len(line)
        heading = is_heading(line, first=index == 0, title=title)
        if heading:
            headings.append((offset, end))
        elif is_truncated(line, heading):
            truncated_at.append(end)
        offset = end + 1

    reasons_seen = {r.reason for r in removed}
    flags = [
        flag
        for flag, present in (
            ("truncated", bool(truncated_at)),
            ("mojibake_repaired", "mojibake" in reasons_seen),
            ("doubled_words_repaired", "doubled_word" in reasons_seen),
        )
        if present
    ]
    return CleanResult(
        text="\n".join(kept), removed=removed, flags=flags, truncated_at=truncated_at, headings=headings
    )
