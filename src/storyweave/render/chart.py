"""The timeline as an inline SVG chart: one dot per dated item on a date axis, no script, no network.

TimeML values carry their precision (2026-01-04, 2026-W02, 2025-10, 2025): each is placed at the start
of the period it names, and a period longer than a day is drawn as a bar over its length, so "last
month" does not look as exact as "Sunday".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from storyweave.analysis.calendar import date_range

WIDTH, ROW, PAD_LEFT, PAD_RIGHT, TOP = 900, 22, 20, 20, 30
# The first and last day of a TimeML value, from the one calendar (render/view.py imports this name).
period = date_range


def timeline_chart(items: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Coordinates for the template's SVG: axis ticks and one row per dated item (x, width, label, anchor)."""
    placed = [(i, item, p) for i, item in enumerate(items) if (p := date_range(str(item.get("date", ""))))]
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
