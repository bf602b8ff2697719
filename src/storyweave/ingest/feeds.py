"""RSS and Atom feeds: one article per item, from the item's own content or from its linked page.

An item that carries its full text (content:encoded, Atom content) is read from it; an item with
only a teaser is read from its link when a fetcher is given (URLs), and otherwise from the teaser.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from storyweave.ingest.errors import InputError
from storyweave.ingest.html import extract_html
from storyweave.ingest.text import article_id
from storyweave.model import Article, Skipped

# An item with fewer words than this in its feed text is a teaser: its linked page is read instead.
FULL_TEXT_WORDS = 80
_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote)\b[^>]*>", re.IGNORECASE)

Fetcher = Callable[[str, str], Article]  # (url, shown path) -> article of the linked page


def _plain(fragment: str) -> str:
    """Text of an HTML fragment, paragraphs on their own lines (feed content is rarely a whole page)."""
    text = _BLOCK.sub("\n", fragment)
    text = html.unescape(_TAG.sub("", text))
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _item_text(entry: Any) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body = max(contents, key=len) if contents else entry.get("summary", "")
    return _plain(body)


def _item_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).date().isoformat()
    return None


def parse_feed(
    data: bytes, shown: str, fetch: Fetcher | None = None, workers: int = 1
) -> Iterator[Article | Skipped]:
    """Articles of a feed's items, in feed order; an unreadable item is skipped on its own.

    Teaser items' linked pages are fetched up to ``workers`` at a time (the fetcher must be thread-safe,
    as url.Fetcher is), so N slow links cost about N / workers deadlines, not N; results keep feed order.
    """
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        problem = getattr(feed, "bozo_exception", None)
        reason = f"malformed feed ({type(problem).__name__})" if problem else "feed has no items"
        raise InputError(shown, reason)
    source = feed.feed.get("title") or None
    items = []
    for number, entry in enumerate(feed.entries, start=1):
        link = entry.get("link") or None
        if link is not None and not isinstance(link, str):
            link = None
        text = _item_text(entry)
        teaser = fetch is not None and link is not None and len(text.split()) < FULL_TEXT_WORDS
        items.append((f"{shown}#{number}", entry, link, text, teaser))
    pages: dict[str, Future[Article]] = {}
    wanted = fetch is not None and any(item[4] for item in items)
    pool = ThreadPoolExecutor(max_workers=max(1, workers)) if wanted else None
    try:
        if pool is not None and fetch is not None:
            for where, _entry, link, _text, teaser in items:
                if teaser and link is not None:
                    pages[where] = pool.submit(fetch, link, where)
        for where, entry, link, text, _teaser in items:
            try:
                if where in pages:
                    article = pages[where].result()
                elif text.strip():
                    article = Article(id=article_id(text), path=where, raw=text, url=link)
                else:
                    raise InputError(where, "feed item has no text")
            except InputError as err:
                yield Skipped(err.path, err.reason)
                continue
            article.title = article.title or _string(entry.get("title"))
            article.source = article.source or source
            article.author = article.author or _string(entry.get("author"))
            published = _item_date(entry)
            if published and not article.published:
                article.published, article.published_from = published, "metadata"
            yield article
    finally:
        if pool is not None:
            for future in pages.values():
                future.cancel()
            pool.shutdown(wait=True)


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def read_feed(path: Path, shown: str) -> Iterator[Article | Skipped]:
    """A feed saved as a file (.rss, .atom): items are read from their own content."""
    return parse_feed(path.read_bytes(), shown)


def extract_linked_page(body: bytes, url: str, shown: str) -> Article:
    from storyweave.ingest.html import declared_charset
    from storyweave.ingest.text import decode

    return extract_html(decode(body, shown, declared_charset(body)), shown, url=url)
