"""What the bench scripts' command lines share: the parser that shows the script's docstring as its help,
and the ``--json FILE`` output (2-space indent, a trailing newline; nothing when no file is named)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def bench_parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser whose help is the bench's docstring, as written."""
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def write_json(path: Path | None, results: Any) -> None:
    """The bench's figures as JSON, where ``--json`` named a file."""
    if path is not None:
        path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
