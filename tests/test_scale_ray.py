"""The Ray engine against the local engine on the same inputs: the same store, stories, ids and reports.

One local Ray (num_cpus=2) serves the whole module; both engines ingest the same inputs in the same
two runs (three seed reports, then the seed folder and the example corpus: a story that grows with
stored articles, and a new story), and what ``storyweave stories`` and ``storyweave report`` print
must be the same, byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, SEED_DATE, SEEDS
from storyweave.cli import app

ray = pytest.importorskip("ray", reason="the Ray engine's tests need the ray extra (pip install -e '.[ray]')")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """A real local Ray for the module; the engine uses it (and leaves it running) instead of its own."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _runs(bad: Path) -> list[list[str]]:
    """Two ingest runs: a part of the seeds, then the rest of them with the example corpus and a
    folder holding a malformed file and a copy of an example report (a repeat across inputs)."""
    if not SEEDS.is_dir():
        return [[str(EXAMPLES / "courier.txt"), str(EXAMPLES / "radio.jsonl")], [str(EXAMPLES), str(bad)]]
    first = sorted(str(p) for p in SEEDS.glob("*.txt"))[:3]
    return [first, [str(SEEDS), str(EXAMPLES), str(bad)]]


def _ingest(db: str, paths: list[str], *engine: str) -> str:
    result = CliRunner().invoke(
        app, ["ingest", *paths, "--published", SEED_DATE, "--db", db, "--quiet-days", "7", *engine]
    )
    assert result.exit_code == 0, result.output
    return result.stderr + result.stdout  # the skips, then the summary (and the tables written)


def _outputs(db: str, out: Path) -> dict[str, Any]:
    """What a user sees of a store: the story listing, and every story's report.json and report.md."""
    runner = CliRunner()
    listing = runner.invoke(app, ["stories", "--db", db])
    assert listing.exit_code == 0, listing.output
    ids = [line.split()[0] for line in listing.stdout.splitlines() if line.strip().startswith("s-")]
    reports: dict[str, tuple[bytes, bytes]] = {}
    for story_id in ids:
        folder = out / story_id
        rendered = runner.invoke(app, ["report", story_id, "--db", db, "--out", str(folder)])
        assert rendered.exit_code == 0, rendered.output
        reports[story_id] = ((folder / "report.json").read_bytes(), (folder / "report.md").read_bytes())
    return {"listing": listing.stdout, "ids": ids, "reports": reports}


# Two reports of our own, as a crawl archive holds them: read by the Ray engine's two workers in shares.
_ARCHIVED = [
    (
        "Harbour ferry service resumes after storm repairs",
        "The harbour ferry between Eastport and Gull Island resumed service on Thursday after three weeks "
        "of repairs to the Eastport landing, which the February storm had damaged. The operator said the "
        "first crossing left at 7:15 with 42 passengers aboard and that the timetable would return to "
        "hourly departures by Monday. Repairs cost about 1.2 million dollars, the port authority said.",
    ),
    (
        "Gull Island crossing back in service",
        "Ferries are crossing to Gull Island again. The service stopped after the February storm broke "
        "part of the Eastport landing; repair crews finished this week, and the first boat sailed on "
        "Thursday morning. A spokeswoman for the port authority put the cost of the work at about "
        "1.2 million dollars and said hourly sailings would resume on Monday.",
    ),
]


def _archive(path: Path) -> None:
    """A WARC.gz of the reports above, the first twice (a repeat that two readers' shares split)."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, (title, body) in enumerate([_ARCHIVED[0], *_ARCHIVED]):
            page = f"<html><head><title>{title}</title></head><body><article><p>{body}</p></article></body>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            payload = io.BytesIO((page + "</html>").encode())
            url = f"https://harbour.example/{n}"
            record = writer.create_warc_record(url, "response", payload=payload, http_headers=headers)
            writer.write_record(record)


@pytest.fixture(scope="module")
def both_engines(local_ray: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("engines")
    bad = work / "bad"
    bad.mkdir()
    (bad / "broken.json").write_text('{"text": "unterminated', encoding="utf-8")
    (bad / "copy.txt").write_text((EXAMPLES / "courier.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _archive(bad / "harbour.warc.gz")
    results: dict[str, Any] = {}
    for name, flags in (("local", []), ("ray", ["--engine", "ray", "--workers", "2"])):
        db = f"sqlite:///{work / name}.db"
        first, second = _runs(bad)
        # the Ray engine writes the Parquet tables at the end of its second run
        parquet = ["--parquet", str(work / "parquet")] if name == "ray" else []
        printed = [_ingest(db, first, *flags), _ingest(db, second, *flags, *parquet)]
        results[name] = {"printed": printed, "db": db, **_outputs(db, work / f"out-{name}")}
    results["parquet"] = work / "parquet"
    return results


def test_both_engines_store_the_same_stories_and_byte_identical_reports(both_engines: dict[str, Any]) -> None:
    local, ray_run = both_engines["local"], both_engines["ray"]
    # the same skips and counts (read, new, stored, stories), then the tables the Ray run wrote
    assert local["printed"][0] == ray_run["printed"][0]
    *lines, tables = ray_run["printed"][1].splitlines()
    assert local["printed"][1].splitlines() == lines
    assert any("broken.json" in line for line in lines)
    assert any("copy.txt: duplicate of" in line and "courier.txt" in line for line in lines)
    assert any("harbour.warc.gz#2: duplicate of" in line and "harbour.warc.gz#1" in line for line in lines)
    assert f", stories {len(local['ids'])}, " in tables
    assert len(local["ids"]) >= 2
    assert ray_run["listing"] == local["listing"]
    assert ray_run["ids"] == local["ids"]
    for story_id, (report_json, report_md) in local["reports"].items():
        assert ray_run["reports"][story_id][0] == report_json, story_id
        assert ray_run["reports"][story_id][1] == report_md, story_id
    grown = json.loads(local["reports"][local["ids"][0]][0])["stories"][0]
    expected = 5 if SEEDS.is_dir() else 2
    assert len(grown["articles"]) == expected  # the story grew in the second run, stored articles and all
    assert grown["facts"] and grown["quotes"]


def test_the_ray_engine_writes_parquet_that_duckdb_reads(both_engines: dict[str, Any]) -> None:
    duckdb = pytest.importorskip("duckdb")
    folder: Path = both_engines["parquet"]
    articles = duckdb.sql(
        "SELECT story_id, id, published, words "
        f"FROM '{folder / 'articles.parquet'}' ORDER BY story_id, position"
    ).fetchall()
    stories = duckdb.sql(
        f"SELECT id, articles FROM '{folder / 'stories.parquet'}' ORDER BY position"
    ).fetchall()
    assert [s[0] for s in stories] == both_engines["ray"]["ids"]
    assert sum(s[1] for s in stories) == len(articles)
    reported = {
        a["id"]
        for story_json, _ in both_engines["ray"]["reports"].values()
        for a in json.loads(story_json)["stories"][0]["articles"]
    }
    assert {a[1] for a in articles} == reported
    assert all(a[3] > 50 for a in articles)


def test_the_local_engine_never_imports_ray(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from storyweave.cli import app\n"
        f"CliRunner().invoke(app, ['ingest', {str(tmp_path / 'missing.txt')!r}, '--db', 'sqlite://'])\n"
        "print('ray' in sys.modules, 'pyarrow' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["False", "False"]


def test_engine_options_are_checked_before_anything_runs(tmp_path: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(app, ["ingest", str(EXAMPLES), "--engine", "spark", "--db", "sqlite://"])
    assert unknown.exit_code == 2 and "unknown engine 'spark'" in unknown.output
    local = runner.invoke(app, ["ingest", str(EXAMPLES), "--workers", "2", "--db", "sqlite://"])
    assert local.exit_code == 2 and "--engine ray" in local.output
