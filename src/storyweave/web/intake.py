"""Articles posted to the server, read by the CLI's own readers and stored through the CLI's own pipeline.

A posted JSON object or an uploaded file is written to a private temporary folder and read with
:func:`storyweave.ingest.read_inputs`, so it gets exactly the checks, metadata rules and one-line reasons
a file given to ``storyweave ingest`` gets; the temporary path is then replaced by the name the reader
gave (``upload/<file name>``, ``posted/<digest>.json``), since the folder is gone once the request ends.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyweave.defaults import QUIET_DAYS, SUMMARY_SENTENCES
from storyweave.ingest import READERS, read_inputs
from storyweave.model import Article, Skipped

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
POSTED_FIELDS = ("text", "html", "url", "source", "title", "published", "author")


class BadRequest(ValueError):
    """Input the API refuses, with the one-line reason it answers with (and its HTTP status)."""

    def __init__(self, reason: str, status: int = 422) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _kind(name: str) -> str:
    lower = name.lower()
    return ".warc.gz" if lower.endswith(".warc.gz") else Path(lower).suffix


def safe_name(filename: str | None) -> str:
    """An uploaded file's base name with anything odd replaced; its suffix decides the reader."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE_NAME.sub("_", base).strip("._") or "upload.txt"
    return cleaned[:120]


def _read_as(data: bytes, name: str, shown: str, published: str | None) -> list[Article | Skipped]:
    with tempfile.TemporaryDirectory(prefix="storyweave-post-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        items = list(read_inputs([path], published=published))
    prefix = str(path)
    for item in items:
        if item.path.startswith(prefix):
            item.path = shown + item.path[len(prefix) :]
    return items


def read_posted(obj: Any, published: str | None = None) -> list[Article | Skipped]:
    """A posted JSON article object: ``{text|html, url, source, title, published, author}``."""
    if not isinstance(obj, dict):
        raise BadRequest(f"expected a JSON object with 'text' or 'html', got {type(obj).__name__}")
    unknown = sorted(set(obj) - set(POSTED_FIELDS))
    if unknown:
        raise BadRequest(f"unknown field(s) {', '.join(unknown)} (known: {', '.join(POSTED_FIELDS)})")
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True).encode("utf-8")
    shown = f"posted/{hashlib.sha1(data).hexdigest()[:12]}.json"
    return _read_as(data, "article.json", shown, published)


def read_upload(data: bytes, filename: str | None, published: str | None = None) -> list[Article | Skipped]:
    """An uploaded file of any kind ``storyweave ingest`` reads (.txt, .html, .json, .jsonl, .warc, ...)."""
    name = safe_name(filename)
    if _kind(name) not in READERS:
        kinds = ", ".join(sorted(READERS))
        raise BadRequest(
            f"{name}: unsupported file type {_kind(name) or '(no extension)'} (one of {kinds})", 415
        )
    return _read_as(data, name, f"upload/{name}", published)


@dataclass
class Intake:
    """What one write request stored: each article with its story, and what was skipped."""

    stored: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "story": self.stored[0]["story"] if self.stored else None,
            "stories": self.stories,
            "stored": self.stored,
            "skipped": self.skipped,
            "failed": self.failed,
        }


class Writer:
    """Runs the ingest pipeline for the server, one write at a time (grouping is sequential by design)."""

    def __init__(
        self, db: str, quiet_days: int = QUIET_DAYS, summary_sentences: int = SUMMARY_SENTENCES
    ) -> None:
        self.db = db
        self.quiet_days = quiet_days
        self.summary_sentences = summary_sentences
        self._lock = threading.Lock()

    def ingest(self, items: Iterable[Article | Skipped]) -> Intake:
        from storyweave.pipeline import ingest
        from storyweave.store import open_store

        given = list(items)
        articles = [i for i in given if isinstance(i, Article)]
        intake = Intake(
            skipped=[{"path": i.path, "reason": i.reason} for i in given if isinstance(i, Skipped)]
        )
        if not articles:
            return intake
        with self._lock:
            result = ingest(
                [],
                db=self.db,
                quiet_days=self.quiet_days,
                summary_sentences=self.summary_sentences,
                items=articles,
            )
            store = open_store(self.db)
            try:
                story_of = store.story_of([a.id for a in articles])
            finally:
                store.close()
        added = set(result.added)
        intake.skipped.extend({"path": s.path, "reason": s.reason} for s in result.skipped)
        intake.failed = [{"story": f.path, "reason": f.reason} for f in result.failed]
        seen: set[str] = set()
        for article in articles:
            if article.id in seen or article.id not in story_of:
                continue
            seen.add(article.id)
            intake.stored.append(
                {
                    "article": article.id,
                    "story": story_of[article.id],
                    "path": article.path,
                    "new": article.id in added,
                }
            )
        intake.stories = list(dict.fromkeys([*result.stories, *(s["story"] for s in intake.stored)]))
        return intake
