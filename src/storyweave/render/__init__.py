"""The render stage: the report contract (report.json) and the Markdown and HTML views of it.

JSON is made first and validated against the published schema; Markdown and HTML are rendered from
that same dict, so every format shows exactly what the contract says.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyweave.model import Report
from storyweave.render.json import ReportSchemaError, report_to_dict, validate_report, write_json

__all__ = ["FORMATS", "ReportSchemaError", "report_to_dict", "validate_report", "write_json", "write_report"]

#: Output formats and their file names.
FORMATS = {"json": "report.json", "md": "report.md", "html": "report.html"}


def _write_text(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a reader never sees half a report."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def write_report(
    report: Report | dict[str, Any], out_dir: Path, formats: Sequence[str] = ("json", "md")
) -> list[Path]:
    """Write the asked formats into ``out_dir``; the dict is validated even when JSON is not asked for."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    data = report if isinstance(report, dict) else report_to_dict(report)
    validate_report(data)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in dict.fromkeys(formats):
        path = out_dir / FORMATS[fmt]
        if fmt == "json":
            write_json(data, path, validated=True)
        elif fmt == "md":
            from storyweave.render.markdown import render_markdown

            _write_text(path, render_markdown(data))
        else:
            from storyweave.render.html import render_html

            _write_text(path, render_html(data))
        written.append(path)
    return written
