"""Vocabulary and calendar arithmetic for the time-expression rules in :mod:`storyweave.analysis.timex`.

Kept apart from the rules so that the rules read as patterns plus a few lines of resolution each, and so the
calendar helpers (ISO weeks, month shifts, seasons, quarters) can be tested on their own.
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


# --------------------------------------------------------------------------- clause tense
# A bare weekday or month is resolved by the tense of the verb that governs it ("met Monday" is the last
# Monday, "will meet Monday" and "meet separately Monday" the next). The verb is found by walking from the
# expression to the nearest tense-bearing word of its clause: leftwards first, since English puts the verb
# before its time adjunct, then rightwards for fronted adjuncts ("On Tuesday, the council voted ...").

# Words that open a new clause: the verb beyond them governs something else ("said that on Friday ...").
_CLAUSE_BREAKS = frozenset(
    {
        "that",
        "which",
        "who",
        "whom",
        "because",
        "while",
        "but",
        "although",
        "though",
        "if",
        "whereas",
        ";",
        ":",
    }
)
_FUTURE_WORDS = frozenset({"will", "shall", "won't", "wo", "'ll", "tomorrow", "upcoming"})
# Present-tense verbs of plans and schedules: in news a weekday after them is still ahead ("the vote is
# Tuesday", "talks resume Monday", "he plans to travel Friday").
_PRESENT_WORDS = frozenset(
    {
        "is",
        "are",
        "am",
        "isn't",
        "aren't",
        "remains",
        "plans",
        "plan",
        "intends",
        "intend",
        "expects",
        "hopes",
        "aims",
        "wants",
        "meets",
        "meet",
        "begins",
        "begin",
        "starts",
        "resumes",
        "resume",
        "opens",
        "arrives",
        "leaves",
        "returns",
        "visits",
        "travels",
        "heads",
        "convenes",
        "convene",
        "expires",
        "ends",
        "faces",
        "face",
        "hosts",
        "takes",
        "goes",
        "comes",
    }
)
# After these a base form carries no tense of its own ("did not meet Monday"); after "to" it names a plan,
# still ahead ("agreed to meet Monday", "set to resume Monday").
_NO_TENSE_BEFORE = frozenset({"did", "didn't", "not", "never", "n't"})
# Participles that announce a plan: "is scheduled for Friday", "talks set for Monday" look ahead unless
# pluperfect ("had been due to expire Friday").
# "<word> to" announces a plan: "set to sign Monday", "expected to arrive Friday", "plans to travel Sunday";
# so does a past verb of intent, "agreed to meet Monday", "decided to admit them in March" (TimeBank, `bench/
# timex.py --split dev`: one more value right, none lost). "planned" looks ahead before "to" and in the
# passive ("was planned for March"); alone it is a past verb ("On Friday, the government planned ...").
_INTENT_BEFORE_TO = frozenset(
    {
        "set",
        "expected",
        "due",
        "scheduled",
        "slated",
        "going",
        "plans",
        "plan",
        "planning",
        "intends",
        "hopes",
        "aims",
        "wants",
        "poised",
        "likely",
        "ready",
        "about",
        "decided",
        "planned",
        "agreed",
        "promised",
        "pledged",
        "vowed",
        "offered",
        "threatened",
    }
)
_PLAN_WORDS = frozenset({"scheduled", "slated", "due", "poised"})
_PASSIVE_AUX = frozenset({"is", "are", "was", "were", "be", "been"})
_PAST_WORDS = frozenset(
    {
        "was",
        "were",
        "had",
        "did",
        "wasn't",
        "weren't",
        "hadn't",
        "didn't",
        "said",
        "since",
        "yesterday",
        "ago",
        "told",
        "met",
        "left",
        "began",
        "took",
        "came",
        "went",
        "made",
        "gave",
        "held",
        "found",
        "fell",
        "rose",
        "saw",
        "sent",
        "won",
        "lost",
        "got",
        "ran",
        "spoke",
        "wrote",
        "brought",
        "bought",
        "sold",
        "struck",
        "stood",
        "kept",
        "led",
        "paid",
        "heard",
        "became",
        "broke",
        "chose",
        "drove",
        "flew",
        "fled",
        "fought",
        "knew",
        "meant",
        "sought",
        "shot",
        "sank",
        "spent",
        "stole",
        "swore",
        "taught",
        "threw",
        "withdrew",
        "arose",
        "woke",
        "wore",
        "hung",
        "slid",
        "shook",
        "forgot",
        "underwent",
        "overtook",
    }
)
# Words in -ed that are not past verbs.
_ED_NOT_PAST = frozenset(
    {"hundred", "red", "bed", "shed", "united", "limited", "naked", "wicked", "sacred", "beloved", "alleged"}
)
# Past forms that are never participles.
_FINITE_PAST = frozenset({"was", "were", "did", "didn't", "wasn't", "weren't", "since", "yesterday", "ago"})
# Past forms in -eed, among base forms that are not ("need", "succeed", "proceed").
_EED_PAST = frozenset({"agreed", "freed", "guaranteed", "decreed", "disagreed", "refereed"})
_COPULAS = frozenset({"is", "are", "am", "isn't", "aren't", "remains"})
_COPULA_REACH = 3  # words between a copula and the expression, at most, for it to set the tense
_PRESENT_AUX = frozenset({"is", "are", "am", "be", "will", "'s", "'re"})
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|['’]ll\b|n['’]t\b|[;:]")


def _word_tense(word: str, before: list[str]) -> str | None:
    """The tense a word gives its clause: "past", "future" (future or scheduling present), or None.
    ``before`` holds the words preceding it in its sentence, nearest last."""
    prev = before[-1] if before else ""
    pluperfect = "had" in before[-3:]
    if word in _FUTURE_WORDS or word.endswith("'ll"):
        return "future"
    if word == "to" and prev in _INTENT_BEFORE_TO:
        return "past" if pluperfect else "future"
    if word in _PLAN_WORDS or (word == "planned" and prev in _PASSIVE_AUX):
        return "past" if pluperfect else "future"
    if word in _PRESENT_WORDS:
        base_form = word in ("meet", "begin", "resume", "convene", "face", "plan", "intend")
        return None if base_form and prev in _NO_TENSE_BEFORE else "future"
    if word in _PAST_WORDS:
        # A participle after "is"/"will be" is a present or future passive ("will be paid Dec. 14").
        return "future" if prev in _PRESENT_AUX and word not in _FINITE_PAST else "past"
    if (
        len(word) > 4
        and word.endswith("ed")
        and word not in _ED_NOT_PAST
        and (not word.endswith("eed") or word in _EED_PAST)
    ):
        return "future" if prev in _PRESENT_AUX else "past"
    return None


def clause_tense(before: str, after: str, *, reach: tuple[int, int] = (10, 6)) -> str | None:
    """The tense ("past" or "future") of the clause around a time expression, given the text of its sentence
    before and after it; None when no tense-bearing word is within ``reach`` words on either side.

    After the expression only past verbs and modals count: a present verb there is as often a relative
    clause's or the next clause's ("worth $130 million in October, are worth half that now").

    A copula counts only next to the expression ("the vote is Tuesday", "talks are due Friday"): further off
    it is more often description than schedule ("the army is on alert after an attack Sunday").

    A possessive expression ("Friday's session is ...") is a determiner, not an adjunct: the verb after it
    belongs to its noun, so only the words before it count."""
    left = [w.lower().replace("’", "'") for w in _WORD.findall(before)]
    for i in range(len(left) - 1, max(-1, len(left) - 1 - reach[0]), -1):
        word = left[i]
        if word in _CLAUSE_BREAKS:
            break
        if word in _COPULAS and len(left) - i > _COPULA_REACH:
            continue
        tense = _word_tense(word, left[max(0, i - 3) : i])
        if tense:
            return tense
    if re.match(r"['’]s\b", after):
        return None
    right = [w.lower().replace("’", "'") for w in _WORD.findall(after)][: reach[1]]
    for i, word in enumerate(right):
        if word in _CLAUSE_BREAKS:
            break
        if word in _PRESENT_WORDS:
            continue
        tense = _word_tense(word, right[max(0, i - 3) : i])
        if tense:
            return tense
    return None
