"""The word lists and text folding every analysis shares, each defined once.

Speech verbs decide what a quote's cue is, who an attributed statement belongs to, whether an outlet
attributes at all (quality) and which verb of a sentence is the saying rather than the event (facts,
events, contradictions); negation words decide a negated event for facts, contradictions and the
same-fact decision. Keeping one list per decision means tuning one place changes every analysis
alike. Nothing here imports spaCy, so the store and the read-only commands can use it for free.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lemmas of verbs that introduce or frame someone's words. "call", "name", "label", "describe",
# "refer", "brand", "dub" and "term" frame a partial quote ('calling Colombia a “sick man”').
SPEECH_VERBS = _words(
    "say write tell state warn add describe call label name brand dub term refer accuse explain respond "
    "reply announce note claim insist declare suggest argue urge caution post tweet deny vow promise "
    "threaten comment denounce condemn praise criticize criticise confirm predict stress emphasise "
    "emphasize acknowledge admit recall complain question ask answer testify proclaim pledge boast "
    "mock slam blast lash dismiss decry hail quip joke muse concede agree report observe assert allege "
    "charge remark shout chant exclaim continue conclude yell scream interject"
)
# Speech verbs that also have a common non-speech sense ("Petro called to explain", "named as a suspect"):
# they count only when the quote is their object or complement, not a clause hanging off them.
AMBIGUOUS_SPEECH_VERBS = _words(
    "call name label brand dub term refer ask note add report charge answer continue"
)
# Verbs that report what someone thinks or found rather than said; they introduce indirect attributions
# ("Clinton believes that ...") but never a direct quote. PolNeAR annotates these as attributions.
BELIEF_VERBS = _words("believe think feel know expect hope fear worry estimate find show indicate signal")
# Ambiguous speech verbs that frame a whole quoted clause as well ("“...,” he adds", "“...,” Viguerie notes").
CLAUSE_SPEECH_VERBS = _words("add note report answer ask continue")
# Nouns that mark reported words when no speech verb governs the quote.
SPEECH_NOUNS = _words(
    "statement post tweet message chant chants slogan remarks remark comments comment words speech "
    "interview letter communique communiqué"
)
# The speech verbs that only pass someone's words on: in "Trump said he spoke with Petro" the fact is the
# call, told by Trump, not the saying. Verbs with an act of their own (accuse, warn, deny) are left out.
REPORTING_VERBS = _words("say tell confirm announce state report add write note explain declare")
# Verbs and adverbs by which an outlet passes a claim on without asserting it ("X alleged", "reportedly");
# the stance model's own cue lists (modal hedges, refutations) are in stance_cues.
DISTANCING_VERBS = _words("allege claim accuse suggest speculate rumor rumour purport")
DISTANCING_WORDS = _words("reportedly allegedly purportedly apparently supposedly unconfirmed unverified")

# Words that negate a statement ("did not accept", "no family", "nobody", "never", "without").
NEGATION_WORDS = _words("not n't no never nobody nothing none neither nor without")
# Modal verbs that make a statement hypothetical rather than something that happened.
HYPOTHETICAL_WORDS = frozenset({"would", "could", "might", "may", "should"})

# A short list of English function words, so overlap counts the words that carry content (the same-fact
# model's features were fitted with it: bench/same_fact.py --fit). Not grouping's stop list, which is
# spaCy's longer one (nlp/stopwords.py), for TF-IDF over whole reports.
FUNCTION_WORDS = _words(
    "a about after also an and are as at be been before being but by can could did do does for from had has "
    "have he her here him his i if in into is it it's its just may me might more most must my no not of on "
    "or our out over said say says shall she should so such than that the their them then there these they "
    "this those to told up us very was we were what when where which while who whom will with would you your"
)

# Words after a number that do not say what is counted ("23 and", "100 of", "at least 23" vs "100").
VAGUE_UNITS = _words("of and to in on at per a the or times more than percent %") | {""}
# Words for the same counted thing, so "1,200 people" and "2,000 residents" compare.
COUNT_SYNONYMS = {
    "residents": "people",
    "persons": "people",
    "inhabitants": "people",
    "villagers": "people",
    "civilians": "people",
    "person": "people",
    "individuals": "people",
    "minute": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
    "troops": "soldiers",
    "soldier": "soldiers",
}

# Units a measured figure may be given in: what each measures and its size in that measure's base unit
# (metres; metres a second), so "200 ft" and "60 m" are one distance and "200 m" another. A nautical mile
# ("150 nautical miles") is NAUTICAL_MILE metres.
_LENGTHS = {
    "m": 1.0,
    "metre": 1.0,
    "meter": 1.0,
    "km": 1000.0,
    "kms": 1000.0,
    "kilometre": 1000.0,
    "kilometer": 1000.0,
    "cm": 0.01,
    "centimetre": 0.01,
    "centimeter": 0.01,
    "mile": 1609.344,
    "ft": 0.3048,
    "foot": 0.3048,
    "feet": 0.3048,
    "yard": 0.9144,
    "yd": 0.9144,
    "inch": 0.0254,
}
_SPEEDS = {"mph": 0.44704, "kph": 1 / 3.6, "km/h": 1 / 3.6, "kmh": 1 / 3.6, "knot": 1852 / 3600}
MEASURES: dict[str, tuple[str, float]] = {
    **{unit: ("length", size) for unit, size in _LENGTHS.items()},
    **{unit: ("speed", size) for unit, size in _SPEEDS.items()},
}
NAUTICAL_MILE = 1852.0

# Personal pronouns that stand for a person named earlier ("he said").
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})


# The folds are pure and the analyses fold the same names and sentences over and over (quotes, stances,
# attribution: 80,000 calls for 150 PolNeAR stories), so each process remembers the latest ones.
FOLD_CACHE = 1 << 15


@lru_cache(maxsize=FOLD_CACHE)
def fold(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name: "Nicolás  Maduro" and "nicolas maduro" are one."""
    if not text.isascii():  # ASCII has nothing to decompose
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


@lru_cache(maxsize=FOLD_CACHE)
def fold_words(text: str) -> str:
    """``fold`` with punctuation and possessive marks dropped too: the form two wordings are compared in
    ("Sounds good." and "sounds good" are one wording)."""
    folded = fold(text.replace("’", "'").replace("‘", "'"))
    folded = re.sub(r"'s\b", "s", folded)
    return " ".join(re.findall(r"[^\W_]+", folded))
