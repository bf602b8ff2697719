"""Entity merging across articles on real sentences: surnames, titles, misspellings, roles, countries."""

from __future__ import annotations

import pytest

from storyweave.analysis.entities import EntityIndex, bare_name, build_entities
from storyweave.analysis.lexicon import fold
from storyweave.model import Article
from storyweave.nlp.annotate import annotate

TEXTS = {
    "a": "US President Donald Trump spoke by phone with Colombian President Gustavo Petro on Wednesday. "
    "Mr Trump said the call went well.",
    "b": "Trump said he appreciated Petro’s call and tone. US Treasury Secretary Scott Bessent said cocaine "
    "production in Colombia had reached its highest levels in decades.",
    "c": "In October of last year, Mr. Trump named Peter an illegal drug leader and Treasury Secretary Scott "
    "Bessent announced sanctions. The U.S. military captured Nicolás Maduro.",
    "d": "Petro responded that Maduro had been taken illegally, and Bessent defended the sanctions on the "
    "United States' behalf.",
}


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    articles = [Article(id=k, path=f"{k}.txt", raw=t, text=t) for k, t in TEXTS.items()]
    annotate(articles, vectors=False)
    return build_entities(articles)


def _named(index: EntityIndex, surname: str) -> list[str]:
    return [e.name for e in index.entities if surname in e.name or any(surname in a for a in e.aliases)]


def test_surnames_and_titles_join_the_full_name(index: EntityIndex) -> None:
    for surname, full in [
        ("Trump", "Donald Trump"),
        ("Petro", "Gustavo Petro"),
        ("Bessent", "Scott Bessent"),
        ("Maduro", "Nicolás Maduro"),
    ]:
        assert _named(index, surname) == [full]
    trump = index.resolve("Mr Trump")
    assert trump is not None and trump.name == "Donald Trump"
    assert set(trump.articles) == {"a", "b", "c"}


def test_misspelling_close_to_a_known_surname_joins_it(index: EntityIndex) -> None:
    petro = index.resolve("Peter")
    assert petro is not None and petro.name == "Gustavo Petro"
    assert "peter" in index.misspelt


def test_country_spellings_are_one_entity(index: EntityIndex) -> None:
    us = index.resolve("U.S.")
    assert us is not None and us.name == "United States"
    assert index.resolve("US") is us


def test_role_descriptions_resolve_to_the_person_named_with_that_role(index: EntityIndex) -> None:
    president = index.resolve_description("the Colombian president")
    leader = index.resolve_description("the Colombian leader")
    assert president is not None and leader is president and president.name == "Gustavo Petro"
    us_president = index.resolve_description("the US president")
    assert us_president is not None and us_president.name == "Donald Trump"
    assert index.resolve_description("the French president") is None


def test_unknown_names_stay_unknown(index: EntityIndex) -> None:
    assert index.resolve("Angela Merkel") is None


def test_name_normalisation() -> None:
    assert bare_name("Colombia’s Petro") == "Petro"
    assert bare_name("President Donald Trump") == "Donald Trump"
    assert bare_name("the United Nations") == "United Nations"
    assert fold("Nicolás  Maduro") == "nicolas maduro"


def test_ids_are_stable(index: EntityIndex) -> None:
    again = [Article(id=k, path=f"{k}.txt", raw=t, text=t) for k, t in TEXTS.items()]
    annotate(again, vectors=False)
    assert [(e.id, e.name) for e in build_entities(again).entities] == [
        (e.id, e.name) for e in index.entities
    ]


def test_a_title_with_a_capital_the_keeps_it_and_joins_the_bare_name() -> None:
    """ "…, The Hill reported": the model leaves "The" out of the entity; the name printed keeps it, and
    a later "Hill" mention is the same entity. "The Pentagon said" at a sentence's start stays "Pentagon"."""
    text = (
        "Trump referred to Petro as a sick man on Sunday, The Hill reported. "
        "Petro spoke with Trump for about 35 minutes, according to a report by The Hill. "
        "The Pentagon said the strikes would continue."
    )
    articles = [Article(id="h", path="h.txt", raw=text, text=text)]
    annotate(articles, vectors=False)
    names = [e.name for e in build_entities(articles).entities if e.type == "ORG"]
    assert "The Hill" in names
    assert "Hill" not in names
    assert "The Pentagon" not in names
