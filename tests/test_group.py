"""Grouping: reports of one story together, different stories apart, copies marked, stable ids."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES, SEED_DATE
from storyweave.group.duplicates import mark_duplicates
from storyweave.group.stories import group_stories
from storyweave.model import Article, stable_id
from storyweave.pipeline import annotate_all, read_and_clean


def _annotated(paths: list[str]) -> list[Article]:
    articles, skipped = read_and_clean(paths, SEED_DATE, lambda _s: None)
    assert not skipped
    annotate_all(articles, lambda *_: None)
    return articles


@pytest.fixture(scope="module")
def both_corpora(seeds_dir: Path) -> list[Article]:
    return _annotated([str(seeds_dir), str(EXAMPLES)])


def test_two_corpora_make_two_stories(both_corpora: list[Article]) -> None:
    mark_duplicates(both_corpora)
    groups = group_stories(both_corpora)
    assert len(groups) == 2
    members = [{Path(a.path).parent.name for a in g.articles} for g in groups]
    assert sorted(len(g.articles) for g in groups) == [5, 5]
    assert all(len(m) == 1 for m in members)  # no story mixes the two corpora


def test_story_ids_depend_on_content_not_on_runs(both_corpora: list[Article], seeds_dir: Path) -> None:
    first = [g.id for g in group_stories(both_corpora)]
    again = [g.id for g in group_stories(_annotated([str(seeds_dir), str(EXAMPLES)]))]
    assert first == again


def test_copies_are_marked_and_follow_their_original(tmp_path: Path, seeds_dir: Path) -> None:
    original = next(seeds_dir.glob("003_*.txt")).read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(original, encoding="utf-8")
    # A wire copy: same body, a credit line added and one sentence dropped.
    lines = original.splitlines()
    copy = "\n".join(["By Staff Writer, Wire Service", *lines[:-2], lines[-1]])
    (tmp_path / "b.txt").write_text(copy, encoding="utf-8")
    other = next(EXAMPLES.glob("*.txt")).read_text(encoding="utf-8")
    (tmp_path / "c.txt").write_text(other, encoding="utf-8")
    articles = _annotated([str(tmp_path)])
    mark_duplicates(articles)
    by_name = {Path(a.path).name: a for a in articles}
    assert by_name["b.txt"].duplicate_of == by_name["a.txt"].id
    assert by_name["a.txt"].duplicate_of is None
    assert by_name["c.txt"].duplicate_of is None
    groups = group_stories(articles)
    story_of = {a.id: g.id for g in groups for a in g.articles}
    assert story_of[by_name["a.txt"].id] == story_of[by_name["b.txt"].id] != story_of[by_name["c.txt"].id]


@pytest.mark.parametrize("size", [3, 70])
def test_exact_and_lsh_paths_find_the_same_copies(size: int) -> None:
    """Small batches compare all pairs; large ones go through MinHash LSH: the answers agree."""
    base = next(EXAMPLES.glob("courier.txt")).read_text(encoding="utf-8")
    articles = [
        Article(id="orig", path="orig.txt", raw=base, text=base),
        Article(id="copy", path="copy.txt", raw=base, text=base.replace("Courier", "Wire")),
    ]
    filler = [
        f"Unrelated note number {i}: the {i}th council meeting discussed parking fees and bus routes."
        for i in range(size - 2)
    ]
    articles += [Article(id=f"n{i}", path=f"n{i}.txt", raw=t, text=t) for i, t in enumerate(filler)]
    mark_duplicates(articles)
    assert articles[1].duplicate_of == "orig"
    assert articles[0].duplicate_of is None
    assert all(a.duplicate_of is None for a in articles[2:])


def test_a_story_closes_after_its_quiet_period(seeds_dir: Path) -> None:
    text = next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    base = _annotated([str(next(seeds_dir.glob("000_*.txt")))])[0]

    def report(number: int, published: str) -> Article:
        return Article(
            id=f"a-{number}",
            path=f"{number}.txt",
            raw=text,
            text=text,
            published=published,
            mentions=base.mentions,
            vector=base.vector,
        )

    days = ["2026-01-08", "2026-01-12", "2026-02-20", "2026-01-10"]
    groups = group_stories([report(n, day) for n, day in enumerate(days)], quiet_days=7)
    members = [[a.published for a in g.articles] for g in groups]
    # Six weeks of quiet close the January story: the February report starts its own, and a late
    # January report that arrives after it finds the January story closed too (the index moved on).
    assert members == [["2026-01-08", "2026-01-12"], ["2026-02-20"], ["2026-01-10"]]
    assert [
        len(g.articles) for g in group_stories([report(n, day) for n, day in enumerate(days)], quiet_days=60)
    ] == [4]


def _unit(cosine_with_first_axis: float) -> np.ndarray:
    vector = np.zeros(384, dtype=np.float32)
    vector[0] = cosine_with_first_axis
    vector[1] = (1 - cosine_with_first_axis**2) ** 0.5
    return vector


@pytest.mark.parametrize(
    ("cosine", "expected"),
    [
        (0.3, [["a-x"], ["a-y1", "a-y2"]]),  # too far even for a second look: two stories
        (0.45, [["a-y1", "a-y2", "a-x"]]),  # alone after the first look, moved by the second
        (0.7, [["a-x", "a-y1", "a-y2"]]),  # close enough to join at once
    ],
)
def test_an_article_left_alone_gets_a_second_look(
    seeds_dir: Path, cosine: float, expected: list[list[str]]
) -> None:
    first = next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    other = next(seeds_dir.glob("001_*.txt")).read_text(encoding="utf-8")
    x = Article(id="a-x", path="x.txt", raw=first, text=first, vector=_unit(1.0))
    y1 = Article(id="a-y1", path="y1.txt", raw=other, text=other, vector=_unit(cosine))
    y2 = Article(
        id="a-y2", path="y2.txt", raw=other + " Updated.", text=other + " Updated.", vector=_unit(cosine)
    )
    groups = group_stories([x, y1, y2])
    assert [[a.id for a in g.articles] for g in groups] == expected
    assert [g.id for g in groups] == [stable_id("s-", g.articles[0].id, length=12) for g in groups]
