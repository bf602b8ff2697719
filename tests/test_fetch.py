"""Fetching under the address policy, against real HTTP servers on 127.0.0.1 run by the test.

Loopback is itself a private address, so the happy paths allow private URLs. Refusals of addresses the
test cannot serve from (10/8, 192.168/16, a host that rebinds) use a stubbed resolver
(``socket.getaddrinfo``) and let 127.0.0.1 stand in for a public site.
"""

from __future__ import annotations

import gzip
import http.server
import ipaddress
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import storyweave.ingest
from conftest import EXAMPLES
from storyweave.ingest import netpolicy, read_inputs
from storyweave.ingest.netpolicy import check_url
from storyweave.ingest.url import fetch_settings
from storyweave.model import Article, Skipped

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


def _page_html(title: str, name: str = "courier.txt") -> bytes:
    body = "".join(
        f"<p>{p}</p>" for p in (EXAMPLES / name).read_text(encoding="utf-8").split("\n") if p.strip()
    )
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><article><h1>{title}</h1>{body}</article></body></html>".encode()


class Site:
    """A threaded HTTP/1.1 server on 127.0.0.1 whose routes a test sets; it counts what it saw."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[str] = []
        self.connections: set[int] = set()
        self.in_flight = 0
        self.most_in_flight = 0
        self.stop = threading.Event()
        self._lock = threading.Lock()
        site = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                with site._lock:
                    site.requests.append(self.path)
                    site.connections.add(self.client_address[1])
                    site.in_flight += 1
                    site.most_in_flight = max(site.most_in_flight, site.in_flight)
                try:
                    route = site.routes.get(self.path)
                    if route is None:
                        self.send_response(404)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with site._lock:
                        site.in_flight -= 1

            def log_message(self, *_args: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def site() -> Iterator[Site]:
    server = Site()
    yield server
    server.close()


def send(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return handle


def redirect(location: str) -> Handler:
    return send(302, headers={"Location": location})


def html(title: str) -> Handler:
    return send(200, _page_html(title), {"Content-Type": "text/html; charset=utf-8"})


def read(urls: list[str], **settings: Any) -> list[Article | Skipped]:
    with fetch_settings(**settings):
        return list(read_inputs(urls))


def only_skip(items: list[Article | Skipped]) -> Skipped:
    assert len(items) == 1 and isinstance(items[0], Skipped), items
    return items[0]


# ------------------------------------------------------------------------------------------ the policy


def test_loopback_is_refused_without_the_flag_and_nothing_is_sent(site: Site) -> None:
    site.routes["/page"] = html("Inside")
    for url in (f"{site.base}/page", f"http://localhost:{site.port}/page", f"http://[::1]:{site.port}/page"):
        skipped = only_skip(read([url]))
        assert "refused loopback address" in skipped.reason and skipped.path == url
    assert site.requests == []
    [article] = read([f"{site.base}/page"], allow_private=True)
    assert isinstance(article, Article) and "1,200 residents" in article.raw


def test_check_url_names_each_kind_of_address(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {"intranet.test": "10.1.2.3", "metadata.test": "169.254.169.254", "news.test": "93.184.216.34"}
    real = socket.getaddrinfo

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port or 80))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    assert check_url("http://news.test/a") is None
    assert "private address" in (check_url("http://intranet.test/") or "")
    assert "link-local address" in (check_url("http://metadata.test/latest") or "")
    assert "multicast" in (check_url("http://224.0.0.251/") or "")
    assert "reserved" in (check_url("http://240.0.0.1/") or "")
    assert "only http and https" in (check_url("file:///etc/passwd") or "")
    assert check_url("http://intranet.test/", allow_private=True) is None


@pytest.fixture()
def public_loopback(monkeypatch: pytest.MonkeyPatch, site: Site) -> dict[str, list[str]]:
    """127.0.0.1 plays a public site, named news.test; the table maps other test names to addresses
    (a list is served in turn, one per lookup: a host that rebinds)."""
    table: dict[str, list[str]] = {"news.test": ["127.0.0.1"]}
    real_kind = netpolicy.address_kind
    monkeypatch.setattr(netpolicy, "address_kind", lambda a: None if str(a) == "127.0.0.1" else real_kind(a))
    real = socket.getaddrinfo

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in table:
            answers = table[host]
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return table


def test_redirect_into_a_private_address_is_refused(
    site: Site, public_loopback: dict[str, list[str]]
) -> None:
    public_loopback["intranet.test"] = ["192.168.1.10"]
    public = f"http://news.test:{site.port}"
    site.routes["/ok"] = html("Public page")
    site.routes["/to-intranet"] = redirect(f"http://intranet.test:{site.port}/admin")
    site.routes["/to-loopback"] = redirect(f"http://127.0.0.2:{site.port}/admin")
    items = read([f"{public}/ok", f"{public}/to-intranet", f"{public}/to-loopback"])
    assert isinstance(items[0], Article)
    assert isinstance(items[1], Skipped) and "redirect to http://intranet.test" in items[1].reason
    assert "private address" in items[1].reason
    assert isinstance(items[2], Skipped) and "loopback address 127.0.0.2" in items[2].reason
    assert "/admin" not in site.requests


def test_a_host_that_rebinds_to_a_private_address_is_refused_at_connect(
    site: Site, public_loopback: dict[str, list[str]]
) -> None:
    public_loopback["rebind.test"] = ["127.0.0.1", "10.0.0.7"]  # checked: public; connected: private
    site.routes["/x"] = html("Rebound")
    skipped = only_skip(read([f"http://rebind.test:{site.port}/x"]))
    assert "private address 10.0.0.7" in skipped.reason
    assert site.requests == []


def test_feed_links_inside_are_refused_and_the_rest_read(
    site: Site, public_loopback: dict[str, list[str]]
) -> None:
    public_loopback["intranet.test"] = ["10.0.0.8"]
    public = f"http://news.test:{site.port}"
    feed = _rss(
        [
            ("Rescue teams reach Millbrook", f"{public}/news/rescue"),
            ("Secret", f"http://intranet.test:{site.port}/secret"),
            ("Router", f"http://127.0.0.3:{site.port}/"),
        ]
    )
    site.routes["/feed.xml"] = send(200, feed, {"Content-Type": "application/rss+xml"})
    site.routes["/news/rescue"] = html("Rescue teams reach Millbrook")
    site.routes["/secret"] = html("Secret")
    items = read([f"{public}/feed.xml"])
    assert isinstance(items[0], Article) and items[0].title == "Rescue teams reach Millbrook"
    assert [type(i) for i in items[1:]] == [Skipped, Skipped]
    assert "private address" in items[1].reason and items[1].path.endswith("#2")  # type: ignore[union-attr]
    assert "loopback address" in items[2].reason  # type: ignore[union-attr]
    assert "/secret" not in site.requests


def _rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>A teaser.</description></item>"
        for t, link in items
    )
    channel = f"<channel><title>Feed</title>{entries}</channel>"
    return f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>".encode()


# ------------------------------------------------------------------------------------------ hostile servers


def test_redirect_loop_and_endless_redirects_are_one_skip_each(site: Site) -> None:
    site.routes["/a"] = redirect("/b")
    site.routes["/b"] = redirect(f"{site.base}/a")
    for n in range(20):
        site.routes[f"/r{n}"] = redirect(f"/r{n + 1}")
    site.routes["/fine"] = html("Fine")
    items = read([f"{site.base}/a", f"{site.base}/r0", f"{site.base}/fine"], allow_private=True)
    assert isinstance(items[0], Skipped) and "redirect loop" in items[0].reason
    assert isinstance(items[1], Skipped) and "more than 5 redirects" in items[1].reason
    assert isinstance(items[2], Article)


def test_malformed_urls_and_redirect_locations_are_one_skip_each(site: Site) -> None:
    site.routes["/bad-location"] = redirect("http://[bad/admin")
    site.routes["/fine"] = html("Fine")
    urls = ["http://[bad", "http://127.0.0.1:99999/", f"{site.base}/bad-location", f"{site.base}/fine"]
    items = read(urls, allow_private=True)
    assert [type(i) for i in items] == [Skipped, Skipped, Skipped, Article], items
    assert "malformed URL" in items[0].reason  # type: ignore[union-attr]
    assert "invalid port" in items[1].reason  # type: ignore[union-attr]
    assert "malformed redirect location" in items[2].reason  # type: ignore[union-attr]


def test_allowed_networks_open_only_those_networks(site: Site) -> None:
    site.routes["/page"] = html("Inside")
    site.routes["/to-other-loopback"] = redirect(f"http://127.0.0.2:{site.port}/page")
    only_here = (ipaddress.ip_network("127.0.0.1/32"),)
    items = read([f"{site.base}/page", f"{site.base}/to-other-loopback"], allowed_networks=only_here)
    assert isinstance(items[0], Article)
    assert isinstance(items[1], Skipped) and "refused loopback address 127.0.0.2" in items[1].reason
    elsewhere = (ipaddress.ip_network("10.0.0.0/8"),)
    skipped = only_skip(read([f"{site.base}/page"], allowed_networks=elsewhere))
    assert "refused loopback address" in skipped.reason


def trickle(h: http.server.BaseHTTPRequestHandler) -> None:
    """Headers at once, then a few bytes every 0.1 s while the client listens (no read waits long)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    h.wfile.write(b"<html><body><p>")
    for _ in range(300):
        h.wfile.write(b"word ")
        h.wfile.flush()
        if h.server_stop.wait(0.1):  # type: ignore[attr-defined]
            return


def test_a_trickling_server_is_cut_at_the_deadline(site: Site) -> None:
    site.routes["/slow"] = lambda h: (setattr(h, "server_stop", site.stop), trickle(h))[-1]
    skipped = only_skip(read([f"{site.base}/slow"], allow_private=True, deadline_s=1.0, read_timeout_s=0.5))
    assert "deadline" in skipped.reason and "1 s" in skipped.reason


def test_a_server_that_never_answers_times_out(site: Site) -> None:
    site.routes["/hang"] = lambda h: site.stop.wait(20) and None
    site.routes["/fine"] = html("Fine")
    items = read(
        [f"{site.base}/hang", f"{site.base}/fine"], allow_private=True, deadline_s=5.0, read_timeout_s=0.3
    )
    assert isinstance(items[0], Skipped) and "timed out" in items[0].reason
    assert isinstance(items[1], Article)


def test_a_huge_body_stops_at_the_cap(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storyweave.ingest, "MAX_FILE_BYTES", 1 << 20)

    def endless(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        chunk = b"<p>" + b"x" * 65_536 + b"</p>"
        for _ in range(200):  # 13 MB, no Content-Length
            h.wfile.write(chunk)

    site.routes["/huge"] = endless
    site.routes["/declared"] = send(200, b"x" * (2 << 20), {"Content-Type": "text/html"})
    items = read([f"{site.base}/huge", f"{site.base}/declared"], allow_private=True)
    assert all(isinstance(i, Skipped) and "larger than 1 MB" in i.reason for i in items), items


def test_a_gzip_bomb_stops_at_the_cap(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storyweave.ingest, "MAX_FILE_BYTES", 1 << 20)
    bomb = gzip.compress(b"<p>" + b"A" * (200 << 20), compresslevel=9)  # 200 MB in about 200 KB
    assert len(bomb) < 1 << 20
    site.routes["/bomb"] = send(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    site.routes["/gz"] = send(200, gzip.compress(_page_html("Zipped")), {"Content-Encoding": "gzip"})
    items = read([f"{site.base}/bomb", f"{site.base}/gz"], allow_private=True)
    assert isinstance(items[0], Skipped) and "once decompressed" in items[0].reason
    assert isinstance(items[1], Article) and "1,200 residents" in items[1].raw


def test_one_client_per_run_reuses_its_connection(site: Site) -> None:
    site.routes["/one"] = html("One")
    site.routes["/two"] = send(200, _page_html("Two", "northern_wire.txt"), {"Content-Type": "text/html"})
    items = read([f"{site.base}/one", f"{site.base}/two"], allow_private=True)
    assert [type(i) for i in items] == [Article, Article]
    assert site.requests == ["/one", "/two"] and len(site.connections) == 1


def test_feed_links_are_fetched_concurrently_and_kept_in_feed_order(site: Site) -> None:
    names = ["courier.txt", "northern_wire.txt", "valley_daily.txt", "regional_ledger.txt"]
    release = threading.Event()

    def slow_page(name: str) -> Handler:
        def handle(h: http.server.BaseHTTPRequestHandler) -> None:
            release.wait(2)  # all four wait together when fetched at once
            if site.most_in_flight >= 3:
                release.set()
            send(200, _page_html(name, name), {"Content-Type": "text/html"})(h)

        return handle

    for n, name in enumerate(names):
        site.routes[f"/p{n}"] = slow_page(name)
    site.routes["/hang"] = lambda h: site.stop.wait(20) and None
    links = [(name, f"{site.base}/p{n}") for n, name in enumerate(names)] + [("Hang", f"{site.base}/hang")]
    site.routes["/feed"] = send(200, _rss(links), {"Content-Type": "application/rss+xml"})
    items = read([f"{site.base}/feed"], allow_private=True, deadline_s=3.0, read_timeout_s=2.5)
    assert [i.title for i in items if isinstance(i, Article)] == names
    assert isinstance(items[-1], Skipped) and items[-1].path.endswith("#5")
    assert site.most_in_flight >= 3


def test_a_redirect_loop_beside_local_files_is_one_line_and_the_files_are_stored(
    site: Site, tmp_path: Path
) -> None:
    site.routes["/a"] = redirect("/b")
    site.routes["/b"] = redirect("/a")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyweave.cli",
            "ingest",
            str(EXAMPLES / "courier.txt"),
            f"{site.base}/a",
            "--db",
            f"sqlite:///{tmp_path / 'sw.db'}",
            "--allow-private-urls",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "redirect loop" in line]
    assert len(lines) == 1 and lines[0].startswith(f"skipped {site.base}/a")
    assert "1 new" in result.stdout
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyweave.cli",
            "ingest",
            f"{site.base}/a",
            "--db",
            f"sqlite:///{tmp_path / 'x.db'}",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "refused loopback address" in refused.stderr and "Traceback" not in refused.stderr
