"""Stored text printed to a terminal is text: Rich markup, terminal escapes and hyperlinks from a title or an
outlet name are shown as written (escapes removed), never interpreted, and never crash the listing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES

CLI = [sys.executable, "-m", "storyweave.cli"]
TITLE = "Floods [/] hit [link=http://evil.test]click[/link] \x1b[31mred\x1b[0m :warning: [bold]x"
OUTLET = "Evil \x1b]8;;http://evil.test\x07Wire\x1b]8;;\x07 [/red]"


def test_hostile_title_and_outlet_print_as_text(tmp_path: Path) -> None:
    text = (EXAMPLES / "courier.txt").read_text(encoding="utf-8")
    record = {"title": TITLE, "source": OUTLET, "text": text, "published": "2026-03-11"}
    (tmp_path / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    ingest = subprocess.run(
        [*CLI, "ingest", str(tmp_path / "hostile.jsonl"), "--db", db],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ingest.returncode == 0, ingest.stderr
    listing = subprocess.run(
        [*CLI, "stories", "--db", db], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert listing.returncode == 0 and "Traceback" not in listing.stderr, listing.stderr
    out = listing.stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "Floods [/] hit [link=http://evil.test]click[/link]" in out  # markup shown, not applied
    assert "red :warning: [bold]x" in out  # the escape sequence gone, its text kept; no emoji
    assert "Evil Wire [/red]" in out  # the OSC 8 hyperlink removed, the outlet's words kept


def test_control_characters_in_a_skipped_path_are_not_sent_to_the_terminal(tmp_path: Path) -> None:
    bad = tmp_path / "evil\x1b[2Jname[b].txt"
    bad.write_bytes(b"")
    result = subprocess.run(
        [*CLI, "ingest", str(bad), "--db", f"sqlite:///{tmp_path / 'sw.db'}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert "evilname[b].txt" in line and "empty" in line
