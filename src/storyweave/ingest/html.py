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
from storyweave.model import Article, PublishedFrom

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


# Per page, trafilatura's precision mode is taken when it keeps at least this share of the default mode's
# text (what it dropped was furniture), else the default mode (precision cut real paragraphs). Chosen on the
# even pages of trafilatura's eval corpus (0.85: F1 0.9277, 0.90: 0.9281, 0.93: 0.9283, 0.95: 0.9280), checked
# on the odd pages (0.9262, against trafilatura's best mode 0.9219): bench/extraction.py.
PRECISION_KEEPS = 0.9


def _bare(html: str, url: str | None, shown: str, **options: Any) -> dict[str, Any]:
    import trafilatura  # lazy: slow to import, see the module docstring

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=True,  # tables hold real content often enough: F1 +0.004 (bench/extraction.py)
            date_extraction_params={"extensive_search": False, "original_date": True},
            **options,
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds on broken markup
        raise InputError(shown, f"malformed HTML ({type(exc).__name__})") from None
    return {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()


def extract_html(html: str, shown: str, url: str | None = None) -> Article:
    """Extract one article from an HTML page; the date comes only from the page's metadata.

    ``extensive_search`` is off so that htmldate does not take a date out of the body text:
    a date found here is labelled ``metadata``, and dates in the text belong to a later stage.
    The text is trafilatura's precision mode or its default, chosen per page (PRECISION_KEEPS).
    """
    meta = _bare(html, url, shown, with_metadata=True)
    text = meta.get("text")
    if isinstance(text, str) and text.strip():
        precise = _bare(html, url, shown, with_metadata=False, favor_precision=True).get("text")
        if isinstance(precise, str) and precise.strip() and len(precise) >= PRECISION_KEEPS * len(text):
            text = precise
    if not isinstance(text, str) or not text.strip():
        raise InputError(shown, "malformed HTML: no article text found")

    def field(name: str) -> str | None:
        value = meta.get(name)
        return value.strip() or None if isinstance(value, str) else None

    published = field("date")
    published_from: PublishedFrom = "metadata" if published else "unknown"
    if published is None:
        published = _date_in_page(html, url)
        published_from = "text" if published else "unknown"
    return Article(
        id=article_id(text),
        path=shown,
        raw=text,
        url=field("url") or url,
        source=field("sitename"),
        title=field("title"),
        author=field("author"),
        published=published,
        published_from=published_from,
    )


def _date_in_page(html: str, url: str | None) -> str | None:
    """htmldate's extensive search (the page's text, its URL, its copyright line) for a page whose metadata
    names no date; labelled ``text``, so a manifest, the URL or a dateline outranks it (ingest._finish).
    Date accuracy on trafilatura's eval corpus: 0.824 without it, 0.864 with it, htmldate alone 0.865
    (bench/extraction.py)."""
    from htmldate import find_date

    try:
        found = find_date(html, url=url, extensive_search=True, original_date=True)
    except Exception:  # noqa: BLE001 - htmldate and lxml raise many kinds on broken markup
        return None
    if not isinstance(found, str) or found.endswith("-01-01"):
        return None  # 1 January is htmldate's day for a bare year ("flooded in 2019"): no date at all
    return found


def read_html(path: Path, shown: str) -> Article:
    """Read an .html/.htm file as one article."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(shown, "empty file")
    return extract_html(decode(data, shown, declared_charset(data)), shown)
