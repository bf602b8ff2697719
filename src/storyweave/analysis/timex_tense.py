"""The tense of the clause around a time expression: it decides whether "Monday" is the last or the next.

A bare weekday or month is resolved by the tense of the verb that governs it ("met Monday" is the last
Monday, "will meet Monday" and "meet separately Monday" the next). The verb is found by walking from the
expression to the nearest tense-bearing word of its clause: leftwards first, since English puts the verb
before its time adjunct, then rightwards for fronted adjuncts ("On Tuesday, the council voted ...").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

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


# --------------------------------------------------------------------------- the parser's tense
# spaCy's parse gives each verb its tense (token.morph Tense=Past, VerbForm=Part, a "will" auxiliary), read
# here from the verb that governs the expression in the parse. The word lists above score better, so they
# stay the product's tense: `python bench/timex.py --data ../shared/datasets/tempeval3/Training --split dev
# --no-baseline --tense T` gives value F1 0.8176 with T=words (the default), 0.8120 with T=parse and 0.8112
# with T=parse+words (the parse, the word lists where it shows no tense); the parse also costs a spaCy run
# per text. Kept so the comparison can be repeated when the model or the rules change.
_PLAN_LEMMAS = _INTENT_BEFORE_TO | {"plan", "intend", "hope", "aim", "want", "expect", "schedule", "agree"}


def parse_tense(doc: Doc, start: int, end: int) -> str | None:
    """The tense ("past" or "future") of the verb governing the characters [start, end) in a spaCy parse of
    the same text; None when the expression has no verb above it or the verb shows no tense."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = span.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    return _verb_tense(verb)


def _verb_tense(verb: Token) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lemmas = {a.lemma_.lower() for a in auxes}
    if lemmas & {"will", "shall", "'ll"}:
        return "future"
    if any(a.tag_ == "TO" for a in auxes) or verb.tag_ == "VB" and not auxes:
        # An infinitive: its tense is that of the verb it completes, a plan when that verb announces one.
        head = verb.head
        if head.i == verb.i:
            return None
        if head.lemma_.lower() in _PLAN_LEMMAS or head.lower_ in _INTENT_BEFORE_TO:
            return "past" if "had" in {c.lower_ for c in head.children} else "future"
        return _verb_tense(head)
    if "have" in lemmas and any(a.morph.get("Tense", []) == ["Past"] for a in auxes):
        return "past"  # pluperfect
    if any(a.morph.get("Tense", []) == ["Past"] for a in auxes):
        return "past"
    if any(a.morph.get("Tense", []) == ["Pres"] for a in auxes):
        return "future" if verb.tag_ in ("VBN", "VBG") else None
    tense = verb.morph.get("Tense", [])
    if tense == ["Past"]:
        return "past"
    if tense == ["Pres"] and verb.tag_ in ("VBZ", "VBP"):
        return "future" if verb.lemma_.lower() in _PRESENT_WORDS or verb.lower_ in _PRESENT_WORDS else None
    return None
