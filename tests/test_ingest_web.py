"""WARC archives, RSS/Atom feeds and URLs: real files the test writes, a real HTTP server on loopback."""

from __future__ import annotations

import gzip
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES
from storyweave.ingest import read_inputs
from storyweave.model import Article, Skipped


def _story(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def _page(title: str, body: str, date: str = "2026-03-11") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='Millbrook Courier'>"
        f"<meta name='date' content='{date}'></head><body><nav>Home | News | Sport</nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>Contact us</footer></body></html>"
    )


def _warc(records: list[tuple[str, str, bytes]], path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, content_type, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-03-12T08:00:00Z"},
            )
            writer.write_record(record)


def test_warc_gz_yields_one_article_per_html_response(tmp_path: Path) -> None:
    courier = _page("Mayor promises shelter", _story("courier.txt"))
    wire = _page("Thousands flee", _story("northern_wire.txt"), date="")
    _warc(
        [
            ("https://courier.example/a", "text/html; charset=utf-8", courier.encode()),
            ("https://courier.example/logo.png", "image/png", b"\x89PNG...."),
            ("https://wire.example/b", "text/html", wire.encode()),
        ],
        tmp_path / "news.warc.gz",
    )
    items = list(read_inputs([tmp_path]))
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.url for a in articles] == ["https://courier.example/a", "https://wire.example/b"]
    assert "1,200 residents" in articles[0].raw and "Home | News" not in articles[0].raw
    assert (articles[0].published, articles[0].published_from) == ("2026-03-11", "metadata")
    assert articles[1].published == "2026-03-12"  # no date in the page: the crawl date
    assert not [i for i in items if isinstance(i, Skipped)]


def test_malformed_warc_is_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "broken.warc.gz").write_bytes(gzip.compress(b"WARC/1.0\r\nthis is not a record\r\n"))
    (tmp_path / "good.txt").write_text(_story("courier.txt"), encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(skipped) == 1 and skipped[0].path.endswith("broken.warc.gz")
    assert "WARC" in skipped[0].reason
    assert len([i for i in items if isinstance(i, Article)]) == 1


def _rss(items: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>Wed, 11 Mar 2026 09:00:00 GMT</pubDate>"
        f"<description><![CDATA[{d}]]></description></item>"
        for t, link, d in items
    )
    channel = f"<channel><title>Valley Feed</title>{entries}</channel>"
    return f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>"


class _Site(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        found = self.pages.get(self.path)
        if found is None:
            self.send_response(404)
            self.end_headers()
            return
        content_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture()
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield base
    server.shutdown()
    server.server_close()


def test_url_of_a_page(site: str) -> None:
    _Site.pages = {
        "/news/flood": ("text/html; charset=utf-8", _page("Floods", _story("courier.txt")).encode())
    }
    [article] = list(read_inputs([f"{site}/news/flood"], allow_private_urls=True))
    assert isinstance(article, Article)
    assert article.url == f"{site}/news/flood" and article.source == "Millbrook Courier"
    assert "1,200 residents" in article.raw


def test_feed_url_reads_teasers_from_their_linked_pages(site: str) -> None:
    full = _story("valley_daily.txt").replace("\n", "<br/>")
    feed = _rss(
        [
            ("Rescue teams reach Millbrook", f"{site}/news/rescue", "Rescue teams arrived on Wednesday."),
            ("Mayor promises shelter", f"{site}/news/mayor", "<p>" + full + "</p>"),
            ("Gone", f"{site}/news/missing", "A teaser whose page is gone."),
        ]
    )
    _Site.pages = {
        "/feed.xml": ("application/rss+xml", feed.encode()),
        "/news/rescue": (
            "text/html",
            _page("Rescue teams reach Millbrook", _story("northern_wire.txt")).encode(),
        ),
    }
    items = list(read_inputs([f"{site}/feed.xml"], allow_private_urls=True))
    articles = [i for i in items if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [a.title for a in articles] == ["Rescue teams reach Millbrook", "Mayor promises shelter"]
    assert "Nearly 2,000 residents" in articles[0].raw  # the linked page, not the teaser
    assert (
        articles[1].url == f"{site}/news/mayor" and "Hartley Road" in articles[1].raw
    )  # the item's own text
    assert all(a.published == "2026-03-11" for a in articles)
    assert len(skipped) == 1 and skipped[0].path.endswith("#3") and "404" in skipped[0].reason


def test_unreachable_url_and_feed_file(tmp_path: Path, site: str) -> None:
    _Site.pages = {}
    items = list(read_inputs([f"{site}/nothing-here", "http://127.0.0.1:9/closed"], allow_private_urls=True))
    assert [type(i) for i in items] == [Skipped, Skipped]
    assert "404" in items[0].reason and "connect" in items[1].reason  # type: ignore[union-attr]
    (tmp_path / "saved.rss").write_text(
        _rss([("Shelters stay open", "", _story("courier.txt"))]), encoding="utf-8"
    )
    [article] = list(read_inputs([tmp_path / "saved.rss"]))
    assert isinstance(article, Article) and article.source == "Valley Feed"
    assert "Hartley Road" in article.raw
