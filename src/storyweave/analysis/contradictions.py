"""Contradictions: where outlets reporting the same fact give different numbers, dates, speakers or wordings.

Precision first: a reader who sees two false contradictions stops trusting the tool. So a number
contradiction needs the same fact (one claim group) and the same unit ("35 minutes" vs "45
minutes"), and a date contradiction needs two resolved dates of the same fact whose ranges do not
overlap ("last month" vs "earlier this week"); "Sunday" and "the weekend" agree. Negation and
attribution are looked for only inside one claim group, between two statements close enough to be the
same statement: one outlet negates a verb the other states, or names a different person as the source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from storyweave.analysis.calendar import date_range
from storyweave.analysis.claims import ClaimGroup, numbers_in, quote_keys
from storyweave.analysis.units import Unit, time_expressions_in
from storyweave.model import (
    Article,
    Claim,
    Contradiction,
    ContradictionKind,
    Quote,
    QuoteVariant,
    Side,
    TimeExpression,
    stable_id,
)

if TYPE_CHECKING:
    from spacy.tokens import Span

# Unit words that say nothing about what is counted: "at least 23" vs "100" are different counts.
VAGUE_UNITS = frozenset(
    {
        "",
        "of",
        "and",
        "to",
        "in",
        "on",
        "at",
        "per",
        "a",
        "the",
        "or",
        "times",
        "more",
        "than",
        "percent",
        "%",
    }
)
# Words for the same counted thing, so "1,200 people" and "2,000 residents" compare.
COUNT_SYNONYMS = {
    "residents": "people",
    "persons": "people",
    "inhabitants": "people",
    "villagers": "people",
    "civilians": "people",
    "person": "people",
    "minute": "minutes",
    "hour": "hours",
    "day": "days",
}
# Two statements in different claims that count the same thing must be at least this close in meaning
# before differing numbers count as a contradiction. Provisional (example corpus and seeds).
SAME_COUNT_COSINE = 0.6
# Two dated statements of one claim contradict on the date only if they quote the same remark or are
# at least this close; claim groups are looser than that. Provisional (example corpus and seeds).
SAME_DATE_FACT_COSINE = 0.75


def _dated(unit: Unit, dates: Mapping[str, Sequence[TimeExpression]]) -> list[TimeExpression]:
    return [e for e in time_expressions_in(unit, dates) if e.value and date_range(e.value)]


def _overlaps(a: TimeExpression, b: TimeExpression) -> bool:
    range_a, range_b = date_range(a.value or ""), date_range(b.value or "")
    if range_a is None or range_b is None:
        return True
    return range_a[0] <= range_b[1] and range_b[0] <= range_a[1]


def _label(article: Article) -> str:
    return article.label


def _counts(unit: Unit) -> dict[str, str]:
    """What the statement counts and how many: {"residents": "2000"}; plural and synonyms folded."""
    counts: dict[str, str] = {}
    for value, word in sorted(numbers_in(unit.text)):
        word = COUNT_SYNONYMS.get(word, word)
        if word not in VAGUE_UNITS:
            counts.setdefault(word, value)
    return counts


def _two_sides(
    kind: ContradictionKind,
    claims: list[str],
    key: str,
    a: Unit,
    value_a: str,
    b: Unit,
    value_b: str,
    explanation: str,
) -> Contradiction:
    """A contradiction between two outlets' statements, each side with its own value."""
    return Contradiction(
        id=stable_id("x-", *sorted(claims), kind, key, length=12),
        kind=kind,
        claims=claims,
        sides=[
            Side(article=a.article.id, text=a.text, value=value_a),
            Side(article=b.article.id, text=b.text, value=value_b),
        ],
        explanation=explanation,
    )


def _number_contradiction(
    a: Unit, b: Unit, word: str, value_a: str, value_b: str, claims: list[str]
) -> Contradiction:
    side_a, side_b = f"{value_a} {word}", f"{value_b} {word}"
    explanation = (
        f"{_label(a.article)} gives {side_a}, {_label(b.article)} gives {side_b} for the same count."
    )
    return _two_sides("number", claims, word, a, side_a, b, side_b, explanation)


def _number_contradictions(
    units: Sequence[Unit], claim_of: Mapping[tuple[str, int, int], str]
) -> list[Contradiction]:
    """Two outlets counting the same thing differently, in one claim or in two very close statements."""
    found: dict[str, Contradiction] = {}
    counted = [(u, c) for u in units if (c := _counts(u))]
    for i, (a, counts_a) in enumerate(counted):
        for b, counts_b in counted[i + 1 :]:
            if a.article.id == b.article.id:
                continue
            same_claim = claim_of.get(a.key) == claim_of.get(b.key)
            if not same_claim and (
                a.vector is None or b.vector is None or float(a.vector @ b.vector) < SAME_COUNT_COSINE
            ):
                continue
            for word in sorted(set(counts_a) & set(counts_b)):
                value_a, value_b = counts_a[word], counts_b[word]
                if value_a == value_b or value_b in _digits(a.text) or value_a in _digits(b.text):
                    continue
                claims = sorted({claim_of[u.key] for u in (a, b) if u.key in claim_of})
                contradiction = _number_contradiction(a, b, word, value_a, value_b, claims)
                found.setdefault(contradiction.id, contradiction)
    return list(found.values())


def _digits(text: str) -> str:
    return text.replace(",", "")


def _same_statement(a: Unit, b: Unit, quoted: Mapping[tuple[str, int, int], set[str]]) -> bool:
    """Stricter than claim grouping: they quote the same remark, or say nearly the same thing."""
    if quoted.get(a.key, set()) & quoted.get(b.key, set()):
        return True
    return (
        a.vector is not None and b.vector is not None and float(a.vector @ b.vector) >= SAME_DATE_FACT_COSINE
    )


def _date_contradictions(
    claim: Claim,
    group: ClaimGroup,
    dates: Mapping[str, Sequence[TimeExpression]],
    quoted: Mapping[tuple[str, int, int], set[str]],
) -> list[Contradiction]:
    dated = [(u, found) for u in group.units if (found := _dated(u, dates))]
    for i, (a, dates_a) in enumerate(dated):
        for b, dates_b in dated[i + 1 :]:
            # A statement with several dates ("on Thursday, two days after … Tuesday") agrees with
            # another if any of its dates overlaps any of the other's.
            if any(_overlaps(x, y) for x in dates_a for y in dates_b):
                continue
            if not _same_statement(a, b, quoted):
                continue
            date_a, date_b = dates_a[0], dates_b[0]
            explanation = (
                f"{_label(a.article)} dates this “{date_a.text}” ({date_a.value}), "
                f"{_label(b.article)} “{date_b.text}” ({date_b.value})."
            )
            value_a, value_b = date_a.value or "", date_b.value or ""
            return [_two_sides("date", [claim.id], "", a, value_a, b, value_b, explanation)]
    return []


# Speech and report verbs whose subject is the statement's source ("Petro said", "officials confirmed").
SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "announce",
        "confirm",
        "claim",
        "state",
        "report",
        "write",
        "add",
        "insist",
        "deny",
        "accuse",
    }
)


def _span(unit: Unit) -> Span | None:
    doc = unit.article.doc
    return doc.char_span(unit.start, unit.end, alignment_mode="expand") if doc is not None else None


def _negated_verbs(unit: Unit) -> tuple[set[str], set[str]]:
    """Lemmas of the statement's verbs that are negated ("did not accept") and those that are not."""
    span = _span(unit)
    negated: set[str] = set()
    plain: set[str] = set()
    if span is None:
        return negated, plain
    for token in span:
        if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("aux", "auxpass"):
            continue
        if token.lemma_.lower() in SPEECH_VERBS:
            continue
        is_negated = any(c.dep_ == "neg" for c in token.children)
        (negated if is_negated else plain).add(token.lemma_.lower())
    return negated, plain


# Words that negate a statement other than through the verb ("no family", "nobody", "never").
NEGATION_WORDS = frozenset({"not", "n't", "no", "never", "nobody", "nothing", "none", "neither", "nor"})


def _has_negation(unit: Unit) -> bool:
    span = _span(unit)
    return span is not None and any(t.lower_ in NEGATION_WORDS or t.dep_ == "neg" for t in span)


def _negation_contradictions(
    claim: Claim, group: ClaimGroup, quoted: Mapping[tuple[str, int, int], set[str]]
) -> list[Contradiction]:
    """One outlet says it happened, another that it did not: the same verb, negated on one side only."""
    verbs = [(u, *_negated_verbs(u)) for u in group.units]
    for i, (a, negated_a, plain_a) in enumerate(verbs):
        for b, negated_b, plain_b in verbs[i + 1 :]:
            if a.article.id == b.article.id or not _same_statement(a, b, quoted):
                continue
            # "No family will be left" denies as much as "we will not leave": a side that says it happened
            # must carry no negation at all.
            if _has_negation(a) and _has_negation(b):
                continue
            for yes, no, verb in [(a, b, v) for v in sorted(plain_a & negated_b - negated_a)] + [
                (b, a, v) for v in sorted(plain_b & negated_a - negated_b)
            ]:
                happened = f"{_label(yes.article)} says it happened (“{verb}”)"
                explanation = f"{happened}, {_label(no.article)} says it did not."
                return [_two_sides("negation", [claim.id], "", yes, verb, no, f"not {verb}", explanation)]
    return []


def _speaker(unit: Unit) -> str | None:
    """The named person a statement is attributed to: "Petro said …", "…, according to Rubio"."""
    span = _span(unit)
    if span is None:
        return None
    for token in span:
        subject = None
        if token.lemma_.lower() in SPEECH_VERBS and token.pos_ == "VERB":
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        elif (
            token.lower_ == "according"
            and token.i + 1 < len(token.doc)
            and token.doc[token.i + 1].lower_ == "to"
        ):
            subject = next((c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"), None)
        if subject is None:
            continue
        # The small English model often types a person's name as ORG ("Gustavo Petro"): a proper-noun
        # subject inside a PERSON or ORG entity names the source; pronouns and common nouns do not.
        if subject.pos_ == "PROPN" and subject.ent_type_ in ("PERSON", "ORG"):
            return next((e.text for e in token.doc.ents if e.start <= subject.i < e.end), subject.text)
    return None


def _same_person(a: str, b: str) -> bool:
    """ "Gustavo Petro" and "Petro" are one person: any shared name word."""
    return bool({w.lower() for w in a.split()} & {w.lower() for w in b.split()})


def _attribution_contradictions(
    claim: Claim, group: ClaimGroup, quoted: Mapping[tuple[str, int, int], set[str]]
) -> list[Contradiction]:
    """The same statement put in different people's mouths ("Petro said" vs "Rubio said")."""
    speakers = [(u, s) for u in group.units if (s := _speaker(u))]
    for i, (a, speaker_a) in enumerate(speakers):
        for b, speaker_b in speakers[i + 1 :]:
            if a.article.id == b.article.id or _same_person(speaker_a, speaker_b):
                continue
            # Each outlet may name the other speaker too ("Rubio said Petro …"): then it is no dispute.
            if (
                speaker_b.split()[-1].lower() in a.text.lower()
                or speaker_a.split()[-1].lower() in b.text.lower()
            ):
                continue
            if not _same_statement(a, b, quoted):
                continue
            explanation = (
                f"{_label(a.article)} attributes this to {speaker_a}, {_label(b.article)} to {speaker_b}."
            )
            return [_two_sides("attribution", [claim.id], "", a, speaker_a, b, speaker_b, explanation)]
    return []


def _claims_of_variant(claims: Sequence[Claim], article: str, start: int) -> list[str]:
    return [c.id for c in claims for s in c.support if s.article == article and s.start <= start < s.end]


def _wording_key(text: str) -> str:
    """A wording without case and punctuation: "sounds good." and "Sounds good" are one wording."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _excerpt(short: str, full: str) -> bool:
    """``short`` is a run of ``full``'s words (and not the same wording)."""
    return short != full and f" {short} " in f" {full} "


def _quote_contradictions(
    quotes: Sequence[Quote], claims: Sequence[Claim], articles: Mapping[str, Article]
) -> list[Contradiction]:
    found = []
    for quote in quotes:
        if not quote.wording_differs:
            continue
        claim_ids = []
        longest: dict[str, QuoteVariant] = {}
        for variant in quote.variants:
            for claim_id in _claims_of_variant(claims, variant.article, variant.start):
                if claim_id not in claim_ids:
                    claim_ids.append(claim_id)
            # One wording per outlet, its fullest: outlets disagree, not an outlet's own sentences.
            kept = longest.get(variant.article)
            if kept is None or len(_wording_key(variant.text)) > len(_wording_key(kept.text)):
                longest[variant.article] = variant
        keys = {article: _wording_key(v.text) for article, v in longest.items()}
        # An outlet that quotes fewer of the same words ("sick man" of "sick man who likes …") words
        # nothing differently: only wordings that are no excerpt of another outlet's can disagree.
        sides = [
            Side(article=v.article, text=v.text, value=v.text)
            for article, v in longest.items()
            if not any(other != article and _excerpt(keys[article], keys[other]) for other in keys)
        ]
        if len({_wording_key(s.value) for s in sides}) < 2:
            continue
        speaker = quote.speaker.name or "An unnamed speaker"
        outlets = "; ".join(
            f"{articles[s.article].label}: “{s.value}”" for s in sides if s.article in articles
        )
        found.append(
            Contradiction(
                id=stable_id("x-", quote.id, "quote_wording", length=12),
                kind="quote_wording",
                claims=claim_ids,
                sides=sides,
                explanation=f"Outlets quote {speaker} in different words — {outlets}.",
            )
        )
    return found


def find_contradictions(
    claims: Sequence[Claim],
    groups: Mapping[str, ClaimGroup],
    dates: Mapping[str, Sequence[TimeExpression]],
    quotes: Sequence[Quote],
    articles: Sequence[Article],
) -> list[Contradiction]:
    """Typed contradictions; marks the claims they touch as disputed."""
    found: list[Contradiction] = []
    claim_of: dict[tuple[str, int, int], str] = {}
    units: list[Unit] = []
    for claim in claims:
        for unit in groups[claim.id].units:
            if unit.key not in claim_of:
                claim_of[unit.key] = claim.id
                units.append(unit)
    found.extend(_number_contradictions(units, claim_of))
    quoted = quote_keys(units, quotes)
    for claim in claims:
        group = groups[claim.id]
        if len({u.article.id for u in group.units}) >= 2:
            found.extend(_date_contradictions(claim, group, dates, quoted))
            found.extend(_negation_contradictions(claim, group, quoted))
            found.extend(_attribution_contradictions(claim, group, quoted))
    found.extend(_quote_contradictions(quotes, claims, {a.id: a for a in articles}))
    disputed = {claim_id for c in found if c.kind != "quote_wording" for claim_id in c.claims}
    for claim in claims:
        if claim.id in disputed:
            claim.status = "disputed"
    return found
