"""Contradictions: where outlets reporting the same fact give different numbers, dates or wordings.

Precision first: a reader who sees two false contradictions stops trusting the tool. So a number
contradiction needs the same fact (one claim group) and the same unit ("35 minutes" vs "45
minutes"), and a date contradiction needs two resolved dates of the same fact whose ranges do not
overlap ("last month" vs "earlier this week"); "Sunday" and "the weekend" agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence

from storyweave.analyze.claims import ClaimGroup, numbers_in
from storyweave.analyze.units import Unit
from storyweave.model import Article, Claim, Contradiction, Quote, Side, TimeExpression, stable_id

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
# Unit words that say nothing about what is counted: "at least 23" vs "100" are different counts.
VAGUE_UNITS = frozenset({"", "of", "and", "to", "in", "on", "at", "per", "a", "the", "people", "times"})


def date_range(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a TimeML date value covers, or None for values without a calendar range."""
    if match := _DAY.match(value):
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        return day, day
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if match := _YEAR.match(value):
        return dt.date(int(match[1]), 1, 1), dt.date(int(match[1]), 12, 31)
    if match := _WEEK.match(value):
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        if match[3]:
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        return monday, monday + dt.timedelta(days=6)
    return None


def _first_date(unit: Unit, dates: Mapping[str, Sequence[TimeExpression]]) -> TimeExpression | None:
    for expression in dates.get(unit.article.id, []):
        if unit.start <= expression.start < unit.end and expression.value and date_range(expression.value):
            return expression
    return None


def _label(article: Article) -> str:
    return article.label


def _number_contradictions(claim: Claim, group: ClaimGroup) -> list[Contradiction]:
    found = []
    per_unit = [(u, {unit_word: value for value, unit_word in numbers_in(u.text) if unit_word not in VAGUE_UNITS})
                for u in group.units]
    for i, (a, nums_a) in enumerate(per_unit):
        for b, nums_b in per_unit[i + 1:]:
            for unit_word in sorted(set(nums_a) & set(nums_b)):
                if nums_a[unit_word] == nums_b[unit_word]:
                    continue
                # Both texts might mention both values; only a clean disagreement counts.
                if nums_b[unit_word] in a.text or nums_a[unit_word] in b.text:
                    continue
                sides = [Side(article=a.article.id, text=a.text, value=f"{nums_a[unit_word]} {unit_word}"),
                         Side(article=b.article.id, text=b.text, value=f"{nums_b[unit_word]} {unit_word}")]
                found.append(Contradiction(
                    id=stable_id("x-", claim.id, "number", unit_word, length=12),
                    kind="number",
                    claims=[claim.id],
                    sides=sides,
                    explanation=(f"{_label(a.article)} gives {sides[0].value}, {_label(b.article)} gives "
                                 f"{sides[1].value} for the same fact."),
                ))
    return found


def _date_contradictions(claim: Claim, group: ClaimGroup,
                         dates: Mapping[str, Sequence[TimeExpression]]) -> list[Contradiction]:
    dated = [(u, d) for u in group.units if (d := _first_date(u, dates)) is not None]
    for i, (a, date_a) in enumerate(dated):
        for b, date_b in dated[i + 1:]:
            range_a, range_b = date_range(date_a.value or ""), date_range(date_b.value or "")
            if range_a is None or range_b is None:
                continue
            if range_a[0] <= range_b[1] and range_b[0] <= range_a[1]:
                continue
            sides = [Side(article=a.article.id, text=a.text, value=date_a.value or ""),
                     Side(article=b.article.id, text=b.text, value=date_b.value or "")]
            return [Contradiction(
                id=stable_id("x-", claim.id, "date", length=12),
                kind="date",
                claims=[claim.id],
                sides=sides,
                explanation=(f"{_label(a.article)} dates this “{date_a.text}” ({date_a.value}), "
                             f"{_label(b.article)} “{date_b.text}” ({date_b.value})."),
            )]
    return []


def _claims_of_variant(claims: Sequence[Claim], article: str, start: int) -> list[str]:
    return [c.id for c in claims for s in c.support if s.article == article and s.start <= start < s.end]


def _quote_contradictions(quotes: Sequence[Quote], claims: Sequence[Claim],
                          articles: Mapping[str, Article]) -> list[Contradiction]:
    found = []
    for quote in quotes:
        if not quote.wording_differs:
            continue
        sides, claim_ids = [], []
        seen_wordings: set[str] = set()
        for variant in quote.variants:
            for claim_id in _claims_of_variant(claims, variant.article, variant.start):
                if claim_id not in claim_ids:
                    claim_ids.append(claim_id)
            wording = variant.text.casefold()
            if wording in seen_wordings:
                continue
            seen_wordings.add(wording)
            sides.append(Side(article=variant.article, text=variant.text, value=variant.text))
        speaker = quote.speaker.name or "An unnamed speaker"
        outlets = "; ".join(f"{articles[s.article].label}: “{s.value}”" for s in sides if s.article in articles)
        found.append(Contradiction(
            id=stable_id("x-", quote.id, "quote_wording", length=12),
            kind="quote_wording",
            claims=claim_ids,
            sides=sides,
            explanation=f"Outlets quote {speaker} in different words — {outlets}.",
        ))
    return found


def find_contradictions(
    claims: Sequence[Claim],
    groups: Mapping[str, ClaimGroup],
    dates: Mapping[str, Sequence[TimeExpression]],
    quotes: Sequence[Quote],
    articles: Sequence[Article],
) -> list[Contradiction]:
    """Typed contradictions; marks the claims they touch as disputed."""
    found: list[Contradiction] = []
    for claim in claims:
        group = groups[claim.id]
        if len({u.article.id for u in group.units}) < 2:
            continue
        found.extend(_number_contradictions(claim, group))
        found.extend(_date_contradictions(claim, group, dates))
    found.extend(_quote_contradictions(quotes, claims, {a.id: a for a in articles}))
    disputed = {claim_id for c in found if c.kind in ("number", "date") for claim_id in c.claims}
    for claim in claims:
        if claim.id in disputed:
            claim.status = "disputed"
    return found
