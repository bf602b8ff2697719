"""Publication dates from the text itself: a dateline such as "Washington, D.C., January 8:".

Runs after cleaning, for articles whose metadata gave no date. A dateline without a year takes it
from a reference date (the user's ``--published`` or the story's other articles), choosing the
year that puts the dateline on or before the reference.
"""

from __future__ import annotations

import datetime as dt
import re

from storyweave.model import Article

MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9
# "PLACE, [REGION,] Month Day[, Year]:" or " — " at the very start of the text (first 120 characters).
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w.'’ -]{1,40},\s*){1,3}"
    r"(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?\s*(?:[:—–-]|\(\w+\))"
)


def dateline_end(text: str) -> int:
    """Where a dateline at the start of ``text`` ends (0 when there is none): its date is not an event's."""
    match = _DATELINE.match(text[:160])
    return match.end() if match else 0


def dateline_date(text: str, reference: dt.date | None) -> dt.date | None:
    """The date a dateline at the start of ``text`` gives, or None."""
    match = _DATELINE.match(text[:160])
    if not match:
        return None
    month = MONTHS.get(match["month"].lower())
    if month is None:
        return None
    day = int(match["day"])
    if match["year"]:
        year = int(match["year"])
    elif reference is not None:
        year = reference.year
        try:
            if dt.date(year, month, day) > reference:
                year -= 1
        except ValueError:
            return None
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def apply_dateline(article: Article, reference: dt.date | None) -> None:
    """Date an article from its dateline when its metadata and URL gave no date."""
    if article.published_from in ("metadata", "url"):
        return
    found = dateline_date(article.text, reference)
    if found is not None:
        article.published = found.isoformat()
        article.published_from = "text"
