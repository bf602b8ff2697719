"""The story's timeline: each dated claim once, with the outlets that date it so.

A claim's date comes from the time expression inside its own statement, resolved against the
publication date of the article that says it. Durations and undated background ("for months") stay
out: a timeline item needs a point or a calendar period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyweave.analysis.claims import ClaimGroup
from storyweave.analysis.contradictions import date_range
from storyweave.model import Claim, TimeExpression, TimelineItem


def build_timeline(
    claims: Sequence[Claim],
    groups: Mapping[str, ClaimGroup],
    dates: Mapping[str, Sequence[TimeExpression]],
) -> list[TimelineItem]:
    """One item per claim and distinct date; outlets that give the same date share the item."""
    items: list[TimelineItem] = []
    for claim in claims:
        by_value: dict[str, tuple[TimeExpression, list[str]]] = {}
        for unit in groups[claim.id].units:
            for expression in dates.get(unit.article.id, []):
                if not (unit.start <= expression.start < unit.end) or not expression.value:
                    continue
                if date_range(expression.value) is None:
                    continue
                entry = by_value.setdefault(expression.value, (expression, []))
                if unit.article.id not in entry[1]:
                    entry[1].append(unit.article.id)
                break
        for value, (expression, articles) in by_value.items():
            items.append(
                TimelineItem(
                    date=value,
                    precision=expression.precision,
                    expression=expression.text,
                    text=claim.text,
                    articles=sorted(articles),
                    claim=claim.id,
                )
            )
    items.sort(key=lambda item: (date_range(item.date) or (item.date, item.date), item.claim or ""))
    return items
