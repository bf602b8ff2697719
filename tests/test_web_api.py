"""storyweave serve's API through FastAPI's test client, a real uvicorn server and the real command.

The store is the seed corpus analysed once per session (conftest's ``seed_run``), copied for each app so
writes never reach the shared one. URL fetches go to real HTTP servers on 127.0.0.1 through the CLI's fetcher;
a stub of the one resolver (``netpolicy.resolve``) stands in for DNS where a test needs a name to resolve
to a given address.
"""

from __future__ import annotations

import http.server
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from storyweave.ingest import netpolicy
from storyweave.ingest.netpolicy import check_url
from storyweave.web.app import Settings, create_app
from web_support import HOSTILE, SIXTH, TOKEN, copy_store, free_port, live_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)  # an on...= attribute inside a tag
REPO = Path(__file__).resolve().parents[1]


def _one_line_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["error"], str) and body["error"] and "\n" not in body["error"]
    return str(body["error"])


@pytest.fixture(scope="module")
def seed_db(seed_run: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> str:
    return copy_store(seed_run["db"], tmp_path_factory.mktemp("web-read") / "read.db")


@pytest.fixture(scope="module")
def story_id(seed_run: dict[str, Any]) -> str:
    return str(seed_run["data"]["stories"][0]["id"])


@pytest.fixture(scope="module")
def reader(seed_db: str) -> Iterator[TestClient]:
    """A read-only server (no token: writes are off)."""
    with TestClient(create_app(Settings(db=seed_db, token=None))) as client:
        yield client


@pytest.fixture(scope="module")
def writer(seed_run: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A server that takes writes with the token, over its own copy of the seed store."""
    db = copy_store(seed_run["db"], tmp_path_factory.mktemp("web-write") / "write.db")
    with TestClient(create_app(Settings(db=db, token=TOKEN, max_body_bytes=64 * 1024))) as client:
        yield client


# ---------------------------------------------------------------------------------------------- reads


def test_healthz(reader: TestClient) -> None:
    body = reader.get("/api/v1/healthz").json()
    assert body["status"] == "ok" and body["stories"] == 1 and body["articles"] == 5
    assert body["writes"] is False


def test_story_list_entry(reader: TestClient, story_id: str) -> None:
    body = reader.get("/api/v1/stories").json()
    assert body["total"] == 1
    entry = body["stories"][0]
    assert entry["id"] == story_id and entry["articles"] == 5 and len(entry["outlets"]) == 5
    assert entry["first"] == entry["last"] == "2026-01-08"
    assert "Petro" in entry["title"]
    facts = entry["facts"]
    assert facts["corroborated"] > 0 and facts["single_source"] > 0 and facts["disputed"] >= 1


@pytest.mark.parametrize(
    ("query", "matches"),
    [
        ("q=Petro", True),
        ("q=sounds+good", True),  # a quote's words, not the title's
        ("q=zeppelin", False),
        ("min_outlets=5", True),
        ("min_outlets=6", False),
        ("since=2026-01-08", True),
        ("since=2026-01-09", False),
        ("until=2026-01-07", False),
        ("sort=size", True),
        ("outlet=nobody", False),
        ("offset=1", False),
    ],
)
def test_story_list_filters(reader: TestClient, query: str, matches: bool) -> None:
    response = reader.get(f"/api/v1/stories?{query}")
    assert response.status_code == 200
    assert len(response.json()["stories"]) == (1 if matches else 0)


def test_story_list_outlet_filter_is_case_blind(reader: TestClient) -> None:
    outlet = reader.get("/api/v1/stories").json()["stories"][0]["outlets"][2]
    assert reader.get("/api/v1/stories", params={"outlet": outlet.upper()}).json()["total"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "limit=ten",
        "offset=-1",
        "sort=oldest",
        "since=2026-13-01",
        "until=yesterday",
        "min_outlets=-2",
        "q=" + "x" * 201,
    ],
)
def test_story_list_refuses_bad_parameters(reader: TestClient, query: str) -> None:
    _one_line_error(reader.get(f"/api/v1/stories?{query}"), 422)


def test_story_json_is_report_json_story(reader: TestClient, seed_run: dict[str, Any], story_id: str) -> None:
    response = reader.get(f"/api/v1/stories/{story_id}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == seed_run["data"]["stories"][0]


def test_story_reports_in_markdown_and_html(reader: TestClient, story_id: str) -> None:
    md = reader.get(f"/api/v1/stories/{story_id}/report.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# ") and "Petro" in md.text
    page = reader.get(f"/api/v1/stories/{story_id}/report.html")
    assert page.status_code == 200 and "<script" not in page.text
    policy = page.headers["content-security-policy"]  # report.html's own policy: no script at all
    assert policy.startswith("default-src 'none'") and "script-src" not in policy


def test_unknown_and_malformed_ids(reader: TestClient) -> None:
    assert "no story" in _one_line_error(reader.get("/api/v1/stories/s-000000000000"), 404)
    _one_line_error(reader.get("/api/v1/stories/<script>"), 422)
    _one_line_error(reader.get("/api/v1/articles/a-0000000000000000"), 404)
    _one_line_error(reader.get("/api/v1/articles/nope"), 422)
    _one_line_error(reader.get("/api/v1/no/such/route"), 404)
    _one_line_error(reader.delete("/api/v1/healthz"), 405)


def test_article_has_text_removed_lines_and_story(reader: TestClient, seed_run: dict[str, Any]) -> None:
    story = seed_run["data"]["stories"][0]
    with_removed = next(a for a in story["articles"] if a["removed"])
    body = reader.get(f"/api/v1/articles/{with_removed['id']}").json()
    assert body["story"] == story["id"] and body["text"] == with_removed["text"]
    assert body["removed"] == [{"text": r["text"], "reason": r["reason"]} for r in with_removed["removed"]]
    assert body["label"] == with_removed["label"]


def test_search_facts_quotes_entities(reader: TestClient, story_id: str) -> None:
    hits = reader.get("/api/v1/search", params={"q": "sounds good"}).json()["hits"]
    assert any(h["kind"] == "quote" and "sounds good" in h["text"].lower() for h in hits)
    assert all(h["story"] == story_id for h in hits)
    names = reader.get("/api/v1/search", params={"q": "Rubio", "kind": "entity"}).json()["hits"]
    assert names and all(h["kind"] == "entity" for h in names)
    assert any("Rubio" in h["text"] for h in names)
    facts = reader.get("/api/v1/search", params={"q": "35 minutes", "kind": "fact"}).json()["hits"]
    assert any("35 minutes" in h["text"] for h in facts)
    # Stemmed: "phones" finds "phone" (the call: "Trump said he spoke with Petro by phone").
    stemmed = reader.get("/api/v1/search", params={"q": "spoke phones"}).json()["hits"]
    assert any("by phone" in h["text"] for h in stemmed)


@pytest.mark.parametrize(
    "q", ['"', "Petro OR", "NEAR(Petro", "*", "Petro AND -", "col:Petro", "'; DROP TABLE x"]
)
def test_search_operators_are_words_not_syntax(reader: TestClient, q: str) -> None:
    response = reader.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["hits"], list)


def test_search_refuses_bad_parameters(reader: TestClient) -> None:
    _one_line_error(reader.get("/api/v1/search"), 422)
    _one_line_error(reader.get("/api/v1/search?q="), 422)
    _one_line_error(reader.get("/api/v1/search?q=Petro&kind=tweet"), 422)
    _one_line_error(reader.get("/api/v1/search?q=Petro&limit=0"), 422)


def test_version(reader: TestClient, story_id: str) -> None:
    body = reader.get(f"/api/v1/stories/{story_id}/version").json()
    assert body["articles"] == 5 and body["version"].startswith("5.")
    _one_line_error(reader.get("/api/v1/stories/s-000000000000/version"), 404)


def test_pages_carry_a_strict_policy(reader: TestClient, story_id: str) -> None:
    for path in ("/", f"/stories/{story_id}", "/search?q=Petro", "/add", "/docs"):
        response = reader.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert not INLINE_HANDLER.search(response.text), path
    assert reader.get("/stories/s-000000000000").status_code == 404
    bad = reader.get("/?sort=sideways")
    assert bad.status_code == 422 and "sort: &#39;sideways&#39; is not one of" in bad.text
    assert reader.get("/?page=0").status_code == 400


def test_openapi_lists_every_endpoint(reader: TestClient) -> None:
    paths = reader.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/healthz",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/stories/{story_id}/report.md",
        "/api/v1/stories/{story_id}/report.html",
        "/api/v1/articles/{article_id}",
        "/api/v1/search",
        "/api/v1/articles",
        "/api/v1/ingest",
    } <= set(paths)


# ---------------------------------------------------------------------------------------------- auth


def test_writes_are_off_without_a_token(reader: TestClient) -> None:
    assert "writes are off" in _one_line_error(reader.post("/api/v1/articles", json={"text": SIXTH}), 403)
    _one_line_error(reader.post("/api/v1/ingest", json={"urls": ["http://example.com/"]}), 403)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}],
)
def test_writes_need_the_right_token(writer: TestClient, headers: dict[str, str]) -> None:
    _one_line_error(writer.post("/api/v1/articles", json={"text": SIXTH}, headers=headers), 401)


def test_token_from_file_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyweave.web.auth import load_token

    monkeypatch.delenv("STORYWEAVE_TOKEN", raising=False)
    assert load_token(None) is None
    monkeypatch.setenv("STORYWEAVE_TOKEN", " from-env ")
    assert load_token(None) == "from-env"
    (tmp_path / "token").write_text("from-file\n")
    assert load_token(tmp_path / "token") == "from-file"
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(ValueError, match="empty"):
        load_token(tmp_path / "empty")
    with pytest.raises(ValueError, match="cannot read"):
        load_token(tmp_path / "missing")


# ---------------------------------------------------------------------------------------------- writes


@pytest.mark.parametrize(
    ("kwargs", "status", "reason"),
    [
        ({"content": b"", "headers": {"Content-Type": "application/json"}}, 400, "empty"),
        ({"content": b"{nope", "headers": {"Content-Type": "application/json"}}, 400, "malformed JSON"),
        ({"content": b"\xff\xfe{", "headers": {"Content-Type": "application/json"}}, 400, "JSON"),
        ({"json": ["a list"]}, 422, "expected a JSON object"),
        ({"json": {"title": "no text"}}, 422, "neither 'text' nor 'html'"),
        ({"json": {"text": "   "}}, 422, "empty text"),
        ({"json": {"text": SIXTH, "colour": "red"}}, 422, "unknown field"),
        ({"json": {"text": SIXTH, "published": 20260108}}, 422, "must be a date string"),
        ({"json": {"text": 42}}, 422, "must be a string"),
        ({"content": b"text", "headers": {"Content-Type": "text/plain"}}, 415, "Content-Type"),
        ({"files": {"file": ("virus.exe", b"MZ...")}}, 415, "unsupported file type"),
        ({"files": {"file": ("empty.txt", b"")}}, 422, "empty"),
        ({"files": {"file": ("binary.txt", bytes(range(256)) * 8)}}, 422, "binary.txt"),
        ({"files": {"file": ("broken.json", b"{")}}, 422, "malformed JSON"),
        ({"files": {"other": ("a.txt", b"text")}}, 422, "'file' field"),
        ({"files": {"file": ("a.txt", b"Some text.")}, "data": {"published": "someday"}}, 422, "published"),
        (
            {"content": b"--x\r\nbroken", "headers": {"Content-Type": "multipart/form-data; boundary=x"}},
            422,
            "file",
        ),
    ],
)
def test_post_article_refuses_bad_input(
    writer: TestClient, kwargs: dict[str, Any], status: int, reason: str
) -> None:
    response = writer.post("/api/v1/articles", headers={**AUTH, **kwargs.pop("headers", {})}, **kwargs)
    assert reason in _one_line_error(response, status)


def test_body_size_limit(writer: TestClient) -> None:
    big = {"text": "word " * 20_000}  # over the 64 KB limit of this server
    assert "larger than" in _one_line_error(writer.post("/api/v1/articles", json=big, headers=AUTH), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
        yield b'{"text": "'
        for _ in range(100):
            yield b"word " * 200
        yield b'"}'

    streamed = writer.post(
        "/api/v1/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert "larger than" in _one_line_error(streamed, 413)


def test_post_article_joins_the_story_and_grows_it(writer: TestClient, story_id: str) -> None:
    before = writer.get(f"/api/v1/stories/{story_id}/version").json()
    posted = {
        "text": SIXTH,
        "source": "Andes Post",
        "published": "2026-01-08",
        "title": "Petro and Trump talk",
    }
    response = writer.post("/api/v1/articles", json=posted, headers=AUTH)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["story"] == story_id and body["stored"][0]["new"] is True
    article_id = body["stored"][0]["article"]
    story = writer.get(f"/api/v1/stories/{story_id}").json()
    assert len(story["articles"]) == 6
    added = next(a for a in story["articles"] if a["id"] == article_id)
    assert added["source"] == "Andes Post" and added["published"] == "2026-01-08"
    after = writer.get(f"/api/v1/stories/{story_id}/version").json()
    assert after["articles"] == 6 and after["version"] != before["version"]
    assert writer.get("/api/v1/stories").json()["stories"][0]["articles"] == 6
    assert "Andes Post" in writer.get("/api/v1/stories?outlet=andes+post").json()["stories"][0]["outlets"]
    # The same article again: stored already, nothing changes.
    again = writer.post("/api/v1/articles", json=posted, headers=AUTH)
    assert again.status_code == 200 and again.json()["stored"][0]["new"] is False
    assert writer.get(f"/api/v1/stories/{story_id}/version").json() == after


def test_upload_opens_a_story_and_hostile_text_stays_text(writer: TestClient) -> None:
    response = writer.post(
        "/api/v1/articles",
        files={"file": ("harbour bridge.txt", HOSTILE.encode())},
        data={"published": "2026-01-08"},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    stored = response.json()["stored"][0]
    assert stored["path"] == "upload/harbour_bridge.txt"
    article = writer.get(f"/api/v1/articles/{stored['article']}").json()
    assert "<script>" in article["text"] and article["published_from"] == "user"
    page = writer.get(f"/stories/{stored['story']}").text
    assert "&lt;script&gt;document.title" in page and "<script>document" not in page
    assert "<img src=x" not in page and "onerror=" in page  # shown as text
    assert not INLINE_HANDLER.search(page)
    assert writer.get("/api/v1/search", params={"q": "harbour bridge"}).json()["hits"]


# ---------------------------------------------------------------------------------------------- URLs


def _resolver(table: dict[str, str]) -> Any:
    """A stand-in for :func:`netpolicy.resolve`: names from ``table``, IP literals as themselves."""

    def resolve(host: str, _port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            pass
        if host not in table:
            raise netpolicy.RefusedURL(f"cannot resolve host {host!r}")
        return [table[host]]

    return resolve


@pytest.mark.parametrize(
    ("url", "address", "kind"),
    [
        ("http://news.example.com/a", "93.184.216.34", None),
        ("https://news.example.com/a", "2606:2800:220:1:248:1893:25c8:1946", None),
        ("http://news.example.com/a", "127.0.0.1", "loopback"),
        ("http://news.example.com/a", "10.1.2.3", "private"),
        ("http://news.example.com/a", "192.168.0.10", "private"),
        ("http://news.example.com/a", "172.16.5.5", "private"),
        ("http://news.example.com/a", "169.254.169.254", "link-local"),  # cloud metadata
        ("http://news.example.com/a", "224.0.0.1", "multicast"),
        ("http://news.example.com/a", "0.0.0.0", "unspecified"),
        ("http://news.example.com/a", "::1", "loopback"),
        ("http://news.example.com/a", "::ffff:127.0.0.1", "loopback"),  # IPv4-mapped: as its IPv4 address
        ("http://news.example.com/a", "fe80::1", "link-local"),
        ("http://news.example.com/a", "100.64.0.1", "non-public"),  # carrier-grade NAT
    ],
)
def test_address_policy(monkeypatch: pytest.MonkeyPatch, url: str, address: str, kind: str | None) -> None:
    monkeypatch.setattr(netpolicy, "resolve", _resolver({"news.example.com": address}))
    if kind is None:
        assert check_url(url) is None
        return
    assert f"refused {kind} address" in (check_url(url) or "")
    monkeypatch.setattr(netpolicy, "resolve", _resolver({}))
    assert check_url(url, allow_private=True) is None  # allowed: not even resolved
    monkeypatch.setattr(netpolicy, "resolve", _resolver({"news.example.com": address}))
    net = ipaddress.ip_network(address)
    assert check_url(url, allowed=(net,)) is None
    other = ipaddress.ip_network("198.18.0.0/15")  # an allowed network elsewhere allows nothing here
    assert f"refused {kind} address" in (check_url(url, allowed=(other,)) or "")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://news.example.com/", "only http and https"),
        ("http:///nohost", "no host"),
        ("http://news.example.com:99999/", "invalid port"),
        ("http://nowhere.example/", "cannot resolve"),
        ("http://[bad/", "malformed URL"),
    ],
)
def test_address_policy_refuses_odd_urls(monkeypatch: pytest.MonkeyPatch, url: str, reason: str) -> None:
    monkeypatch.setattr(netpolicy, "resolve", _resolver({"news.example.com": "93.184.216.34"}))
    assert reason in (check_url(url) or "")


class _Site(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        status, headers, body = self.pages.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        return None


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    page = (
        "<html><head><title>Harbour bridge opens</title><meta name='date' content='2026-01-08'>"
        "<meta property='og:site_name' content='Ellery Gazette'></head><body><article>"
        "<h1>Harbour bridge opens</h1>"
        + "".join(f"<p>{line}</p>" for line in HOSTILE.splitlines()[::2])
        + "</article></body></html>"
    ).encode()
    _Site.pages = {
        "/bridge": (200, {}, page),
        "/to-internal": (302, {"Location": "http://10.20.30.40/admin"}, b""),
        "/to-bridge": (301, {"Location": "/bridge"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_ingest_refuses_private_addresses(
    writer: TestClient, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub = _resolver({"intranet.example": "10.0.0.7", "metadata.example": "169.254.169.254"})
    monkeypatch.setattr(netpolicy, "resolve", stub)
    for url, kind in (
        ("http://intranet.example/report", "private"),
        ("http://metadata.example/latest", "link-local"),
        (f"{site}/bridge", "loopback"),
    ):
        response = writer.post("/api/v1/ingest", json={"urls": [url]}, headers=AUTH)
        reason = _one_line_error(response, 422)
        assert reason.startswith(url) and f"refused {kind} address" in reason


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ({"urls": []}, 422, "non-empty list"),
        ({"urls": "http://example.com"}, 422, "non-empty list"),
        ({"urls": [1, 2]}, 422, "non-empty list"),
        ({"links": ["http://example.com"]}, 422, "expected a JSON object"),
        ({"urls": ["http://example.com"], "published": "soon"}, 422, "published"),
        ({"urls": [f"http://example.com/{n}" for n in range(21)]}, 413, "at most 20"),
        ({"urls": ["file:///etc/passwd"]}, 422, "only http and https"),
        ({"urls": ["not a url"]}, 422, "only http and https"),
        ({"urls": ["http://[bad"]}, 422, "malformed URL"),
        ({"urls": ["http://[::1]:8000/"]}, 422, "refused loopback address ::1"),
        ({"urls": ["/etc/passwd"]}, 422, "only http and https"),  # never read as a path on the server
    ],
)
def test_ingest_refuses_bad_bodies(writer: TestClient, body: Any, status: int, reason: str) -> None:
    assert reason in _one_line_error(writer.post("/api/v1/ingest", json=body, headers=AUTH), status)


def test_ingest_fetches_allowed_hosts_and_rechecks_redirects(seed_db: str, site: str, tmp_path: Path) -> None:
    db = copy_store(seed_db, tmp_path / "ingest.db")
    loopback = (ipaddress.ip_network("127.0.0.1/32"),)
    with TestClient(create_app(Settings(db=db, token=TOKEN, allowed_networks=loopback))) as client:
        # The first hop is allowed; the redirect to a private address is refused before it is followed.
        refused = client.post("/api/v1/ingest", json={"urls": [f"{site}/to-internal"]}, headers=AUTH)
        assert "10.20.30.40" in _one_line_error(refused, 422)
        looping = client.post("/api/v1/ingest", json={"urls": [f"{site}/loop"]}, headers=AUTH)
        assert "redirect loop" in _one_line_error(looping, 422)
        missing = client.post("/api/v1/ingest", json={"urls": [f"{site}/gone"]}, headers=AUTH)
        assert "HTTP 404" in _one_line_error(missing, 422)
        response = client.post(
            "/api/v1/ingest", json={"urls": [f"{site}/to-bridge", f"{site}/gone"]}, headers=AUTH
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert len(body["stored"]) == 1 and body["skipped"][0]["reason"] == "HTTP 404"
        article = client.get(f"/api/v1/articles/{body['stored'][0]['article']}").json()
        assert article["source"] == "Ellery Gazette" and article["published"] == "2026-01-08"
        assert article["url"] == f"{site}/bridge"  # where the redirect landed


# ---------------------------------------------------------------------------------------------- servers


def test_real_uvicorn_server(seed_db: str, story_id: str) -> None:
    with live_server(create_app(Settings(db=seed_db))) as base:
        assert httpx.get(f"{base}/api/v1/healthz", timeout=10).json()["stories"] == 1
        story = httpx.get(f"{base}/api/v1/stories/{story_id}", timeout=10)
        assert story.status_code == 200 and len(story.json()["articles"]) == 5
        page = httpx.get(f"{base}/stories/{story_id}", timeout=10)
        assert page.status_code == 200 and "Facts by outlet" in page.text
        assert httpx.get(f"{base}/static/app.js", timeout=10).status_code == 200


def test_serve_command_prints_its_address_and_stops_on_ctrl_c(seed_db: str, tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "token").write_text(TOKEN)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storyweave.cli",
            "serve",
            "--db",
            seed_db,
            "--port",
            str(port),
            "--token-file",
            str(tmp_path / "token"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first and "writes need the token" in first
        for _ in range(200):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/healthz", timeout=2).json()
                break
            except httpx.TransportError:
                threading.Event().wait(0.1)
        else:
            pytest.fail("storyweave serve did not answer")
        assert health["writes"] is True
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_command_refuses_an_empty_token_file(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "storyweave.cli", "serve", "--token-file", str(tmp_path / "token")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "is empty" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------------- PostgreSQL

PG_URL = os.environ.get("STORYWEAVE_TEST_PG_URL")


@pytest.mark.skipif(
    not PG_URL, reason="no PostgreSQL server: set STORYWEAVE_TEST_PG_URL (scripts/postgres.sh)"
)
def test_api_over_postgresql(seeds_dir: Path, tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from conftest import SEED_DATE
    from storyweave import analyze
    from storyweave.store.schema import metadata

    assert PG_URL is not None
    engine = create_engine(PG_URL)
    with engine.begin() as connection:  # a clean database for this test, the web tables included
        connection.execute(text("DROP TABLE IF EXISTS web_story_digests, web_search_lines"))
    metadata.drop_all(engine)
    engine.dispose()
    analyze([str(seeds_dir)], published=SEED_DATE, db=PG_URL, out=tmp_path, formats=("json",))
    story = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["stories"][0]
    with TestClient(create_app(Settings(db=PG_URL, token=TOKEN))) as client:
        entry = client.get("/api/v1/stories").json()["stories"][0]
        assert entry["id"] == story["id"] and entry["facts"]["corroborated"] > 0
        assert client.get(f"/api/v1/stories/{story['id']}").json() == story
        hits = client.get("/api/v1/search", params={"q": "sounds good"}).json()["hits"]
        assert any(h["kind"] == "quote" and "sounds good" in h["text"].lower() for h in hits)
        stemmed = client.get("/api/v1/search", params={"q": "spoke phones", "kind": "fact"}).json()
        assert any("by phone" in h["text"] for h in stemmed["hits"])
        for q in ("the", "'; DROP TABLE x", "Petro & | !", "*"):
            assert client.get("/api/v1/search", params={"q": q}).status_code == 200
        assert client.get(f"/api/v1/stories/{story['id']}/version").json()["articles"] == 5
        assert client.get(f"/stories/{story['id']}").status_code == 200


# ------------------------------------------------------------------------------------------ the page's view


def _as_report_2(story: dict[str, Any]) -> dict[str, Any]:
    """The seed story reshaped as report/2: claims become facts with details and each outlet's stance."""
    from storyweave.store.queries import facts_of

    ids = [a["id"] for a in story["articles"]]
    facts = []
    for n, claim in enumerate(facts_of(story)):  # report/1 claims, or report/2 facts already
        supporting = {s["article"]: s for s in claim["support"]}
        stances = [
            {"article": aid, "stance": "states" if aid in supporting else "silent", "sentence": None}
            for aid in ids
        ]
        if n == 0:  # the first fact: one outlet contradicts it, another reports it as a claim
            stances[0] = {"article": ids[0], "stance": "contradicts", "sentence": None}
            stances[1] = {"article": ids[1], "stance": "reports_claim", "sentence": None}
        facts.append(
            {
                **{k: v for k, v in claim.items() if k != "claims"},
                "predicate": "call",
                "participants": [],
                "details": [{"id": "d-1", "role": "duration", "text": "lasting 35 minutes", "sources": 2}]
                if n == 0
                else [],
                "stances": stances,
            }
        )
    reshaped = {k: v for k, v in story.items() if k != "claims"}
    reshaped["facts"] = facts
    reshaped["summary"] = [{**s, "facts": s.get("facts", s.get("claims", []))} for s in story["summary"]]
    reshaped["articles"] = [dict(story["articles"][0], url="javascript:alert(1)"), *story["articles"][1:]]
    return reshaped


def test_story_page_renders_report_2_facts(seed_run: dict[str, Any]) -> None:
    from storyweave.store.queries import facts_of
    from storyweave.web.pages import env
    from storyweave.web.view import story_page

    story = seed_run["data"]["stories"][0]
    view = story_page(_as_report_2(story))
    first = view["facts"][0]
    assert first["details"][0]["text"] == "lasting 35 minutes"
    marks = [c["mark"] if c else None for c in first["cells"]]
    assert len(facts_of(story)[0]["support"]) == 5 and marks == ["✕", "◐", "●", "●", "●"]
    second = {s["article"] for s in facts_of(story)[1]["support"]}
    assert [c is not None for c in view["facts"][1]["cells"]] == [
        a["id"] in second for a in story["articles"]
    ]
    assert view["counts"] == story_page(story)["counts"]  # report/1 claims count the same way
    # Summary citations land on the sentence each outlet states the fact in, read from facts' support.
    cites = view["summary"][0]["cites"]
    assert cites and all(c["target"].rsplit("-s", 1)[-1].isdigit() for c in cites)
    page = env().get_template("story.html.j2").render(st=view, version="1.1", poll=5)
    assert "lasting 35 minutes" in page and "javascript:" not in page
    assert not INLINE_HANDLER.search(page)
