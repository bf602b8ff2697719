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


def parse_feed(data: bytes, shown: str, fetch: Fetcher | None = None) -> Iterator[Article | Skipped]:
    """Articles of a feed's items, in feed order; an unreadable item is skipped on its own."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        problem = getattr(feed, "bozo_exception", None)
        reason = f"malformed feed ({type(problem).__name__})" if problem else "feed has no items"
        raise InputError(shown, reason)
    source = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{shown}#{number}"
        link = entry.get("link") or None
        text = _item_text(entry)
        try:
            if fetch is not None and link and len(text.split()) < FULL_TEXT_WORDS:
                article = fetch(link, where)
            elif text.strip():
                article = Article(id=article_id(text), path=where, raw=text, url=link)
            else:
                raise InputError(where, "feed item has no text")
        except InputError as err:
            yield Skipped(err.path, err.reason)
            continue
        article.title = article.title or entry.get("title") or None
        article.source = article.source or source
        article.author = article.author or entry.get("author") or None
        published = _item_date(entry)
        if published and not article.published:
            article.published, article.published_from = published, "metadata"
        yield article


def read_feed(path: Path, shown: str) -> Iterator[Article | Skipped]:
    """A feed saved as a file (.rss, .atom): items are read from their own content."""
    return parse_feed(path.read_bytes(), shown)


def extract_linked_page(body: bytes, url: str, shown: str) -> Article:
    from storyweave.ingest.html import declared_charset
    from storyweave.ingest.text import decode

    return extract_html(decode(body, shown, declared_charset(body)), shown, url=url)
