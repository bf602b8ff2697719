"""Each outlet's position on each fact: states it, contradicts it, only reports someone's claim, or silent.

An outlet whose statement supports the fact states it, unless it only passes the fact on from someone
else with a distancing cue ("according to a report by The Hill", "allegedly", "X claimed"): then it
reports a claim, and who claims it is kept. An outlet with no supporting statement contradicts the fact
when one of its sentences about the same event denies or refutes it ("claims vehemently denied by
Colombia's government"), and is silent otherwise. The decision for a sentence about the same event is
``storyweave.analysis.stance`` where it is installed (a model fitted on FNC-1), else the cue rules here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from storyweave.analysis.details import unit_span
from storyweave.analysis.lexicon import (
    DENIAL_VERBS,
    DENIAL_WORDS,
    HEDGE_VERBS,
    HEDGE_WORDS,
    STOP_WORDS,
    fold_words,
)
from storyweave.model import Article, Fact, FactGroup, Stance, Unit

if TYPE_CHECKING:  # pragma: no cover - typing only
    from storyweave.analysis.facts import StatementParts

# A sentence of a non-supporting outlet is about the fact when it shares at least this share of the
# fact's content words (and a denial cue decides it contradicts). Chosen on the seeds (tests/test_stances.py).
ABOUT_SHARE = 0.3


def _content(text: str) -> set[str]:
    return {w for w in fold_words(text).split() if w not in STOP_WORDS and len(w) > 2}


def _distanced(unit: Unit) -> bool:
    """The outlet passes the statement on without asserting it."""
    words = fold_words(unit.text).split()
    if "according" in words or any(w in HEDGE_WORDS for w in words):
        return True
    span = unit_span(unit)
    return span is not None and any(
        t.pos_ == "VERB" and t.lemma_.lower() in HEDGE_VERBS | {"report"} for t in span
    )


def _supporting_stance(unit: Unit, parts: StatementParts) -> Stance:
    claimant = next((d.text for d in parts.details if d.role == "said"), None)
    distanced = _distanced(unit)
    return Stance(
        article=unit.article.id,
        stance="reports_claim" if distanced else "states",
        sentence=unit.sentence,
        text=unit.text,
        start=unit.start,
        end=unit.end,
        score=1.0,
        claimant=claimant if distanced else None,
    )


def _stems(verb: str) -> tuple[str, ...]:
    if verb.endswith("y"):
        return verb, verb[:-1] + "i"  # deny, denied
    return (verb[:-1],) if verb.endswith("e") else (verb,)


_DENIAL_STEMS = tuple(stem for verb in sorted(DENIAL_VERBS) for stem in _stems(verb))


def _denies(text: str) -> bool:
    words = fold_words(text).split()
    return any(w in DENIAL_WORDS or (w.startswith(_DENIAL_STEMS) and len(w) <= 12) for w in words)


def _other_stance(fact: Fact, article: Article) -> Stance:
    """Contradicts when a sentence about the same event denies it; silent otherwise."""
    wanted = _content(fact.text) | {fact.predicate}
    best: tuple[float, int] | None = None
    for sentence in article.sentences:
        if sentence.heading:
            continue
        overlap = len(wanted & _content(sentence.text)) / (len(wanted) or 1)
        if overlap >= ABOUT_SHARE and _denies(sentence.text) and (best is None or overlap > best[0]):
            best = (overlap, sentence.index)
    if best is None:
        return Stance(article=article.id, stance="silent", sentence=-1, text="", start=-1, end=-1, score=0.0)
    sentence = article.sentences[best[1]]
    return Stance(
        article=article.id,
        stance="contradicts",
        sentence=sentence.index,
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        score=round(best[0], 3),
    )


def decide_stances(
    facts: Sequence[Fact],
    groups: Mapping[str, FactGroup],
    parts: Mapping[tuple[str, int, int], StatementParts],
    articles: Sequence[Article],
) -> dict[str, list[Stance]]:
    """Fact id -> one stance per article of the story, in the story's article order."""
    found: dict[str, list[Stance]] = {}
    for fact in facts:
        supporting = {u.article.id: u for u in groups[fact.id].units}
        found[fact.id] = [
            _supporting_stance(supporting[a.id], parts[supporting[a.id].key])
            if a.id in supporting
            else _other_stance(fact, a)
            for a in articles
        ]
    return found
