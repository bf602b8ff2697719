"""URLs: a page or a feed fetched over HTTP(S), with time-outs, retries and a size cap.

A response that is a feed is read item by item (teaser items fetch their linked page); anything
else is read as an HTML page. Failures become one-line reasons, never tracebacks.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from storyweave.ingest.errors import InputError
from storyweave.ingest.feeds import extract_linked_page, parse_feed
from storyweave.model import Article, Skipped

TIMEOUT_S = 15.0
RETRIES = 2  # further tries after a connection error or a 5xx answer
RETRY_PAUSE_S = 0.5
USER_AGENT = "storyweave/0.1 (+https://pypi.org/project/storyweave)"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def fetch(url: str, shown: str, max_bytes: int) -> tuple[bytes, str]:
    """The body and content type of ``url``; InputError with a short reason when it cannot be had."""
    import httpx

    last = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            time.sleep(RETRY_PAUSE_S * attempt)
        try:
            with (
                httpx.Client(
                    timeout=TIMEOUT_S, follow_redirects=True, headers={"User-Agent": USER_AGENT}
                ) as client,
                client.stream("GET", url) as response,
            ):
                if response.status_code >= 500:
                    last = f"server error {response.status_code}"
                    continue
                if response.status_code >= 400:
                    raise InputError(shown, f"HTTP {response.status_code}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise InputError(shown, f"response larger than {max_bytes // 2**20} MB")
                return bytes(body), response.headers.get("content-type", "").lower()
        except httpx.TimeoutException:
            last = "timed out"
        except httpx.TransportError as exc:
            last = f"cannot connect ({type(exc).__name__})"
    raise InputError(shown, last or "no response")


def read_url(url: str, max_bytes: int) -> Iterator[Article | Skipped]:
    """The article at ``url``, or the articles of the feed there."""
    body, content_type = fetch(url, url, max_bytes)
    head = body[:512].lstrip().lower()
    if content_type.startswith(FEED_TYPES) or head.startswith((b"<rss", b"<feed")) or b"<rss" in head:

        def page(link: str, shown: str) -> Article:
            linked, _ = fetch(link, shown, max_bytes)
            return extract_linked_page(linked, link, shown)

        yield from parse_feed(body, url, fetch=page)
        return
    yield extract_linked_page(body, url, url)
