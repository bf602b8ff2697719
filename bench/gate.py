"""The benchmark gate: one fast benchmark per capability, failing when a figure drops below its floor.

    python bench/gate.py [--floors bench/floors.toml] [--only timex,quotes,grouping] [--keep DIR]

Each entry of ``bench/floors.toml`` names a bench script, its arguments (a subset of the data, small enough
for CI) and floors on figures of the JSON the script writes with ``--json``; the gate runs each script as a
user would, in its own process, through the bench's own code path, then compares. An entry may also require
that storyweave beats the baseline the bench runs beside it. Where an entry's data folder is absent (no
``../shared/datasets`` beside the repository) the entry is skipped with a message and does not fail.

Exit status: 0 when every figure that ran is at or above its floor, 1 otherwise, 2 when a bench fails to run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FLOORS = Path(__file__).resolve().parent / "floors.toml"


@dataclass
class Check:
    """One gate entry read from the floors file."""

    name: str
    script: str
    args: list[str]
    data: str
    floors: dict[str, float]
    beats: list[tuple[str, str]] = field(default_factory=list)
    measured: dict[str, float] = field(default_factory=dict)
    command: str = ""


def load_checks(path: Path) -> list[Check]:
    """The entries of a floors file, in file order."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    checks = []
    for name, entry in table.items():
        checks.append(
            Check(
                name=name,
                script=entry["script"],
                args=list(entry.get("args", [])),
                data=entry["data"],
                floors={k: float(v) for k, v in entry["floors"].items()},
                beats=[(a, b) for a, b in entry.get("beats", [])],
                measured={k: float(v) for k, v in entry.get("measured", {}).items()},
                command=entry.get("command", ""),
            )
        )
    return checks


def figure(result: Mapping[str, Any], dotted: str) -> float:
    """The number at a dotted path of a bench's JSON ("system.value_f1")."""
    value: Any = result
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(f"no figure {dotted!r} in the bench's JSON")
        value = value[part]
    return float(value)


def compare(check: Check, result: Mapping[str, Any]) -> list[str]:
    """One line per failed floor or comparison; empty when the check passes."""
    failures = []
    for dotted, floor in check.floors.items():
        got = figure(result, dotted)
        if got < floor:
            failures.append(f"{check.name}: {dotted} = {got:g} is below its floor {floor:g}")
    for ours, theirs in check.beats:
        a, b = figure(result, ours), figure(result, theirs)
        if not a > b:
            failures.append(f"{check.name}: {ours} = {a:g} does not beat {theirs} = {b:g}")
    return failures


def run_check(check: Check, out: Path) -> tuple[str, list[str], dict[str, Any] | None]:
    """Run one bench; ("skipped" | "ran" | "error", messages, its JSON)."""
    data = (REPO / check.data).resolve()
    if not data.exists():
        message = f"{check.name}: skipped, data not found at {check.data} (../shared/datasets absent)"
        return "skipped", [message], None
    json_path = out / f"{check.name}.json"
    command = [sys.executable, str(REPO / check.script), *check.args, "--json", str(json_path)]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if completed.returncode != 0 or not json_path.is_file():
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["no output"]
        message = f"{check.name}: {check.script} failed (exit {completed.returncode}): {tail[0]}"
        return "error", [message], None
    result = json.loads(json_path.read_text(encoding="utf-8"))
    if "skipped" in result:
        return "skipped", [f"{check.name}: skipped by the bench: {result['skipped']}"], None
    return "ran", compare(check, result), result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--floors", type=Path, default=FLOORS)
    parser.add_argument("--only", help="comma-separated entry names (default: all)")
    parser.add_argument("--keep", type=Path, help="keep each bench's JSON in this folder")
    args = parser.parse_args(argv)
    checks = load_checks(args.floors)
    if args.only:
        wanted = {n.strip() for n in args.only.split(",")}
        checks = [c for c in checks if c.name in wanted]
    failed = errors = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for check in checks:
            started = time.perf_counter()
            status, messages, result = run_check(check, out)
            seconds = time.perf_counter() - started
            if status == "ran" and result is not None:
                shown = ", ".join(f"{d} {figure(result, d):g} (floor {f:g})" for d, f in check.floors.items())
                verdict = "FAIL" if messages else "ok"
                print(f"gate {check.name}: {verdict} in {seconds:.0f} s: {shown}")
            for message in messages:
                print(f"gate {message}")
            failed += status == "ran" and bool(messages)
            errors += status == "error"
    if errors:
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
