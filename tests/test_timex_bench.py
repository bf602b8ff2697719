"""The TempEval-3 Task A scorer re-implemented in bench/timex.py: extents, values and the notation breakdown
on a small TimeML document of our own, so that the published figures rest on a scorer that is checked."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>SW20260108.0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2026-01-08"
 functionInDocument="CREATION_TIME">2026-01-08</TIMEX3></DCT>
<TEXT>
Petro spoke to Trump by phone <TIMEX3 tid="t1" type="DATE" value="2026-01-07">Wednesday</TIMEX3> night,
and the two will meet <TIMEX3 tid="t2" type="DATE" value="2026-W03">next week</TIMEX3>. Relations have been
poor since <TIMEX3 tid="t3" type="DATE" value="1998-XX">1998</TIMEX3> and worse in the
<TIMEX3 tid="t4" type="DATE" value="201X">2010s</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "timex.py"
    spec = importlib.util.spec_from_file_location("bench_timex", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_timex"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_gold_offsets_point_at_the_annotated_words(bench: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "doc.tml").write_text(TML, encoding="utf-8")
    doc = bench.load_tml(tmp_path / "doc.tml")
    assert doc.dct == dt.date(2026, 1, 8)
    assert [(doc.text[s:e], v) for s, e, v in doc.gold] == [
        ("Wednesday", "2026-01-07"),
        ("next week", "2026-W03"),
        ("1998", "1998-XX"),
        ("2010s", "201X"),
    ]


def test_scores_and_notation_breakdown_of_storyweave_on_it(bench: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "doc.tml").write_text(TML, encoding="utf-8")
    doc = bench.load_tml(tmp_path / "doc.tml")
    found = bench.run_system(doc)
    assert [(doc.text[s:e], v) for s, e, v in found] == [
        ("Wednesday night", "2026-01-07TNI"),
        ("next week", "2026-W03"),
        ("1998", "1998"),
        ("2010s", "201"),
    ]
    counts = bench.match(found, doc.gold)
    # Every extent overlaps its gold; one is the same span; one value is equal, three differ in notation only.
    assert (counts["strict"], counts["relaxed"], counts["value"]) == (3, 4, 1)
    assert {k: counts[k] for k in bench.NOTATION_KINDS} == {
        "year_as_YYYY-XX": 1,
        "decade_as_DDDX": 1,
        "part_of_day_not_in_gold": 1,
    }
    scores = bench.scores(counts)
    assert scores["relaxed_f1"] == 1.0
    assert scores["value_f1"] == 0.25


def test_a_spurious_expression_lowers_precision_only(bench: ModuleType) -> None:
    gold = [(0, 6, "2026-01-07")]
    counts = bench.match([(0, 6, "2026-01-07"), (10, 15, "PRESENT_REF")], gold)
    scores = bench.scores(counts)
    assert (scores["relaxed_p"], scores["relaxed_r"], scores["value_f1"]) == (0.5, 1.0, 0.6667)
