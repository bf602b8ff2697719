"""The command line as a user runs it: a subprocess, real files, bad inputs among them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

CLI = [sys.executable, "-m", "storyweave.cli"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One good report among broken files: binary, empty, malformed JSON, mis-encoded text."""
    folder = tmp_path_factory.mktemp("mixed")
    good = next(EXAMPLES.glob("*.txt"))
    (folder / "good.txt").write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "broken.json").write_text('{"text": "unterminated', encoding="utf-8")
    (folder / "shiftjis.txt").write_bytes("東京で大雨、住民が避難。".encode("shift_jis") * 20)
    return folder


@pytest.mark.slow
def test_bad_inputs_are_reported_one_line_each_and_the_run_goes_on(
    mixed_folder: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-file.txt"
    result = run_cli(
        "analyze",
        str(mixed_folder),
        str(missing),
        "--out",
        str(tmp_path / "out"),
        "--db",
        f"sqlite:///{tmp_path / 'sw.db'}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name, reason in [
        ("image.txt", "binary"),
        ("empty.txt", "empty"),
        ("broken.json", "JSON"),
        ("shiftjis.txt", "encoding"),
        ("no-such-file.txt", "no such file"),
    ]:
        lines = [line for line in result.stderr.splitlines() if line.startswith("skipped") and name in line]
        assert len(lines) == 1, (name, result.stderr)
        assert reason.lower() in lines[0].lower(), lines[0]
    assert "5 input(s) skipped" in result.stderr
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["corpus"]["articles"] == 1
    assert {Path(s["path"]).name for s in data["corpus"]["skipped"]} == {
        "image.txt",
        "empty.txt",
        "broken.json",
        "shiftjis.txt",
        "no-such-file.txt",
    }


@pytest.mark.slow
def test_nothing_analysable_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    result = run_cli(
        "analyze",
        str(tmp_path / "empty.txt"),
        "--out",
        str(tmp_path / "out"),
        "--db",
        f"sqlite:///{tmp_path / 'sw.db'}",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "nothing could be analysed" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_option_values_get_one_line(tmp_path: Path) -> None:
    result = run_cli("analyze", str(EXAMPLES), "--published", "8 Jan", "--out", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "--published '8 Jan' is not a date" in result.stderr
    result = run_cli("analyze", str(EXAMPLES), "--format", "pdf", "--out", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown format pdf" in result.stderr


@pytest.mark.slow
def test_example_corpus_default_database_and_formats(tmp_path: Path) -> None:
    result = run_cli("analyze", str(EXAMPLES), "--out", "out", "--format", "json,md,html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "storyweave.db").is_file()  # the default SQLite file in the working directory
    for name in ("report.json", "report.md", "report.html"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert "story(ies)" in result.stdout
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["corpus"]["stories"] == 1
    assert data["corpus"]["articles"] == 5


@pytest.mark.slow
def test_unusable_database_or_output_gets_one_line(tmp_path: Path) -> None:
    cases = [
        (["--db", "nosuchdb://x"], "not a usable database URL 'nosuchdb://x'"),
        (["--db", f"sqlite:///{tmp_path}/missing/dir/x.db"], "cannot open database"),
    ]
    for extra, expected in cases:
        result = run_cli("analyze", str(EXAMPLES), "--out", str(tmp_path / "out"), *extra, cwd=tmp_path)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], result.stderr


@pytest.mark.slow
def test_stories_lists_and_report_renders_a_stored_story(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    assert run_cli("analyze", str(EXAMPLES), "--out", "first", "--db", db, "-q", cwd=tmp_path).returncode == 0
    listed = run_cli("stories", "--db", db, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    first = json.loads((tmp_path / "first" / "report.json").read_text(encoding="utf-8"))
    story_id = first["stories"][0]["id"]
    assert story_id in listed.stdout and "Northern Wire" in listed.stdout
    again = run_cli("report", story_id[:6], "--db", db, "--out", "again", "-f", "json,md", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    rendered = (tmp_path / "again" / "report.json").read_bytes()
    assert rendered == (tmp_path / "first" / "report.json").read_bytes()
    missing = run_cli("report", "s-nothing", "--db", db, cwd=tmp_path)
    assert missing.returncode == 2 and "no stored story matches" in missing.stderr
