"""The shape of a line: how it ends, how many words it has, whether it is written in title case.

Furniture, heading and truncation rules all look at these same few features, so they live in one
place and every rule agrees on what "ends a sentence" or "a word" means.
"""

from __future__ import annotations

import re


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one spaced string (easier to read and review than a list literal)."""
    return frozenset(text.split())


# A word: a run of letters/digits, with inner apostrophes and hyphens ("Colombia's", "U.S.-led").
WORD_RE = re.compile(r"[^\W_][\w'’\-]*")

# Characters that may close a complete sentence. Closing quotes and brackets are accepted as an
# end too (`... as a “sick man”`): a scrape rarely cuts exactly at a closing quote, and the seeds'
# complete paragraphs all end in one of these (checked on ../shared/seeds/*.txt).
_TERMINAL = frozenset(".!?…:")
_CLOSERS = frozenset("\"'”’»)]}")

# Words of a title that title case leaves in lower case (Chicago/AP style), so they do not count
# against "Drug Trade Central to Dispute" being title case.
SMALL_WORDS = wordset(
    "a an and as at but by for from in into nor of on onto or over per so than the to up upon via vs with"
)

# Words a complete sentence or a headline almost never ends on; a paragraph ending on one was cut
# off ("..., noting he" in seed 002). Checked against the seeds' 13 subheads and titles: none ends so.
DANGLING_WORDS = wordset(
    """a an the and or but nor of to in on at for from with by as into than that which who whom whose
    he she it we they i you his her its our their my your him them us is are was were be been has have had
    will would can could should may might must not also said says noting adding saying including while
    when where if because after before about over"""
)


def words(line: str) -> list[str]:
    """The words of a line (punctuation dropped)."""
    return WORD_RE.findall(line)


def has_letter(line: str) -> bool:
    """True when the line holds at least one letter: lines of pure symbols are neither text nor furniture."""
    return any(ch.isalpha() for ch in line)


def ends_sentence(line: str) -> bool:
    """True when the line ends the way a complete sentence does (see ``_TERMINAL``/``_CLOSERS``)."""
    stripped = line.rstrip()
    if not stripped:
        return True
    if stripped.endswith(("[…]", "[...]")):  # an excerpt cut by its publisher: not an end
        return False
    last = stripped[-1]
    return last in _TERMINAL or last in _CLOSERS


def title_case_ratio(line: str) -> float:
    """Share of the line's significant words (not ``SMALL_WORDS``) that start with a capital or digit."""
    significant = [w for w in words(line) if w.lower() not in SMALL_WORDS]
    if not significant:
        return 0.0
    capital = sum(1 for w in significant if w[0].isupper() or w[0].isdigit())
    return capital / len(significant)


def normalise_key(line: str) -> str:
    """A comparison key that ignores case, punctuation and spacing (for title matching)."""
    return " ".join(w.lower() for w in words(line))
