"""The words of time expressions: month, weekday, unit and number names, and the patterns that spell them.

Used by the rules in :mod:`storyweave.analysis.timex`; kept apart so that the rules read as patterns plus a
few lines of resolution each. The calendar arithmetic behind the values is in
:mod:`storyweave.analysis.calendar`, the clause-tense guess in :mod:`storyweave.analysis.timex_tense`.
"""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
PART_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
}
# ISO 8601 / TIMEX3 unit letters; time units go after the "T" of a duration.
UNITS: dict[str, tuple[bool, str]] = {
    "second": (True, "S"),
    "minute": (True, "M"),
    "hour": (True, "H"),
    "day": (False, "D"),
    "week": (False, "W"),
    "weekend": (False, "WE"),
    "month": (False, "M"),
    "quarter": (False, "Q"),
    "year": (False, "Y"),
    "decade": (False, "E"),  # TimeBank writes a decade as E ("about a decade": P1E)
    "century": (False, "CE"),
    "centurie": (False, "CE"),
}
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
ORDINALS: dict[str, int] = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}

_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_SMALL)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
NUMBER_WORDS.update(
    {"a": 1, "an": 1, "a single": 1, "a dozen": 12, "dozen": 12, "hundred": 100, "a hundred": 100}
)
VAGUE_NUMBERS = {
    "several",
    "a few",
    "few",
    "many",
    "some",
    "a couple of",
    "couple of",
    "a couple",
    "numerous",
    "dozens of",
    "hundreds of",
    "thousands of",
}

NUM_RE = (
    r"(?:\d+(?:\.\d+)?|(?:" + "|".join(_TENS) + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|" + "|".join(sorted(_SMALL, key=len, reverse=True)) + r"|a\s+dozen|a\s+hundred|a\s+single|an?|dozen)"
)
VAGUE_RE = (
    r"(?:several|a\s+few|few|many|some|a\s+couple(?:\s+of)?|couple\s+of|numerous|dozens\s+of|hundreds\s+of)"
)
MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH_ANY = rf"(?:{MONTH_FULL}|{MONTH_ABBR})"
WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
POD_RE = r"(?:morning|afternoon|evening|night|overnight)"
UNIT_RE = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ie))"
YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"

_SPACE = re.compile(r"\s+")


def parse_number(word: str) -> int | float | None:
    """A number written in digits or words; ``None`` for vague amounts ("several"), which become X."""
    w = _SPACE.sub(" ", word.strip().lower())
    if w in ("a couple of", "couple of", "a couple"):
        return 2  # TimeBank reads "a couple of years" as P2Y (`bench/timex.py --split dev`)
    if w in VAGUE_NUMBERS:
        return None
    try:
        f = float(w)
        return int(f) if f.is_integer() else f
    except ValueError:
        pass
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def duration_value(num: int | float | None, unit: str) -> str:
    is_time, code = UNITS[unit]
    n = "X" if num is None else str(num)
    return f"PT{n}{code}" if is_time else f"P{n}{code}"
