"""The sidecar ``manifest.csv``: metadata for files that carry none of their own.

A folder may hold a ``manifest.csv`` with the columns ``path,url,source,title,published``
(``author`` too, if wanted; only ``path`` is required). Paths are relative to the manifest's
folder. A manifest fills what a file does not say itself: a date in an HTML page's metadata or a
JSON field wins over the manifest, and the manifest wins over guesses (a text file's first line).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from storyweave.ingest.errors import InputError

MANIFEST_NAME = "manifest.csv"
FIELDS = ("url", "source", "title", "published", "author")


@dataclass(frozen=True)
class ManifestEntry:
    """One manifest row: metadata for one file."""

    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None
    author: str | None = None


def read_manifest(path: Path, shown: str) -> dict[Path, ManifestEntry]:
    """Read a manifest into a map from each listed file's resolved path to its metadata."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(shown, "manifest is not UTF-8 text") from None
    reader = csv.DictReader(content.splitlines())
    columns = [name.strip().lower() for name in reader.fieldnames or []]
    if "path" not in columns:
        raise InputError(shown, "manifest has no 'path' column")
    reader.fieldnames = columns
    entries: dict[Path, ManifestEntry] = {}
    base = path.parent
    try:
        for row in reader:
            rel = (row.get("path") or "").strip()
            if not rel:
                continue
            values = {name: ((row.get(name) or "").strip() or None) for name in FIELDS}
            try:
                key = (base / rel).resolve()
            except (ValueError, OSError, RuntimeError):  # a NUL byte, a name too long, a link loop
                raise InputError(shown, f"malformed manifest at line {reader.line_num}: bad path") from None
            entries[key] = ManifestEntry(**values)
    except csv.Error as exc:
        raise InputError(shown, f"malformed manifest at line {reader.line_num}: {exc}") from None
    return entries
