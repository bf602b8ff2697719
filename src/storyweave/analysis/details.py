"""The parts of one statement: its predicate, its modality and its details, read off the parse.

A statement ("Petro deployed 30,000 soldiers along the border on Sunday") reports an event (deploy) with
details of set roles: a time ("on Sunday", resolved), a place, a quantity (value, what is counted, and a
bound: "more than 600" is not "600"), a duration ("lasting 35 minutes"), a manner or qualifier ("first",
"direct", "by phone") and, for an attributed statement, who said it. Each detail keeps the stretch of text
that carries it, so the fact's core line can be shown without the details only some outlets give.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyweave.analysis.lexicon import (
    COUNT_SYNONYMS,
    HYPOTHETICAL_WORDS,
    MEASURES,
    NAUTICAL_MILE,
    NEGATION_WORDS,
    REPORTING_VERBS,
    VAGUE_UNITS,
    fold,
)
from storyweave.analysis.units import time_expressions_in
from storyweave.model import DetailRole, Modality, TimeExpression, Unit

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.tokens import Doc, Span, Token

# Verbs that carry no event of their own: the event is their object or complement ("held a call",
# "the announcement comes after ...", "made the remarks", "issued a warning", "launched a raid").
LIGHT_VERBS = frozenset(
    [
        "be",
        "have",
        "hold",
        "make",
        "take",
        "give",
        "issue",
        "launch",
        "conduct",
        "carry",
        "stage",
        "come",
        "follow",
        "mark",
        "occur",
        "happen",
        "begin",
        "start",
        "continue",
        "remain",
        "become",
        "get",
        "go",
    ]
)
# Event nouns and the verb they name ("the call", "the raid on Caracas", "sanctions on Petro"). Our own list
# of news events; nouns not here are events only as the object of a light verb.
EVENT_NOUNS: dict[str, str] = {
    **dict.fromkeys(["call", "conversation", "talk", "talks", "chat", "phone"], "talk"),
    **dict.fromkeys(["meeting", "summit", "visit"], "meet"),
    "announcement": "announce",
    **dict.fromkeys(["arrangement", "arrangements", "plan", "plans"], "arrange"),
    "revocation": "revoke",
    **dict.fromkeys(["sanction", "sanctions"], "sanction"),
    **dict.fromkeys(["capture", "arrest", "seizure", "detention"], "capture"),
    "raid": "raid",
    **dict.fromkeys(["strike", "strikes", "attack", "bombing"], "strike"),
    "deployment": "deploy",
    "warning": "warn",
    "threat": "threaten",
    "accusation": "accuse",
    "denial": "deny",
    "agreement": "agree",
    "protest": "protest",
    "election": "elect",
    "death": "die",
    "killing": "kill",
    "decertification": "decertify",
    "invasion": "invade",
    "operation": "operate",
    "earthquake": "quake",
    "quake": "quake",
    "explosion": "explode",
    "resignation": "resign",
}
# Verbs that name one kind of event: two outlets' predicates in one class can be the same event.
PREDICATE_CLASSES: dict[str, str] = {
    **dict.fromkeys(["talk", "speak", "phone", "call", "converse", "chat", "discuss"], "talk"),
    **dict.fromkeys(["meet", "visit", "host"], "meet"),
    **dict.fromkeys(["capture", "seize", "arrest", "detain", "apprehend", "nab", "abduct"], "capture"),
    **dict.fromkeys(["strike", "attack", "bomb", "raid", "hit"], "strike"),
    **dict.fromkeys(["kill", "die", "slay", "murder"], "kill"),
    **dict.fromkeys(["injure", "wound", "hurt"], "injure"),
    **dict.fromkeys(["fall", "plunge", "tumble", "plummet"], "fall"),
    **dict.fromkeys(["warn", "threaten", "caution"], "warn"),
    **dict.fromkeys(["accuse", "label", "brand", "describe", "call", "blame"], "accuse"),
    **dict.fromkeys(["revoke", "cancel", "strip", "withdraw"], "revoke"),
    **dict.fromkeys(["sanction", "impose", "penalize", "penalise"], "sanction"),
    **dict.fromkeys(["deploy", "send", "order", "mobilize", "mobilise", "station"], "deploy"),
    **dict.fromkeys(["deny", "reject", "dismiss", "refute"], "deny"),
    **dict.fromkeys(["announce", "post", "publish", "declare", "reveal", "confirm"], "announce"),
    **dict.fromkeys(["arrange", "organize", "organise", "plan", "schedule", "coordinate"], "arrange"),
    **dict.fromkeys(["agree", "accept", "consent"], "agree"),
    **dict.fromkeys(["quake", "shake", "jolt", "rock"], "quake"),
}
# Qualifiers of an event worth counting on their own ("first", "direct", "in-person"), as adjectives or
# adverbs of the event's words. Our own list; what is not here stays in the core line's words.
QUALIFIERS = frozenset(
    [
        "first",
        "last",
        "second",
        "direct",
        "indirect",
        "surprise",
        "unexpected",
        "brief",
        "lengthy",
        "long",
        "short",
        "private",
        "public",
        "secret",
        "publicly",
        "privately",
        "directly",
        "briefly",
        "personally",
        "formal",
        "informal",
        "emergency",
        "rare",
        "historic",
    ]
)
MANNER_PHRASES = {
    "by phone": "by phone",
    "by telephone": "by phone",
    "telephone": "by phone",
    "phone": "by phone",
    "in person": "in person",
    "in-person": "in person",
    "face-to-face": "in person",
    "video": "by video",
}
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "along", "outside", "inside", "across", "off"})
# Words before a number that bound it: "more than 600" is the interval (600, inf), not 600.
BOUNDS: tuple[tuple[str, str], ...] = (
    ("more than", "more_than"),
    ("over", "more_than"),
    ("upwards of", "more_than"),
    ("in excess of", "more_than"),
    ("at least", "at_least"),
    ("no fewer than", "at_least"),
    ("no less than", "at_least"),
    ("fewer than", "less_than"),
    ("less than", "less_than"),
    ("under", "less_than"),
    ("up to", "at_most"),
    ("as many as", "at_most"),
    ("at most", "at_most"),
    ("nearly", "about"),
    ("almost", "about"),
    ("about", "about"),
    ("around", "about"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("some", "about"),
    ("an estimated", "about"),
    ("estimated", "about"),
)
# Verbs that bound the number they govern ("the toll exceeded 100").
BOUNDING_VERBS = {"exceed": "more_than", "top": "more_than", "surpass": "more_than", "reach": "at_least"}
# Words after a counted thing that say what is measured, so a depth is not compared with a distance and
# "12 miles north of A" not with "3 miles west of B".
FRAME_WORDS = frozenset(
    [
        "deep",
        "high",
        "long",
        "wide",
        "away",
        "tall",
        "old",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northern",
        "southern",
        "eastern",
        "western",
        "from",
        "of",
        "off",
    ]
)
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
    "hundreds": 200,
    "thousands": 2000,
}
SCALE_WORDS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class FoundDetail:
    """A detail as one statement gives it; ``start``/``end`` are offsets into the article's text."""

    role: DetailRole
    value: str
    text: str
    start: int
    end: int
    bound: str | None = None
    number: float | None = None  # quantities and durations: the value as a number
    counted: str | None = None  # quantities: what is counted, with its frame ("miles north of tumaco")
    unit: str | None = None  # a measure's unit as written ("ft"); then ``number`` is in the base unit
    action: str | None = None  # quantities: the class of the event the counted thing is subject or object of


@dataclass(frozen=True)
class Predicate:
    """The event a statement reports: its lemma, class, whether it is a verb or an event noun, its modality,
    the head's offsets, and the outlet's reporting verb when the statement is someone's ("X said ...")."""

    lemma: str
    kind: str
    pos: str
    modality: Modality
    start: int
    end: int
    reported_by: int | None  # offset of the reporting verb, if any
    kinds: frozenset[str] = frozenset()  # classes of every event the statement names, its own first


def _event_kinds(span: Span, main: int) -> frozenset[str]:
    """The classes of every event a statement names: its verbs (but light and reporting ones) and event
    nouns ("The announcement comes shortly after US forces seized Maduro" names an announcement and a
    capture). An event noun that the main verb acts on is what the statement is about, not an event it
    reports: "Petro rejected the accusation" reports a denial, "Rodríguez condemned the raid" a
    condemnation."""
    kinds = set()
    for token in span:
        if token.pos_ == "VERB" and token.lemma_.lower() not in LIGHT_VERBS | REPORTING_VERBS:
            if token.dep_ != "amod":  # "the planned meeting": a participle that describes, not an event
                kinds.add(predicate_class(token.lemma_.lower()))
        elif token.pos_ == "NOUN" and (noun := _event_noun(token)):
            if token.dep_ == "dobj" and token.head.idx == main and token.idx != main:
                continue
            kinds.add(predicate_class(noun))
    return frozenset(kinds)


def unit_span(unit: Unit) -> Span | None:
    doc = unit.article.doc
    return doc.char_span(unit.start, unit.end, alignment_mode="expand") if doc is not None else None


def predicate_class(lemma: str) -> str:
    return PREDICATE_CLASSES.get(lemma, lemma)


def _event_noun(token: Token) -> str | None:
    return EVENT_NOUNS.get(token.lemma_.lower()) or EVENT_NOUNS.get(token.lower_)


def clause_head(span: Span) -> Token:
    """The head of a statement: the verb whose head lies outside it ("and said Rubio would ..." is headed by
    "said", not "and"); where the parser made a noun the root ("Trump confirmed plans ..."), the verb
    nearest the top of the tree."""
    outside = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head is t]
    verbs = [t for t in outside if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")]
    if verbs:
        return verbs[0]
    root = span.root
    if root.pos_ in ("VERB", "AUX") or _event_noun(root):
        return root
    inner = [t for t in span if t.pos_ == "VERB" and t.dep_ not in ("aux", "auxpass", "amod")]
    return min(inner, key=lambda t: len(list(t.ancestors))) if inner else root


def _modality(verb: Token, text: str, reported: bool = False) -> Modality:
    children = list(verb.children)
    if text.rstrip().endswith("?"):
        return "question"
    lowered = {c.lower_ for c in children}
    if lowered & HYPOTHETICAL_WORDS and "have" in lowered:
        return "hypothetical"  # "would not have placed him": what did not happen, whether negated or not
    if any(c.dep_ == "neg" or c.lower_ in NEGATION_WORDS and c.dep_ in ("neg", "advmod") for c in children):
        return "negated"
    # In reported speech "would" is the future seen from the past ("said Rubio would coordinate").
    modal = any(c.lower_ in HYPOTHETICAL_WORDS and not (reported and c.lower_ == "would") for c in children)
    if modal or any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in children):
        return "hypothetical"
    return "asserted"


# Predicates too general to align two statements on their own.
VAGUE_PREDICATES = frozenset({"be", "have", "do", "say", "come", "go", "make", "take", "get", "see", "mark"})


def predicate_head(doc: Doc | None, predicate: Predicate | None) -> Token | None:
    """The token that heads a statement's predicate in its article's parse, None when there is none."""
    if predicate is None or doc is None:
        return None
    span = doc.char_span(predicate.start, predicate.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def shared_subject(verb: Token, through: frozenset[str] = frozenset({"conj"}), skip: int = 0) -> Token | None:
    """The verb's subject, or, for a verb without one, the subject of the verb it hangs on by ``through``
    ("Trump publicly warned Petro … and later described him …": Trump; with "xcomp", "Petro agreed to hold
    …": Petro). A subject before character ``skip`` (a dateline) does not count."""
    token = verb
    while True:
        subject = next(
            (c for c in token.children if c.dep_ in ("nsubj", "nsubjpass") and c.idx >= skip), None
        )
        if subject is not None or token.dep_ not in through or token.head.i == token.i:
            return subject
        token = token.head


def event_word(doc: Doc | None, predicate: Predicate | None) -> Token | None:
    """The token that heads a statement's event, for event coreference; None for no predicate or a vague one
    ("be", "say"), which says nothing about which event a statement reports."""
    if predicate is not None and predicate.lemma in VAGUE_PREDICATES:
        return None
    return predicate_head(doc, predicate)


def find_predicate(unit: Unit) -> Predicate | None:
    """The statement's main event (see :func:`_main_predicate`), with every event class it names."""
    found = _main_predicate(unit)
    span = unit_span(unit)
    if found is None or span is None:
        return found
    return dataclasses.replace(found, kinds=frozenset({found.kind}) | _event_kinds(span, found.start))


def _main_predicate(unit: Unit) -> Predicate | None:
    """The event the statement reports: the main verb, past a reporting verb ("said he spoke ...") and past a
    light verb to its event noun ("held a call", "the announcement comes after ...")."""
    span = unit_span(unit)
    if span is None:
        return None
    head = clause_head(span)
    reported_by: int | None = None
    if head.lemma_.lower() in REPORTING_VERBS:
        inner = next(
            (c for c in head.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")), None
        )
        if inner is not None and span.start <= inner.i < span.end:
            reported_by = head.idx
            head = inner
    modality = _modality(head, unit.text, reported_by is not None)
    if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in LIGHT_VERBS:
        for child in head.children:
            if child.dep_ in ("dobj", "nsubj", "attr", "nsubjpass") and _event_noun(child):
                lemma = _event_noun(child) or child.lemma_.lower()
                return Predicate(
                    lemma,
                    predicate_class(lemma),
                    "NOUN",
                    modality,
                    child.idx,
                    child.idx + len(child.text),
                    reported_by,
                )
        inner = next(
            (c for c in head.children if c.dep_ in ("advcl", "xcomp", "ccomp") and c.pos_ == "VERB"), None
        )
        if inner is not None and span.start <= inner.i < span.end:
            head = inner
    if head.pos_ not in ("VERB", "AUX"):
        noun = _event_noun(head)
        if noun is None:
            return None
        return Predicate(
            noun, predicate_class(noun), "NOUN", modality, head.idx, head.idx + len(head.text), reported_by
        )
    lemma = head.lemma_.lower()
    return Predicate(
        lemma, predicate_class(lemma), "VERB", modality, head.idx, head.idx + len(head.text), reported_by
    )


def _number_value(tokens: Sequence[Token]) -> float | None:
    """ "30,000", "12 000" (a stray space), "two", "1.5 million" as a number."""
    value: float | None = None
    for token in tokens:
        word = token.lower_
        if _DIGITS.match(word):
            digits = float(word.replace(",", ""))
            # "12 000": one figure split in two by a space.
            split = value is not None and len(word) == 3 and value < 1000
            value = value * 1000 + digits if split and value is not None else digits
        elif word in NUMBER_WORDS and value is None:
            value = float(NUMBER_WORDS[word])
        elif word in SCALE_WORDS and value is not None:
            value *= SCALE_WORDS[word]
    return value


def _bound(tokens: Sequence[Token], first: Token) -> str | None:
    doc = first.doc
    before = " ".join(t.lower_ for t in doc[max(0, first.i - 3) : first.i])
    for phrase, bound in BOUNDS:
        if before == phrase or before.endswith(" " + phrase):
            return bound
    governing = first.head.head if first.head.dep_ in ("dobj", "attr") else first.head
    return BOUNDING_VERBS.get(governing.lemma_.lower())


def _bound_start(first: Token) -> int:
    doc = first.doc
    for size in (3, 2, 1):
        words = " ".join(t.lower_ for t in doc[max(0, first.i - size) : first.i])
        if any(words == phrase for phrase, _ in BOUNDS):
            return doc[first.i - size].idx
    return first.idx


def _frame(noun: Token) -> str:
    """What a counted noun measures: "miles north of Tumaco", "km deep"; empty when plain."""
    doc = noun.doc
    nxt = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
    if nxt is None or nxt.lower_ not in FRAME_WORDS or nxt.lower_ == "of":
        return ""  # "residents of Millbrook" count residents; only "north of", "from", "deep" measure
    words = [nxt.lower_]
    if nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ in ("of", "from"):
        place = doc[nxt.i + 2 : nxt.i + 5]
        words += ["of"] + [t.lower_ for t in place if t.pos_ == "PROPN"][:2]
    elif nxt.lower_ in ("from", "off"):
        words += [t.lower_ for t in doc[nxt.i + 1 : nxt.i + 4] if t.pos_ == "PROPN"][:2]
    return " ".join(words)


CURRENCY_SIGNS = frozenset("$£€¥")


def _counted_action(noun: Token) -> str | None:
    """The class of the event whose subject or object the counted thing is: "shooting three co-workers"
    (shoot) and "killing two co-workers" (kill) count different things; "the shooting deaths of two
    co-workers" (kill). None when the words do not tie it to one event ("pirates on two speed boats")."""
    while noun.dep_ in ("compound", "amod") and noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i > noun.i:
        noun = noun.head  # "two co - workers": the workers
    head = noun.head
    if noun.dep_ in ("dobj", "nsubj", "nsubjpass") and head.pos_ == "VERB":
        return predicate_class(head.lemma_.lower())
    if noun.dep_ == "pobj" and head.lower_ == "of" and (event := _event_noun(head.head)):
        return predicate_class(event)
    return None


def _definite(noun: Token) -> bool:
    """ "the two leaders", "their two sons", "both countries": people or things already known, not a count."""
    return any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "another") for c in noun.children)


def _quantities(span: Span, text: str, taken: Sequence[tuple[int, int]]) -> list[FoundDetail]:
    found: list[FoundDetail] = []
    seen: set[int] = set()
    for token in span:
        if token.i in seen or not (
            token.like_num and token.dep_ in ("nummod", "dobj", "pobj", "nsubj", "attr", "conj")
        ):
            continue
        if any(s <= token.idx < e for s, e in taken) or re.fullmatch(r"(1[89]|20)\d\d", token.text):
            continue  # a year or part of a time expression
        doc = span.doc
        if (token.i > 0 and doc[token.i - 1].text in "-–") or (
            token.i + 1 < len(doc) and doc[token.i + 1].text in "-–" and not _hyphened_measure(token)
        ):
            continue  # a score or a range ("88-72", "10-12"), not one figure
        if re.fullmatch(r"0\d+", token.text) and not (token.i > span.start and doc[token.i - 1].like_num):
            continue  # "000": the tail of a figure split by the tokenizer
        run = [token]
        while run[0].i > span.start and span.doc[run[0].i - 1].like_num:
            run.insert(0, span.doc[run[0].i - 1])
        while run[-1].i + 1 < span.end and span.doc[run[-1].i + 1].like_num:
            run.append(span.doc[run[-1].i + 1])
        anchor = token
        if _split_thousands(run[-1], span.end):  # "2, 000 feet": one figure split by a stray space
            run += [doc[run[-1].i + 1], doc[run[-1].i + 2]]
            anchor = run[-1]
        seen.update(t.i for t in run)
        number = _number_value(run)
        if number is None:
            continue
        noun = anchor.head if anchor.dep_ == "nummod" else None
        if noun is None:
            continue
        measure = MEASURES.get(noun.lower_) or MEASURES.get(noun.lemma_.lower())
        # Amounts in two currencies are two figures ("€2 million ($2.6 million)"): the sign is part of what
        # is counted below.
        currency = doc[run[0].i - 1].text if run[0].i > 0 and doc[run[0].i - 1].text in CURRENCY_SIGNS else ""
        if measure is not None and currency:
            measure = None  # "$5m" is five million dollars, not five metres
        if (noun.pos_ != "NOUN" and measure is None) or token.ent_type_ in ("DATE", "TIME"):
            continue
        if _clock_time(noun):
            continue  # "9. 25 a. m.": a time of day written with spaces, not a count
        if number < 3 and not token.is_digit and (number < 2 or _definite(noun)):
            continue  # "the two leaders", "one country": who, not how many ("injured two people" counts)
        word = noun.lemma_.lower() if noun.lower_ not in COUNT_SYNONYMS else noun.lower_
        word = COUNT_SYNONYMS.get(noun.lower_, COUNT_SYNONYMS.get(word, word))
        if noun.i + 2 < len(doc) and doc[noun.i + 1].text == "-" and doc[noun.i + 2].is_alpha:
            word = f"{word}-{doc[noun.i + 2].lemma_.lower()}"  # "co - workers", a hyphen set off by spaces
        if word in VAGUE_UNITS or noun.lower_ in VAGUE_UNITS or not word[:1].isalpha():
            continue  # "five times" counts repetitions, not a thing (the lemma "time" is not "times")
        frame = _frame(noun)
        unit: str | None = None
        value = f"{_format(number)} {word}"
        if measure is not None:  # compared in the measure's base unit: "200 ft" is "about 60 m"
            dimension, size = measure
            if word == "mile" and any(c.lower_ == "nautical" for c in noun.children):
                size, word = NAUTICAL_MILE, "nautical mile"
            power = _power(noun) if dimension == "length" else 1
            if power > 1:  # "170,000-square-foot": an area, in square metres
                dimension = "area" if power == 2 else "volume"
                size, word = size**power, f"{'square' if power == 2 else 'cubic'} {word}"
            unit, value = word, f"{_format(number)} {word}"
            word, number = dimension, number * size
        counted = f"{currency}{word} {frame}".strip()
        bound = _bound(run, run[0])
        start = _bound_start(run[0])
        end = max(noun.idx + len(noun.text), run[-1].idx + len(run[-1].text))
        found.append(
            FoundDetail(
                "quantity",
                value,
                text[start:end],
                start,
                end,
                bound or "exact",
                number,
                counted,
                unit,
                _counted_action(noun),
            )
        )
    return found


def _split_thousands(last: Token, end: int) -> bool:
    """``last`` and the next two tokens are one figure split after its comma: "2, 000" (not "2,000")."""
    doc = last.doc
    if last.i + 2 >= end or last.whitespace_ or not re.fullmatch(r"\d{1,3}", last.text):
        return False
    comma, tail = doc[last.i + 1], doc[last.i + 2]
    return comma.text == "," and bool(comma.whitespace_) and bool(re.fullmatch(r"\d{3}", tail.text))


def _hyphened_measure(number: Token) -> bool:
    """ "170,000-square-foot", "3,000-metre": a measure written as one hyphened word."""
    doc = number.doc
    after = doc[number.i + 2] if number.i + 2 < len(doc) else None
    return after is not None and (after.lower_ in MEASURES or after.lower_ in ("square", "cubic"))


def _power(noun: Token) -> int:
    """2 for a square unit ("square metres", "170,000-square-foot"), 3 for a cubic one, else 1."""
    doc = noun.doc
    before = {t.lower_ for t in doc[max(0, noun.i - 3) : noun.i]}
    return 2 if before & {"square", "sq", "sq."} else 3 if "cubic" in before else 1


def _clock_time(noun: Token) -> bool:
    """ "a. m." / "p. m.": the tokens of a clock time's suffix written with spaces."""
    doc = noun.doc
    return noun.lower_ in ("m.", "m") and noun.i > 0 and doc[noun.i - 1].lower_ in ("a.", "p.")


def _format(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


_DURATION = re.compile(r"^P(?:T)?(\d+(?:\.\d+)?)([YMWDHS])$")
_DURATION_UNITS = {
    ("P", "Y"): "years",
    ("P", "M"): "months",
    ("P", "W"): "weeks",
    ("P", "D"): "days",
    ("PT", "H"): "hours",
    ("PT", "M"): "minutes",
    ("PT", "S"): "seconds",
}


_AGE_TAIL = re.compile(r"\s*-\s*old\b|\s+old\b", re.I)


def _age_expression(text: str, expression: TimeExpression) -> bool:
    """ "36 - year" of "36 - year - old": an age, which ``_ages`` reads, not a duration."""
    return bool(_AGE_TAIL.match(text, expression.end))


def _ages(span: Span, text: str) -> list[FoundDetail]:
    """The ages of the named people the statement describes: "36-year-old Duncan Rait", "Robert Buckley,
    31,". Each is counted as the age of that name as written, so two outlets' ages of one person can be
    compared and two people's never are (a mother and a son share a surname); an unnamed "a 63-year-old
    woman" is left out (which woman is unknown)."""
    found: list[FoundDetail] = []
    doc = span.doc
    for token in span:
        if not (token.is_digit and 0 < int(token.text) < 120):
            continue
        person, end = None, token.idx + len(token.text)
        year = token.head
        if token.dep_ == "nummod" and year.lower_ == "year" and year.head.lower_ == "old":
            person, end = year.head.head, year.head.idx + len(year.head.text)
        elif token.dep_ == "appos" and 0 < token.i < len(doc) - 1 and doc[token.i - 1].text == ",":
            person = token.head if doc[token.i + 1].is_punct else None
        while person is not None and person.dep_ == "compound" and person.head.pos_ == "PROPN":
            person = person.head  # "32-year-old Englishman Robert Buckley": the age is Buckley's
        if person is None or person.pos_ != "PROPN" or person.ent_type_ not in ("PERSON", ""):
            continue
        age = int(token.text)
        found.append(
            FoundDetail(
                "quantity",
                f"{age} years old",
                text[token.idx : end],
                token.idx,
                end,
                "exact",
                float(age),
                f"age of {_full_name(person)}",
            )
        )
    return found


def _full_name(person: Token) -> str:
    """The name a person's head token ends ("Catherine Gomes", not "Gomes": her son is Gary Gomes)."""
    names = [c for c in person.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < person.i]
    return " ".join(t.lower_ for t in [*names, person])


def _duration(expression: TimeExpression) -> FoundDetail | None:
    value = expression.value or ""
    match = _DURATION.match(value)
    if match is None:
        return None
    prefix = "PT" if value.startswith("PT") else "P"
    unit = _DURATION_UNITS.get((prefix, match[2]))
    if unit is None:
        return None
    number = float(match[1])
    lowered = expression.text.lower()
    bound = next((b for phrase, b in BOUNDS if lowered.startswith(phrase + " ")), "exact")
    return FoundDetail(
        "duration",
        f"{_format(number)} {unit}",
        expression.text,
        expression.start,
        expression.end,
        bound,
        number,
        unit,
    )


def _manner(span: Span, text: str) -> list[FoundDetail]:
    found: list[FoundDetail] = []
    for token in span:
        word = token.lower_
        if word in QUALIFIERS and token.dep_ in ("amod", "advmod") and not token.is_title:
            found.append(FoundDetail("manner", word, token.text, token.idx, token.idx + len(token.text)))
    lowered = text[span.start_char : span.end_char].lower()
    for phrase, value in MANNER_PHRASES.items():
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", lowered):
            start = span.start_char + match.start()
            if any(d.start <= start < d.end or (d.value == value) for d in found):
                continue
            found.append(
                FoundDetail(
                    "manner",
                    value,
                    text[start : span.start_char + match.end()],
                    start,
                    span.start_char + match.end(),
                )
            )
    return found


def _places(span: Span, text: str, place_names: Mapping[int, str]) -> list[FoundDetail]:
    found: list[FoundDetail] = []
    for token in span:
        name = place_names.get(token.idx)
        if name is None or token.dep_ != "pobj" or token.head.lower_ not in PLACE_PREPOSITIONS:
            continue
        end = token.right_edge.idx + len(token.right_edge.text)
        found.append(FoundDetail("place", fold(name), text[token.head.idx : end], token.head.idx, end))
    return found


def _placeable(value: str | None) -> bool:
    """A time a reader can place: a calendar value, or a plan ("in the future"); "recently" is not."""
    return value is not None and (value[:1].isdigit() or value == "FUTURE_REF")


def statement_details(
    unit: Unit,
    dates: Mapping[str, Sequence[TimeExpression]],
    place_names: Mapping[int, str],
    source: str | None,
) -> list[FoundDetail]:
    """Every detail of one statement. ``place_names`` maps the offset of each place-entity token of the
    unit's article to the entity's name; ``source`` is whom the statement is attributed to, if anyone."""
    span = unit_span(unit)
    if span is None:
        return []
    found: list[FoundDetail] = []
    taken: list[tuple[int, int]] = []
    found.extend(_ages(span, unit.article.text))
    for expression in time_expressions_in(unit, dates):
        taken.append((expression.start, expression.end))
        if expression.type == "DURATION" and not _age_expression(unit.article.text, expression):
            duration = _duration(expression)
            if duration is not None:
                found.append(duration)
        elif expression.type in ("DATE", "TIME") and expression.value and _placeable(expression.value):
            found.append(
                FoundDetail("time", expression.value, expression.text, expression.start, expression.end)
            )
    # The article's text, which the parse was made of: Doc.text joins every token again on each call.
    text = unit.article.text
    found.extend(_quantities(span, text, taken))
    found.extend(_manner(span, text))
    found.extend(_places(span, text, place_names))
    if source:
        found.append(FoundDetail("said", fold(source), source, -1, -1))
    return found


def removable_span(unit: Unit, detail: FoundDetail, keep: tuple[int, int] | None) -> tuple[int, int] | None:
    """The stretch of the statement that goes with a detail: "on Wednesday", ", lasting 35 minutes", "first".

    Climbs from the detail's words to the largest phrase that holds nothing else the line needs (never the
    predicate ``keep``); None when the detail's words cannot be cut out cleanly.
    """
    span = unit_span(unit)
    if span is None or detail.start < 0:
        return None
    doc = span.doc
    inside = [t for t in span if detail.start <= t.idx < detail.end]
    if not inside:
        return None
    top = min(inside, key=lambda t: len(list(t.ancestors)))
    while top.head is not top and top.dep_ in ("pobj", "nummod", "npadvmod", "dobj", "prep", "quantmod"):
        parent = top.head
        if not (span.start <= parent.i < span.end) or parent.dep_ == "ROOT":
            break
        if keep is not None and any(keep[0] <= t.idx < keep[1] for t in parent.subtree):
            break
        if parent.pos_ in ("NOUN", "PROPN") and top.dep_ not in ("prep",):
            break
        top = parent
        if top.dep_ in ("acl", "advcl", "prep", "npadvmod"):
            break
    # "lasting 35 minutes": the participle that only carries the detail goes with it.
    if top.dep_ == "dobj" and top.head.dep_ in ("acl", "advcl") and top.head.tag_ == "VBG":
        top = top.head
    left, right = top.left_edge, top.right_edge
    if left.i < span.start or right.i >= span.end:
        return None
    if keep is not None and left.idx <= keep[0] < right.idx + len(right.text):
        return None
    start, end = left.idx, right.idx + len(right.text)
    if left.i > span.start and doc[left.i - 1].text == ",":
        start = doc[left.i - 1].idx
    return start, end
