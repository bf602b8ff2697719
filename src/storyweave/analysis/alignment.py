"""Alignment: statements grouped across articles when they report the same fact.

Two statements are the same fact when the same-fact decision (``storyweave.analysis.same_fact``: a
logistic model over sentence vectors, word overlap, numbers, names, negation and length, fitted on MSRP)
says so; two outlets quoting one remark report one fact, so a shared quotation raises the score. A group
never takes two statements from one article. Groups grow from the strongest pair down, and a statement
joins a group only if it is close to every member (complete link), which keeps chains of loosely related
sentences apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from storyweave.analysis.same_fact import SAME_FACT_COSINE, SAME_FACT_THRESHOLD, same_fact_score
from storyweave.model import FactGroup, Quote, StatementKey, Unit

# Thresholds on the combined score (same_fact_score + quote bonus). A pair starts or joins a group
# at the same-fact decision's own threshold (python bench/same_fact.py --data ../shared/datasets/msrp-sts/msrp
# --fit); the complete-link floor is provisional, chosen on the seed and example corpora
# (tests/test_claims.py, tests/test_seed_report.py and tests/test_example_report.py pin the results).
PAIR_THRESHOLD = SAME_FACT_THRESHOLD  # a pair this likely the same fact starts or joins a group
# Every member of a group must score at least this with a newcomer. same_fact_score puts a cosine c at
# c - SAME_FACT_COSINE + SAME_FACT_THRESHOLD, so this is cosine 0.55, the first version's link floor.
# Provisional (seeds: tests/test_seed_report.py pins the call from all five outlets).
LINK_THRESHOLD = 0.55 - SAME_FACT_COSINE + SAME_FACT_THRESHOLD
QUOTE_BONUS = 0.35  # both statements quote the same remark
# Below this cosine the model is not asked: on MSRP train (`python bench/same_fact.py --fit` data) 1 of the
# 31 pairs under 0.4 is predicted the same fact, so the floor costs nothing and skips most pairs of a story.
COSINE_FLOOR = 0.40


def quote_keys(units: Sequence[Unit], quotes: Sequence[Quote]) -> dict[StatementKey, set[str]]:
    keys: dict[StatementKey, set[str]] = defaultdict(set)
    by_article: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        by_article[unit.article.id].append(unit)
    for quote in quotes:
        for variant in quote.variants:
            for unit in by_article.get(variant.article, []):
                if unit.start <= variant.start < unit.end:
                    keys[unit.key].add(quote.id)
    return keys


def _matrix(units: Sequence[Unit]) -> np.ndarray:
    rows = [u.vector for u in units if u.vector is not None]
    if len(rows) != len(units):
        raise ValueError("every unit needs its vector (attach_vectors) before claims are built")
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack(rows)


def pair_scores(
    units: Sequence[Unit], quotes: Sequence[Quote], event_scores: np.ndarray | None = None
) -> np.ndarray:
    """The same-fact score of every pair of units (plus a bonus when both quote one remark).

    Pairs from one article score -1 (never grouped); pairs below the cosine floor score 0.
    ``event_scores`` (same shape) are event-level scores of the same pairs (one predicate, shared
    participants: ``storyweave.analysis.facts``): a pair scores the higher of the two, so a paraphrase
    that shares few words but reports one event with the same participants still aligns, and a negative
    event score (two events: other people did them) keeps a pair apart however alike its words.
    """
    matrix = _matrix(units)
    cosines = matrix @ matrix.T
    scores = np.zeros_like(cosines)
    quoted = quote_keys(units, quotes)
    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            b = units[j]
            if a.article.id == b.article.id:
                scores[i, j] = scores[j, i] = -1.0
                continue
            cosine = float(cosines[i, j])
            score = same_fact_score(a.text, b.text, cosine) if cosine >= COSINE_FLOOR else 0.0
            if quoted.get(a.key, set()) & quoted.get(b.key, set()):
                score += QUOTE_BONUS
            if event_scores is not None:
                event = float(event_scores[i, j])
                score = event if event < 0 else max(score, event)
            scores[i, j] = scores[j, i] = score
    return scores


def group_units(units: Sequence[Unit], scores: np.ndarray) -> list[FactGroup]:
    """Complete-link grouping from the strongest pair down; at most one unit per article per group."""
    n = len(units)
    member: list[int] = list(range(n))
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    pairs = [
        (float(scores[i, j]), i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if scores[i, j] >= PAIR_THRESHOLD
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    for _, i, j in pairs:
        gi, gj = member[i], member[j]
        if gi == gj:
            continue
        left, right = groups[gi], groups[gj]
        if {units[k].article.id for k in left} & {units[k].article.id for k in right}:
            continue
        if min(float(scores[a, b]) for a in left for b in right) < LINK_THRESHOLD:
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        groups[keep] = sorted(groups[keep] + groups[drop])
        for k in groups.pop(drop):
            member[k] = keep
    return [FactGroup([units[k] for k in members]) for _, members in sorted(groups.items())]
