"""Ingest on real files: the seed corpus, the example corpus, HTML, JSON/JSONL and each kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storyweave.ingest as ingest
from storyweave.ingest import date_from_url, normalise_date, read_inputs
from storyweave.ingest.text import decode, guess_title
from storyweave.model import Article, Skipped

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
EXAMPLES = ROOT / "examples" / "corpus"

BODY = (
    "The River Ardle burst its banks on Tuesday night, forcing about 1,200 residents from their homes. "
    "Mayor Dana Okafor said the city had opened two shelters and that rescue teams were still at work. "
    "The National Disaster Relief Agency sent two rescue teams and a mobile water-treatment unit. "
)

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ardle floods Millbrook | Valley Daily News</title>
  <meta name="author" content="Marta Lindqvist">
  <meta property="article:published_time" content="2026-03-12T07:15:00+00:00">
  <meta property="og:site_name" content="Valley Daily News">
  <meta property="og:title" content="Ardle floods Millbrook">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li>
  <li><a href="/weather">Weather</a></li><li><a href="/subscribe">Subscribe now</a></li></ul></nav>
  <header><div class="logo">Valley Daily News</div></header>
  <main><article>
    <h1>Ardle floods Millbrook</h1>
    <p class="byline">By Marta Lindqvist</p>
    <p>{BODY}</p>
    <p>Forecasters blamed two days of heavy rain on ground already soaked by record rainfall last month,
    and the county water authority put the river's peak at 6.4 metres early on Wednesday.</p>
    <p>"Our teams arrived within six hours of the first call," said Tomas Varga, the agency's regional
    director, as crews pumped water from homes on the east side of the town.</p>
  </article></main>
  <footer><p>Copyright 2026 Valley Daily News. All rights reserved.</p>
  <a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a></footer>
</body>
</html>
"""


def articles(items: list[Article | Skipped]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def skipped(items: list[Article | Skipped]) -> dict[str, str]:
    return {item.path: item.reason for item in items if isinstance(item, Skipped)}


# --------------------------------------------------------------------------- seed corpus


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}")
    return SEEDS


def test_seed_corpus_five_articles_stable_ids(seeds: Path) -> None:
    first = list(read_inputs([seeds], published="2026-01-08"))
    assert not skipped(first), "README.md is documentation and must be ignored silently"
    found = articles(first)
    assert len(found) == 5
    assert [Path(a.path).name for a in found] == sorted(p.name for p in seeds.glob("*.txt"))
    assert all(a.id.startswith("a-") for a in found)
    assert len({a.id for a in found}) == 5
    assert all(a.published == "2026-01-08" and a.published_from == "user" for a in found)
    second = articles(list(read_inputs([str(seeds)], published="January 8, 2026")))
    assert [a.id for a in second] == [a.id for a in found]
    # The raw text is kept whole, the headline of 002 included.
    headline = next(a for a in found if a.path.endswith(".txt") and a.title)
    assert headline.raw.startswith(headline.title or "")
    assert headline.raw == (seeds / Path(headline.path).name).read_text(encoding="utf-8").replace(
        "\r\n", "\n"
    )


def test_same_article_twice_is_one_article(seeds: Path, tmp_path: Path) -> None:
    seed = sorted(seeds.glob("*.txt"))[0]
    copy = tmp_path / "copy.txt"
    copy.write_text(
        "  " + seed.read_text(encoding="utf-8").upper().replace(" ", "   ") + "\n\n", encoding="utf-8"
    )
    items = list(read_inputs([seed, copy]))
    assert len(articles(items)) == 1
    assert skipped(items) == {str(copy): f"duplicate of {seed}"}


# --------------------------------------------------------------------------- example corpus


def test_example_corpus_manifest_metadata() -> None:
    items = list(read_inputs([EXAMPLES]))
    assert not skipped(items)
    found = {Path(a.path.split(":")[0]).name: a for a in articles(items)}
    assert set(found) == {
        "courier.txt",
        "valley_daily.txt",
        "northern_wire.txt",
        "regional_ledger.txt",
        "radio.jsonl",
    }
    courier = found["courier.txt"]
    assert courier.source == "Millbrook Courier"
    assert courier.url and courier.url.startswith("https://www.millbrookcourier.example/")
    assert courier.title == "Millbrook Mayor Promises Shelter for Every Flooded Family"
    assert (courier.published, courier.published_from) == ("2026-03-11", "metadata")
    # A datetime in the manifest keeps only its date.
    assert found["northern_wire.txt"].published == "2026-03-11"
    radio = found["radio.jsonl"]
    assert radio.path.endswith("radio.jsonl:1")
    assert (radio.source, radio.published, radio.published_from) == (
        "Ardle Valley Radio",
        "2026-03-12",
        "metadata",
    )
    for article in found.values():
        words = len(article.raw.split())
        assert 150 <= words <= 300, (article.path, words)
    assert "Related Posts" in found["valley_daily.txt"].raw  # furniture is the clean stage's job


def test_manifest_in_explicitly_named_file_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "path,url,source,title,published\na.txt,https://x.example/a,The Outlet,A title,12 March 2026\n",
        encoding="utf-8",
    )
    [article] = list(read_inputs([tmp_path / "a.txt"], published="2026-01-01"))
    assert isinstance(article, Article)
    assert (article.source, article.title, article.published) == ("The Outlet", "A title", "2026-03-12")
    assert article.published_from == "metadata"


# --------------------------------------------------------------------------- HTML


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    [article] = list(read_inputs([page]))
    assert isinstance(article, Article)
    assert article.path == str(page)
    assert "forcing about 1,200 residents" in article.raw
    assert "Our teams arrived within six hours" in article.raw
    assert article.title == "Ardle floods Millbrook"
    assert article.author == "Marta Lindqvist"
    assert article.source == "Valley Daily News"
    assert (article.published, article.published_from) == ("2026-03-12", "metadata")
    for furniture in ("Subscribe now", "Cookie settings", "All rights reserved", "Sport"):
        assert furniture not in article.raw


def test_html_without_text_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text(
        "<html><head><title>x</title></head><body><div></div>", encoding="utf-8"
    )
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    assert skipped(items) == {str(tmp_path / "broken.html"): "malformed HTML: no article text found"}
    assert len(articles(items)) == 1


# --------------------------------------------------------------------------- JSON and JSONL


def test_json_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(
        json.dumps(
            {"text": BODY, "source": "Wire", "url": "https://w.example/2026/03/10/flood", "title": "T"}
        ),
        encoding="utf-8",
    )
    many = tmp_path / "many.json"
    many.write_text(
        json.dumps(
            [
                {
                    "html": HTML_PAGE,
                    "source": "Valley Daily (JSON)",
                    "published": "Thu, 12 Mar 2026 09:00:00 GMT",
                },
                {"title": "no body"},
                {
                    "text": "A second, different report about the same flood in Millbrook.",
                    "author": "A. Writer",
                },
            ]
        ),
        encoding="utf-8",
    )
    items = list(read_inputs([one, many], published="2026-03-15"))
    assert skipped(items) == {f"{many}[1]": "object has neither 'text' nor 'html'"}
    first, from_html, plain = articles(items)
    assert (first.path, first.source, first.title) == (str(one), "Wire", "T")
    assert (first.published, first.published_from) == ("2026-03-10", "url")
    assert from_html.path == f"{many}[0]"
    assert from_html.source == "Valley Daily (JSON)"  # the JSON field wins over the page's own
    assert from_html.author == "Marta Lindqvist"
    assert (from_html.published, from_html.published_from) == ("2026-03-12", "metadata")
    assert "Subscribe now" not in from_html.raw
    assert (plain.author, plain.published, plain.published_from) == ("A. Writer", "2026-03-15", "user")


def test_jsonl_one_bad_line_skips_only_that_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "First report: the river rose overnight.", "source": "A"}),
        '{"text": "broken line", "source": ',
        "",
        json.dumps({"text": "Third report: the shelters opened at dawn.", "published": "2026-03-11"}),
        json.dumps(["not", "an", "object"]),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([feed]))
    found = articles(items)
    assert [a.path for a in found] == [f"{feed}:1", f"{feed}:4"]
    assert found[1].published == "2026-03-11"
    reasons = skipped(items)
    assert set(reasons) == {f"{feed}:2", f"{feed}:5"}
    assert reasons[f"{feed}:2"].startswith("malformed JSON on line 2")
    assert reasons[f"{feed}:5"] == "expected a JSON object, got list"


# --------------------------------------------------------------------------- bad input


def test_bad_inputs_are_skipped_and_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 4096)
    folder = tmp_path / "batch"
    sub = folder / "sub"
    sub.mkdir(parents=True)
    (folder / "good.txt").write_text(BODY, encoding="utf-8")
    (folder / "latin.txt").write_bytes(
        "Café owners in Millbrook said the “flood” was the worst in years.".encode("cp1252")
    )
    (folder / "utf16.md").write_text(
        "# Millbrook\n\nA short report in UTF-16 with a BOM.\n", encoding="utf-16"
    )
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("  \n\t\n", encoding="utf-8")
    (folder / "sjis.txt").write_bytes(("東京で大雨による洪水が発生しました。" * 5).encode("shift_jis"))
    (folder / "bad.json").write_text('{"text": "unterminated', encoding="utf-8")
    (folder / "notext.json").write_text('{"title": "only a title"}', encoding="utf-8")
    (folder / "big.txt").write_text("word " * 2000, encoding="utf-8")
    (folder / "README.md").write_text("# About this folder\n\nNot an article.\n", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (sub / "nested.txt").write_text("A nested report from the east side of Millbrook.", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    explicit = tmp_path / "data.xyz"
    explicit.write_text("x", encoding="utf-8")

    items = list(read_inputs([folder, missing, explicit]))
    assert skipped(items) == {
        str(folder / "bad.json"): "malformed JSON at line 1, column 10: Unterminated string starting at",
        str(folder / "big.txt"): "file too large (9.8 KB, limit 4.0 KB)",
        str(folder / "binary.txt"): "binary file (not text)",
        str(folder / "blank.md"): "empty file",
        str(folder / "empty.txt"): "empty file",
        str(folder / "notext.json"): "object has neither 'text' nor 'html'",
        str(folder / "sjis.txt"): "unknown text encoding",
        str(missing): "no such file or directory",
        str(explicit): "unsupported file type .xyz",
    }
    found = {Path(a.path).name: a for a in articles(items)}
    assert set(found) == {"good.txt", "latin.txt", "utf16.md", "nested.txt"}
    assert found["latin.txt"].raw.startswith("Café owners")
    assert "“flood”" in found["latin.txt"].raw
    assert found["utf16.md"].raw.startswith("# Millbrook")
    assert found["nested.txt"].path == str(sub / "nested.txt")
    # Sorted, recursive, deterministic order.
    assert [a.path for a in articles(items)] == [a.path for a in articles(list(read_inputs([folder])))]


def test_unreadable_published_argument_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    items = list(read_inputs([tmp_path], published="someday"))
    assert skipped(items) == {"--published": "not a date: 'someday'"}
    [article] = articles(items)
    assert (article.published, article.published_from) == (None, "unknown")


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-12", "2026-03-12"),
        ("2026-03-12T23:30:00-05:00", "2026-03-12"),
        ("Thu, 12 Mar 2026 09:00:00 GMT", "2026-03-12"),
        ("12 March 2026", "2026-03-12"),
        ("March 12, 2026", "2026-03-12"),
        ("2026-02-30", None),
        ("yesterday", None),
        ("March 2026", None),
        ("", None),
    ],
)
def test_normalise_date(value: str, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_date_from_url() -> None:
    assert date_from_url("https://x.example/2026/01/08/story") == "2026-01-08"
    assert date_from_url("https://x.example/news/2026-01-08-story.html") == "2026-01-08"
    assert date_from_url("https://x.example/news/story-12345") is None


def test_guess_title() -> None:
    assert guess_title("Floods hit Millbrook\n\nThe river rose.") == "Floods hit Millbrook"
    assert guess_title("The river rose overnight.\nMore text.") is None
    assert guess_title("Donald Trump\nMore text.") is None
    assert guess_title("Only one line here") is None


def test_decode_cp1252_only_when_it_reads_as_text() -> None:
    assert decode("naïve café".encode("cp1252"), "x") == "naïve café"
    assert decode(b"a\r\nb\rc", "x") == "a\nb\nc"


def test_bad_manifest_is_reported_and_files_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,source\na.txt,Nobody\n", encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    assert skipped(items) == {str(tmp_path / "manifest.csv"): "manifest has no 'path' column"}
    [article] = articles(items)
    assert article.source is None
