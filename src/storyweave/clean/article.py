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
