"""One ingested article made ready for annotation: its text cleaned and its dateline read.

The pipeline and everything that builds articles outside it (analysis/texts.py, the benchmarks, the tests)
go through this one function, so an article read from a file and one handed in as a string get the same
text, the same removed lines and the same date.
"""

from __future__ import annotations

import datetime as dt

from storyweave.clean.core import clean_text
from storyweave.model import Article

NO_TEXT_LEFT = "no article text left after removing page furniture"


def clean_article(article: Article, reference: dt.date | None) -> str | None:
    """Clean ``article.raw`` into ``article.text`` (with what was removed, flagged, headed and truncated)
    and date it from its dateline where its metadata and URL gave no date (``reference``: the user's date,
    which gives a year-less dateline its year). Returns the reason to skip it when no text is left, else
    None."""
    from storyweave.ingest.dateline import apply_dateline

    result = clean_text(article.raw, article.title)
    if not result.text.strip():
        return NO_TEXT_LEFT
    article.text = result.text
    article.removed = list(result.removed)
    article.flags = list(result.flags)
    article.headings = list(result.headings)
    article.truncated_at = list(result.truncated_at)
    apply_dateline(article, reference)
    return None


# Longer cleaned texts are cut at the last paragraph (else line, else space) before this many
# characters, with a line saying so: a news report is 3-10 k characters, the longest long-form
# pieces about 100 k, and spaCy refuses texts over 1 M (error E088) and needs about 1 GB per 100 k
# characters of one text (its documentation), so one such file must not sink or swamp a batch.
MAX_TEXT_CHARS = 200_000


def cut_long(article: Article) -> str | None:
    """Cut a text past MAX_TEXT_CHARS at a paragraph boundary; the reason, when it was cut."""
    text = article.text
    if len(text) <= MAX_TEXT_CHARS:
        return None
    cut = text.rfind("\n\n", 0, MAX_TEXT_CHARS)
    if cut < MAX_TEXT_CHARS // 2:
        cut = text.rfind("\n", 0, MAX_TEXT_CHARS)
    if cut < MAX_TEXT_CHARS // 2:
        cut = text.rfind(" ", 0, MAX_TEXT_CHARS)
    if cut < MAX_TEXT_CHARS // 2:
        cut = MAX_TEXT_CHARS
    article.text = text[:cut].rstrip()
    article.headings = [(a, b) for a, b in article.headings if b <= len(article.text)]
    article.truncated_at = [n for n in article.truncated_at if n <= len(article.text)]
    return (
        f"text of {len(text):,} characters: the first {len(article.text):,} are analysed, the rest is skipped"
    )
