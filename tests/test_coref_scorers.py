"""The coreference scorers of bench/facts.py (MUC, B-cubed, CEAF-e, CoNLL F1) on cases worked out by hand,
so that the ECB+ figures in docs/benchmarks.md rest on scorers that are checked."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

# Key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i} (e is missed, h and i are invented): the worked
# example of Pradhan et al. (2014), "Scoring coreference partitions of predicted mentions".
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "facts.py"
    spec = importlib.util.spec_from_file_location("bench_facts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_facts"] = module
    spec.loader.exec_module(module)
    return module


def test_muc_counts_links(bench: ModuleType) -> None:
    # Recall: {a,b,c} needs 2 links, the response keeps 1 (a-b); {d,e,f,g} needs 3, keeps 1 (f-g): 2/5.
    # Precision: {a,b} 1 of 1, {c,d} 0 of 1, {f,g,h,i} 1 of 3: 2/5.
    assert bench.muc(KEY, RESPONSE) == pytest.approx(0.4)


def test_b_cubed_averages_over_mentions(bench: ModuleType) -> None:
    # Recall over the 7 key mentions: 2/3 + 2/3 + 1/3 + 1/4 + 1/4 + 2/4 + 2/4 = 19/6, so 19/42.
    # Precision over the 8 response mentions: 1 + 1 + 1/2 + 1/2 + 2/4 + 2/4 + 1/4 + 1/4 = 9/2, so 9/16.
    assert bench.b_cubed(KEY, RESPONSE) == pytest.approx(_f1(9 / 16, 19 / 42))


def test_ceaf_e_aligns_entities_one_to_one(bench: ModuleType) -> None:
    # phi4: {a,b,c}~{a,b} 4/5, {d,e,f,g}~{f,g,h,i} 4/8; the best one-to-one alignment sums 1.3.
    # Recall 1.3 / 2 key entities, precision 1.3 / 3 response entities.
    assert bench.ceaf_e(KEY, RESPONSE) == pytest.approx(_f1(1.3 / 3, 1.3 / 2))


def test_identical_partitions_score_one(bench: ModuleType) -> None:
    for scorer in (bench.muc, bench.b_cubed, bench.ceaf_e):
        assert scorer(KEY, [set(c) for c in KEY]) == pytest.approx(1.0)


def test_merging_everything_keeps_muc_recall_but_not_precision(bench: ModuleType) -> None:
    everything = [set().union(*KEY)]
    # MUC: recall 5/5; precision: 6 links in the response, of which 5 are right -> 5/6.
    assert bench.muc(KEY, everything) == pytest.approx(_f1(5 / 6, 1.0))
    # B-cubed precision: each of 3 mentions 3/7 and each of 4 mentions 4/7 -> 25/49; recall 1.
    assert bench.b_cubed(KEY, everything) == pytest.approx(_f1(25 / 49, 1.0))


def test_score_reports_conll_as_the_mean(bench: ModuleType) -> None:
    gold = {m: str(i) for i, cluster in enumerate(KEY) for m in cluster}
    system = {m: str(i) for i, cluster in enumerate(RESPONSE) for m in cluster if m in gold}
    figures = bench.score(gold, system)
    expected = (figures["muc_f1"] + figures["b3_f1"] + figures["ceafe_f1"]) / 3
    assert figures["conll_f1"] == pytest.approx(expected, abs=0.01)
    # Without h and i the response is {a,b} {c,d} {f,g} and e alone: MUC precision 2/3, recall 2/5.
    assert figures["muc_f1"] == pytest.approx(100 * _f1(2 / 3, 2 / 5), abs=0.01)
