"""Clustering scores shared by the benchmarks: B-cubed, MUC and CEAF-e, as the CoNLL-2012 scorer defines them.

Story grouping (bench/grouping.py, bench/scale.py) and cross-document event coreference (bench/claims.py)
both compare a predicted partition with a gold one; one implementation serves both, and
tests/test_coref_scores.py checks it on cases small enough to compute by hand.

A cluster is a set of item keys. An item of one partition missing from the other counts as a singleton
there (it is in no cluster with anything), as the CoNLL scorer treats unmatched mentions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

Cluster = set[Hashable]


def clusters_of(labels: Mapping[Hashable, Hashable]) -> list[Cluster]:
    """The partition an item -> label mapping makes, in order of first appearance."""
    groups: dict[Hashable, Cluster] = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return list(groups.values())


def clusters_of_sequence(labels: Sequence[Hashable]) -> list[Cluster]:
    """The partition of positions 0..n-1 that a list of labels makes."""
    return clusters_of(dict(enumerate(labels)))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _b_cubed_recall(gold: Sequence[Cluster], other: Iterable[Cluster]) -> float:
    where = {m: c for c in other for m in c}
    total = sum(len(c & where.get(m, {m})) / len(c) for c in gold for m in c)
    size = sum(len(c) for c in gold)
    return total / size if size else 0.0


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998): each item's share of its cluster that is
    also in its other cluster, averaged over items."""
    recall = _b_cubed_recall(key, response)
    precision = _b_cubed_recall(response, key)
    return precision, recall, _f1(precision, recall)


def _muc_recall(gold: Sequence[Cluster], other: Iterable[Cluster]) -> float:
    where = {m: i for i, c in enumerate(other) for m in c}
    numerator = sum(len(c) - len({where.get(m, ("alone", m)) for m in c}) for c in gold)
    denominator = sum(len(c) - 1 for c in gold)
    return numerator / denominator if denominator else 0.0


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    """MUC precision, recall and F1 (Vilain et al. 1995): the links needed to join each cluster, against
    the pieces the other partition splits it into. Singletons carry no link and score nothing."""
    recall = _muc_recall(key, response)
    precision = _muc_recall(response, key)
    return precision, recall, _f1(precision, recall)


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float]:
    """Entity-based CEAF precision, recall and F1 (Luo 2005): the best one-to-one alignment of key and
    response clusters, each pair scored 2|K∩R| / (|K| + |R|)."""
    from scipy.optimize import linear_sum_assignment

    if not key or not response:
        return 0.0, 0.0, 0.0
    similarity = np.zeros((len(key), len(response)))
    where = {m: j for j, c in enumerate(response) for m in c}
    for i, cluster in enumerate(key):
        for m in cluster:
            if m in where:
                j = where[m]
                if similarity[i, j] == 0:
                    similarity[i, j] = 2 * len(cluster & response[j]) / (len(cluster) + len(response[j]))
    rows, cols = linear_sum_assignment(-similarity)
    total = float(similarity[rows, cols].sum())
    precision, recall = total / len(response), total / len(key)
    return precision, recall, _f1(precision, recall)
