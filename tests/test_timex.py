"""Time expressions: the seed corpus' phrases resolve against the publication date, names are not dates,
and every result is a well-formed, sorted, non-overlapping slice of its text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyweave.analysis.timex import find_time_expressions
from storyweave.model import TimeExpression

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
REF = dt.date(2026, 1, 8)  # a Thursday: the seed reports were published 7-8 January 2026


def _find(text: str, phrase: str, ref: dt.date = REF) -> TimeExpression:
    """The expression overlapping the first occurrence of ``phrase`` in ``text``."""
    i = text.index(phrase)
    hits = [t for t in find_time_expressions(text, ref) if t.start < i + len(phrase) and i < t.end]
    assert hits, f"no time expression found in {phrase!r}"
    return hits[0]


# Real sentences from the seed corpus (shared/seeds/*.txt), with the value a reader expects.
SEED_CASES = [
    (
        "President Trump spoke by phone with Colombian President Gustavo Petro on Wednesday "
        "following tensions "
        "between the two leaders.",
        "Wednesday",
        "2026-01-07",
        "day",
    ),
    (
        "Petro — a former member of a guerrilla group and Colombia’s first left-wing leader in "
        "decades — responded "
        "forcefully early Monday morning.",
        "early Monday morning",
        "2026-01-05TMO",
        "part_of_day",
    ),
    (
        "In October of last year, Mr. Trump named Peter “Illegal drug leader” and Treasury Secretary "
        "Scott Bessent "
        "He announced punishments for Petro",
        "October of last year",
        "2025-10",
        "month",
    ),
    (
        "The Trump administration denounced the strikes on suspected drug boats in September before "
        "the United "
        "Nations, and days later, at a protest in New York",
        "September",
        "2025-09",
        "month",
    ),
    (
        "Tensions have risen over the weekend since the US military captured former Venezuelan "
        "President Nicolás "
        "Maduro overnight",
        "the weekend",
        "2026-W01-WE",
        "week",
    ),
    (
        "Colombia was among those mentioned, with Trump on Sunday referring to Petro as a “sick man” "
        "involved in "
        "cocaine production",
        "Sunday",
        "2026-01-04",
        "day",
    ),
    ("Last month, he warned that Petro “better watch his a–.”", "Last month", "2025-12", "month"),
    (
        "As a protective measure, Petro deployed 30,000 Colombian soldiers to guard the border with "
        "Venezuela last "
        "Sunday.",
        "last Sunday",
        "2026-01-04",
        "day",
    ),
    (
        "The announcement comes shortly after US forces seized Venezuelan President Nicolás Maduro "
        "during a raid in "
        "Caracas on Saturday night.",
        "Saturday night",
        "2026-01-03TNI",
        "part_of_day",
    ),
    (
        "Earlier this week, however, Trump publicly warned Petro to “watch his ass”",
        "this week",
        "2026-W02",
        "week",
    ),
    (
        "The United States imposed sanctions on Petro in October, accusing his government of failing "
        "to curb drug "
        "trafficking.",
        "October",
        "2025-10",
        "month",
    ),
    (
        "The Colombian government separately confirmed that Petro spoke with Trump for about 35 "
        "minutes, describing "
        "the exchange as positive",
        "about 35 minutes",
        "PT35M",
        "duration",
    ),
    (
        "Washington, D.C., January 8: US President Donald Trump and Colombian President Gustavo "
        "Petro have held "
        "their first phone conversation",
        "January 8",
        "2026-01-08",
        "day",
    ),
    (
        "Relations between the US and Colombia have been strained for months, and the Trump "
        "administration has "
        "accused the Colombian government",
        "months",
        "PXM",
        "duration",
    ),
    (
        "U.S. President Donald Trump and Colombian President Gustavo Petro spoke by phone this week, "
        "marking an "
        "unexpected diplomatic turn",
        "this week",
        "2026-W02",
        "week",
    ),
]


@pytest.mark.parametrize(("sentence", "expression", "value", "precision"), SEED_CASES)
def test_seed_sentences(sentence: str, expression: str, value: str, precision: str) -> None:
    t = _find(sentence, expression)
    assert t.text == expression
    assert (t.value, t.precision) == (value, precision)


def test_on_is_outside_the_extent_and_last_inside() -> None:
    text = "Trump spoke on Sunday; Petro answered last Sunday."
    found = [(t.text, t.value) for t in find_time_expressions(text, REF)]
    assert found == [("Sunday", "2026-01-04"), ("last Sunday", "2026-01-04")]


@pytest.mark.parametrize(
    ("text", "expression", "value", "type_"),
    [
        ("He left two days ago.", "two days ago", "2026-01-06", "DATE"),
        ("It happened a year ago.", "a year ago", "2025", "DATE"),
        ("Prices rose last year.", "last year", "2025", "DATE"),
        ("They meet next month.", "next month", "2026-02", "DATE"),
        ("He called yesterday.", "yesterday", "2026-01-07", "DATE"),
        ("He will call tonight.", "tonight", "2026-01-08TNI", "TIME"),
        ("Sales fell in 2025, the company said.", "2025", "2025", "DATE"),
        ("The deal was signed 8 January 2026.", "8 January 2026", "2026-01-08", "DATE"),
        ("The deal was signed 2026-01-08.", "2026-01-08", "2026-01-08", "DATE"),
        ("The deal was signed January 8, 2026.", "January 8, 2026", "2026-01-08", "DATE"),
        ("The deal was signed Jan. 8 in Bogota.", "Jan. 8", "2026-01-08", "DATE"),
        ("Filed on Dec. 20 in Miami.", "Dec. 20", "2025-12-20", "DATE"),
        ("The two sides talk every week.", "every week", "P1W", "SET"),
        ("The two men will meet next Sunday.", "next Sunday", "2026-01-11", "DATE"),
        ("The vote will be held on Sunday.", "Sunday", "2026-01-11", "DATE"),
        ("The strike lasted three hours.", "three hours", "PT3H", "DURATION"),
        ("The ban has been in force for decades.", "decades", "PXE", "DURATION"),
        ("Nothing will change in the future.", "the future", "FUTURE_REF", "DATE"),
        ("He is now in Caracas.", "now", "PRESENT_REF", "DATE"),
        ("He recently visited Bogota.", "recently", "PAST_REF", "DATE"),
        # TimeML writes a decade as its first three digits (TimeBank: "the 1990s" -> 199).
        ("The talks collapsed in the 1990s.", "1990s", "199", "DATE"),
        ("Relations soured in the late 1970s.", "late 1970s", "197", "DATE"),
        ("Cocaine exports boomed in the eighties.", "the eighties", "198", "DATE"),
        ("The embargo has lasted about a decade.", "about a decade", "P1E", "DURATION"),
        ("Talks could take a couple of years.", "a couple of years", "P2Y", "DURATION"),
        # A clock time with its day: the day is inside the extent and the value.
        ("The deadline expired at 10 p.m. Wednesday.", "10 p.m. Wednesday", "2026-01-07T22:00", "TIME"),
        ("Trading closed at 5 p.m. EST Jan. 6.", "5 p.m. EST Jan. 6", "2026-01-06T17:00", "TIME"),
        ("The decree took effect at noon yesterday.", "noon yesterday", "2026-01-07T12:00", "TIME"),
        ("Troops arrived at 9 a.m.", "9 a.m.", "2026-01-08T09:00", "TIME"),
        # An unnumbered stretch next to now is a reference, not a length.
        ("Prices have risen over the last few months.", "the last few months", "PAST_REF", "DATE"),
        ("Talks will resume in coming months.", "coming months", "FUTURE_REF", "DATE"),
        ("Exports have fallen in past years.", "past years", "PAST_REF", "DATE"),
        # In January the third quarter already reported on is last year's.
        ("Profit rose in the third quarter.", "the third quarter", "2025-Q3", "DATE"),
        ("Profit will rise in the first quarter.", "the first quarter", "2026-Q1", "DATE"),
        # A quarter with its year; a fiscal year that "ended" is past even when the next one is nearer.
        (
            "The mine stopped paying a dividend in the third quarter of 2019.",
            "the third quarter of 2019",
            "2019-Q3",
            "DATE",
        ),
        (
            "Exports fell in the fourth quarter of last year.",
            "the fourth quarter of last year",
            "2025-Q4",
            "DATE",
        ),
        (
            "Ecopetrol reported revenue of $9 billion for the year ended March 31.",
            "March 31",
            "2025-03-31",
            "DATE",
        ),
        # A month after "by"/"through" is a deadline still ahead.
        ("The bridge loan runs through April.", "April", "2026-04", "DATE"),
        ("Colombia must repay the credit line by May.", "May", "2026-05", "DATE"),
    ],
)
def test_own_cases(text: str, expression: str, value: str, type_: str) -> None:
    t = _find(text, expression)
    assert (t.text, t.value, t.type) == (expression, value, type_)


# A bare weekday takes its direction from the tense of the verb that governs it (REF is Thursday 8 January).
@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("The defence ministry said Tuesday it had no comment on the raid.", "Tuesday", "2026-01-06"),
        ("Petro will travel to Washington on Tuesday to meet Trump.", "Tuesday", "2026-01-13"),
        ("He and Trump meet separately Monday with the UN envoy.", "Monday", "2026-01-12"),
        ("Talks with the ELN are set to resume in Havana on Monday.", "Monday", "2026-01-12"),
        ("The vote in the Colombian senate is Tuesday.", "Tuesday", "2026-01-13"),
        ("On Tuesday, the Colombian senate approved the 2026 budget.", "Tuesday", "2026-01-06"),
        # A deadline with no tense of its own is ahead; a past verb still puts it behind.
        ("Tariffs on Colombian coffee until Friday, the White House says.", "Friday", "2026-01-09"),
        ("The border crossing at Cucuta remained closed until Monday.", "Monday", "2026-01-05"),
        # Pluperfect plans are over; a copula far from the weekday does not make it future.
        ("The ultimatum had been due to expire Friday evening.", "Friday evening", "2026-01-02TEV"),
        ("The army is on high alert after an attack on a base in Arauca on Sunday.", "Sunday", "2026-01-04"),
        ("The minister was expected to arrive in Caracas on Saturday.", "Saturday", "2026-01-10"),
    ],
)
def test_weekday_follows_the_tense(text: str, expression: str, value: str) -> None:
    t = _find(text, expression)
    assert (t.text, t.value) == (expression, value)


def test_past_verb_keeps_a_month_just_ahead_in_the_past() -> None:
    # February is a month ahead of January: alone it is the coming one, after "agreed" last year's.
    assert _find("The air force agreed in February to buy the jets.", "February").value == "2025-02"
    assert _find("The new tariffs take effect in February.", "February").value == "2026-02"


# "the following year", "that year", "the next day": a date relative to the date the text last named.
@pytest.mark.parametrize(
    ("text", "expression", "value", "precision"),
    [
        (
            "On May 22, 1995, Farkas was made a brigadier general, and the following year he was "
            "appointed military attache in Washington.",
            "the following year",
            "1996",
            "year",
        ),
        (
            "Exports fell 12% in 2019; that year the peso also lost a fifth of its value.",
            "that year",
            "2019",
            "year",
        ),
        (
            "The board rejected the bid in March 2024. The following month, the company put itself "
            "up for sale.",
            "The following month",
            "2024-04",
            "month",
        ),
        (
            "Maduro was captured in Caracas on Jan. 3, and the next day Trump spoke of running Venezuela.",
            "the next day",
            "2026-01-04",
            "day",
        ),
        (
            "Rebels attacked the town; the previous day the army had withdrawn.",
            "the previous day",
            "2026-01-07",
            "day",
        ),
    ],
)
def test_anchored_to_the_last_named_date(text: str, expression: str, value: str, precision: str) -> None:
    t = _find(text, expression)
    assert (t.text, t.type, t.value, t.precision) == (expression, "DATE", value, precision)


@pytest.mark.parametrize(
    ("text", "expression", "value", "type_"),
    [
        # A fiscal year is named by the calendar year it is counted in.
        (
            "Ecopetrol expects higher sales in the current fiscal year.",
            "the current fiscal year",
            "2026",
            "DATE",
        ),
        ("Avianca lost money last fiscal year.", "last fiscal year", "2025", "DATE"),
        # Half units go into the next smaller unit, as TimeBank writes them.
        ("The families lived in U.N.-run refugee camps for 2 1/2 years.", "2 1/2 years", "P2Y6M", "DURATION"),
        ("He served two and a half years in a Bogota prison.", "two and a half years", "P2Y6M", "DURATION"),
        (
            "The phone call lasted an hour and a half, officials said.",
            "an hour and a half",
            "PT1H30M",
            "DURATION",
        ),
    ],
)
def test_fiscal_years_and_halves(text: str, expression: str, value: str, type_: str) -> None:
    t = _find(text, expression)
    assert (t.text, t.value, t.type) == (expression, value, type_)


# Cues that put a date ahead of the report, or behind it, whatever the nearest calendar date (REF is
# Thursday 8 January 2026).
@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        # An earliest date and a deferral look ahead, even after a past verb.
        ("Petro said he could fly to Washington as soon as Tuesday.", "Tuesday", "2026-01-13"),
        ("The senate postponed until Monday any vote on the extradition treaty.", "Monday", "2026-01-12"),
        (
            "Treasury extended its deadline until 9 a.m. EST Friday, officials said.",
            "9 a.m. EST Friday",
            "2026-01-09T09:00",
        ),
        # An intention or a plan told in the past still points ahead.
        ("The cabinet decided to send the envoy to Caracas in February.", "February", "2026-02"),
        ("The meeting was planned for early February, an aide said.", "early February", "2026-02"),
        ("The team planned to leave Bogota on Saturday.", "Saturday", "2026-01-10"),
        # ... but a plan made on a day past is dated by that day.
        ("On Monday, the government planned its reply to the sanctions.", "Monday", "2026-01-05"),
        # A month-day more than four months ahead, told in the past tense, is last year's.
        ("The May 20 strike on a fishing boat killed four men, the navy said.", "May 20", "2025-05-20"),
        ("The envoy was recalled last Oct. 23 after the sanctions.", "Oct. 23", "2025-10-23"),
        ("Hearings could begin the week of Jan. 19, the court said.", "the week of Jan. 19", "2026-W04"),
        # A clock time followed by its day in a parenthesis-separated weekday.
        ("The raid began at about 2:10 a.m. (0610 GMT) Saturday.", "2:10 a.m.", "2026-01-03T02:10"),
    ],
)
def test_cues_that_place_a_date(text: str, expression: str, value: str) -> None:
    t = _find(text, expression)
    assert (t.text, t.value) == (expression, value)


@pytest.mark.parametrize(
    ("text", "expression", "value", "type_"),
    [
        # A quantity ahead is a stretch of time; no quantity is a reference to the future.
        ("Talks will continue over the next few days.", "the next few days", "PXD", "DURATION"),
        ("Exports should recover in the next several years.", "the next several years", "PXY", "DURATION"),
        # Halves of a year by other names.
        ("Coffee exports slowed in the last half of 2025.", "the last half of 2025", "2025-H2", "DATE"),
        (
            "Output rose in the first two quarters of 2025.",
            "the first two quarters of 2025",
            "2025-H1",
            "DATE",
        ),
        # Years said in words, as broadcast transcripts write them.
        (
            "The peso collapsed in January nineteen ninety-nine.",
            "January nineteen ninety-nine",
            "1999-01",
            "DATE",
        ),
        (
            "Oil fell to its low of the winter of nineteen ninety-four.",
            "the winter of nineteen ninety-four",
            "1994-WI",
            "DATE",
        ),
        ("The treaty dates from nineteen seventy-three.", "nineteen seventy-three", "1973", "DATE"),
        ("The pipeline opened in two thousand.", "two thousand", "2000", "DATE"),
    ],
)
def test_stretches_halves_and_spelled_years(text: str, expression: str, value: str, type_: str) -> None:
    t = _find(text, expression)
    assert (t.text, t.value, t.type) == (expression, value, type_)


def test_days_later_is_a_span_without_a_date() -> None:
    t = _find("He spoke at the UN, and days later, at a protest, he said more.", "days later")
    assert t.precision == "span"
    assert t.value is None or t.value.startswith("P")


@pytest.mark.parametrize(
    "text",
    [
        "Former prime minister Theresa May said the deal was fair.",
        "The Sunday Times reported the call first.",
        "She may march on the capital.",
        "Police counted 2000 protesters and 30,000 soldiers.",
        "The company sold 1,950 cars.",
    ],
)
def test_names_and_numbers_are_not_dates(text: str) -> None:
    assert find_time_expressions(text, REF) == []


def test_future_sentences_override_the_tense_guess() -> None:
    text = "Petro's talks with Trump on Sunday."  # no verb: the built-in guess is the last Sunday
    assert _find(text, "Sunday").value == "2026-01-04"
    found = find_time_expressions(text, REF, future_sentences=[(0, len(text))])
    assert [t.value for t in found] == ["2026-01-11"]


def test_same_weekday_as_reference_is_the_reference_day() -> None:
    # "said Thursday" in a Thursday paper is that Thursday, as TimeBank annotates it.
    assert _find("The ministry said Thursday it had no comment.", "Thursday").value == "2026-01-08"


def test_datetime_reference_is_accepted() -> None:
    found = find_time_expressions("He called yesterday.", dt.datetime(2026, 1, 8, 15, 0))
    assert [t.value for t in found] == ["2026-01-07"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed corpus not found at {SEEDS}")
def test_seed_files_resolve_key_dates() -> None:
    values = set()
    for path in sorted(SEEDS.glob("*.txt")):
        if path.name == "README.md":
            continue
        values |= {t.value for t in find_time_expressions(path.read_text(encoding="utf-8"), REF)}
    for v in (
        "2026-01-07",
        "2026-01-04",
        "2025-12",
        "2025-10",
        "2026-W01-WE",
        "2026-01-05TMO",
        "PT35M",
        "2026-01-03TNI",
        "2026-01-08",
    ):
        assert v in values


_WORDS = [
    "on",
    "Sunday",
    "last",
    "month",
    "in",
    "October",
    "of",
    "year",
    "about",
    "35",
    "minutes",
    "the",
    "weekend",
    "May",
    "Theresa",
    "early",
    "Monday",
    "morning",
    "two",
    "days",
    "ago",
    "2025",
    "Jan.",
    "8,",
    "this",
    "week",
    "every",
    "now",
    "recently",
    "decades",
    "later",
    "-",
    "\n",
    "Oct.",
    "23",
    "future",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), max_size=25))
def test_property_offsets_sorted_non_overlapping(words: list[str]) -> None:
    text = " ".join(words)
    found = find_time_expressions(text, REF)
    for t in found:
        assert text[t.start : t.end] == t.text
        assert t.start < t.end
        assert t.type in {"DATE", "TIME", "DURATION", "SET"}
        assert t.precision in {
            "day",
            "month",
            "year",
            "week",
            "part_of_day",
            "duration",
            "set",
            "ref",
            "span",
            "unknown",
        }
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
