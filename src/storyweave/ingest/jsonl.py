"""JSON (.json: one object or a list of objects) and JSON Lines (.jsonl: one object a line).

Each object is one article: ``text`` or ``html``, with optional ``url``, ``source``, ``title``,
``published`` and ``author``. One bad object or line is skipped on its own, named by its line
(``file.jsonl:LINE``) or index (``file.json[INDEX]``), so one broken record never costs the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyweave.ingest.errors import InputError
from storyweave.ingest.html import extract_html
from storyweave.ingest.text import article_id, decode
from storyweave.model import Article, Skipped

_META_FIELDS = ("url", "source", "title", "author", "published")


def _field(obj: dict[str, Any], name: str, shown: str) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "published":
        raise InputError(shown, "field 'published' must be a date string, not a number")
    if not isinstance(value, str):
        raise InputError(shown, f"field '{name}' must be a string")
    return value.strip() or None


def article_from_object(obj: Any, shown: str) -> Article:
    """Make one article from a JSON object; its fields win over anything extracted from its html."""
    if not isinstance(obj, dict):
        raise InputError(shown, f"expected a JSON object, got {type(obj).__name__}")
    meta = {name: _field(obj, name, shown) for name in _META_FIELDS}
    text = _field(obj, "text", shown)
    html = _field(obj, "html", shown)
    if text:
        article = Article(id=article_id(text), path=shown, raw=text)
    elif html:
        article = extract_html(html, shown, url=meta["url"])
    elif "text" in obj or "html" in obj:
        raise InputError(shown, "empty text")
    else:
        raise InputError(shown, "object has neither 'text' nor 'html'")
    for name, value in meta.items():
        if value is not None:
            setattr(article, name, value)
    if meta["published"] is not None:
        article.published_from = "metadata"
    return article


def _one(obj: Any, shown: str) -> Article | Skipped:
    try:
        return article_from_object(obj, shown)
    except InputError as err:
        return Skipped(err.path, err.reason)


def read_json(path: Path, shown: str) -> Iterator[Article | Skipped]:
    """Read a .json file: one article object, or a list of them."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(shown, "empty file")
    content = decode(data, shown)
    if not content.strip():
        raise InputError(shown, "empty file")
    try:
        root = json.loads(content)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InputError(shown, f"malformed JSON at {where}: {exc.msg}") from None
    if isinstance(root, list):
        if not root:
            raise InputError(shown, "empty JSON list")
        for index, obj in enumerate(root):
            yield _one(obj, f"{shown}[{index}]")
    elif isinstance(root, dict):
        yield _one(root, shown)
    else:
        raise InputError(shown, f"expected a JSON object or list, got {type(root).__name__}")


def read_jsonl(path: Path, shown: str) -> Iterator[Article | Skipped]:
    """Read a .jsonl file, one article object a line; blank lines are ignored."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(shown, "empty file")
    content = decode(data, shown)
    found = False
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        found = True
        where = f"{shown}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"malformed JSON on line {number}, column {exc.colno}: {exc.msg}")
            continue
        yield _one(obj, where)
    if not found:
        raise InputError(shown, "empty file")
