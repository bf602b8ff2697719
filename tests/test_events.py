"""Events (PLOVER actor-action-target) and the dyad view, on the seed story and on real seed sentences."""

from __future__ import annotations

from typing import Any

from storyweave.analysis.calendar import date_range
from storyweave.analysis.events import PLOVER_SCALE, build_dyads
from storyweave.model import Event


def _start(date: str | None) -> str:
    span = date_range(date) if date else None
    return span[0].isoformat() if span else "9999"


def test_every_event_has_a_plover_code_and_its_place_on_the_scale(seed_story: dict[str, Any]) -> None:
    assert seed_story["events"]
    for event in seed_story["events"]:
        assert event["code"] in PLOVER_SCALE
        assert event["scale"] == PLOVER_SCALE[event["code"]]
        assert event["articles"], "every event cites the outlets that report it"


def test_a_conditional_threat_is_not_coded_as_the_act_threatened(seed_story: dict[str, Any]) -> None:
    # "Petro warned that Colombia would “take up arms” if the United States launched military action":
    # the warning happened, the taking up of arms did not.
    claims = {c["id"]: c["text"] for c in seed_story["facts"]}
    for event in seed_story["events"]:
        if "take up arms" in claims.get(event["fact"], ""):
            assert event["code"] == "THREATEN"
    assert not [e for e in seed_story["events"] if e["code"] == "ASSAULT"]


def test_dyads_read_as_the_story_of_each_pair(seed_story: dict[str, Any]) -> None:
    events = seed_story["events"]
    dyads = {tuple(d["actors"]): d["events"] for d in seed_story["dyads"]}
    trump_petro = dyads[("Donald Trump", "Gustavo Petro")]
    assert seed_story["dyads"][0]["actors"] == ["Donald Trump", "Gustavo Petro"], "the main pair comes first"
    for actors, indexes in dyads.items():
        for i in indexes:
            assert {events[i]["actor"], events[i]["target"]} == set(actors)
        starts = [_start(events[i]["date"]) for i in indexes]
        assert starts == sorted(starts), f"{actors}: events out of time order"
    codes = [events[i]["code"] for i in trump_petro]
    # Hostility first (the "sick man" label of Sunday, the warning), then the call.
    first_call = codes.index("CONSULT")
    assert "ACCUSE" in codes[:first_call]
    assert "THREATEN" in codes
    # The sanctions on Petro: by the United States or the Trump administration, as the outlet words it.
    sanctioned = [
        events[i]
        for actors, indexes in dyads.items()
        if "Gustavo Petro" in actors and ({"United States", "Donald Trump"} & set(actors))
        for i in indexes
        if events[i]["code"] == "SANCTION"
    ]
    assert sanctioned


def test_build_dyads_orders_by_first_day_and_joins_both_directions() -> None:
    events = [
        Event("Donald Trump", "hold", "CONSULT", "Gustavo Petro", "2026-01-07", ["a"], "c1", 0.5),
        Event("Gustavo Petro", "accuse", "ACCUSE", "Donald Trump", "2026-W01-WE", ["b"], "c2", -0.4),
        Event("United States", "impose", "SANCTION", "Gustavo Petro", "2025-10", ["b"], "c3", -0.7),
        Event("Donald Trump", "meet", "CONSULT", "Gustavo Petro", "FUTURE_REF", ["a"], "c4", 0.5),
        Event("Donald Trump", "revoke", "SANCTION", "Gustavo Petro", None, ["a"], "c5", -0.7),
        Event("Gustavo Petro", "deploy", "MOBILIZE", None, "2026-01-04", ["a"], "c6", -0.6),
    ]
    dyads = build_dyads(events)
    assert [d.actors for d in dyads] == [
        ["Donald Trump", "Gustavo Petro"],
        ["Gustavo Petro", "United States"],
    ]
    # Dated in time order, then what is planned, then the undated; an event without a target is no pair's.
    assert dyads[0].events == [1, 0, 3, 4]


def test_the_dateline_names_no_actor(seed_story: dict[str, Any]) -> None:
    # "Washington, D.C., January 8: US President Donald Trump and ... Petro have held their first phone
    # conversation": Trump and Petro held the call, not Washington.
    assert "Washington" not in {e["actor"] for e in seed_story["events"]}


def test_one_event_for_the_same_act_stated_by_two_claims(seed_story: dict[str, Any]) -> None:
    keys = [(e["actor"], e["action"], e["target"], e["date"]) for e in seed_story["events"]]
    assert len(keys) == len(set(keys))
    # "have held their first direct telephone conversation" (two claims, one a dateline's) and "spoke by phone
    # this week": one call between Trump and Petro, citing every outlet that reports it.
    calls = [e for e in seed_story["events"] if (e["actor"], e["code"], e["target"]) == CALL]
    assert len(calls) == 1 and calls[0]["date"] and len(calls[0]["articles"]) >= 3


CALL = ("Donald Trump", "CONSULT", "Gustavo Petro")


def test_calling_on_someone_is_a_request_not_a_call(seed_story: dict[str, Any]) -> None:
    said = {f["id"]: " ".join(s["text"] for s in f["support"]) for f in seed_story["facts"]}
    called_on = [e for e in seed_story["events"] if "called on" in said.get(e["fact"], "")]
    assert all(e["code"] != "CONSULT" for e in called_on)


def test_a_verb_joined_by_and_takes_the_subject_of_its_partner() -> None:
    from storyweave.analysis.details import shared_subject
    from storyweave.analysis.events import _code
    from storyweave.nlp.annotate import get_nlp

    doc = get_nlp()(
        "During the conversation, the two leaders discussed counter-narcotics policy and other areas of "
        "disagreement and agreed to hold an in-person meeting in the future."
    )
    agreed = next(t for t in doc if t.text == "agreed")
    subject = shared_subject(agreed)
    assert subject is not None and subject.text == "leaders"
    assert _code(agreed) == "AGREE"
    appeal = get_nlp()("In response, Petro called on Colombians to defend national sovereignty.")
    assert _code(next(t for t in appeal if t.text == "called")) == "REQUEST"


def test_an_undated_event_joins_the_one_dated_event_of_the_same_pair_and_kind() -> None:
    from storyweave.analysis.events import _fold_undated

    def event(action: str, code: str, date: str | None, article: str) -> Event:
        return Event("Donald Trump", action, code, "Gustavo Petro", date, [article], None)

    call = event("speak", "CONSULT", "2026-W02", "a1")
    folded = _fold_undated(
        [call, event("hold", "CONSULT", None, "a2"), event("revoke", "SANCTION", None, "a3")]
    )
    assert [e.action for e in folded] == ["speak", "revoke"], "a sanction has no dated twin: it stays"
    assert folded[0].articles == ["a1", "a2"]
    two_dated = [event("speak", "CONSULT", "2026-01-07", "a1"), event("meet", "CONSULT", "FUTURE_REF", "a2")]
    assert len(_fold_undated([*two_dated, event("hold", "CONSULT", None, "a3")])) == 3, (
        "ambiguous: kept apart"
    )


def test_an_outlet_that_reports_it_is_not_the_he_who_did_it(seed_story: dict[str, Any]) -> None:
    # "He has threatened to deploy the US military against cartel leaders in Mexico …, The Hill reported":
    # "he" is a person; the outlet only reports the threat.
    assert "The Hill" not in {e["actor"] for e in seed_story["events"]}


def test_a_reported_act_is_the_event_not_the_saying() -> None:
    from storyweave.analysis.events import _reported
    from storyweave.nlp.annotate import get_nlp

    doc = get_nlp()(
        "Trump said he spoke with Petro by phone, during which the Colombian leader explained "
        "“the situation of drugs and other disagreements.”"
    )
    root = next(iter(doc.sents)).root
    verb, reporter = _reported(root)
    assert (verb.text, reporter.text if reporter else None) == ("spoke", "said")
    denied = get_nlp()("Petro did not say he would withdraw the ambassador.")
    assert _reported(next(iter(denied.sents)).root)[1] is None, "a negated report reports nothing"


def test_a_week_and_a_day_inside_it_are_one_event_at_the_day() -> None:
    from storyweave.analysis.events import _fold_nested

    week = Event("Donald Trump", "speak", "CONSULT", "Gustavo Petro", "2026-W02", ["a1"], None)
    day = Event("Donald Trump", "speak", "CONSULT", "Gustavo Petro", "2026-01-07", ["a2"], None)
    folded = _fold_nested([week, day])
    assert [(e.date, e.articles) for e in folded] == [("2026-01-07", ["a1", "a2"])]
