"""WARC and WARC.gz archives (Common Crawl's CC-NEWS): one article per HTML response record.

Each response record is extracted like an HTML page, with the record's target URI as its URL; a
record that cannot be read is skipped on its own (path ``archive.warc.gz#N``) and the rest of the
archive goes on. A record the file ends inside (a truncated download) is skipped with that reason, never
stored as a short article. A page without a date of its own takes the crawl date (WARC-Date) as metadata:
CC-NEWS crawls news within hours of publication.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from storyweave.ingest.errors import InputError
from storyweave.ingest.html import declared_charset, extract_html
from storyweave.ingest.text import decode
from storyweave.model import Article, Skipped

HTML_TYPES = ("text/html", "application/xhtml+xml")

# Which HTML responses of an archive this reader extracts: (part, parts) takes the responses numbered part,
# part + parts, ... (from 0). Readers on several workers split one archive so, each reading it whole (cheap)
# and extracting its share (the cost); the others come out as placeholders, so every item keeps its place.
_SHARE: ContextVar[tuple[int, int]] = ContextVar("storyweave_warc_share", default=(0, 1))
#: The reason of a placeholder for a response another reader extracts (never shown to a user).
OTHER_SHARE = "extracted by another reader of this archive"


@contextlib.contextmanager
def archive_share(part: int, parts: int) -> Iterator[None]:
    """Within the block, archives are read for their ``part``-th of ``parts`` shares of responses."""
    token = _SHARE.set((part, parts))
    try:
        yield
    finally:
        _SHARE.reset(token)


def read_warc(path: Path, shown: str) -> Iterator[Article | Skipped]:
    """Every HTML response in the archive, in archive order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = 0
    part, parts = _SHARE.get()
    try:
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = (record.http_headers.get_header("Content-Type") or "").lower()
                status = record.http_headers.get_statuscode()
                if status != "200" or not content_type.startswith(HTML_TYPES):
                    continue
                found += 1
                where = f"{shown}#{number}"
                if (found - 1) % parts != part:
                    yield Skipped(where, OTHER_SHARE)
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                crawled = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                data = record.content_stream().read()
                left = getattr(record.raw_stream, "limit", 0) or 0
                if left > 0:  # warcio ends a cut record quietly: the file stopped inside it
                    yield Skipped(where, f"record cut short, {left} bytes missing (truncated archive)")
                    continue
                try:
                    article = extract_html(decode(data, where, declared_charset(data)), where, url=url)
                except InputError as err:
                    yield Skipped(err.path, err.reason)
                    continue
                if crawled and (article.published is None or article.published_from == "text"):
                    article.published, article.published_from = crawled, "metadata"
                yield article
    except InputError:
        raise
    except ArchiveLoadFailed as exc:
        first = str(exc).splitlines()[0][:80] if str(exc).strip() else type(exc).__name__
        raise InputError(shown, f"malformed WARC ({first})") from None
    except Exception as exc:  # warcio raises many kinds on broken records (AttributeError, ValueError, ...)
        raise InputError(shown, f"malformed WARC ({type(exc).__name__})") from None
    if found == 0:
        raise InputError(shown, "WARC archive holds no HTML responses")
