"""Progress bars: a bar with counts and a rate on a terminal, nothing at all when output is piped."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from conftest import EXAMPLES
from storyweave.cli_progress import progress_hook

CLI = [sys.executable, "-m", "storyweave.cli"]


def test_a_terminal_gets_a_bar_with_count_and_rate() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with progress_hook(enabled=True, console=console) as hook:
        for done in range(1, 41):
            hook("group", done, 40)
            time.sleep(0.01)
    text = out.getvalue()
    assert "group" in text and "40/40" in text
    assert "/s" in text


def _analyze_with_stderr_on(stderr: int, folder: Path, work: Path) -> subprocess.Popen[bytes]:
    """``storyweave analyze`` as a user starts it, its stderr (where the bar goes) on the given descriptor."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE")}
    env.update(TERM="xterm-256color", COLUMNS="120")
    return subprocess.Popen(
        [*CLI, "analyze", str(folder), "--db", f"sqlite:///{work / 'sw.db'}", "--out", str(work / "out")],
        cwd=work,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        env=env,
    )


@pytest.mark.slow
def test_the_cli_draws_the_bar_on_a_terminal_and_not_into_a_pipe(tmp_path: Path) -> None:
    """The real decision: the same command with stderr a pseudo-terminal, then a pipe."""
    (tmp_path / "tty").mkdir()
    (tmp_path / "pipe").mkdir()
    controller, terminal = pty.openpty()
    process = _analyze_with_stderr_on(terminal, EXAMPLES, tmp_path / "tty")
    os.close(terminal)
    chunks: list[bytes] = []

    def drain() -> None:  # a full terminal buffer would block the command
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the command has closed its end
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    assert process.wait(timeout=300) == 0
    reader.join(timeout=10)
    os.close(controller)
    on_terminal = b"".join(chunks).decode("utf-8", "replace")

    piped = _analyze_with_stderr_on(subprocess.PIPE, EXAMPLES, tmp_path / "pipe")
    _, err = piped.communicate(timeout=300)
    assert piped.returncode == 0
    in_pipe = err.decode("utf-8", "replace")

    assert "annotate" in on_terminal and "\x1b[" in on_terminal  # the bar, drawn with cursor moves
    assert "annotate" not in in_pipe and "\x1b[" not in in_pipe
    assert "━" not in in_pipe
