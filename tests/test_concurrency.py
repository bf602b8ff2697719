"""Two writers on one store (issue 17): two `storyweave ingest` processes at once on one SQLite file
(and on one PostgreSQL database) queue on the store's grouping lock and end with the store that
running them one after the other gives, never with one's updates lost or a batch failed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generated import dump_store, storyweave_command, write_archive

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("STORYWEAVE_TEST_PG_URL")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


def _command(archive: Path, url: str) -> list[str]:
    return storyweave_command("ingest", str(archive), "--db", url, "--quiet")


def _serial(archives: list[Path], url: str) -> None:
    for archive in archives:
        done = subprocess.run(_command(archive, url), env=_env(), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr


def _together(archives: list[Path], url: str) -> None:
    running = [
        subprocess.Popen(
            _command(a, url), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for a in archives
    ]
    for process in running:
        _out, err = process.communicate(timeout=900)
        assert process.returncode == 0, err


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> list[Path]:
    """Two batches of the same two stories over the same weeks: their grouping overlaps throughout."""
    folder = tmp_path_factory.mktemp("archives")
    paths = [folder / "a.jsonl", folder / "b.jsonl"]
    write_archive(paths[0], n=40, seed=11, undated=0)
    write_archive(paths[1], n=40, seed=12, undated=0)
    return paths


def _first(store: dict[str, Any], archives: list[Path]) -> int:
    """Which batch the concurrent run grouped first: the one holding the article numbered 0."""
    from storyweave.pipeline import read_and_clean

    first_id = next(a["id"] for a in store["articles"] if a["grouped"] == 0)

    for number, archive in enumerate(archives):
        ids = {a.id for a in read_and_clean([str(archive)], None, lambda _s: None)[0]}
        if first_id in ids:
            return number
    raise AssertionError("the first grouped article is in neither batch")


def _check(archives: list[Path], together_url: str, serial_url: Any) -> None:
    _together(archives, together_url)
    concurrent = dump_store(together_url)
    assert len(concurrent["articles"]) == 80
    assert sum(s["size"] for s in concurrent["stories"]) == 80
    assert sorted(a["grouped"] for a in concurrent["articles"]) == list(range(80))
    assert len({(m["story_id"], m["position"]) for m in concurrent["members"]}) == 80  # no place twice
    first = _first(concurrent, archives)
    order = archives if first == 0 else archives[::-1]
    _serial(order, serial_url)
    assert concurrent == dump_store(serial_url)


def test_two_ingests_on_one_sqlite_file_end_as_one_after_the_other(
    archives: list[Path], tmp_path: Path
) -> None:
    _check(archives, f"sqlite:///{tmp_path / 'together.db'}", f"sqlite:///{tmp_path / 'serial.db'}")


@pytest.mark.skipif(
    not PG_URL, reason="no PostgreSQL server: set STORYWEAVE_TEST_PG_URL (scripts/postgres.sh)"
)
def test_two_ingests_on_one_postgresql_database_end_as_one_after_the_other(
    archives: list[Path], tmp_path: Path
) -> None:
    from sqlalchemy import create_engine

    from storyweave.store.schema import metadata

    assert PG_URL is not None
    engine = create_engine(PG_URL)
    metadata.drop_all(engine)
    engine.dispose()
    _check(archives, PG_URL, f"sqlite:///{tmp_path / 'serial.db'}")
