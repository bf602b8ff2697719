"""The store on a real SQLite file: idempotent writes, whole stories, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from storyweave.model import Article, Removed, Sentence
from storyweave.store import open_store


def _article(article_id: str, text: str) -> Article:
    return Article(
        id=article_id,
        path=f"{article_id}.txt",
        raw=text,
        text=text,
        source="Outlet",
        published="2026-01-08",
        published_from="user",
        removed=[Removed("Related Posts", "related_links")],
        sentences=[Sentence(0, 0, len(text), text)],
    )


def test_articles_are_stored_once(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    article = _article("a-1", "Trump spoke with Petro by phone on Wednesday.")
    assert store.add_article(article) is True
    assert store.add_article(article) is False
    assert store.counts()["articles"] == 1
    store.close()
    assert (tmp_path / "sw.db").is_file()


def test_story_is_replaced_whole(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    for i in range(3):
        store.add_article(_article(f"a-{i}", f"Report number {i} of the call."))
    store.save_story("s-1", "The call", ["a-0", "a-1"], {"id": "s-1", "claims": [1]})
    store.save_story("s-1", "The call", ["a-0", "a-1", "a-2"], {"id": "s-1", "claims": [1, 2]})
    assert store.stories() == [{"id": "s-1", "title": "The call", "articles": ["a-0", "a-1", "a-2"]}]
    assert store.story_report("s-1") == {"id": "s-1", "claims": [1, 2]}
    assert store.counts() == {"articles": 3, "stories": 1, "story_articles": 3}
    store.close()


def test_a_failed_story_write_leaves_the_old_one(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    store.add_article(_article("a-0", "Report of the call."))
    store.save_story("s-1", "The call", ["a-0"], {"id": "s-1"})
    with pytest.raises(IntegrityError):  # an unknown article: the foreign key fails inside the transaction
        store.save_story("s-1", "The call", ["a-0", "a-missing"], {"id": "s-1", "new": True})
    assert store.story_report("s-1") == {"id": "s-1"}
    assert store.stories()[0]["articles"] == ["a-0"]
    store.close()
