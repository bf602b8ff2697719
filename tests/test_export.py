"""storyweave export --parquet: the store as Parquet tables, read back with DuckDB and pyarrow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from storyweave.cli import app

duckdb = pytest.importorskip("duckdb", reason="the export tests read the tables with DuckDB (dev extra)")
pq = pytest.importorskip("pyarrow.parquet", reason="Parquet export needs pyarrow (the ray extra)")

TABLES = {"articles", "stories", "facts", "quotes", "timeline", "events"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example corpus ingested by the local engine, its report, and the store exported."""
    work = tmp_path_factory.mktemp("export")
    db = f"sqlite:///{work / 'sw.db'}"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["analyze", str(EXAMPLES), "--db", db, "--out", str(work / "out")]).exit_code == 0
    )
    result = runner.invoke(app, ["export", "--parquet", str(work / "tables"), "--db", db])
    assert result.exit_code == 0, result.output
    report = json.loads((work / "out" / "report.json").read_text(encoding="utf-8"))
    return {"folder": work / "tables", "report": report, "printed": result.stdout}


def test_every_table_is_written_and_counted(exported: dict[str, Any]) -> None:
    folder: Path = exported["folder"]
    assert {p.stem for p in folder.glob("*.parquet")} == TABLES
    story = exported["report"]["stories"][0]
    for name, key in (
        ("facts", "facts"),
        ("quotes", "quotes"),
        ("timeline", "timeline"),
        ("events", "events"),
    ):
        assert pq.read_metadata(folder / f"{name}.parquet").num_rows == len(story[key]), name
        assert f"{name} {len(story[key])}" in exported["printed"]


def test_duckdb_reads_the_articles_as_the_report_shows_them(exported: dict[str, Any]) -> None:
    folder: Path = exported["folder"]
    story = exported["report"]["stories"][0]
    rows = duckdb.sql(
        "SELECT story_id, id, path, source, published, words, quality_score, len(text) "
        f"FROM '{folder / 'articles.parquet'}' ORDER BY position"
    ).fetchall()
    by_id = {a["id"]: a for a in story["articles"]}
    assert [r[1] for r in rows] == [a["id"] for a in story["articles"]]
    for story_id, article_id, path, source, published, words, quality, length in rows:
        shown = by_id[article_id]
        assert story_id == story["id"]
        assert (path, source, published, words) == (
            shown["path"],
            shown["source"],
            shown["published"],
            shown["words"],
        )
        assert quality == shown["quality"]["score"] and length > 200
    joined = duckdb.sql(
        f"SELECT s.title, count(*) FROM '{folder / 'stories.parquet'}' s "
        f"JOIN '{folder / 'articles.parquet'}' a ON a.story_id = s.id GROUP BY s.title"
    ).fetchall()
    assert joined == [(story["title"], len(story["articles"]))]


def test_facts_keep_their_support_with_offsets(exported: dict[str, Any]) -> None:
    folder: Path = exported["folder"]
    story = exported["report"]["stories"][0]
    first = story["facts"][0]
    rows = duckdb.sql(
        f"SELECT status, sources, support FROM '{folder / 'facts.parquet'}' WHERE id = '{first['id']}'"
    ).fetchall()
    assert len(rows) == 1
    status, sources, support = rows[0]
    assert (status, sources) == (first["status"], first["sources"])
    assert [(s["article"], s["start"], s["end"]) for s in support] == [
        (s["article"], s["start"], s["end"]) for s in first["support"]
    ]


def test_an_empty_store_gives_empty_tables_and_a_bad_url_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    empty = runner.invoke(
        app, ["export", "--parquet", str(tmp_path / "t"), "--db", f"sqlite:///{tmp_path / 'e.db'}"]
    )
    assert empty.exit_code == 0, empty.output
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 't' / 'articles.parquet'}'").fetchall() == [(0,)]
    bad = runner.invoke(app, ["export", "--parquet", str(tmp_path / "u"), "--db", "nosuchdialect://x"])
    assert bad.exit_code == 1
    assert bad.output.count("\n") == 1 and "nosuchdialect" in bad.output
