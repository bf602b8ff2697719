"""The summary: a few facts that carry the story, each citing its fact and outlets.

Facts are ranked by independent corroboration, centrality (how close a fact's statements are to
the story's other statements) and lead position (news puts the main fact first: a fact some outlet
states in its opening sentences is more likely the story's core), and a fact too close to one
already chosen is passed over. A wording that opens with a pronoun or a demonstrative ("He stated",
"This call") leans on a sentence the summary does not show, so it ranks lower. The wording is the
fact's own, which the facts stage took from the cleanest and most original outlet, never a garbled
one. Disputed facts are marked as disputed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from storyweave.analysis.units import body_sentences
from storyweave.defaults import SUMMARY_SENTENCES
from storyweave.model import Fact, FactGroup, SummarySentence

DEFAULT_SENTENCES = SUMMARY_SENTENCES
# Weights of the ranking and the redundancy cut-off: the best of a grid (centrality 1-3, lead 0-2,
# dangling 0-0.5, redundancy 0.7-0.9) on NeuS train, first 300 stories, scored as
# `bench/summary.py --split train --limit 300` scores; the grid is flat (ROUGE-2 within 0.1).
REDUNDANCY_COSINE = 0.9  # two chosen wordings closer than this say the same thing twice
CENTRALITY_WEIGHT = 3.0
LEAD_WEIGHT = 0.5  # added for a fact stated in an outlet's first body sentence, halved per sentence later
DANGLING_PENALTY = 0.5  # a wording that opens with a pronoun or "this/that/these/those"
MIN_WORDS = 6  # shorter wordings are fragments, not summary sentences
_DANGLING = re.compile(r"^(?:he|she|they|it|his|her|their|its|this|that|these|those|but|and|also)\b", re.I)


def _unit_vectors(group: FactGroup) -> np.ndarray:
    return np.stack([u.vector for u in group.units if u.vector is not None])


def _has_vectors(group: FactGroup) -> bool:
    """A story of one report is not encoded (analysis/story.py): its summary is ranked without vectors."""
    return any(u.vector is not None for u in group.units)


def _normalise(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector)) or 1.0
    return np.asarray(vector / norm, dtype=np.float32)


def _fact_vector(group: FactGroup) -> np.ndarray:
    return _normalise(_unit_vectors(group).mean(axis=0))


def _wording_vector(fact: Fact, group: FactGroup) -> np.ndarray:
    """The vector of the statement whose words the fact shows (what the reader reads twice or not)."""
    for unit in group.units:
        if unit.text == fact.text and unit.vector is not None:
            return _normalise(unit.vector)
    return _fact_vector(group)


def _lead_position(fact: Fact, group: FactGroup) -> float:
    """1 for a fact in some outlet's first body sentence, 1/2 for the second, and so on."""
    best = 0.0
    for unit in group.units:
        body = body_sentences(unit.article)
        position = next((i for i, s in enumerate(body) if s.index == unit.sentence), None)
        if position is not None:
            best = max(best, 0.5**position)
    return best


def rank_facts(facts: Sequence[Fact], groups: Mapping[str, FactGroup]) -> list[tuple[Fact, float]]:
    """Facts with their summary score, best first (ties by id, so the order is stable)."""
    if not facts:
        return []
    if all(_has_vectors(groups[c.id]) for c in facts):
        matrix = np.stack([_fact_vector(groups[c.id]) for c in facts])
        centrality = (matrix @ matrix.mean(axis=0)).tolist()
    else:
        # One report: its own order is its editor's ranking (lead first, the strong single-document
        # baseline), so the lead weight and the dangling penalty decide.
        centrality = [0.0] * len(facts)
    scored = []
    for fact, central in zip(facts, centrality, strict=True):
        score = fact.independent_sources + CENTRALITY_WEIGHT * central
        score += LEAD_WEIGHT * _lead_position(fact, groups[fact.id])
        if _DANGLING.match(fact.text.lstrip("“\"‘' ")):
            score -= DANGLING_PENALTY
        scored.append((fact, score))
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].id))


def stands_alone(text: str) -> bool:
    """A clause split off its sentence ("who had called to explain …") cannot open a summary line."""
    first = text.lstrip("“\"‘'(")[:1]
    return first.isupper() or first.isdigit()


def summarise(
    facts: Sequence[Fact],
    groups: Mapping[str, FactGroup],
    size: int = DEFAULT_SENTENCES,
    words: int | None = None,
) -> list[SummarySentence]:
    """At most ``size`` cited sentences, in the order the story's articles tell them.

    With ``words``, sentences are added until the summary reaches that many words instead.
    """
    chosen: list[Fact] = []
    vectors: dict[str, np.ndarray] = {}
    for fact, _ in rank_facts(facts, groups):
        if words is None and len(chosen) >= size:
            break
        if words is not None and sum(len(c.text.split()) for c in chosen) >= words:
            break
        if len(fact.text.split()) < MIN_WORDS or not stands_alone(fact.text):
            continue
        if _has_vectors(groups[fact.id]):
            vector = _wording_vector(fact, groups[fact.id])
            if any(float(vector @ vectors[c.id]) >= REDUNDANCY_COSINE for c in chosen if c.id in vectors):
                continue
            vectors[fact.id] = vector
        chosen.append(fact)
    chosen.sort(key=lambda c: min((s.sentence, s.article) for s in c.support))
    sentences = []
    for fact in chosen:
        text = fact.text if fact.status != "disputed" else f"Disputed between outlets: {fact.text}"
        sentences.append(
            SummarySentence(text=text, facts=[fact.id], articles=sorted({s.article for s in fact.support}))
        )
    return sentences
