"""Calendar arithmetic on TimeML values: the one place that knows what a value such as 2026-W02 covers.

Time expressions are written as TimeML values (2026-01-04, 2026-W02, 2026-W01-WE, 2025-12, 2025, 2025-Q4,
1998-FA); the time-expression rules make them, and the contradictions, timeline, events and the HTML chart
read them back as date ranges. Making and reading them in one module keeps the two sides in step: an ISO
week, a month's last day or a quarter's number is computed here only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")  # -WE: that week's weekend

# The month a TimeML season starts in (SP spring ... WI winter, which belongs to the year of its December).
SEASON_START: dict[str, int] = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def date_range(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a TimeML date value covers (a day, an ISO week or its weekend, a month, a
    year), or None for values without a calendar range (durations, PAST_REF, quarters, seasons) and for
    impossible dates."""
    try:
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
    except ValueError:
        return None
    return None


def fmt_day(d: dt.date) -> str:
    """A day as TimeML writes it: 2026-01-04."""
    return d.isoformat()


def fmt_month(year: int, month: int) -> str:
    """A month as TimeML writes it: 2025-12."""
    return f"{year:04d}-{month:02d}"


def iso_week(d: dt.date) -> str:
    """The ISO week holding ``d``, as TimeML writes it: 2026-W02."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def shift_month(year: int, month: int, k: int) -> tuple[int, int]:
    """The (year, month) ``k`` months after (before, for negative ``k``) the given one."""
    idx = year * 12 + (month - 1) + k
    return idx // 12, idx % 12 + 1


def quarter_of(d: dt.date) -> int:
    """The calendar quarter (1-4) ``d`` falls in."""
    return (d.month - 1) // 3 + 1


def shift_quarter(year: int, quarter: int, k: int) -> tuple[int, int]:
    """The (year, quarter) ``k`` quarters after (before, for negative ``k``) the given one."""
    idx = year * 4 + quarter - 1 + k
    return idx // 4, idx % 4 + 1


def fmt_quarter(year: int, quarter: int) -> str:
    """A quarter as TimeML writes it: 2025-Q4."""
    return f"{year}-Q{quarter}"


def quarter_year(ref: dt.date, q: int) -> int:
    """A named quarter is this year's, unless it lies two or more quarters ahead (then it is last year's)."""
    return ref.year - 1 if q - quarter_of(ref) >= 2 else ref.year


def weekday_date(ref: dt.date, weekday: int, direction: str) -> dt.date:
    """The date of ``weekday`` (0 = Monday) near ``ref``.

    ``past``: the most recent such day before ``ref``; ``future``: the next one after it; ``week``: the one
    in ref's ISO week; ``today_or_past`` / ``today_or_future``: as past/future but ``ref`` itself when it is
    that day.
    """
    diff = weekday - ref.weekday()
    if direction == "week":
        return ref + dt.timedelta(days=diff)
    if direction in ("past", "today_or_past"):
        back = (-diff) % 7
        if back == 0 and direction == "past":
            back = 7
        return ref - dt.timedelta(days=back)
    fwd = diff % 7
    if fwd == 0 and direction == "future":
        fwd = 7
    return ref + dt.timedelta(days=fwd)


def closest_year(ref: dt.date, month: int, day: int | None = None) -> int:
    """The year that puts month(/day) nearest to ``ref``: "Dec. 20" read in January is last December."""
    best_year, best_gap = ref.year, None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(y, month, day if day is not None else 15)
        except ValueError:
            continue
        gap = abs((d - ref).days)
        if best_gap is None or gap < best_gap:
            best_year, best_gap = y, gap
    return best_year


_SEASON_OF_MONTH = {
    3: "SP",
    4: "SP",
    5: "SP",
    6: "SU",
    7: "SU",
    8: "SU",
    9: "FA",
    10: "FA",
    11: "FA",
    12: "WI",
}
_SEASON_ORDER = [3, 6, 9, 12]


def season_value(ref: dt.date, season: str, rel: str) -> str:
    """TimeML season value (1998-FA) for last/this/next/bare season names relative to ``ref``."""
    start = SEASON_START[season]
    # The season ref itself falls in, with the year TimeML gives it (winter belongs to its December).
    if ref.month in (1, 2):
        cur_season, cur_year = "WI", ref.year - 1
    else:
        cur_season, cur_year = _SEASON_OF_MONTH[ref.month], ref.year
    cur_idx = cur_year * 4 + _SEASON_ORDER.index(SEASON_START[cur_season])
    target = _SEASON_ORDER.index(start)
    # candidate indices of this season around now
    cands = [(y * 4 + target) for y in (cur_year - 1, cur_year, cur_year + 1)]
    if rel == "last":
        idx = max(c for c in cands if c < cur_idx)
    elif rel == "next":
        idx = min(c for c in cands if c > cur_idx)
    else:  # this / bare: the one in the same calendar year, else nearest
        idx = min(cands, key=lambda c: (abs(c - cur_idx), c > cur_idx))
    return f"{idx // 4}-{season}"
