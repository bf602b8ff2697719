"""The benchmark gate's own logic: floors read from one file, figures compared, absent data skipped."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_gate", BENCH / "gate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_gate"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_every_floor_lies_under_its_measured_figure(gate: ModuleType) -> None:
    checks = gate.load_checks(BENCH / "floors.toml")
    assert {c.name for c in checks} == {"timex", "quotes", "grouping"}
    for check in checks:
        assert (BENCH.parent / check.script).is_file() and check.command
        for dotted, floor in check.floors.items():
            assert floor < check.measured[dotted], (check.name, dotted)
        for ours, theirs in check.beats:
            assert check.measured[ours] > check.measured[theirs]


def test_a_figure_under_its_floor_or_a_lost_comparison_fails(gate: ModuleType) -> None:
    check = gate.Check(
        name="quotes",
        script="bench/quotes.py",
        args=[],
        data=".",
        floors={"system.f1": 0.8},
        beats=[("system.f1", "baselines.textacy.f1")],
    )
    good = {"system": {"f1": 0.85}, "baselines": {"textacy": {"f1": 0.7}}}
    assert gate.compare(check, good) == []
    bad = {"system": {"f1": 0.75}, "baselines": {"textacy": {"f1": 0.76}}}
    failures = gate.compare(check, bad)
    assert failures == [
        "quotes: system.f1 = 0.75 is below its floor 0.8",
        "quotes: system.f1 = 0.75 does not beat baselines.textacy.f1 = 0.76",
    ]
    with pytest.raises(KeyError, match="system.recall"):
        gate.figure(good, "system.recall")


def test_absent_data_skips_with_a_message(
    gate: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    floors = tmp_path / "floors.toml"
    floors.write_text(
        '[timex]\nscript = "bench/timex.py"\ndata = "../no-such-datasets/tempeval3"\n'
        'floors = { "system.value_f1" = 0.8 }\n',
        encoding="utf-8",
    )
    assert gate.main(["--floors", str(floors)]) == 0
    assert "timex: skipped, data not found at ../no-such-datasets/tempeval3" in capsys.readouterr().out
