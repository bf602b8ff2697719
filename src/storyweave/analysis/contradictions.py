"""Contradictions: conflicting values of one detail of one fact, and differing wordings of one quote.

Precision first: a reader who sees two false contradictions stops trusting the tool. A number conflict
needs one fact, one role and one counted thing measured the same way ("35 minutes" vs "45 minutes"; a
depth is not a distance, "north of A" not "west of B"), and intervals that do not meet: "more than 640"
and "more than 600" agree; a running count ("after 12 days") moves with the publication day. A date
conflict needs two resolved dates of one statement whose ranges do not overlap ("last month" vs "earlier
this week"); "Sunday" and "the weekend" agree. Negation and attribution are looked for between two
statements of one fact close enough to be the same statement. Each conflict is listed once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyweave.analysis.alignment import quote_keys
from storyweave.analysis.calendar import date_range
from storyweave.analysis.details import FoundDetail, predicate_head
from storyweave.analysis.lexicon import NEGATION_WORDS, fold_words
from storyweave.model import (
    Article,
    Contradiction,
    ContradictionKind,
    Fact,
    Quote,
    QuoteVariant,
    Side,
    StatementKey,
    Unit,
    stable_id,
)

if TYPE_CHECKING:
    from storyweave.analysis.facts import DraftFacts, StatementParts

# Two statements of one fact contradict on a date, a negation or a source only if they quote the same
# remark or are at least this close: a fact groups statements more loosely than that. Chosen on the
# labelled ECB+ development sub-topics (python bench/contradictions.py) and the seeds.
SAME_STATEMENT_COSINE = 0.75
# Words that make a figure a running total rather than the event's own ("in their five operations so far").
# So are a season's or a career's statistics and a part of a whole ("his first 17 passes", "28 of 41 passes"):
# outlets give them over different spans (ECB+ train topics, python bench/contradictions.py --topics train).
CUMULATIVE = re.compile(
    r"\b(?:so far|to date|in all|in total|altogether|overall|cumulative(?:ly)?|a total of|total|combined"
    r"|season|career|all-time|record)\b"
    r"|\b(?:first|last) (?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty)\b"
    r"|\b\d[\d,.]* of (?:his |her |their |its |the )?\d"
    # A count gathered over a span ("since the shooting, over 50 arrests … over four nights"): a total.
    r"|\bsince\b|\b(?:over|across|during|in) (?:the (?:past|last) )?(?:\d+|two|three|four|five|six|seven"
    r"|eight|nine|ten|several|many) (?:days|nights|weeks|months|years)\b",
    re.I,
)
# "about 35" covers 35 give or take this share.
ABOUT_SHARE = 0.1
# A measure given in two units agrees within this share: outlets round what they convert ("193 km" for
# "120 miles" is 0.06 % off, "60 m" for "200 ft" 1.6 %, "24 km" for "15 miles" 0.6 %); "200 m" against
# "200 ft" is 228 % apart. ECB+ development sub-topics (python bench/contradictions.py).
CONVERSION_SHARE = 0.05


@dataclass(frozen=True)
class _Evidence:
    """What the checks of one story read besides a fact's statements."""

    parts: Mapping[StatementKey, StatementParts]
    quoted: Mapping[StatementKey, set[str]]  # the quotes (ids) each statement carries
    wordings: Mapping[StatementKey, set[str]]  # the quoted words in each statement, whoever spoke them


def _overlapping(a: str, b: str) -> bool:
    range_a, range_b = date_range(a), date_range(b)
    if range_a is None or range_b is None:
        return True
    return range_a[0] <= range_b[1] and range_b[0] <= range_a[1]


Interval = tuple[float, float, bool, bool]  # low, high, low included, high included


def interval(number: float, bound: str | None) -> Interval:
    """The values a bounded figure allows: "more than 600" is (600, inf), "about 35" [31.5, 38.5]."""
    inf = float("inf")
    match bound:
        case "more_than":
            return number, inf, False, True
        case "at_least":
            return number, inf, True, True
        case "less_than":
            return 0.0, number, True, False
        case "at_most":
            return 0.0, number, True, True
        case "about":
            return number * (1 - ABOUT_SHARE), number * (1 + ABOUT_SHARE), True, True
    return number, number, True, True


def intervals_meet(a: Interval, b: Interval) -> bool:
    low, low_in = (a[0], a[2]) if a[0] > b[0] or (a[0] == b[0] and not a[2]) else (b[0], b[2])
    high, high_in = (a[1], a[3]) if a[1] < b[1] or (a[1] == b[1] and not a[3]) else (b[1], b[3])
    return low < high or (low == high and low_in and high_in)


def _days_apart(a: Article, b: Article) -> int:
    try:
        return abs(
            (
                dt.date.fromisoformat((a.published or "")[:10])
                - dt.date.fromisoformat((b.published or "")[:10])
            ).days
        )
    except ValueError:
        return 0


def _figures_agree(a: FoundDetail, b: FoundDetail, days_apart: int) -> bool:
    if a.number is None or b.number is None:
        return True
    ia, ib = interval(a.number, a.bound), interval(b.number, b.bound)
    if a.unit != b.unit:  # "24 km" and "15 miles": one figure, rounded when converted by the outlet
        ia = (ia[0] * (1 - CONVERSION_SHARE), ia[1] * (1 + CONVERSION_SHARE), True, True)
    if a.role == "duration" and a.counted == "days" and days_apart:
        # A running count ("the 11th day", "after 12 days") grows with the publication day.
        ia = (ia[0] - days_apart, ia[1] + days_apart, True, True)
    return intervals_meet(ia, ib)


def _side(unit: Unit, detail: FoundDetail | None, value: str) -> Side:
    if detail is not None and detail.start >= 0:
        return Side(unit.article.id, unit.text, value, detail.start, detail.end)
    return Side(unit.article.id, unit.text, value, unit.start, unit.end)


def _contradiction(
    kind: ContradictionKind, fact: Fact, detail: str | None, sides: list[Side], explanation: str
) -> Contradiction:
    values = sorted(f"{s.article}={s.value}" for s in sides)
    return Contradiction(
        id=stable_id("x-", fact.id, kind, detail or "", *values, length=12),
        kind=kind,
        fact=fact.id,
        detail=detail,
        sides=sides,
        explanation=explanation,
    )


def _detail_id(fact: Fact, role: str, value: str) -> str | None:
    return next((d.id for d in fact.details if d.role == role and d.value == value), None)


def _figures(unit: Unit, parts: StatementParts) -> dict[tuple[str, str | None], FoundDetail]:
    """The statement's one figure per (role, counted thing). A statement that gives two figures of one thing
    ("12 Somali and 11 Yemeni pirates", "Miller 15.5 points, Iguodala 14.9 points") or a running total
    ("so far", "in all") is not compared: which figure answers which, the words do not say."""
    if CUMULATIVE.search(unit.text):
        return {}
    found: dict[tuple[str, str | None], list[FoundDetail]] = defaultdict(list)
    for detail in parts.details:
        if detail.role in ("quantity", "duration") and detail.number is not None:
            found[(detail.role, detail.counted)].append(detail)
    return {key: details[0] for key, details in found.items() if len({d.number for d in details}) == 1}


def _subject(unit: Unit, parts: StatementParts) -> str | None:
    """Who does the statement's event: a folded last name ("Garrard completed 28 passes": garrard), "" for
    a common noun or an event without a verb ("a 36-year-old man died", "the call"), None when the words do
    not say (a pronoun, or a clause whose subject is another clause's: "and caught 29 passes")."""
    doc, predicate = unit.article.doc, parts.predicate
    if doc is None or predicate is None or predicate.pos != "VERB":
        return ""
    head = predicate_head(doc, predicate)
    if head is None:
        return ""
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if subject is None:
        return None if head.dep_ == "conj" else ""
    if subject.pos_ == "PRON":
        return None
    return fold_words(subject.text) if subject.pos_ == "PROPN" else ""


def _dates(parts: StatementParts) -> list[FoundDetail]:
    """The statement's time details that resolve to a date range."""
    return [d for d in parts.details if d.role == "time" and date_range(d.value)]


def _one_occasion(a: Unit, b: Unit, evidence: _Evidence) -> bool:
    """Whether two statements of a fact can be figures of one occasion: not two named people's ("Garrard
    completed 28 passes for 329 yards" / "Manning completed 29 passes for 364 yards": one kind of event,
    two players) nor one whose doer the statement leaves to a pronoun ("He finished with 269 yards"), and
    not on dates that cannot meet ("a 6.1 quake in September" / "a 5.6 quake on Sunday")."""
    parts_a, parts_b = evidence.parts[a.key], evidence.parts[b.key]
    subject_a, subject_b = _subject(a, parts_a), _subject(b, parts_b)
    if subject_a is None or subject_b is None or (subject_a and subject_b and subject_a != subject_b):
        return False
    times_a, times_b = _dates(parts_a), _dates(parts_b)
    return not (times_a and times_b) or any(_overlapping(x.value, y.value) for x in times_a for y in times_b)


def _number_conflicts(fact: Fact, units: Sequence[Unit], evidence: _Evidence) -> list[Contradiction]:
    """One contradiction per counted thing of the fact whose outlets' figures cannot all be true, with one
    side per outlet that gives a figure of it."""
    by_thing: dict[tuple[str, str | None], list[tuple[Unit, FoundDetail]]] = defaultdict(list)
    for unit in units:
        for key, detail in _figures(unit, evidence.parts[unit.key]).items():
            if all(u.article.id != unit.article.id for u, _ in by_thing[key]):
                by_thing[key].append((unit, detail))
    found: list[Contradiction] = []
    for (role, counted), given in sorted(by_thing.items(), key=lambda item: str(item[0])):
        conflict = any(
            not _figures_agree(da, db, _days_apart(a.article, b.article))
            and da.value not in fold_words(b.text)
            and db.value not in fold_words(a.text)  # an outlet that gives both figures disputes nothing
            and (da.action is None or db.action is None or da.action == db.action)  # killed vs shot
            and _one_occasion(a, b, evidence)
            for i, (a, da) in enumerate(given)
            for b, db in given[i + 1 :]
        )
        if not conflict:
            continue
        thing = "length" if role == "duration" else counted
        figures = "; ".join(f"{u.article.label}: “{d.text}”" for u, d in given)
        explanation = f"Outlets give different figures for the same {thing} — {figures}."
        sides = [_side(u, d, d.text) for u, d in given]
        first = given[0][1]
        found.append(
            _contradiction("number", fact, _detail_id(fact, first.role, first.value), sides, explanation)
        )
    return found


def _same_statement(a: Unit, b: Unit, quoted: Mapping[StatementKey, set[str]]) -> bool:
    """Stricter than fact alignment: they quote the same remark, or say nearly the same thing."""
    if quoted.get(a.key, set()) & quoted.get(b.key, set()):
        return True
    return (
        a.vector is not None and b.vector is not None and float(a.vector @ b.vector) >= SAME_STATEMENT_COSINE
    )


def _date_conflicts(fact: Fact, units: Sequence[Unit], evidence: _Evidence) -> list[Contradiction]:
    dated = [(u, ds) for u in units if (ds := _dates(evidence.parts[u.key]))]
    for i, (a, dates_a) in enumerate(dated):
        for b, dates_b in dated[i + 1 :]:
            if a.article.id == b.article.id:
                continue
            # A statement with several dates agrees with another if any of its dates overlaps any other's.
            if any(_overlapping(x.value, y.value) for x in dates_a for y in dates_b):
                continue
            if not _same_statement(a, b, evidence.quoted):
                continue
            da, db = dates_a[0], dates_b[0]
            explanation = (
                f"{a.article.label} dates this “{da.text}” ({da.value}), "
                f"{b.article.label} “{db.text}” ({db.value})."
            )
            sides = [_side(a, da, da.value), _side(b, db, db.value)]
            return [_contradiction("date", fact, _detail_id(fact, "time", da.value), sides, explanation)]
    return []


def _negation_conflicts(fact: Fact, units: Sequence[Unit], evidence: _Evidence) -> list[Contradiction]:
    """One outlet says it happened, another that it did not: the same predicate, negated on one side only."""
    for i, a in enumerate(units):
        for b in units[i + 1 :]:
            pa, pb = evidence.parts[a.key].predicate, evidence.parts[b.key].predicate
            if a.article.id == b.article.id or pa is None or pb is None or pa.lemma != pb.lemma:
                continue
            negated = {pa.modality == "negated", pb.modality == "negated"}
            if negated != {True, False} or not _same_statement(a, b, evidence.quoted):
                continue
            # "I didn't feel we were executing" and "I feel we weren't executing" deny alike: a side that
            # says it happened must carry no negation at all.
            if _has_negation(a) and _has_negation(b):
                continue
            yes, no = (a, b) if pb.modality == "negated" else (b, a)
            verb = pa.lemma
            explanation = (
                f"{yes.article.label} says it happened (“{verb}”), {no.article.label} says it did not."
            )
            sides = [_side(yes, None, verb), _side(no, None, f"not {verb}")]
            return [_contradiction("negation", fact, None, sides, explanation)]
    return []


def _quoted_wordings(units: Sequence[Unit], quotes: Sequence[Quote]) -> dict[StatementKey, set[str]]:
    """The quoted words inside each statement, whoever the outlet says spoke them."""
    found: dict[StatementKey, set[str]] = defaultdict(set)
    for quote in quotes:
        for variant in quote.variants:
            for unit in units:
                if unit.article.id == variant.article and unit.start <= variant.start < unit.end:
                    found[unit.key].add(fold_words(variant.text))
    return found


def _has_negation(unit: Unit) -> bool:
    # "didn't", "didn’t", "didn’ t" (a tokenizer's split): the same negation.
    words = fold_words(re.sub(r"n['’]\s?t\b", " not", unit.text)).split()
    return any(w in NEGATION_WORDS for w in words)


# Words an acronym leaves out ("Federal Bureau of Investigation" -> FBI).
_ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "on", "in"})


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word not in _ACRONYM_SKIPS)


def same_source(a: str, b: str) -> bool:
    """Whether two folded source names name one source: "Gustavo Petro" and "Petro" (a shared name word),
    "chp" and "california highway patrol" (one is the other's acronym)."""
    if set(a.split()) & set(b.split()):
        return True
    return any(
        " " not in short and len(short) >= 2 and short == _initials(full) for short, full in ((a, b), (b, a))
    )


def _named_in(said: FoundDetail, unit: Unit) -> bool:
    """The speaker is a person's full name ("Jack Ketsoyan") that the statement itself writes."""
    words = said.text.split()
    full_name = len(words) >= 2 and all(w[:1].isupper() for w in words) and words[0].lower() != "the"
    return full_name and words[-1].lower() in fold_words(unit.text).split()


def _attribution_conflicts(fact: Fact, units: Sequence[Unit], evidence: _Evidence) -> list[Contradiction]:
    """The same statement put in different people's mouths ("Petro said" vs "Rubio said")."""
    said = [(u, d) for u in units for d in evidence.parts[u.key].details if d.role == "said"]
    for i, (a, da) in enumerate(said):
        for b, db in said[i + 1 :]:
            if a.article.id == b.article.id or same_source(da.value, db.value):
                continue
            # Only two people each named in the outlet's own statement dispute who said it: a pronoun's
            # speaker is the resolver's guess ("he said"), and "authorities", "the governor" or "the
            # company" may well speak through the named spokesman the other outlet quotes.
            if not (_named_in(da, a) and _named_in(db, b)):
                continue
            # Each outlet may name the other speaker too ("Rubio said Petro …"): then it is no dispute.
            if db.value.split()[-1] in fold_words(a.text) or da.value.split()[-1] in fold_words(b.text):
                continue
            # Several people may well say one thing ("police said", "the sheriff said"); only the same
            # quoted words put in two people's mouths are a dispute.
            if not evidence.wordings.get(a.key, set()) & evidence.wordings.get(b.key, set()):
                continue
            explanation = f"{a.article.label} attributes this to {da.text}, {b.article.label} to {db.text}."
            sides = [_side(a, None, da.text), _side(b, None, db.text)]
            return [
                _contradiction("attribution", fact, _detail_id(fact, "said", da.value), sides, explanation)
            ]
    return []


def _excerpt(short: str, full: str) -> bool:
    """``short`` is a run of ``full``'s words (and not the same wording)."""
    return short != full and f" {short} " in f" {full} "


def _fact_of_variant(facts: Sequence[Fact], article: str, start: int) -> str | None:
    return next(
        (f.id for f in facts for s in f.support if s.article == article and s.start <= start < s.end), None
    )


def _quote_conflicts(
    quotes: Sequence[Quote], facts: Sequence[Fact], articles: Mapping[str, Article]
) -> list[Contradiction]:
    found = []
    for quote in quotes:
        if not quote.wording_differs or quote.indirect:
            continue
        fact_id: str | None = None
        longest: dict[str, QuoteVariant] = {}
        for variant in quote.variants:
            fact_id = fact_id or _fact_of_variant(facts, variant.article, variant.start)
            # One wording per outlet, its fullest: outlets disagree, not an outlet's own sentences.
            kept = longest.get(variant.article)
            if kept is None or len(fold_words(variant.text)) > len(fold_words(kept.text)):
                longest[variant.article] = variant
        keys = {article: fold_words(v.text) for article, v in longest.items()}
        # An outlet that quotes fewer of the same words ("sick man" of "sick man who likes …") words
        # nothing differently: only wordings that are no excerpt of another outlet's can disagree.
        sides = [
            Side(article=v.article, text=v.text, value=v.text, start=v.start, end=v.end)
            for article, v in longest.items()
            if not any(other != article and _excerpt(keys[article], keys[other]) for other in keys)
        ]
        if len({fold_words(s.value) for s in sides}) < 2:
            continue
        speaker = quote.speaker.name or "An unnamed speaker"
        outlets = "; ".join(
            f"{articles[s.article].label}: “{s.value}”" for s in sides if s.article in articles
        )
        found.append(
            Contradiction(
                id=stable_id("x-", quote.id, "quote_wording", length=12),
                kind="quote_wording",
                fact=fact_id,
                detail=None,
                sides=sides,
                explanation=f"Outlets quote {speaker} in different words — {outlets}.",
            )
        )
    return found


_Check = Callable[[Fact, Sequence[Unit], _Evidence], list[Contradiction]]
# Each kind of conflict between the statements of one fact, in the order the report lists them.
_CHECKS: tuple[_Check, ...] = (
    _number_conflicts,
    _date_conflicts,
    _negation_conflicts,
    _attribution_conflicts,
)


def find_contradictions(
    drafts: DraftFacts, quotes: Sequence[Quote], articles: Sequence[Article]
) -> list[Contradiction]:
    """Every contradiction of the story, each once, in the order of the facts they belong to."""
    found: dict[str, Contradiction] = {}
    all_units = [u for f in drafts.facts for u in drafts.groups[f.id].units]
    evidence = _Evidence(drafts.parts, quote_keys(all_units, quotes), _quoted_wordings(all_units, quotes))
    for fact in drafts.facts:
        units = drafts.units(fact)
        if len({u.article.id for u in units}) < 2:
            continue
        for check in _CHECKS:
            for contradiction in check(fact, units, evidence):
                found.setdefault(contradiction.id, contradiction)
    for contradiction in _quote_conflicts(quotes, drafts.facts, {a.id: a for a in articles}):
        found.setdefault(contradiction.id, contradiction)
    return list(found.values())
