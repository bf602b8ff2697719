"""HTML pages (.html, .htm): main text and metadata through trafilatura.

trafilatura is imported inside :func:`extract_html`, not at module level: it takes ~150 ms to
import, and a run over plain text files should not pay for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from storyweave.ingest.errors import InputError
from storyweave.ingest.text import article_id, decode
from storyweave.model import Article

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def extract_html(html: str, shown: str, url: str | None = None) -> Article:
    """Extract one article from an HTML page; the date comes only from the page's metadata.

    ``extensive_search`` is off so that htmldate does not take a date out of the body text:
    a date found here is labelled ``metadata``, and dates in the text belong to a later stage.
    """
    import trafilatura  # lazy: slow to import, see the module docstring

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds on broken markup
        raise InputError(shown, f"malformed HTML ({type(exc).__name__})") from None
    meta: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
    text = meta.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(shown, "malformed HTML: no article text found")

    def field(name: str) -> str | None:
        value = meta.get(name)
        return value.strip() or None if isinstance(value, str) else None

    published = field("date")
    return Article(
        id=article_id(text),
        path=shown,
        raw=text,
        url=field("url") or url,
        source=field("sitename"),
        title=field("title"),
        author=field("author"),
        published=published,
        published_from="metadata" if published else "unknown",
    )


def read_html(path: Path, shown: str) -> Article:
    """Read an .html/.htm file as one article."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(shown, "empty file")
    return extract_html(decode(data, shown, declared_charset(data)), shown)
