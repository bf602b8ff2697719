"""The timeline as an inline SVG chart: one dot per dated item on a date axis, no script, no network.

TimeML values carry their precision (2026-01-04, 2026-W02, 2025-10, 2025): each is placed at the start
of the period it names, and a period longer than a day is drawn as a bar over its length, so "last
month" does not look as exact as "Sunday".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH, ROW, PAD_LEFT, PAD_RIGHT, TOP = 900, 22, 20, 20, 30
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")  # -WE: that week's weekend
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def period(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a TimeML date value covers, or None when it names no calendar period."""
    try:
        if m := _DAY.match(value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _WEEK.match(value):
            start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 6 if m[3] else 1)
            return start, start + dt.timedelta(days=1 if m[3] else 6)
        if m := _MONTH.match(value):
            start = dt.date(int(m[1]), int(m[2]), 1)
            nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return start, nxt - dt.timedelta(days=1)
        if m := _YEAR.match(value):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def timeline_chart(items: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Coordinates for the template's SVG: axis ticks and one row per dated item (x, width, label, anchor)."""
    placed = [(i, item, p) for i, item in enumerate(items) if (p := period(str(item.get("date", ""))))]
    if not placed:
        return None
    first = min(p[0] for _, _, p in placed)
    last = max(p[1] for _, _, p in placed)
    span = max(1, (last - first).days + 1)
    scale = (WIDTH - PAD_LEFT - PAD_RIGHT) / span

    def x(day: dt.date) -> float:
        return round(PAD_LEFT + (day - first).days * scale, 1)

    rows = []
    for row, (index, item, (start, end)) in enumerate(placed):
        rows.append(
            {
                "x": x(start),
                "width": round(max(6.0, ((end - start).days + 1) * scale), 1),
                "y": TOP + row * ROW,
                "date": str(item.get("date")),
                "label": str(item.get("expression", "")),
                "anchor": f"t-{index}",
                "exact": start == end,
            }
        )
    ticks = []
    for day in sorted({first, last, *(p[0] for _, _, p in placed)}):
        ticks.append({"x": x(day), "label": day.isoformat()})
    # Drop ticks that would print over each other (labels are ~70 px wide).
    spaced: list[dict[str, Any]] = []
    for tick in ticks:
        if not spaced or tick["x"] - spaced[-1]["x"] >= 75:
            spaced.append(tick)
    return {"width": WIDTH, "height": TOP + len(rows) * ROW + 10, "rows": rows, "ticks": spaced}
