"""What the bench scripts' command lines share: the parser that shows the script's docstring as its help,
and the ``--json FILE`` output (2-space indent, a trailing newline; nothing when no file is named)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def bench_parser(
    doc: str | None, data: Path | None = None, *, flag: str = "--data", what: str = "the data folder"
) -> argparse.ArgumentParser:
    """An argument parser whose help is the bench's docstring, as written, with every bench's ``--json``
    and, given its default, the folder of its data (``--data``, or ``flag``)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write the figures here, as JSON")
    if data is not None:
        parser.add_argument(flag, type=Path, default=data, help=f"{what} (default: {data})")
    return parser


def write_json(path: Path | None, results: Any) -> None:
    """The bench's figures as JSON, where ``--json`` named a file."""
    if path is not None:
        path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def absent(path: Path, what: str) -> bool:
    """Whether the bench's data is missing; if so, says so in one line (the bench then measures nothing
    and exits 0, so a checkout without ../shared runs every bench)."""
    if path.exists():
        return False
    print(f"skipped: {what} not found at {path} (nothing to measure; see ../shared/datasets/README.md)")
    return True
