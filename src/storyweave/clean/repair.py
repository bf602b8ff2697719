"""Text repairs: line breaks and spacing, mojibake (with ftfy), doubled words.

Repairs run line by line before furniture is looked for, so the furniture rules and every later
stage see the repaired words, and cleaning a cleaned text changes nothing. Spacing fixes are silent
(they move no word); every other repair is reported as a :class:`~storyweave.model.Removed` holding
the broken form, so a reader can see what the tool changed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import ftfy

from storyweave.clean.shape import wordset
from storyweave.model import Removed

# ftfy with the fixes that change what was written turned off: curly quotes, ligatures and
# full-width characters are correct text, not damage (the seeds use curly quotes throughout, and
# ftfy's default `uncurl_quotes` would have "repaired" every one of them). Line breaks are handled
# by `split_lines`; NFC is applied silently by `split_lines` and after the fix.
_CHANGES_WHAT_WAS_WRITTEN = ("uncurl_quotes", "fix_latin_ligatures", "fix_character_width")
_FTFY_CONFIG = ftfy.TextFixerConfig(
    **dict.fromkeys(_CHANGES_WHAT_WAS_WRITTEN, False), fix_line_breaks=False, normalization=None, explain=True
)

# ftfy explanation steps that mean the bytes were decoded with the wrong codec (mojibake proper).
_MOJIBAKE_STEPS = frozenset(
    {
        "encode",
        "decode",
        "transcode",
        "restore_byte_a0",
        "replace_lossy_sequences",
        "decode_inconsistent_utf8",
        "fix_c1_controls",
    }
)

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\v\f]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")  # zero-width space, word joiner, BOM: never meant
_SPACES = re.compile(r"\s+")
_TOKENS = re.compile(r"\S+|\s+")

# Function words whose doubling is always a slip ("He He wrote" in seed 000). Left out on purpose
# because English repeats them legitimately: that ("that that"), had ("had had"), is/was ("what it
# is is"), do ("I do do"), her ("gave her her book"), you ("told you you"), in/on ("log in in"),
# will/may/can (also names and "can-can").
_ALWAYS_DOUBLED_ERROR = wordset(
    """i he she it we they him them his its our their my your the a an this these those of to at for with
    from by about into and or but if as are were be been has have would could should not"""
)
# Lower-case repeats that are real English (reduplication, emphasis in quotes): never touched.
_LEGIT_REPEATS = wordset(
    """that had is was do very really no yes so bye ha many far more again blah knock chop tut pom mahi
    there now well go hear night din pooh her you in on will may can"""
)
_DOUBLED = re.compile(r"(?<![\w'’\-])([^\W\d_]+)(?:\s+\1)+(?![\w'’\-])", re.IGNORECASE)


def split_lines(raw: str) -> list[str]:
    """Split into lines with spacing normalised: NFC, one space between words, no invisible marks.

    Only "\\n"-like breaks split; a stray C1 byte such as "\\x85" stays inside its line so ftfy can
    still decode the mojibake it belongs to.
    """
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", raw))
    return [_INVISIBLE.sub("", line) for line in text.split("\n")]


def squash_spaces(line: str) -> str:
    """One space between words, none at the ends (silent: no word changes)."""
    return _SPACES.sub(" ", line).strip()


def fix_encoding(line: str) -> tuple[str, list[Removed]]:
    """Undo mojibake, HTML entities and control characters with ftfy; list each broken token."""
    if line.isascii() and line.isprintable() and "&" not in line:
        return line, []  # nothing ftfy could change (fast path: most lines of English news)
    fixed, steps = ftfy.fix_and_explain(line, _FTFY_CONFIG)
    fixed = unicodedata.normalize("NFC", fixed)
    if fixed == line:
        return line, []
    line_reason = _reason(steps)
    found = []
    for broken in _changed_spans(line, fixed):
        # Each span is judged on its own when ftfy can fix it alone (so "AT&amp;T" and a stray NUL
        # in one line get their own reasons); a sequence that needs the whole line takes the line's.
        _, span_steps = ftfy.fix_and_explain(broken, _FTFY_CONFIG)
        found.append(Removed(text=broken, reason=_reason(span_steps) if span_steps else line_reason))
    return fixed, found


def _reason(steps: list[ftfy.ExplanationStep] | None) -> str:
    """The repair reason for ftfy's explanation of a fix."""
    actions = {action for action, _ in steps or []} | {param for _, param in steps or []}
    if actions & _MOJIBAKE_STEPS:
        return "mojibake"
    if "unescape_html" in actions:
        return "html_entity"
    return "control_chars"


def _changed_spans(before: str, after: str) -> list[str]:
    """The whitespace-delimited spans of ``before`` that differ from ``after`` (the broken forms)."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    spans: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        span = "".join(old[i1:i2]).strip()
        spans.append(span or before.strip())
    return spans


def fix_doubled_words(line: str) -> tuple[str, list[Removed]]:
    """Collapse a word written twice in a row when that is clearly a slip; list the doubled form.

    Repaired: a function word in any case ("He He", "the the") and a lower-case word not in
    ``_LEGIT_REPEATS`` ("wrote wrote"). Kept: capitalised content words (names such as "Sirhan
    Sirhan", "Bora Bora"), legitimate repeats ("had had", "that that") and hyphenated forms.
    """
    found: list[Removed] = []

    def replace(match: re.Match[str]) -> str:
        word = match.group(1)
        lower = word.lower()
        clearly_error = lower in _ALWAYS_DOUBLED_ERROR or (
            lower not in _LEGIT_REPEATS and all(w.islower() for w in match.group(0).split())
        )
        if not clearly_error:
            return match.group(0)
        found.append(Removed(text=match.group(0), reason="doubled_word"))
        return word

    fixed = _DOUBLED.sub(replace, line)
    return fixed, found


def repair_line(line: str) -> tuple[str, list[Removed]]:
    """All repairs of one line, in the order that makes them idempotent: encoding, spacing, words."""
    fixed, repairs = fix_encoding(line)
    fixed = squash_spaces(fixed)
    fixed, doubled = fix_doubled_words(fixed)
    return fixed, repairs + doubled
