"""The clustering scores behind the grouping and event-coreference figures (bench/coref_scores.py), on
partitions small enough to score by hand, so that the published figures rest on scorers that are checked."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # the benches import each other by file name
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"bench_{name}"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> ModuleType:
    return _load("coref_scores")


# Key {a b c} {d e}; response {a b} {c d e}. By hand:
#   B3 precision: a,b 2/2 each; c 1/3; d,e 2/3 each -> (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = 11/15
#   B3 recall:    a,b 2/3 each; c 1/3; d,e 2/2 each -> (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15
#   MUC recall:   {a b c} needs 2 links, split in 2 pieces -> 1; {d e} 1 link, 1 piece -> 1: 2/3
#   MUC precision: {a b} 1/1; {c d e} 2 links, 2 pieces -> 1: 2/3
#   CEAF-e: {a b c}~{a b} 2*2/5 = 0.8, {d e}~{c d e} 2*2/5 = 0.8: 1.6 / 2 both ways = 0.8
KEY = [{"a", "b", "c"}, {"d", "e"}]
RESPONSE = [{"a", "b"}, {"c", "d", "e"}]


def test_b_cubed_by_hand(scores: ModuleType) -> None:
    p, r, f1 = scores.b_cubed(KEY, RESPONSE)
    assert p == pytest.approx(11 / 15) and r == pytest.approx(11 / 15) and f1 == pytest.approx(11 / 15)


def test_muc_by_hand(scores: ModuleType) -> None:
    assert scores.muc(KEY, RESPONSE) == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_ceaf_e_by_hand(scores: ModuleType) -> None:
    assert scores.ceaf_e(KEY, RESPONSE) == pytest.approx((0.8, 0.8, 0.8))


def test_the_two_degenerate_partitions(scores: ModuleType) -> None:
    """All singletons: B3 precision 1; one cluster of everything: B3 recall 1. Neither gets MUC precision
    or recall where it has no links."""
    items = ["a", "b", "c", "d", "e"]
    singletons = [{m} for m in items]
    one = [set(items)]
    p, r, _ = scores.b_cubed(KEY, singletons)
    assert p == 1.0 and r == pytest.approx((1 / 3 * 3 + 1 / 2 * 2) / 5)
    p, r, _ = scores.b_cubed(KEY, one)
    assert r == 1.0 and p == pytest.approx((3 / 5 * 3 + 2 / 5 * 2) / 5)
    assert scores.muc(KEY, singletons) == (0.0, 0.0, 0.0)
    p, r, _ = scores.muc(KEY, one)  # key needs 3 links, response's 4 links join 2 key clusters: 3/4
    assert r == 1.0 and p == pytest.approx(3 / 4)


def test_a_perfect_response_and_unmatched_items(scores: ModuleType) -> None:
    assert scores.b_cubed(KEY, KEY) == (1.0, 1.0, 1.0)
    assert scores.muc(KEY, KEY) == (1.0, 1.0, 1.0)
    assert scores.ceaf_e(KEY, KEY) == pytest.approx((1.0, 1.0, 1.0))
    # "e" is missing from the response: a singleton there, so half of d's and e's key cluster is lost.
    p, r, _ = scores.b_cubed(KEY, [{"a", "b", "c"}, {"d"}])
    assert p == 1.0 and r == pytest.approx((1 + 1 + 1 + 1 / 2 + 1 / 2) / 5)


def test_clusters_from_labels(scores: ModuleType) -> None:
    assert scores.clusters_of({"a": 1, "b": 1, "c": 2}) == [{"a", "b"}, {"c"}]
    assert scores.clusters_of_sequence(["x", "y", "x"]) == [{0, 2}, {1}]


def test_the_benches_score_through_it() -> None:
    """bench/grouping.py scores label lists and bench/facts.py mention maps with the same B3."""
    grouping, claims = _load("grouping"), _load("facts")
    gold, predicted = [0, 0, 0, 1, 1], [0, 0, 1, 1, 1]  # KEY and RESPONSE as labels
    assert grouping.b_cubed(gold, predicted) == pytest.approx((11 / 15, 11 / 15, 11 / 15))
    figures = claims.score(
        {m: str(g) for m, g in zip("abcde", gold, strict=True)},
        {m: str(p) for m, p in zip("abcde", predicted, strict=True)},
    )
    assert figures["b3_f1"] == pytest.approx(100 * 11 / 15, abs=0.01)
    assert figures["muc_f1"] == pytest.approx(100 * 2 / 3, abs=0.01)
    assert figures["conll_f1"] == pytest.approx(100 * (11 / 15 + 2 / 3 + 0.8) / 3, abs=0.01)
