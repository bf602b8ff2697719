"""The story's timeline, and the publication dates it is resolved against (datelines, dating from the story).

The seed corpus is read at run time (skipped when absent); the dated/undated tests use its real sentences.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import SEED_DATE, SEEDS, seed_path
from storyweave.analysis.calendar import date_range
from storyweave.analysis.story import dated_from_story, story_date
from storyweave.ingest.dateline import apply_dateline, dateline_date, dateline_end
from storyweave.model import Article


def _item(story: dict[str, Any], words: str) -> dict[str, Any]:
    hits = [t for t in story["timeline"] if words in t["text"]]
    assert hits, f"no timeline item says {words!r}"
    return hits[0]


def test_timeline_runs_from_the_sanctions_to_the_planned_meeting(seed_story: dict[str, Any]) -> None:
    items = seed_story["timeline"]
    position = {id(t): i for i, t in enumerate(items)}
    steps = [
        ("imposed sanctions on Petro", "2025-10"),
        ("seized Venezuelan President Nicolás Maduro", "2026-01-03TNI"),
        ("30,000 Colombian soldiers", "2026-01-04"),
        ("spoke by phone with Colombian President Gustavo Petro on Wednesday", "2026-01-07"),
        ("meeting him in the near future", "FUTURE_REF"),
    ]
    found = [_item(seed_story, words) for words, _ in steps]
    assert [t["date"] for t in found] == [date for _, date in steps]
    assert [position[id(t)] for t in found] == sorted(position[id(t)] for t in found)
    assert items[-1]["date"] == "FUTURE_REF", "what is planned comes last"
    assert _item(seed_story, "meeting him in the near future")["precision"] == "planned"


def test_every_item_is_cited_and_carries_its_expression(seed_story: dict[str, Any]) -> None:
    ids = {a["id"] for a in seed_story["articles"]}
    claims = {c["id"] for c in seed_story["facts"]}
    for item in seed_story["timeline"]:
        assert item["articles"] and set(item["articles"]) <= ids
        assert item["fact"] in claims
        assert item["expression"] in item["text"]
        assert item["date"] == "FUTURE_REF" or date_range(item["date"]) is not None


def test_troop_deployment_is_one_item_from_the_two_outlets_that_date_it(seed_story: dict[str, Any]) -> None:
    item = _item(seed_story, "30,000 Colombian soldiers")
    assert len(item["articles"]) == 2


def test_undated_background_stays_out(seed_story: dict[str, Any]) -> None:
    # "In recent days, Mr Trump calling Colombia a “sick man”", "relations ... remain strained": no date.
    assert not [t for t in seed_story["timeline"] if t["date"] in ("PAST_REF", "PRESENT_REF")]
    assert not [t for t in seed_story["timeline"] if "remain strained" in t["text"]]
    assert not [t for t in seed_story["timeline"] if t["precision"] in ("duration", "set")]


def test_the_watch_his_warning_dated_differently_is_a_date_contradiction(seed_story: dict[str, Any]) -> None:
    dated = {t["date"] for t in seed_story["timeline"] if "watch his" in t["text"]}
    assert dated == {"2025-12", "2026-W02"}
    contradiction = next(
        c
        for c in seed_story["contradictions"]
        if c["kind"] == "date" and "watch his" in c["sides"][0]["text"]
    )
    assert {s["value"] for s in contradiction["sides"]} == {"2025-12", "2026-W02"}


def test_markdown_shows_the_pairs(seed_run: dict[str, Any]) -> None:
    text = (seed_run["out"] / "report.md").read_text(encoding="utf-8")
    assert "#### Who did what to whom" in text
    assert "**Donald Trump – Gustavo Petro**" in text


# --------------------------------------------------------------------------- publication dates


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed corpus not found at {SEEDS}")
def test_a_yearless_dateline_takes_the_year_of_the_reference() -> None:
    text = Path(seed_path("001")).read_text(encoding="utf-8")
    assert text.startswith("Washington, D.C., January 8:")
    assert dateline_date(text, dt.date(2026, 1, 8)) == dt.date(2026, 1, 8)
    # Read a week into the next year, January 8 is still this January's; read on January 2 it is last year's.
    assert dateline_date(text, dt.date(2026, 1, 15)) == dt.date(2026, 1, 8)
    assert dateline_date(text, dt.date(2026, 1, 2)) == dt.date(2025, 1, 8)
    assert text[: dateline_end(text)].startswith("Washington, D.C., January 8")
    article = Article(
        id="a", path="001.txt", raw=text, text=text, published_from="user", published="2026-01-09"
    )
    apply_dateline(article, dt.date(2026, 1, 9))
    assert (article.published, article.published_from) == ("2026-01-08", "text")


def test_no_dateline_and_metadata_dates_are_left_alone() -> None:
    text = "US President Donald Trump has said he will meet Colombian President Gustavo Petro."
    assert dateline_date(text, dt.date(2026, 1, 8)) is None
    dated = Article(
        id="m",
        path="m.html",
        raw="Bogota, January 2: x",
        text="Bogota, January 2: x",
        published="2026-01-08",
        published_from="metadata",
    )
    apply_dateline(dated, dt.date(2026, 1, 8))
    assert (dated.published, dated.published_from) == ("2026-01-08", "metadata")


def test_an_undated_article_is_dated_from_the_story_and_says_so() -> None:
    articles = [
        Article(id="a", path="a.txt", raw="", published="2026-01-08", published_from="metadata"),
        Article(id="b", path="b.txt", raw="", published="2026-01-08", published_from="text"),
        Article(id="c", path="c.txt", raw="", published="2026-01-07", published_from="metadata"),
        Article(id="d", path="d.txt", raw=""),
    ]
    assert story_date(articles) == dt.date(2026, 1, 8)
    shown = dated_from_story(articles, story_date(articles))
    assert (shown[3].published, shown[3].published_from) == ("2026-01-08", "story")
    assert [a.published_from for a in shown[:3]] == ["metadata", "text", "metadata"]
    assert articles[3].published is None  # the article as stored is not rewritten
    assert story_date([Article(id="x", path="x.txt", raw="")]) is None


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed corpus not found at {SEEDS}")
def test_undated_article_end_to_end_resolves_its_days_against_the_story(tmp_path: Path) -> None:
    """Two real reports as JSON, one with a date, one without: the undated one is dated from the story,
    and its "on Sunday" resolves against that date."""
    from storyweave import analyze

    rows = [
        {
            "text": Path(seed_path("004")).read_text(encoding="utf-8"),
            "published": SEED_DATE,
            "source": "dated",
        },
        {"text": Path(seed_path("003")).read_text(encoding="utf-8"), "source": "undated"},
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    analyze(
        [str(tmp_path / "in.jsonl")],
        db=f"sqlite:///{tmp_path / 'sw.db'}",
        out=tmp_path / "out",
        formats=("json",),
    )
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["corpus"]["stories"] == 1
    story = data["stories"][0]
    by_source = {a["source"]: a for a in story["articles"]}
    assert (by_source["dated"]["published"][:10], by_source["dated"]["published_from"]) == (
        SEED_DATE,
        "metadata",
    )
    assert (by_source["undated"]["published"], by_source["undated"]["published_from"]) == (SEED_DATE, "story")
    troops = [t for t in story["timeline"] if "30,000 Colombian soldiers" in t["text"]]
    assert [t["date"] for t in troops] == ["2026-01-04"]
