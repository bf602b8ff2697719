"""A killed run resumes to the result of a clean run (issue 17): `storyweave ingest` as a subprocess,
killed with SIGKILL at several points (early in grouping, midway, during analysis), run again, and
its store compared with a clean run's: articles, stories, memberships, word statistics, reports."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from generated import dump_store, storyweave_command, write_archive

REPO = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


def _ingest(archive: Path, db: Path) -> subprocess.CompletedProcess[str]:
    command = storyweave_command("ingest", str(archive), "--db", f"sqlite:///{db}", "--quiet")
    return subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=900, check=False)


def _count(db: Path, query: str) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute(query).fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def _ingest_killed(archive: Path, db: Path, query: str, at_least: int) -> bool:
    """Start an ingest and SIGKILL it once ``query`` counts ``at_least``; False if it ended first."""
    command = storyweave_command("ingest", str(archive), "--db", f"sqlite:///{db}", "--quiet")
    process = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while process.poll() is None:
            if db.exists() and _count(db, query) >= at_least:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=60)
                return True
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)
    return False


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.jsonl"
    write_archive(path, n=100)
    return path


@pytest.fixture(scope="module")
def clean(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    result = _ingest(archive, db)
    assert result.returncode == 0, result.stderr
    return dump_store(db)


def test_a_clean_run_groups_the_archive_into_several_stories(clean: dict[str, Any]) -> None:
    assert len(clean["articles"]) == 100
    sizes = [s["size"] for s in clean["stories"]]
    assert sum(sizes) == 100 and max(sizes) >= 5 and len(sizes) >= 8
    assert any(a["duplicate_of"] for a in clean["articles"])  # the wire copies are marked
    assert all(s["report"] is not None and s["report_size"] == s["size"] for s in clean["stories"])
    assert clean["statistics"][0]["documents"] == 100
    assert len({(m["story_id"], m["position"]) for m in clean["members"]}) == 100  # no place used twice


def test_a_run_killed_three_times_resumes_to_the_clean_result(
    archive: Path, clean: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    articles = "SELECT count(*) FROM articles"
    reports = "SELECT count(*) FROM stories WHERE report IS NOT NULL"
    kills = [
        _ingest_killed(archive, db, articles, 20),  # early in grouping
        _ingest_killed(archive, db, articles, 60),  # midway, in a later run
        _ingest_killed(archive, db, reports, 3),  # during the analysis
    ]
    assert kills[0] and kills[1], "the run ended before it could be killed"
    partial = dump_store(db)
    assert len(partial["articles"]) >= 60
    result = _ingest(archive, db)
    assert result.returncode == 0, result.stderr
    resumed = dump_store(db)
    assert resumed["members"] == clean["members"]
    assert resumed["articles"] == clean["articles"]
    assert resumed["statistics"] == clean["statistics"]
    assert [s["id"] for s in resumed["stories"]] == [s["id"] for s in clean["stories"]]
    assert resumed["stories"] == clean["stories"]  # states, reports and their sizes


def test_a_story_grown_by_a_run_killed_before_its_analysis_is_analysed_again(tmp_path: Path) -> None:
    """A run that stored and grouped but never analysed leaves stale reports: the next run redoes them."""
    from storyweave.pipeline import ingest
    from storyweave.store import open_store

    archive = tmp_path / "a.jsonl"
    write_archive(archive, n=20, seed=3)
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    first = ingest([str(archive)], db=db)
    store = open_store(db)
    story = first.stories[0]
    size = len(store.members(story))
    with store.engine.begin() as connection:  # as a killed run leaves it: the report of one member fewer
        connection.exec_driver_sql("UPDATE stories SET report_size = size - 1 WHERE id = ?", (story,))
    assert story in store.unanalysed()
    store.close()
    again = ingest([str(archive)], db=db)
    assert again.added == [] and again.stories == []
    store = open_store(db)
    assert story not in store.unanalysed()
    assert len(store.story_report(story)["articles"]) == size  # type: ignore[index]
    store.close()


def test_a_store_made_before_these_columns_gets_them_on_opening(tmp_path: Path) -> None:
    from sqlalchemy import inspect

    from storyweave.store import open_store

    db = f"sqlite:///{tmp_path / 'old.db'}"
    store = open_store(db)
    with store.engine.begin() as connection:
        for table, column in (("stories", "pending"), ("stories", "report_size"), ("articles", "doc")):
            connection.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    store.close()
    store = open_store(db)
    columns = {c["name"] for c in inspect(store.engine).get_columns("stories")}
    assert {"pending", "report_size"} <= columns
    assert "doc" in {c["name"] for c in inspect(store.engine).get_columns("articles")}
    assert store.unanalysed() == []
    store.close()
