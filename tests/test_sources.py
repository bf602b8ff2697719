"""Originality and rewrites: a lightly reworded copy is derived from its source and counts once."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEED_DATE
from storyweave import analyze


def _rewrite(text: str) -> str:
    """What a rewriting site does: swaps small words, keeps the facts and most phrases."""
    for old, new in [
        (" the ", " this "),
        (" has ", " had "),
        ("President", "Pres."),
        (" and ", " as well as "),
    ]:
        text = text.replace(old, new)
    return text


def test_rewrite_is_derived_and_counts_once(seeds_dir: Path, tmp_path: Path) -> None:
    source = next(seeds_dir.glob("003_*.txt")).read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "original.txt").write_text(source, encoding="utf-8")
    (folder / "rewrite.txt").write_text(_rewrite(source), encoding="utf-8")
    other = next(seeds_dir.glob("004_*.txt")).read_text(encoding="utf-8")
    (folder / "other.txt").write_text(other, encoding="utf-8")
    # Publication times tell which came first; the rewrite appeared a day later.
    (folder / "manifest.csv").write_text(
        "path,url,source,title,published\n"
        "original.txt,,Original,,2026-01-07\nrewrite.txt,,Rewriter,,2026-01-08\nother.txt,,Other,,2026-01-08\n",
        encoding="utf-8",
    )
    analyze([str(folder)], published=SEED_DATE, db=f"sqlite:///{tmp_path / 'sw.db'}", out=tmp_path / "out")
    story = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["stories"][0]
    by_name = {Path(a["path"]).name: a for a in story["articles"]}
    rewrite, original, third = by_name["rewrite.txt"], by_name["original.txt"], by_name["other.txt"]
    assert rewrite["duplicate_of"] is None  # too reworded to be a copy...
    derived = rewrite["originality"]["derived_from"]
    assert [d["article"] for d in derived] == [original["id"]]  # ...but a rewrite of it
    assert derived[0]["share"] >= 0.8
    assert original["originality"]["derived_from"] == []
    assert third["originality"]["derived_from"] == []
    assert rewrite["originality"]["score"] < 0.2 < third["originality"]["score"]
    both = [
        c for c in story["facts"] if {s["article"] for s in c["support"]} == {rewrite["id"], original["id"]}
    ]
    assert both and all(c["sources"] == 2 and c["independent_sources"] == 1 for c in both)
    assert all(c["status"] == "single_source" for c in both)


def test_seed_outlets_are_independent(seed_story: dict) -> None:
    assert all(a["originality"]["derived_from"] == [] for a in seed_story["articles"])
    assert all(0 < a["originality"]["score"] < 1 for a in seed_story["articles"])
