"""The web UI in a real browser: Debian's Chromium driven by Playwright, against a real uvicorn server.

Opens the story list and the seed story, follows a citation in place, searches, uploads a sixth report
with the token and watches the open story page notice that its story grew, fetches a page through the
URL form, and checks that script in an article never runs.
Set STORYWEAVE_SCREENSHOT=docs/web.png to save the seed story page's screenshot.
"""

from __future__ import annotations

import http.server
import ipaddress
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from storyweave.web.app import Settings, create_app
from web_support import HOSTILE, SIXTH, TOKEN, copy_store, live_server

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server(seed_run: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = copy_store(seed_run["db"], tmp_path_factory.mktemp("web-browser") / "browser.db")
    loopback = (ipaddress.ip_network("127.0.0.1/32"),)  # the test's own site may be fetched
    settings = Settings(db=db, token=TOKEN, poll_seconds=0.5, allowed_networks=loopback)
    with live_server(create_app(settings)) as base:
        yield base


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """A news site on 127.0.0.1 with one page, for the URL form."""
    body = "".join(f"<p>{line}</p>" for line in HOSTILE.splitlines()[::2])
    page = (
        "<html><head><title>Harbour bridge opens in May</title><meta name='date' content='2026-01-08'>"
        "<meta property='og:site_name' content='Ellery Gazette'></head>"
        "<body><nav>Home | News</nav><article><h1>Harbour bridge opens in May</h1>"
        f"{body}</article></body></html>"
    ).encode()

    class Site(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            found = self.path == "/bridge"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(page)

        def log_message(self, *_args: Any) -> None:
            return None

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium not installed (apt-get install chromium): the browser tests need it")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any script error or dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield tab
    context.close()
    assert not errors, errors


def test_list_then_story_with_citations_in_place(page: Any, server: str, seed_run: dict[str, Any]) -> None:
    story = seed_run["data"]["stories"][0]
    page.goto(server + "/")
    item = page.locator(f"li.story-item[data-story='{story['id']}']")
    assert "5 reports" in item.inner_text()
    assert item.locator("svg.coverage rect.corroborated").count() == 1
    item.locator("a.story-title").click()
    page.wait_for_url(f"**/stories/{story['id']}")
    assert "Petro" in page.locator("h1").inner_text()
    assert page.locator("#facts tr.fact").count() == len(
        story["claims"] if "claims" in story else story["facts"]
    )
    assert page.locator("#disputes .dispute .side").count() >= 2
    assert page.locator("#quotes ins").count() > 0 and page.locator("#quotes del").count() > 0
    assert page.locator("#timeline svg.chart rect.bar").count() > 3
    assert page.locator("#articles details.article .removed s").count() > 0
    # A summary citation opens its sentence in place, and closes it again.
    citation = page.locator("#summary a.cite").first
    target = citation.get_attribute("data-sentence")
    citation.click()
    opened = page.locator(f"#summary blockquote.inplace[data-for='{target}']")
    assert opened.is_visible()
    sentence = page.locator(f"[id='{target}']").text_content()
    assert sentence and sentence in opened.inner_text()
    # The facts filter shows one status only.
    page.select_option("#fact-filter", "disputed")
    visible = page.locator("#facts tr.fact:visible")
    assert visible.count() >= 1 and all(
        visible.nth(i).get_attribute("data-status") == "disputed" for i in range(visible.count())
    )
    page.select_option("#fact-filter", "")
    shot = os.environ.get("STORYWEAVE_SCREENSHOT")
    if shot:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(REPO / shot))


def test_search_box_finds_a_quote(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.fill("header .searchbox input[name=q]", "sounds good")
    page.press("header .searchbox input[name=q]", "Enter")
    page.wait_for_url("**/search?q=sounds+good")
    hit = page.locator("li.hit", has_text="quote").first
    assert "sounds good" in hit.inner_text().lower()
    hit.locator("a").click()
    page.wait_for_url("**/stories/*#quote-*")
    assert page.locator(".quote:target").count() == 1


def test_upload_with_the_token_grows_the_open_story(
    browser: Any, page: Any, server: str, seed_run: dict[str, Any]
) -> None:
    story_id = seed_run["data"]["stories"][0]["id"]
    page.goto(f"{server}/stories/{story_id}")
    assert page.locator("#grew").is_hidden()
    form = browser.new_page()
    try:
        form.goto(server + "/add")
        form.set_input_files(
            "#file", files=[{"name": "andes.txt", "mimeType": "text/plain", "buffer": SIXTH.encode()}]
        )
        form.fill("#token", "not-the-token")
        form.click("#upload-form button[type=submit]")
        form.wait_for_selector("#status.error")
        assert "401" in form.inner_text("#status")
        form.fill("#token", TOKEN)
        form.fill("#upload-form input[name=published]", "2026-01-08")
        form.click("#upload-form button[type=submit]")
        joined = form.wait_for_selector("#joined a.joined-story", timeout=120_000)
        assert joined.get_attribute("href") == f"/stories/{story_id}"
        assert "andes.txt joined" in form.inner_text("#joined")
    finally:
        form.close()
    # The open story page notices, and reloading shows the sixth report.
    page.wait_for_selector("#grew", state="visible", timeout=30_000)
    assert "6 reports" in page.inner_text("#grew")
    page.click("#reload")
    page.wait_for_load_state()
    page.wait_for_selector(".story-meta")
    assert page.inner_text(".story-meta").startswith("6 reports")
    assert "andes.txt" in page.inner_text("#sources")


def test_script_in_an_article_never_runs(page: Any, server: str) -> None:
    response = httpx.post(
        f"{server}/api/v1/articles",
        json={"text": HOSTILE, "source": "Ellery <b>Gazette</b>", "published": "2026-01-08"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert response.status_code == 201, response.text
    story_id = response.json()["story"]
    page.goto(f"{server}/stories/{story_id}")
    page.locator("details.article").first.evaluate("d => d.open = true")
    page.wait_for_timeout(300)
    assert page.title() != "PWNED" and page.evaluate("typeof window.pwned") == "undefined"
    text = page.locator("details.article .text").first.inner_text()
    assert "<script>document.title='PWNED'" in text and 'onerror="document.title' in text
    assert page.evaluate("document.querySelectorAll('[onerror], article script, .text img').length") == 0
    assert "Ellery <b>Gazette</b>" in page.inner_text("#sources")
    page.goto(server + "/search?q=harbour")
    assert page.title() != "PWNED" and page.locator("li.hit").count() >= 1


def test_url_form_fetches_a_page_and_names_what_it_skipped(page: Any, server: str, site: str) -> None:
    page.goto(server + "/add")
    page.fill("#token", TOKEN)
    page.fill("#urls", f"{site}/bridge\n{site}/missing\nhttp://10.9.8.7/internal")
    page.click("#url-form button[type=submit]")
    page.wait_for_selector("#joined a.joined-story", timeout=120_000)
    joined = page.inner_text("#joined")
    assert "1 article(s) stored, 2 skipped" in page.inner_text("#status")
    assert f"skipped {site}/missing: HTTP 404" in joined
    assert "skipped http://10.9.8.7/internal: refused private address 10.9.8.7" in joined
    page.click("#joined a.joined-story")
    page.wait_for_url("**/stories/*")
    assert "Ellery Gazette" in page.inner_text("#sources")
