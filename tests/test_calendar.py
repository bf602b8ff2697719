"""The calendar every analysis shares: TimeML values read as date ranges, and the arithmetic behind them."""

from __future__ import annotations

import datetime as dt

import pytest

from storyweave.analysis.calendar import (
    closest_year,
    date_range,
    iso_week,
    quarter_year,
    season_value,
    shift_month,
    shift_quarter,
    weekday_date,
)
from storyweave.render.chart import period


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2026-01-04", dt.date(2026, 1, 4), dt.date(2026, 1, 4)),
        ("2026-01-04TNI", dt.date(2026, 1, 4), dt.date(2026, 1, 4)),  # a part of a day is that day
        ("2025-12", dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),  # leap year
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2026-W02", dt.date(2026, 1, 5), dt.date(2026, 1, 11)),
        ("2026-W01-WE", dt.date(2026, 1, 3), dt.date(2026, 1, 4)),
        ("2020-W53", dt.date(2020, 12, 28), dt.date(2021, 1, 3)),  # a week across the new year
    ],
)
def test_date_range(value: str, first: dt.date, last: dt.date) -> None:
    assert date_range(value) == (first, last)


@pytest.mark.parametrize(
    "value", ["PT35M", "P2Y", "PAST_REF", "FUTURE_REF", "2025-Q4", "1998-FA", "2026-02-30"]
)
def test_values_without_a_calendar_range(value: str) -> None:
    assert date_range(value) is None


def test_the_chart_reads_the_same_ranges() -> None:
    assert period is date_range


def test_week_month_and_quarter_arithmetic() -> None:
    assert iso_week(dt.date(2026, 1, 1)) == "2026-W01"
    assert iso_week(dt.date(2021, 1, 3)) == "2020-W53"
    assert shift_month(2026, 1, -1) == (2025, 12)
    assert shift_month(2025, 11, 14) == (2027, 1)
    assert shift_quarter(2026, 1, -1) == (2025, 4)
    assert shift_quarter(2026, 1, -5) == (2024, 4)  # "the year-ago quarter"
    assert quarter_year(dt.date(2026, 1, 8), 4) == 2025  # "the fourth quarter" in January: last year's
    assert quarter_year(dt.date(2026, 1, 8), 2) == 2026


def test_weekdays_near_a_reference() -> None:
    thursday = dt.date(2026, 1, 8)
    assert weekday_date(thursday, 6, "past") == dt.date(2026, 1, 4)
    assert weekday_date(thursday, 0, "future") == dt.date(2026, 1, 12)
    assert weekday_date(thursday, 3, "past") == dt.date(2026, 1, 1)
    assert weekday_date(thursday, 3, "today_or_past") == thursday
    assert weekday_date(thursday, 0, "week") == dt.date(2026, 1, 5)


def test_years_and_seasons_near_a_reference() -> None:
    assert closest_year(dt.date(2026, 1, 8), 12, 20) == 2025
    assert closest_year(dt.date(2026, 11, 20), 1, 5) == 2027
    assert season_value(dt.date(1998, 10, 1), "FA", "this") == "1998-FA"
    assert season_value(dt.date(1998, 10, 1), "SU", "last") == "1998-SU"
    assert season_value(dt.date(1999, 1, 15), "WI", "this") == "1998-WI"  # winter is its December's
