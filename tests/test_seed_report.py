"""The seed corpus end to end: what a reader must find in the report without opening the articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import SEED_DATE, article_id_of
from storyweave.render.json import validate_report


def _entity(story: dict[str, Any], surname: str) -> list[dict[str, Any]]:
    return [e for e in story["entities"] if surname in e["name"] or any(surname in a for a in e["aliases"])]


def test_one_story_with_all_five_reports(seed_run: dict[str, Any]) -> None:
    data = seed_run["data"]
    assert data["schema"] == "storyweave.report/2"
    assert data["corpus"]["articles"] == 5
    assert data["corpus"]["stories"] == 1
    assert len(data["stories"][0]["articles"]) == 5
    validate_report(data)


def test_every_section_is_filled(seed_story: dict[str, Any]) -> None:
    for section in ("entities", "facts", "contradictions", "quotes", "timeline", "events", "summary"):
        assert seed_story[section], f"section {section} is empty"


def test_people_are_one_entity_each_whatever_the_spelling(seed_story: dict[str, Any]) -> None:
    for surname in ("Trump", "Petro", "Maduro", "Rubio", "Bessent"):
        found = _entity(seed_story, surname)
        assert len(found) == 1, (surname, [e["name"] for e in found])
        assert found[0]["type"] == "PERSON"
    petro = _entity(seed_story, "Petro")[0]
    assert petro["name"] == "Gustavo Petro"
    assert "Peter" in petro["aliases"]  # the garbled rewrite's misspelling
    assert len(petro["articles"]) == 5


def test_furniture_is_gone_and_listed(seed_story: dict[str, Any]) -> None:
    by_prefix = {Path(a["path"]).name[:3]: a for a in seed_story["articles"]}
    removed_002 = {(r["text"], r["reason"]) for r in by_prefix["002"]["removed"]}
    assert ("Donald Trump", "caption") in removed_002
    assert ("Reuters", "credit") in removed_002
    assert ("Related Posts", "related_links") in removed_002
    assert "Related Posts" not in by_prefix["002"]["text"]
    assert "\nReuters\n" not in by_prefix["002"]["text"]
    assert any(r["text"].startswith("One thought on") for r in by_prefix["004"]["removed"])
    assert "One thought on" not in by_prefix["004"]["text"]
    assert ("He He", "doubled_word") in {(r["text"], r["reason"]) for r in by_prefix["000"]["removed"]}
    assert "He He" not in by_prefix["000"]["text"]


def test_truncated_sentence_is_flagged_and_kept(seed_story: dict[str, Any]) -> None:
    article = next(a for a in seed_story["articles"] if Path(a["path"]).name.startswith("002"))
    truncated = [s for s in article["sentences"] if s["truncated"]]
    assert len(truncated) == 1
    assert truncated[0]["text"].endswith("noting he")
    assert "truncated" in article["quality"]["flags"]


def test_offsets_point_into_the_cleaned_text(seed_story: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in seed_story["articles"]}
    for claim in seed_story["facts"]:
        for support in claim["support"]:
            assert texts[support["article"]][support["start"] : support["end"]] == support["text"]
    for quote in seed_story["quotes"]:
        for variant in quote["variants"]:
            assert variant["text"] in texts[variant["article"]][variant["start"] - 1 : variant["end"] + 1]


def test_the_call_length_comes_from_two_outlets(seed_story: dict[str, Any]) -> None:
    ids = {article_id_of(seed_story, "001"), article_id_of(seed_story, "003")}
    call = seed_story["facts"][0]
    assert call["sources"] == 5 and call["status"] in ("corroborated", "disputed")
    lengths = [d for d in call["details"] if d["role"] == "duration" and d["value"] == "35 minutes"]
    assert lengths, "the call's length is no detail of the call"
    assert {s["article"] for s in lengths[0]["support"]} == ids
    assert (lengths[0]["sources"], lengths[0]["independent_sources"]) == (2, 2)
    # The core line, counted by five outlets, carries neither the length nor "first".
    assert "35 minutes" not in call["text"] and "first" not in call["text"]


def test_no_line_prints_a_count_one_of_its_outlets_does_not_support(seed_story: dict[str, Any]) -> None:
    for fact in seed_story["facts"]:
        assert fact["sources"] == len({s["article"] for s in fact["support"]})
        for detail in fact["details"]:
            assert detail["sources"] == len({s["article"] for s in detail["support"]})
            if detail["role"] in ("duration", "quantity") and detail["sources"] < fact["sources"]:
                assert detail["text"] not in fact["text"], (fact["text"], detail["text"])


def test_every_fact_has_a_stance_for_each_outlet(seed_story: dict[str, Any]) -> None:
    outlets = {a["id"] for a in seed_story["articles"]}
    for fact in seed_story["facts"]:
        assert {s["article"] for s in fact["stances"]} == outlets
        stating = {s["article"] for s in fact["stances"] if s["stance"] in ("states", "reports_claim")}
        assert {s["article"] for s in fact["support"]} <= stating


def test_the_denial_of_the_cocaine_accusation_contradicts_it(seed_story: dict[str, Any]) -> None:
    denier = article_id_of(seed_story, "002")  # "… — claims vehemently denied by Colombia’s government"
    accusation = [f for f in seed_story["facts"] if "cocaine" in f["text"] and f["sources"] >= 3]
    assert accusation
    stances = {s["article"]: s for s in accusation[0]["stances"]}
    assert stances[denier]["stance"] == "contradicts"
    assert "denied" in stances[denier]["text"]
    assert accusation[0]["status"] == "disputed"


def test_a_report_passed_on_from_another_outlet_is_reporting_a_claim(seed_story: dict[str, Any]) -> None:
    hill = [
        s
        for f in seed_story["facts"]
        for s in f["stances"]
        if "according to a report by The Hill" in s["text"]
    ]
    assert hill and all(s["stance"] == "reports_claim" for s in hill)


def test_widely_reported_fact_lists_all_its_outlets(seed_story: dict[str, Any]) -> None:
    top = seed_story["facts"][0]
    assert top["sources"] >= 4
    assert top["status"] in ("corroborated", "disputed")


def test_dates_resolved_against_publication(seed_story: dict[str, Any]) -> None:
    dates = {(item["expression"].lower(), item["date"]) for item in seed_story["timeline"]}
    assert ("wednesday", "2026-01-07") in dates
    assert ("last month", "2025-12") in dates
    assert ("october of last year", "2025-10") in dates
    assert any(expr.endswith("sunday") and date == "2026-01-04" for expr, date in dates)
    # The dateline gives the publication date of 001, not an event date.
    assert not any(expr == "january 8" for expr, _ in dates)
    article_001 = next(a for a in seed_story["articles"] if Path(a["path"]).name.startswith("001"))
    assert (article_001["published"], article_001["published_from"]) == (SEED_DATE, "text")


def test_outlets_disagreeing_on_when_is_a_date_contradiction(seed_story: dict[str, Any]) -> None:
    dated = [c for c in seed_story["contradictions"] if c["kind"] == "date"]
    assert len(dated) == 1
    values = sorted(side["value"] for side in dated[0]["sides"])
    assert values == ["2025-12", "2026-W02"]
    assert all("watch his" in side["text"] for side in dated[0]["sides"])
    disputed = [c for c in seed_story["facts"] if c["id"] == dated[0]["fact"]]
    assert disputed and all(c["status"] == "disputed" for c in disputed)


def test_no_false_number_contradictions(seed_story: dict[str, Any]) -> None:
    # "more than 100" dead and "at least 23 soldiers" are different counts in one report, not a dispute.
    assert not [c for c in seed_story["contradictions"] if c["kind"] == "number"]


def test_garbled_rewrite_rated_lowest(seed_story: dict[str, Any]) -> None:
    scores = {Path(a["path"]).name[:3]: a["quality"]["score"] for a in seed_story["articles"]}
    assert min(scores, key=lambda k: scores[k]) == "000"
    garbled = next(a for a in seed_story["articles"] if Path(a["path"]).name.startswith("000"))
    assert "garbled" in garbled["quality"]["flags"]
    assert "misspelt_names" in garbled["quality"]["flags"]
    others = [s for k, s in scores.items() if k != "000"]
    assert scores["000"] < min(others) - 0.3


def test_summary_cites_real_claims_and_prefers_clean_wording(seed_story: dict[str, Any]) -> None:
    claims = {c["id"]: c for c in seed_story["facts"]}
    garbled = article_id_of(seed_story, "000")
    garbled_texts = {s["text"] for c in claims.values() for s in c["support"] if s["article"] == garbled}
    assert 1 <= len(seed_story["summary"]) <= 5
    for sentence in seed_story["summary"]:
        assert sentence["facts"] and all(c in claims for c in sentence["facts"])
        assert sentence["articles"]
        assert sentence["text"] not in garbled_texts


def test_quotes_have_named_speakers(seed_story: dict[str, Any]) -> None:
    entities = {e["id"] for e in seed_story["entities"]}
    assert len(seed_story["quotes"]) >= 8
    named = [q for q in seed_story["quotes"] if q["speaker"]["name"]]
    assert len(named) >= 0.9 * len(seed_story["quotes"])
    assert all(q["speaker"]["entity"] in entities for q in named)


@pytest.mark.slow
def test_second_run_adds_nothing_and_writes_identical_json(seed_run: dict[str, Any], seeds_dir: Path) -> None:
    from storyweave import analyze
    from storyweave.store import open_store

    store = open_store(seed_run["db"])
    before = store.counts()
    store.close()
    out2 = seed_run["work"] / "out2"
    analyze([str(seeds_dir)], published=SEED_DATE, db=seed_run["db"], out=out2, formats=("json",))
    store = open_store(seed_run["db"])
    assert store.counts() == before == {"articles": 5, "stories": 1, "story_articles": 5}
    stored = store.story_report(seed_run["data"]["stories"][0]["id"])
    store.close()
    assert (out2 / "report.json").read_bytes() == (seed_run["out"] / "report.json").read_bytes()
    assert stored == json.loads((out2 / "report.json").read_text(encoding="utf-8"))["stories"][0]


def test_markdown_report_has_the_sections(seed_run: dict[str, Any]) -> None:
    text = (seed_run["out"] / "report.md").read_text(encoding="utf-8")
    for heading in ("Summary", "What the outlets agree on", "Disputed", "Quotes", "Timeline"):
        assert heading in text


def test_events_are_coded_once_per_fact_with_named_actors(seed_story: dict[str, Any]) -> None:
    events = {(e["actor"], e["code"], e["target"]) for e in seed_story["events"]}
    assert ("Donald Trump", "CONSULT", "Gustavo Petro") in events  # the call, from all five outlets
    assert ("Donald Trump", "THREATEN", "Gustavo Petro") in events
    # The October sanctions: "The United States imposed …" or "The Trump administration … imposed …".
    assert {
        ("United States", "SANCTION", "Gustavo Petro"),
        ("Donald Trump", "SANCTION", "Gustavo Petro"),
    } & events
    # "Trump later struck a conciliatory tone on Truth Social" is not an assault on anyone.
    assert not [e for e in seed_story["events"] if e["code"] == "ASSAULT"]
    call = next(
        e
        for e in seed_story["events"]
        if e["code"] == "CONSULT" and e["date"] and e["actor"] == "Donald Trump"
    )
    assert len(call["articles"]) == 5
    entity_names = {e["name"] for e in seed_story["entities"]}
    assert all(e["actor"] in entity_names for e in seed_story["events"])


def test_quote_wording_disputes_are_between_outlets(seed_story: dict[str, Any]) -> None:
    wordings = [c for c in seed_story["contradictions"] if c["kind"] == "quote_wording"]
    assert wordings
    for contradiction in wordings:
        outlets = [side["article"] for side in contradiction["sides"]]
        assert len(outlets) == len(set(outlets)) >= 2  # one wording per outlet, at least two outlets
    sounds = next(c for c in wordings if any("looks good" in s["value"] for s in c["sides"]))
    assert len(sounds["sides"]) == 3


def test_summary_lines_stand_alone(seed_story: dict[str, Any]) -> None:
    for sentence in seed_story["summary"]:
        first = sentence["text"].lstrip("“\"‘'(")[:1]
        assert first.isupper(), sentence["text"]


def test_an_outlet_quoting_fewer_of_the_same_words_is_no_dispute(seed_story: dict[str, Any]) -> None:
    sides = [
        s["value"] for c in seed_story["contradictions"] if c["kind"] == "quote_wording" for s in c["sides"]
    ]
    assert "sick man" not in sides and "very sick" not in sides and "Great Honor" not in sides
    assert "looks good to me" in sides and "watch his ass" in sides


def test_reported_speech_reaches_the_report_marked_indirect(seed_story: dict[str, Any]) -> None:
    indirect = [q for q in seed_story["quotes"] if q["indirect"]]
    assert indirect and all(all(v["indirect"] for v in q["variants"]) for q in indirect)
    toll = [q for q in indirect if "death toll" in q["text"]]
    assert toll and toll[0]["speaker"]["name"] == "Diosdado Cabello"
    # Reported speech is the outlet's wording: it never makes a wording dispute.
    wording = {c["sides"][0]["text"] for c in seed_story["contradictions"] if c["kind"] == "quote_wording"}
    assert not wording & {v["text"] for q in indirect for v in q["variants"]}


def _fact_stating(story: dict[str, Any], prefix: str, words: str) -> dict[str, Any]:
    """The fact that cites seed ``prefix``'s statement containing ``words``."""
    article = article_id_of(story, prefix)
    return next(
        f for f in story["facts"] for s in f["support"] if s["article"] == article and words in s["text"]
    )


def _outlets(story: dict[str, Any], fact: dict[str, Any]) -> set[str]:
    names = {a["id"]: Path(a["path"]).name[:3] for a in story["articles"]}
    return {names[s["article"]] for s in fact["support"]}


# Facts the outlets state in their own words, each with every outlet that states it (read off the texts).
PARAPHRASED = [
    ("002", "revoked Petro’s visa", {"000", "002"}),
    ("004", "imposed sanctions on Petro in October", {"002", "004"}),
    ("002", "captured Venezuelan President Nicolás Maduro", {"000", "002", "004"}),
    ("003", "announced the call on his social media platform", {"001", "003"}),
    ("004", "Marco Rubio would coordinate", {"003", "004"}),
    ("003", "drug cartel leaders in Mexico", {"001", "003"}),
    ("003", "Cuba's government might collapse", {"001", "003"}),
    ("001", "30,000 Colombian soldiers", {"001", "003"}),
    # Petro's warning: "warned against any US intervention", "issued a stark warning about defending
    # Colombia's sovereignty" (a light verb and its event noun), "warned that Colombia would take up arms".
    ("003", "He issued a stark warning", {"001", "003", "004"}),
]


@pytest.mark.parametrize(("prefix", "words", "outlets"), PARAPHRASED)
def test_paraphrased_facts_cite_every_outlet_that_states_them(
    seed_story: dict[str, Any], prefix: str, words: str, outlets: set[str]
) -> None:
    assert _outlets(seed_story, _fact_stating(seed_story, prefix, words)) == outlets


def test_what_one_leader_did_is_not_the_others_act(seed_story: dict[str, Any]) -> None:
    # Petro warned Colombia would "take up arms"; Trump threatened to send troops after cartels in Mexico.
    warning = _fact_stating(seed_story, "004", "Petro warned that Colombia would")
    threat = _fact_stating(seed_story, "003", "drug cartel leaders in Mexico")
    assert warning["id"] != threat["id"]
    # "He [Petro] issued a stark warning …" and "Trump issued warnings to several countries …".
    petro = _fact_stating(seed_story, "003", "He issued a stark warning")
    assert not [s for s in petro["support"] if "Trump issued warnings" in s["text"]]
    # Nor does Petro's warning borrow the details of Trump's ("Last month, he warned that Petro …").
    assert not [d for d in petro["details"] if d["text"] in ("Last month", "publicly", "in Mexico")]


def test_the_calls_length_is_printed_under_the_call(seed_story: dict[str, Any]) -> None:
    call = _fact_stating(seed_story, "000", "President Trump spoke by phone with Colombian President")
    lengths = [d for d in call["details"] if d["role"] == "duration"]
    assert [(d["sources"], _outlets(seed_story, d)) for d in lengths] == [(2, {"001", "003"})]
    # "The call comes just days after …" is about the call too, but does not repeat its details.
    after = _fact_stating(seed_story, "002", "The call comes just days after")
    assert after["id"] != call["id"]
    assert not [d for d in after["details"] if d["role"] in ("duration", "manner") and "35" in d["text"]]
    assert not [d for d in after["details"] if d["text"] in ("35 minutes", "telephone", "first")]


def test_statements_about_one_planned_meeting_are_not_one_fact(seed_story: dict[str, Any]) -> None:
    # "The summit is scheduled … at the White House" and "the planned White House meeting is expected to draw
    # close international attention" say different things of the meeting; "planned" describes, not reports.
    summit = _fact_stating(seed_story, "003", "The summit is scheduled to take place")
    attention = _fact_stating(seed_story, "004", "expected to draw close international attention")
    assert summit["id"] != attention["id"]
    appreciated = _fact_stating(seed_story, "001", "Trump said he appreciated Petro’s call and tone")
    assert {"000", "001", "003"} <= _outlets(seed_story, appreciated)


def test_a_facts_line_is_the_shortest_clean_wording(seed_story: dict[str, Any]) -> None:
    # 002 adds "— claims vehemently denied by Colombia's government" to the call coming days after Trump's
    # accusations; 001 and 003 do not, so the line printed with all three outlets must not say it.
    after = _fact_stating(seed_story, "002", "The call comes just days after")
    assert _outlets(seed_story, after) == {"001", "002", "003"}
    assert "denied" not in after["text"]
    assert len(after["text"]) == min(len(s["text"]) for s in after["support"])


@pytest.mark.parametrize(
    ("prefix", "words", "line"),
    [
        # A verb that shares the subject of the verb before it takes that subject, as the sentence writes it.
        ("004", "and later described him as", "Trump later described him as a “sick man who likes"),
        ("002", "and decertified Colombia", "The Trump administration decertified Colombia as a partner"),
        ("004", "and said Marco Rubio would coordinate", "He said Marco Rubio would coordinate"),
        ("002", "imposed sanctions on him", "The Trump administration imposed sanctions on him"),
        # Words cut as a detail ("Last month, he warned …") leave a line that starts with a capital.
        ("001", "he warned that Petro", "He warned that Petro"),
        # A relative clause loses its relative word.
        ("002", "where U.S. forces recently captured", "U.S. forces recently captured Venezuelan President"),
        # A sentence's own first word stays: "While …" opens the sentence, it joins nothing.
        ("003", "While the core disagreements", "While the core disagreements on drug policy"),
    ],
)
def test_a_facts_line_reads_on_its_own(
    seed_story: dict[str, Any], prefix: str, words: str, line: str
) -> None:
    assert _fact_stating(seed_story, prefix, words)["text"].startswith(line)
