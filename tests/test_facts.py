"""Facts, their details, statement units, contradictions and independence on real sentences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pytest

from storyweave.analysis.alignment import group_units, pair_scores
from storyweave.analysis.article_vectors import attach_vectors, encode_articles
from storyweave.analysis.calendar import date_range
from storyweave.analysis.contradictions import find_contradictions, interval, intervals_meet, same_source
from storyweave.analysis.entities import build_entities
from storyweave.analysis.facts import (
    DraftFacts,
    build_facts,
    event_scores,
    independent_count,
    statement_parts,
)
from storyweave.analysis.quotes import find_quotes
from storyweave.analysis.story import time_expressions
from storyweave.analysis.units import statement_units
from storyweave.model import Article, Contradiction, Quote, TimeExpression
from storyweave.nlp.annotate import annotate

# Real sentences from the seed corpus (001, 003, 004).
S001 = (
    "The Colombian government separately confirmed that Petro spoke with Trump for about 35 minutes, "
    "describing the exchange as positive, according to a report by The Hill."
)
S003 = (
    "In a significant diplomatic development, US President Donald Trump and Colombian President Gustavo "
    "Petro have held their first direct telephone conversation, lasting 35 minutes."
)
S004 = (
    "Earlier this week, however, Trump publicly warned Petro to “watch his ass” and later described him as "
    "a “sick man who likes making cocaine and selling it to the United States.”"
)
CALL = "Petro spoke with Trump by phone for"
OTHER = "Colombia remains a major hub in the global cocaine trade."


def _articles(texts: dict[str, str]) -> list[Article]:
    articles = [
        Article(id=k, path=f"{k}.txt", raw=t, text=t, published="2026-01-08") for k, t in texts.items()
    ]
    annotate(articles)
    encode_articles(articles)
    return articles


def _facts(
    texts: dict[str, str], dates: Mapping[str, Sequence[TimeExpression]] | None = None
) -> tuple[DraftFacts, list[Article], list[Quote]]:
    articles = _articles(texts)
    entities = build_entities(articles)
    units = statement_units(articles)
    attach_vectors(units)
    if dates is None:
        dates = time_expressions(articles, dt.date(2026, 1, 8))
    parts = statement_parts(units, entities, dates)
    quotes = find_quotes(articles, entities)
    groups = group_units(units, pair_scores(units, quotes, event_scores(units, parts)))
    return build_facts(groups, parts, {}, lambda u: 1.0), articles, quotes


def _details(text: str) -> list[tuple[str, str, str | None]]:
    drafts, _, _ = _facts({"x": text})
    return sorted((d.role, d.value, d.bound) for p in drafts.parts.values() for d in p.details)


def test_quantities_keep_what_they_count_and_their_bound() -> None:
    assert ("quantity", "30000 soldiers", "exact") in _details(
        "Petro ordered the deployment of 30,000 Colombian soldiers along the border."
    )
    assert ("quantity", "640 people", "more_than") in _details(
        "More than 640 people were killed in the raid."
    )
    assert ("quantity", "12000 people", "exact") in _details(
        "The flood displaced 12 000 people in the valley."
    )
    assert not [
        d for d in _details("The 2019 level was never reached again by the farmers.") if d[0] == "quantity"
    ]
    # A small spelled number counts when nothing makes it definite: who, not how many, otherwise.
    assert ("quantity", "2 people", "exact") in _details("The quake on the island injured two people.")
    assert not [
        d for d in _details("The two leaders discussed their two countries' trade.") if d[0] == "quantity"
    ]


def test_bounds_are_intervals() -> None:
    assert intervals_meet(interval(640, "more_than"), interval(600, "more_than"))
    assert intervals_meet(interval(35, "about"), interval(36, "exact"))
    assert not intervals_meet(interval(35, "exact"), interval(45, "exact"))
    assert not intervals_meet(interval(100, "more_than"), interval(100, "exact"))
    assert intervals_meet(interval(100, "at_least"), interval(100, "exact"))


def test_coordinated_facts_become_separate_units() -> None:
    [article] = _articles({"x": S004})
    units = statement_units([article])
    assert len(units) == 2
    assert units[0].text.endswith("“watch his ass”")
    assert units[1].text.startswith("and later described him")
    for unit in units:
        assert article.text[unit.start : unit.end] == unit.text


def test_every_verb_of_a_list_and_of_a_reported_clause_is_a_unit() -> None:
    [article] = _articles(
        {
            "x": "The Trump administration revoked Petro’s visa, imposed sanctions on him and members of his "
            "circle, and decertified Colombia as a partner in the war on drugs. He has threatened to deploy "
            "the US military against cartel leaders in Mexico and suggested that Cuba’s government could "
            "collapse without support from Venezuela, The Hill reported."
        }
    )
    assert [u.text for u in statement_units([article])] == [
        "The Trump administration revoked Petro’s visa",
        "imposed sanctions on him and members of his circle",
        "and decertified Colombia as a partner in the war on drugs.",
        "He has threatened to deploy the US military against cartel leaders in Mexico",
        "and suggested that Cuba’s government could collapse without support from Venezuela, "
        "The Hill reported.",
    ]


def test_one_call_in_two_outlets_is_one_fact_with_its_details_counted_apart() -> None:
    drafts, _, _ = _facts(
        {"a001": S001 + " " + OTHER, "a003": S003, "a002": "Trump spoke with Petro by phone on Wednesday."}
    )
    facts, groups = drafts.facts, drafts.groups
    call = [f for f in facts if {s.article for s in f.support} >= {"a001", "a003"}]
    assert len(call) == 1
    fact = call[0]
    assert fact.status == "corroborated" and fact.independent_sources == fact.sources >= 2
    length = [d for d in fact.details if d.role == "duration"]
    assert [(d.value, d.sources) for d in length] == [("35 minutes", 2)]
    assert {s.article for s in length[0].support} == {"a001", "a003"}
    # The core line carries only what every supporting outlet states.
    if fact.sources == 3:
        assert "35 minutes" not in fact.text and "first" not in fact.text
    single = [f for f in facts if f.text == OTHER]
    assert len(single) == 1 and single[0].sources == 1 and single[0].status == "single_source"
    assert set(groups) == {f.id for f in facts}


def test_a_copy_does_not_count_as_independent() -> None:
    assert independent_count(["a", "b", "c"], {"b": ["a"], "c": ["b"]}) == 1
    assert independent_count(["a", "b", "c"], {"b": ["a"]}) == 2


def test_date_ranges() -> None:
    assert date_range("2026-01-04") == (dt.date(2026, 1, 4), dt.date(2026, 1, 4))
    assert date_range("2025-12") == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert date_range("2026-W02") == (dt.date(2026, 1, 5), dt.date(2026, 1, 11))
    assert date_range("2026-W01-WE") == (dt.date(2026, 1, 3), dt.date(2026, 1, 4))
    assert date_range("PT35M") is None


@pytest.mark.parametrize(
    ("other", "expected"), [("45 minutes", ["35 minutes", "45 minutes"]), ("35 minutes", [])]
)
def test_number_contradiction_only_when_the_counts_differ(other: str, expected: list[str]) -> None:
    articles = _articles(
        {
            "a": f"{CALL} about 35 minutes on Wednesday, the Colombian government said.",
            "b": f"{CALL} about {other} on Wednesday, the Colombian government said.",
        }
    )
    drafts, _, quotes = _facts({a.id: a.text for a in articles})
    facts = drafts.facts
    found = find_contradictions(drafts, quotes, articles)
    assert sorted(s.value for c in found for s in c.sides) == [f"about {e}" for e in expected]
    if expected:
        assert found[0].kind == "number" and found[0].fact in {f.id for f in facts}
        assert found[0].detail is not None


def test_date_contradiction_needs_disjoint_dates() -> None:
    texts = {
        "a": "Trump spoke with Petro by phone on Sunday, officials said.",
        "b": "Trump spoke with Petro by phone over the weekend, officials said.",
        "c": "Trump spoke with Petro by phone last month, officials said.",
    }
    articles = _articles(texts)
    dates = {
        "a": [TimeExpression(35, 41, "Sunday", "DATE", "2026-01-04", "day")],
        "b": [TimeExpression(37, 48, "the weekend", "DATE", "2026-W01-WE", "week")],
        "c": [TimeExpression(32, 42, "last month", "DATE", "2025-12", "month")],
    }
    drafts, _, quotes = _facts(texts, dates)
    found = [c for c in find_contradictions(drafts, quotes, articles) if c.kind == "date"]
    assert len(found) == 1
    values = sorted(s.value for s in found[0].sides)
    assert values[0] == "2025-12" and values[1] in ("2026-01-04", "2026-W01-WE")


# Two reports of one deployment (seeds 001 and 003); two earthquakes (one kind of event, two instances).
DEPLOY_003 = (
    "As a protective measure, Petro deployed 30,000 Colombian soldiers to guard the border with Venezuela "
    "last Sunday."
)
DEPLOY_001 = (
    "As tensions rose, Petro ordered the deployment of 30,000 Colombian soldiers along the country’s border "
    "with Venezuela on Sunday."
)
QUAKE_A = (
    "A magnitude 6.0 earthquake struck the Napa region of northern California early on Sunday, "
    "injuring dozens."
)
QUAKE_B = (
    "A magnitude 5.1 earthquake struck near La Habra in southern California on Friday night, damaging homes."
)


def _cosine(a: str, b: str) -> float:
    from storyweave.nlp.vectors import get_encoder

    vectors = get_encoder().encode([a, b])
    return float(vectors[0] @ vectors[1])


def test_same_fact_in_other_words_but_not_another_instance() -> None:
    from storyweave.analysis.same_fact import same_fact, same_fact_probability

    assert same_fact(DEPLOY_003, DEPLOY_001, _cosine(DEPLOY_003, DEPLOY_001))
    quake = same_fact_probability(QUAKE_A, QUAKE_B, _cosine(QUAKE_A, QUAKE_B))
    assert quake < 0.5
    assert quake < same_fact_probability(DEPLOY_003, DEPLOY_001, _cosine(DEPLOY_003, DEPLOY_001))


def _contradictions(texts: dict[str, str]) -> list[Contradiction]:
    drafts, articles, quotes = _facts(texts)
    return find_contradictions(drafts, quotes, articles)


def test_negation_contradiction_has_sides_and_explanation() -> None:
    # Seed 003's sentence, and the same statement denied.
    found = _contradictions(
        {
            "a": "Trump said he appreciated Petro’s call and tone and looked forward to meeting him soon.",
            "b": (
                "Trump said he did not appreciate Petro’s call and tone and looked forward to meeting "
                "him soon."
            ),
        }
    )
    negation = [c for c in found if c.kind == "negation"]
    assert len(negation) == 1
    assert [(s.article, s.value) for s in negation[0].sides] == [("a", "appreciate"), ("b", "not appreciate")]
    assert "did not" in negation[0].explanation


def test_attribution_contradiction_names_both_speakers() -> None:
    found = _contradictions(
        {
            "a": "Gustavo Petro said the phone call with Trump was “good and positive” on Wednesday.",
            "b": "Marco Rubio said the phone call with Trump was “good and positive” on Wednesday.",
        }
    )
    attribution = [c for c in found if c.kind == "attribution"]
    assert len(attribution) == 1
    assert sorted(s.value for s in attribution[0].sides) == ["Gustavo Petro", "Marco Rubio"]
    assert "attributes this to" in attribution[0].explanation


def test_an_agency_and_its_acronym_are_one_source() -> None:
    # ECB+ 35_ecbplus put one sentence to "the CHP" and to "the California Highway Patrol".
    assert same_source("chp", "california highway patrol")
    assert same_source("federal bureau of investigation", "fbi")
    assert same_source("gustavo petro", "petro")
    assert not same_source("cia", "california highway patrol")
    assert not same_source("gustavo petro", "marco rubio")


# Seed 004: the call and what Petro explained in one sentence; outlets report them separately.
S004_CALL = (
    "Trump said he spoke with Petro by phone, during which the Colombian leader explained “the situation "
    "of drugs and other disagreements.”"
)


def test_trailing_relative_clause_becomes_its_own_unit() -> None:
    [article] = _articles({"x": S004_CALL})
    units = statement_units([article])
    assert [u.text for u in units] == [
        "Trump said he spoke with Petro by phone",
        "during which the Colombian leader explained “the situation of drugs and other disagreements.”",
    ]
    for unit in units:
        assert article.text[unit.start : unit.end] == unit.text


def test_clause_inside_a_statement_keeps_its_attribution() -> None:
    text = "Petro, who called Trump on Wednesday, said the conversation was positive and lasted 35 minutes."
    [article] = _articles({"x": text})
    assert [u.text for u in statement_units([article])] == [text]


def test_measures_are_compared_in_one_unit() -> None:
    # ECB+ 23_ecbplus: outlets give one climber's fall as "200ft", "about 60 metres" and "200m".
    fall = "The climber slipped and fell {} down a steep icy gully on Mount Sefton on Friday, police said."
    agreeing = _contradictions({"a": fall.format("about 200ft"), "b": fall.format("about 60 metres")})
    assert not [c for c in agreeing if c.kind == "number"]
    found = _contradictions({"a": fall.format("about 200ft"), "b": fall.format("about 200m")})
    number = [c for c in found if c.kind == "number"]
    assert len(number) == 1
    assert sorted(s.value for s in number[0].sides) == ["about 200ft", "about 200m"]


def test_a_figure_split_by_a_stray_space_and_a_spaced_clock_time() -> None:
    details = _details("He fell about 2, 000 feet at about 9. 25 a. m. on Friday, police said.")
    quantities = [(value, bound) for role, value, bound in details if role == "quantity"]
    assert quantities == [("2000 foot", "about")]
    assert ("quantity", "150 nautical mile", "exact") in _details(
        "The navy intercepted the skiffs 150 nautical miles off the coast of Oman on Saturday."
    )


def test_an_area_in_square_feet_agrees_with_the_same_in_square_metres() -> None:
    # ECB+ 18_ecbplus: "the 170,000-square-foot building" and "the 15,800-square-metre building" (15,794).
    building = "The {} building where the shooting happened houses law offices and an accounting firm."
    found = _contradictions(
        {"a": building.format("170,000-square-foot"), "b": building.format("15,800-square-metre")}
    )
    assert not [c for c in found if c.kind == "number"]
    found = _contradictions(
        {"a": building.format("170,000-square-foot"), "b": building.format("170,000-square-metre")}
    )
    assert len([c for c in found if c.kind == "number"]) == 1


def test_a_named_persons_age_is_a_detail_of_that_person_and_no_duration() -> None:
    details = _details("On Saturday, 32-year-old Englishman Robert Buckley fell to his death, police said.")
    assert ("quantity", "32 years old", "exact") in details
    assert not [d for d in details if d[0] == "duration"]
    spaced = _details("Police said 36 - year - old Duncan Rait died on the mountain on Friday.")
    assert ("quantity", "36 years old", "exact") in spaced and not [d for d in spaced if d[0] == "duration"]
    # An unnamed person's age is left out: which woman is meant cannot be told across outlets.
    unnamed = _details("A 63-year-old woman was killed in the shooting.")
    assert not [d for d in unnamed if d[1].endswith("old")]
    found = _contradictions(
        {
            "a": "Robert Buckley, 32, fell to his death on Mount Sefton on Saturday, police said.",
            "b": "Robert Buckley, 31, fell to his death on Mount Sefton on Saturday, police said.",
        }
    )
    assert [sorted(s.value for s in c.sides) for c in found if c.kind == "number"] == [["31", "32"]]


def test_a_one_line_brief_states_its_line() -> None:
    from storyweave.analysis.texts import analyze_texts

    brief = "Trump and Petro held a first phone call lasting 35 minutes on Wednesday, officials said."
    story = analyze_texts([brief], titles=[brief], published="2026-01-08")
    assert story.articles[0].sentences[0].heading  # the one line is the headline ...
    assert [f.text for f in story.facts] == [brief]  # ... and, with no body, the statement too
    assert ("duration", "35 minutes") in {(d.role, d.value) for d in story.facts[0].details}


PROMISE = "“We appreciate your respect to her and her family's privacy at this time,”"
# Statements of one fact that dispute nothing, each with the kind of contradiction they must not make and
# where the case comes from.
NO_DISPUTE = {
    "compatible bounds": (
        "number",
        "More than 640 people were killed in the earthquake in the province, officials said.",
        "More than 600 people were killed in the earthquake in the province, officials said.",
    ),
    "a running total and two figures of one thing": (
        "number",
        "The navy seized 12 magazines from the pirate boats near Aden on Saturday, officials said.",
        "In five operations so far, the navy seized 31 magazines from pirate boats, they said.",
        "The navy seized 12 Somali and 11 Yemeni pirates near Aden on Saturday, officials said.",
        "The navy seized 23 pirates near Aden on Saturday, officials said.",
    ),
    "distances from different places": (
        "number",
        "The quake struck 12 miles north of Tumaco early on Monday, the survey said.",
        "The quake struck 3 miles west of Esmeraldas early on Monday, the survey said.",
    ),
    # ECB+ train 29_ecb and 20_ecb: one kind of event, two players; one island, two quakes.
    "two players' figures": (
        "number",
        "Garrard completed 28 passes for 329 yards against the Colts on Sunday, the team said.",
        "Manning completed 29 passes for 364 yards against the Jaguars on Sunday, the team said.",
    ),
    "two dates' figures": (
        "number",
        "A magnitude 6.1 quake struck the island of Qeshm on September 10, the agency said.",
        "A magnitude 5.6 quake struck the island of Qeshm on November 27, the agency said.",
    ),
    # ECB+ train 22_ecbplus: the co-workers shot against the co-workers killed.
    "shot against killed": (
        "number",
        "The employee accused of shooting three co - workers at the Kraft plant goes on trial Monday.",
        "The employee accused of killing two co - workers at the Kraft plant goes on trial Monday.",
    ),
    # ECB+ train 19_ecbplus: one night's arrests against the count since the shooting.
    "a count over a span": (
        "number",
        "Police made 46 arrests at the protest over the shooting on Wednesday night, officials said.",
        "Since the shooting, police made over 50 arrests over four nights of protest, officials said.",
    ),
    # ECB+ train 24_ecbplus: one haul given in euros and in dollars.
    "two currencies": (
        "number",
        "Four men made off with a €2 million booty from the jewellery store on Monday, police said.",
        "Four men made off with a $2.6 million booty from the jewellery store on Monday, police said.",
    ),
    "both deny": (
        "negation",
        "Petro did not attend the meeting with Rubio in Washington on Monday.",
        "Petro did not attend Monday's meeting with Rubio in Washington.",
    ),
    # The example corpus: the Regional Ledger and the Millbrook Courier quote the mayor's one promise.
    "two ways of denying": (
        "negation",
        "Speaking on Wednesday, Mayor Dana Okafor told them: "
        '"No family will be left without a roof tonight."',
        '"We will not leave a single family without a roof tonight," she said on Wednesday.',
    ),
    "a counterfactual denial": (
        "negation",
        "The Saints placed Bush on the injured reserve list on Wednesday after his knee sprain.",
        "The Saints would not have placed Bush on injured reserve if they were still in it.",
    ),
    "one person named twice": (
        "attribution",
        "Gustavo Petro said the phone call with Trump lasted about 35 minutes and was positive.",
        "Petro said the phone call with Trump lasted about 35 minutes and was positive.",
    ),
    # ECB+ train 1_ecb: "he said" resolved to the actress, not to her representative.
    "a pronoun's speaker": (
        "attribution",
        f"{PROMISE} the actress's representative Jack Ketsoyan told the magazine on Monday.",
        f"Tara Reid went to the clinic on Monday. {PROMISE} he said.",
    ),
}


@pytest.mark.parametrize("case", sorted(NO_DISPUTE))
def test_statements_that_dispute_nothing(case: str) -> None:
    kind, *texts = NO_DISPUTE[case]
    found = _contradictions({chr(ord("a") + n): text for n, text in enumerate(texts)})
    assert not [c for c in found if c.kind == kind]


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("He issued a stark warning about defending Colombia's sovereignty.", "warning"),
        ("Israeli forces launched a raid on the refugee camp before dawn.", "raid"),
        ("The army conducted strikes on the rebels' positions overnight.", "strikes"),
        ("The ministry issued a statement on Monday.", "issued"),  # no event noun: the verb stays
    ],
)
def test_a_light_verb_reports_the_event_its_object_names(sentence: str, event: str) -> None:
    from storyweave.analysis.details import find_predicate

    [article] = _articles({"x": sentence})
    [unit] = statement_units([article])
    predicate = find_predicate(unit)
    assert predicate is not None
    assert sentence[predicate.start : predicate.end] == event
