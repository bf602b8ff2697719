"""Near copies verified (issue 17): an LSH candidate counts only when its actual similarity reaches
the threshold, and a copy never joins a story outside that story's time window."""

from __future__ import annotations

import random
from pathlib import Path

from conftest import EXAMPLES, SEEDS
from generated import real_sentences
from storyweave.group.duplicates import (
    EXACT_PAIRS_UP_TO,
    NEAR_DUPLICATE_JACCARD,
    _LshIndex,
    _shingles,
    jaccard,
    mark_duplicates,
)
from storyweave.group.stories import group_stories
from storyweave.model import Article, stable_id


def _article(number: int, text: str, published: str | None = "2026-01-05") -> Article:
    return Article(
        id=stable_id("a-", str(number), text), path=f"a{number}.txt", raw=text, text=text, published=published
    )


def _batch(seeds_dir: Path) -> list[Article]:
    """Originals of 20 real sentences and variants with a few sentences swapped: similarities from
    about 0.5 to 0.95, in a batch large enough for LSH."""
    rng = random.Random(5)
    pool = real_sentences(SEEDS, "*.txt") + real_sentences(EXAMPLES, "*.txt")
    articles: list[Article] = []
    for _family in range(24):
        base = rng.sample(pool, 20)
        articles.append(_article(len(articles), " ".join(base)))
        for swapped in (1, 3, 5):
            variant = list(base)
            for k in rng.sample(range(20), swapped):
                variant[k] = rng.choice(pool)
            articles.append(_article(len(articles), " ".join(variant)))
    return articles


def test_every_lsh_candidate_is_confirmed_by_its_similarity(seeds_dir: Path) -> None:
    articles = _batch(seeds_dir)
    assert len(articles) > EXACT_PAIRS_UP_TO  # LSH, not all pairs
    texts = {a.id: a.text for a in articles}
    # The setup exercises the check: LSH alone proposes pairs below the threshold.
    index = _LshIndex(texts.get)
    raw_candidates = []
    for article in articles:
        shingles = _shingles(article.text)
        raw_candidates += [
            jaccard(shingles, _shingles(texts[c])) for c in index._lsh.query(index._signature(shingles))
        ]
        index.add(article.id, shingles)
    assert any(s < NEAR_DUPLICATE_JACCARD for s in raw_candidates)

    mark_duplicates(articles)
    marked = [a for a in articles if a.duplicate_of]
    assert marked  # the one-sentence variants are near copies
    for article in marked:
        similarity = jaccard(_shingles(article.text), _shingles(texts[article.duplicate_of or ""]))
        assert similarity >= NEAR_DUPLICATE_JACCARD


def test_a_copy_outside_its_original_story_window_starts_its_own_story() -> None:
    text = " ".join(real_sentences(EXAMPLES, "*.txt")[:12])
    original = _article(0, text, "2026-01-05")
    near = _article(1, text + " Distributed by Wire Service.", "2026-01-07")
    years_later = _article(2, text + " Reprinted by the Evening Star.", "2027-12-26")
    articles = [original, near, years_later]
    mark_duplicates(articles)
    assert near.duplicate_of == original.id and years_later.duplicate_of == original.id
    groups = group_stories(articles, quiet_days=7)
    story_of = {a.id: g.id for g in groups for a in g.articles}
    assert story_of[near.id] == story_of[original.id]  # a copy within the window goes with its original
    assert story_of[years_later.id] != story_of[original.id]  # 720 days later: not the same story
    assert years_later.duplicate_of is None and near.duplicate_of == original.id
