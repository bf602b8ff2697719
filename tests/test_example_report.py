"""The shipped example corpus end to end: manifest metadata, a number dispute, a reworded quote."""

from __future__ import annotations

from typing import Any

from conftest import label_of


def test_manifest_metadata_and_sources(example_story: dict[str, Any]) -> None:
    labels = sorted(a["label"] for a in example_story["articles"])
    assert labels == [
        "Ardle Valley Radio",
        "Millbrook Courier",
        "Northern Wire",
        "The Regional Ledger",
        "Valley Daily News",
    ]
    assert all(a["published_from"] == "metadata" for a in example_story["articles"])


def test_evacuation_count_dispute(example_story: dict[str, Any]) -> None:
    numbers = [c for c in example_story["contradictions"] if c["kind"] == "number"]
    assert len(numbers) == 1
    sides = {label_of(example_story, s["article"]): s["value"] for s in numbers[0]["sides"]}
    assert sides["Northern Wire"] == "Nearly 2,000 residents"
    assert set(sides.values()) == {"Nearly 2,000 residents", "About 1,200 residents"}
    disputed = {c["id"] for c in example_story["facts"] if c["status"] == "disputed"}
    assert numbers[0]["fact"] in disputed and numbers[0]["detail"]


def test_no_date_dispute_between_different_facts(example_story: dict[str, Any]) -> None:
    # "evacuated late on Tuesday" and "began returning on Thursday" are different facts, not a dispute.
    assert not [c for c in example_story["contradictions"] if c["kind"] == "date"]


def test_mayor_quote_worded_differently(example_story: dict[str, Any]) -> None:
    mayor = [
        q for q in example_story["quotes"] if q["speaker"]["name"] == "Dana Okafor" and q["wording_differs"]
    ]
    assert len(mayor) == 1
    wordings = {v["text"].rstrip(".") for v in mayor[0]["variants"]}
    assert wordings == {
        "We will not leave a single family without a roof tonight",
        "No family will be left without a roof tonight",
    }
    assert any(c["kind"] == "quote_wording" for c in example_story["contradictions"])


def test_relative_dates_resolved_against_each_outlets_date(example_story: dict[str, Any]) -> None:
    dates = {(t["expression"].lower(), t["date"]) for t in example_story["timeline"]}
    assert ("tuesday night", "2026-03-10TNI") in dates
    assert ("last month", "2026-02") in dates


def test_furniture_removed_from_valley_daily(example_story: dict[str, Any]) -> None:
    article = next(a for a in example_story["articles"] if a["label"] == "Valley Daily News")
    reasons = {r["reason"] for r in article["removed"]}
    assert {"share_prompt", "related_links"} <= reasons
    assert "Share this article" not in article["text"]


def test_fact_lines_read_on_their_own_without_losing_a_word(example_story: dict[str, Any]) -> None:
    lines = [f["text"] for f in example_story["facts"]]
    # "… and said the city would publish …": the verb takes the subject it shares with the verb before.
    assert [t for t in lines if t.startswith("Mayor Dana Okafor said the city would publish")]
    # "…, which engineers expect to take ten days": "which" is the clause's object and stays.
    assert [t for t in lines if t.startswith("which engineers expect to take ten days")]
    # "About 1,200 residents were evacuated …" with the count cut as a detail is no sentence: no capital.
    assert not [t for t in lines if t.startswith("Were evacuated")]
