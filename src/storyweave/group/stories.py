"""Story grouping, online: each article joins the best matching open story, or starts one.

An article matches a story when its lead vector is close to the story's centroid, or moderately
close while sharing several named people, organisations or places. Candidates come from
:class:`~storyweave.group.index.StoryIndex` (open stories only, never all pairs). Articles are taken
in input order and a story's id is fixed by the article that started it, so for a given order the
result is always the same, and ids never change as stories grow or as later runs add articles.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storyweave.group.index import DIMENSIONS, Candidate, StoryIndex, StoryState, day_number
from storyweave.model import Article, StoryGroup, stable_id

# Provisional thresholds, read off the seed corpus (all five reports of one story, pairwise cosine
# of article vectors 0.6-0.85) and the example corpus; bench/grouping.py measures them on ECB+.
JOIN_COSINE = 0.55
JOIN_COSINE_WITH_ENTITIES = 0.40
MIN_SHARED_ENTITIES = 2
GROUP_LABELS = frozenset({"PERSON", "ORG", "GPE"})
DEFAULT_QUIET_DAYS = 7


def article_vector(article: Article) -> np.ndarray:
    """The article's lead vector from the annotate stage (zeros when it has none)."""
    if article.vector is None:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    return np.asarray(article.vector, dtype=np.float32)


def article_names(article: Article) -> set[str]:
    """The names grouping compares: people, organisations and places, casefolded."""
    return {m.text.casefold() for m in article.mentions if m.label in GROUP_LABELS}


def _joins(candidate: Candidate) -> bool:
    return candidate.cosine >= JOIN_COSINE or (
        candidate.cosine >= JOIN_COSINE_WITH_ENTITIES and candidate.shared_names >= MIN_SHARED_ENTITIES
    )


class StoryGrouper:
    """Assigns articles to stories one at a time, over an index that may hold stored stories."""

    def __init__(self, index: StoryIndex | None = None, next_sequence: int = 0) -> None:
        self.index = index or StoryIndex(DEFAULT_QUIET_DAYS)
        self.next_sequence = next_sequence
        self.touched: dict[str, StoryState] = {}  # stories opened or grown by this grouper

    def add(self, article: Article, original_story: StoryState | None = None) -> StoryState:
        """Put ``article`` in a story and return that story's state.

        A duplicate goes with its original's story (``original_story``): it is a copy, not new
        evidence about what the story is, so it leaves the centroid and the names alone.
        """
        day = day_number(article.published)
        if original_story is not None:
            original_story.add(np.zeros(DIMENSIONS, dtype=np.float32), (), day)
            self.index.update(original_story)
            self._touch(original_story)
            return original_story
        vector = article_vector(article)
        names = article_names(article)
        best: Candidate | None = None
        for candidate in self.index.candidates(vector, names, day):
            if _joins(candidate) and (best is None or candidate.cosine > best.cosine):
                best = candidate
        if best is None:
            state = StoryState(
                id=stable_id("s-", article.id, length=12),
                total=np.zeros(DIMENSIONS, dtype=np.float32),
                sequence=self.next_sequence,
            )
            self.next_sequence += 1
            state.add(vector, names, day)
            self.index.open(state)
        else:
            state = best.state
            new_names = names - state.names.keys()
            state.add(vector, names, day)
            self.index.update(state, new_names)
        self._touch(state)
        return state

    def _touch(self, state: StoryState) -> None:
        self.touched[state.id] = state


def group_stories(articles: Sequence[Article], quiet_days: int = DEFAULT_QUIET_DAYS) -> list[StoryGroup]:
    """Group annotated articles into stories in one pass; duplicates follow their original."""
    grouper = StoryGrouper(StoryIndex(quiet_days))
    members: dict[str, list[Article]] = {}
    story_of: dict[str, StoryState] = {}
    for article in articles:
        original = story_of.get(article.duplicate_of) if article.duplicate_of else None
        state = grouper.add(article, original)
        story_of[article.id] = state
        members.setdefault(state.id, []).append(article)
    order = sorted(grouper.touched.values(), key=lambda s: s.sequence)
    return [StoryGroup(id=s.id, articles=members[s.id]) for s in order]
