"""Shared fixtures: the seed corpus analysed once per test session, through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLES = REPO / "examples" / "corpus"
SEED_DATE = "2026-01-08"


def seed_path(prefix: str) -> str:
    """The path of the seed report whose file name starts with ``prefix`` (e.g. "000")."""
    return str(next(SEEDS.glob(f"{prefix}_*.txt")))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS} (expected ../shared/seeds beside the repo)")
    return SEEDS


@pytest.fixture(scope="session")
def seed_run(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seed corpus through ``storyweave.analyze``: the report object, its JSON and the paths used."""
    from storyweave import analyze

    work = tmp_path_factory.mktemp("seed-run")
    db = f"sqlite:///{work / 'storyweave.db'}"
    report = analyze([str(seeds_dir)], published=SEED_DATE, db=db, out=work / "out", formats=("json", "md"))
    data = json.loads((work / "out" / "report.json").read_text(encoding="utf-8"))
    return {"report": report, "data": data, "db": db, "out": work / "out", "work": work}


@pytest.fixture(scope="session")
def seed_story(seed_run: dict[str, Any]) -> dict[str, Any]:
    story: dict[str, Any] = seed_run["data"]["stories"][0]
    return story


def article_id_of(story: dict[str, Any], prefix: str) -> str:
    """The id of the seed article whose file name starts with ``prefix``."""
    return next(a["id"] for a in story["articles"] if Path(a["path"]).name.startswith(prefix))


@pytest.fixture(scope="session")
def example_story(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The shipped example corpus through ``storyweave.analyze``: its one story as report JSON."""
    from storyweave import analyze

    work = tmp_path_factory.mktemp("example-run")
    analyze([str(EXAMPLES)], db=f"sqlite:///{work / 'sw.db'}", out=work / "out", formats=("json",))
    data = json.loads((work / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["corpus"]["stories"] == 1
    story: dict[str, Any] = data["stories"][0]
    return story


def label_of(story: dict[str, Any], article_id: str) -> str:
    return str(next(a["label"] for a in story["articles"] if a["id"] == article_id))
