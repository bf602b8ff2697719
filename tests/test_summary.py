"""The cited summary, coverage and framing on the seed story, and the in-memory analysis NeuS uses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, article_id_of

NEUS = REPO.parent / "shared" / "datasets" / "neus-allsides"


def test_summary_is_five_cited_sentences_without_garbled_wording(seed_story: dict[str, Any]) -> None:
    claims = {c["id"]: c for c in seed_story["facts"]}
    garbled = article_id_of(seed_story, "000")
    summary = seed_story["summary"]
    assert len(summary) == 5
    for sentence in summary:
        assert sentence["facts"] and all(c in claims for c in sentence["facts"])
        cited = {s["article"] for c in sentence["facts"] for s in claims[c]["support"]}
        assert set(sentence["articles"]) == cited  # the outlets it cites are those stating the claim
        # The wording shown is one an outlet other than the garbled rewrite wrote.
        own = {
            s["article"]
            for c in sentence["facts"]
            for s in claims[c]["support"]
            if s["text"] == sentence["text"]
        }
        assert garbled not in own
    texts = " ".join(s["text"] for s in summary)
    assert "spoke with Petro by phone" in texts  # the call, which all five outlets report
    assert "Peter" not in texts  # the rewrite's misspelling of Petro


def test_summary_prefers_corroborated_claims(seed_story: dict[str, Any]) -> None:
    claims = {c["id"]: c for c in seed_story["facts"]}
    cited = [claims[c] for s in seed_story["summary"] for c in s["facts"]]
    assert all(c["independent_sources"] >= 2 for c in cited)  # never a fact only one outlet has
    best = max(c["independent_sources"] for c in seed_story["facts"])
    assert max(c["independent_sources"] for c in cited) == best  # the most corroborated fact is in it


def test_garbled_report_ranks_lowest_with_reasons(seed_story: dict[str, Any]) -> None:
    by_prefix = {Path(a["path"]).name[:3]: a["quality"] for a in seed_story["articles"]}
    garbled = by_prefix.pop("000")
    assert garbled["score"] < 0.5 < min(q["score"] for q in by_prefix.values())
    assert {"garbled", "doubled_words", "misspelt_names"} <= set(garbled["flags"])
    assert "truncated" in by_prefix["002"]["flags"]
    assert by_prefix["003"]["flags"] == []


def test_coverage_matrix_matches_claims(seed_story: dict[str, Any]) -> None:
    coverage = seed_story["coverage"]
    claims = seed_story["facts"]
    assert len(coverage["outlets"]) == 5 and len(coverage["matrix"]) == len(claims)
    for claim, row in zip(claims, coverage["matrix"], strict=True):
        stating = {coverage["outlets"][i] for i, mark in enumerate(row) if mark}
        assert stating == {s["article"] for s in claim["support"]}
    most = {c["id"] for c in claims if len({s["article"] for s in c["support"]}) >= 3}
    assert most and set(coverage["shared"]) == most  # more than half of five outlets
    for outlet, ids in coverage["unique"].items():
        assert all(len({s["article"] for s in _claim(claims, i)["support"]}) == 1 for i in ids), outlet
    assert coverage["adds_nothing"] == []  # every seed outlet has a fact of its own


def _claim(claims: list[dict[str, Any]], claim_id: str) -> dict[str, Any]:
    return next(c for c in claims if c["id"] == claim_id)


def test_framing_shows_loaded_words_against_neutral_ones(seed_story: dict[str, Any]) -> None:
    framing = seed_story["framing"]
    lashed = next(f for f in framing if f["text"] == "lashed out")
    assert lashed["article"] == article_id_of(seed_story, "000")
    assert {o["text"] for o in lashed["others"]} & {"labelled", "reported", "said"}
    assert any(f["text"] == "saber-rattling" for f in framing)
    # Framing is the outlet's own voice: no term sits inside a quotation.
    texts = {a["id"]: a for a in seed_story["articles"]}
    assert all(f["start"] < f["end"] and f["article"] in texts for f in framing)


def test_analyze_texts_summarises_neus_story_to_budget() -> None:
    """The library function the NeuS bench calls: three outlets' reports in memory, no store."""
    if not (NEUS / "train.source").exists():
        pytest.skip(f"NeuS data not found at {NEUS}")
    sys.path.insert(0, str(REPO / "bench"))
    from storyweave.analysis.story import AnalysisOptions
    from storyweave.analysis.texts import analyze_texts
    from summary import parse_story

    line = (NEUS / "train.source").read_text(encoding="utf-8").splitlines()[0]
    reports = parse_story(line)
    assert len(reports) == 3
    story = analyze_texts(
        [body for _, body in reports], [t for t, _ in reports], options=AnalysisOptions(summary_words=60)
    )
    assert len(story.articles) == 3 and story.summary
    words = sum(len(s.text.split()) for s in story.summary)
    assert 20 <= words <= 60 + max(len(s.text.split()) for s in story.summary)
    bodies = " ".join(body for _, body in reports)
    for sentence in story.summary:
        assert sentence.articles and sentence.text.removeprefix("Disputed between outlets: ") in bodies
