"""The store on a real SQLite file: idempotent writes, whole stories, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.exc import IntegrityError

from storyweave.group.index import DIMENSIONS, StoryState
from storyweave.model import Article, Removed, Sentence
from storyweave.store import StoreError, open_store


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
    state = _state("s-1", 0)
    state.add(np.zeros(DIMENSIONS, dtype=np.float32), (), 739624)
    assert store.add_to_story(article, "h1", state) is True
    assert store.add_to_story(article, "h1", state) is False
    assert store.counts()["articles"] == 1
    store.close()
    assert (tmp_path / "sw.db").is_file()


def _state(story_id: str, sequence: int) -> StoryState:
    return StoryState(id=story_id, total=np.zeros(DIMENSIONS, dtype=np.float32), sequence=sequence)


def test_story_membership_state_and_report_are_stored(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    state = _state("s-1", 0)
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    vector[0] = 1.0
    for i in range(3):
        state.add(vector, {"petro"}, 739624 + i)
        assert store.add_to_story(_article(f"a-{i}", f"Report number {i} of the call."), f"h{i}", state)
    store.save_report("s-1", "The call", {"id": "s-1", "facts": [1]})
    store.save_report("s-1", "The call", {"id": "s-1", "facts": [1, 2]})
    assert [(r["id"], r["title"], r["articles"]) for r in store.stories()] == [
        ("s-1", "The call", ["a-0", "a-1", "a-2"])
    ]
    assert store.story_report("s-1") == {"id": "s-1", "facts": [1, 2]}
    assert store.counts() == {"articles": 3, "stories": 1, "story_articles": 3}
    resumed = store.story_state("s-1")
    assert resumed is not None
    assert (resumed.size, resumed.first_day, resumed.last_day) == (3, 739624, 739626)
    assert resumed.names == {"petro": 3}
    assert resumed.total[0] == 3.0
    assert store.story_of(["a-2", "a-9"]) == {"a-2": "s-1"}
    assert store.originals_by_hash(["h1"]) == {"h1": "a-1"}
    store.close()


def test_a_failed_story_write_leaves_no_half_written_article(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    first = _state("s-1", 0)
    first.add(np.zeros(DIMENSIONS, dtype=np.float32), (), 739624)
    store.add_to_story(_article("a-0", "Report of the call."), "h0", first)
    clash = _state("s-2", 0)  # the same opening sequence as s-1: the story insert fails
    clash.add(np.zeros(DIMENSIONS, dtype=np.float32), (), 739624)
    with pytest.raises(IntegrityError):
        store.add_to_story(_article("a-1", "Another report of the call."), "h1", clash)
    assert store.known(["a-0", "a-1"]) == {"a-0"}
    assert store.counts() == {"articles": 1, "stories": 1, "story_articles": 1}
    store.close()


def test_a_database_of_an_older_layout_is_refused_in_one_line(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE stories (id TEXT PRIMARY KEY, title TEXT, report TEXT)")
    with pytest.raises(StoreError, match="older storyweave"):
        open_store(f"sqlite:///{path}")


def test_word_statistics_and_story_profiles_survive_the_store(tmp_path: Path) -> None:
    from collections import Counter

    from storyweave.group.terms import BUCKETS, TermStatistics, term_counts

    statistics = TermStatistics()
    weights = statistics.weigh(term_counts("Flood waters reached Millbrook; the Ardle burst its banks."))
    statistics.weigh(Counter(term_counts("Petro and Trump spoke by phone.")))
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    store.save_term_statistics(statistics)
    state = _state("s-1", 0)
    state.add(np.zeros(DIMENSIONS, dtype=np.float32), (), 739624, weights)
    store.add_to_story(_article("a-0", "Flood waters reached Millbrook."), "h0", state)
    store.close()
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    again = store.term_statistics()
    resumed = store.story_state("s-1")
    store.close()
    assert again.documents == 2 and np.array_equal(again.frequencies, statistics.frequencies)
    assert resumed is not None and resumed.terms.keys() == weights.keys()
    scattered = np.zeros(BUCKETS, dtype=np.float32)
    scattered[list(weights)] = list(weights.values())
    assert resumed.word_similarity(scattered) > 0.99


def test_moving_a_lone_article_dissolves_its_story_and_grows_the_other(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    target, alone = _state("s-1", 0), _state("s-2", 1)
    target.add(np.zeros(DIMENSIONS, dtype=np.float32), {"petro"}, 739624)
    store.add_to_story(_article("a-0", "Trump and Petro spoke."), "h0", target)
    alone.add(np.zeros(DIMENSIONS, dtype=np.float32), {"trump"}, 739625)
    store.add_to_story(_article("a-1", "The leaders talked by phone."), "h1", alone)
    target.add(np.zeros(DIMENSIONS, dtype=np.float32), {"trump"}, 739625)
    store.move_article("a-1", "s-2", target)
    assert [(r["id"], r["articles"]) for r in store.stories()] == [("s-1", ["a-0", "a-1"])]
    resumed = store.story_state("s-1")
    assert resumed is not None and resumed.size == 2 and resumed.names == {"petro": 1, "trump": 1}
    assert store.counts() == {"articles": 2, "stories": 1, "story_articles": 2}
    store.close()


def test_an_undated_batch_resumes_the_stories_open_at_the_newest_day(tmp_path: Path) -> None:
    from storyweave.group.index import NO_DAY

    store = open_store(f"sqlite:///{tmp_path / 'sw.db'}")
    for number, day in enumerate([739000, 739624, NO_DAY]):
        state = _state(f"s-{number}", number)
        state.add(np.zeros(DIMENSIONS, dtype=np.float32), (), day)
        store.add_to_story(_article(f"a-{number}", f"Report {number}."), f"h{number}", state)
    assert [s.id for s in store.story_states(NO_DAY, NO_DAY, 7)] == ["s-1", "s-2"]
    assert [s.id for s in store.story_states(739003, 739004, 7)] == ["s-0", "s-2"]
    store.close()
