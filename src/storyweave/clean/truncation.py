"""Truncation: paragraphs that stop mid-sentence (a scrape cut, a teaser, a lost page).

They are kept, because their first sentences are still good, but their end is marked so later
stages neither quote the broken last sentence as a claim nor count the article as complete.
"""

from __future__ import annotations

from storyweave.clean.shape import ends_sentence, has_letter


def is_truncated(line: str, heading: bool) -> bool:
    """True when a kept paragraph ends without ending its sentence and is not a heading.

    Lines of pure symbols ("***", "—") are section breaks, not cut text.
    """
    if heading or not line or not has_letter(line):
        return False
    return not ends_sentence(line)
