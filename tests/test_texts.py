"""Texts held in memory become articles the way ingested files do: same ids, cleaning, datelines, copies."""

from __future__ import annotations

from pathlib import Path

from storyweave.analysis.texts import articles_from_texts, group_texts
from storyweave.ingest import read_inputs
from storyweave.model import Article

REPORT = (
    "Bogota, Colombia, January 7, 2026: Colombian President Gustavo Petro spoke by phone with Donald "
    "Trump on Wednesday, the first direct conversation between the two leaders after months of insults.\n\n"
    "The call lasted 35 minutes, according to Petro's office, and the two agreed to meet in Washington.\n\n"
    "Share this article on Facebook\n"
)


def test_a_text_in_memory_is_the_article_ingest_makes_of_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "petro.txt"
    path.write_text(REPORT, encoding="utf-8")
    read = [a for a in read_inputs([str(path)], published="2026-01-08") if isinstance(a, Article)]
    from storyweave.clean import clean_article

    assert len(read) == 1 and clean_article(read[0], None) is None
    built = articles_from_texts(["  " + REPORT.replace(" by phone", "  by  phone")], published="2026-01-08")
    assert built[0].id == read[0].id  # ids from the normalised text, as ingest makes them
    assert built[0].text.strip() == read[0].text.strip()
    assert any("Share this article" in r.text for r in built[0].removed)


def test_the_dateline_dates_an_undated_text_and_copies_are_marked() -> None:
    copy = REPORT.replace("Share this article on Facebook\n", "Reporting by Ana Ruiz.\n")  # a near copy
    other = "Storms flooded the coast of Chile on Monday, and thousands of people left their homes.\n"
    articles = articles_from_texts([REPORT, copy, other], vectors=True)
    assert articles[0].published == "2026-01-07" and articles[0].published_from == "text"
    groups = group_texts(articles)
    assert articles[1].duplicate_of == articles[0].id
    assert articles[2].duplicate_of is None
    story_of = {a.id: g.id for g in groups for a in g.articles}
    assert story_of[articles[0].id] == story_of[articles[1].id] != story_of[articles[2].id]
