"""The story's timeline: each dated fact once, with the outlets that date it so.

A fact's date comes from the time expression inside its own statement, resolved against the
publication date of the article that says it. Durations and undated background ("for months",
"recently") stay out: a timeline item needs a point or a calendar period. The one exception is what is
planned: a statement dated "in the near future" ("will meet ... in the near future") becomes an item
dated FUTURE_REF, placed after every dated item, so the timeline ends with what is to come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from storyweave.analysis.calendar import date_range
from storyweave.analysis.units import time_expressions_in
from storyweave.model import Fact, FactGroup, TimeExpression, TimelineItem

PLANNED = "FUTURE_REF"
_AFTER_ALL = dt.date.max


def _placeable(value: str) -> bool:
    return value == PLANNED or date_range(value) is not None


def build_timeline(
    facts: Sequence[Fact],
    groups: Mapping[str, FactGroup],
    dates: Mapping[str, Sequence[TimeExpression]],
) -> list[TimelineItem]:
    """One item per fact and distinct date; outlets that give the same date share the item.

    The item's text is the statement that carries the date, so the date can be checked in place.
    """
    items: list[TimelineItem] = []
    for fact in facts:
        by_value: dict[str, tuple[TimeExpression, str, list[str]]] = {}
        for unit in groups[fact.id].units:
            for expression in time_expressions_in(unit, dates):
                if not expression.value:
                    continue
                if not _placeable(expression.value):
                    continue
                entry = by_value.setdefault(expression.value, (expression, unit.text, []))
                if unit.article.id not in entry[2]:
                    entry[2].append(unit.article.id)
                break
        for value, (expression, text, articles) in by_value.items():
            items.append(
                TimelineItem(
                    date=value,
                    precision="planned" if value == PLANNED else expression.precision,
                    expression=expression.text,
                    text=text,
                    articles=sorted(articles),
                    fact=fact.id,
                )
            )
    items.sort(key=_order)
    return items


def _order(item: TimelineItem) -> tuple[dt.date, dt.date, str, str]:
    """Earliest first day first, then the shorter period; planned items last."""
    first, last = date_range(item.date) or (_AFTER_ALL, _AFTER_ALL)
    return first, last, item.date, item.fact or ""
