"""Headings: the headline and subheads kept in the text but not sentences of fact.

Later stages skip these spans when they look for claims, and truncation must not mistake a subhead
(which has no full stop either) for a paragraph cut off mid-way.
"""

from __future__ import annotations

from storyweave.clean.shape import (
    DANGLING_WORDS,
    ends_sentence,
    has_letter,
    normalise_key,
    title_case_ratio,
    words,
)

# Word limits, checked on the seeds: the longest headline (002's first line) has 18 words and the
# longest subhead ("Broader Context of Trump's Latin America Policy", 003) 7; the shortest cut-off
# paragraph (002, "... noting he") has 33.
_MAX_HEADLINE_WORDS = 25
_MAX_SUBHEAD_WORDS = 14
# A sentence-case subhead ("Talks follow Venezuela operation") is accepted up to this length;
# longer lines without end punctuation must be in title case to count as a heading.
_MAX_SENTENCE_CASE_SUBHEAD_WORDS = 10
# Share of significant words capitalised for title case: all 13 seed subheads/titles score 1.0;
# 0.6 leaves room for a lower-case verb or two ("Trump says Petro Will Visit").
_TITLE_CASE_MIN = 0.6


def is_heading(line: str, first: bool = False, title: str | None = None) -> bool:
    """True for a headline (``first`` line or equal to ``title``) or a subhead of a kept paragraph."""
    if not line or not has_letter(line):
        return False
    if title and normalise_key(line) == normalise_key(title):
        return True
    line_words = words(line)
    if not line_words:
        return False
    stripped = line.rstrip()
    if stripped.endswith("?"):  # "Is Colombia Next?": a question subhead, if short and in title case
        return len(line_words) <= _MAX_SUBHEAD_WORDS and title_case_ratio(line) >= _TITLE_CASE_MIN
    if ends_sentence(line) or stripped[-1] in ",;-–—(“‘\"'":
        return False
    last = line_words[-1]
    if last.islower() and last in DANGLING_WORDS:
        return False  # "... noting he": cut off, not a heading
    n = len(line_words)
    if first:
        return n <= _MAX_HEADLINE_WORDS
    if n > _MAX_SUBHEAD_WORDS:
        return False
    return title_case_ratio(line) >= _TITLE_CASE_MIN or n <= _MAX_SENTENCE_CASE_SUBHEAD_WORDS
