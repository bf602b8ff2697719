"""Progress bars: a bar with counts and a rate on a terminal, nothing at all when output is piped."""

from __future__ import annotations

import io
import time

from rich.console import Console

from storyweave.cli_progress import progress_hook


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


def test_piped_output_gets_nothing() -> None:
    out = io.StringIO()
    with progress_hook(enabled=False, console=Console(file=out)) as hook:
        hook("group", 1, 2)
    assert out.getvalue() == ""
