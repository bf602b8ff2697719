"""Story grouping, online: each article joins the best matching open story, or starts one.

An article joins the open story whose centroid (of lead vectors) and word profile (TF-IDF) it is
closest to, when the two similarities together are high enough. Candidates come from
:class:`~storyweave.group.index.StoryIndex` (open stories only, never all pairs): the nearest by
vector, and those sharing people, organisations or places with the article. Articles are taken
in input order and a story's id is fixed by the article that started it, so for a given order the
result is always the same, and ids never change as stories grow or as later runs add articles.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storyweave.group.index import DIMENSIONS, Candidates, StoryIndex, StoryState, day_number
from storyweave.group.terms import BUCKETS, TermStatistics, term_counts
from storyweave.model import Article, StoryGroup, stable_id

# The join rule, fitted on ECB+ train topics and the first 300 NeuS train stories (bench/grouping.py):
# the mean of the lead-vector cosine and the word (TF-IDF) cosine with the story must reach JOIN_SCORE.
VECTOR_WEIGHT = 0.5
JOIN_SCORE = 0.425
SHORTLIST = 10  # open stories nearest by vector whose words are compared, plus those sharing names
MIN_SHARED_NAMES = 2
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


class _Scattered:
    """An article's sparse word weights spread over one reused dense buffer, for fast dot products."""

    def __init__(self) -> None:
        self.buffer = np.zeros(BUCKETS, dtype=np.float32)

    def fill(self, weights: dict[int, float]) -> np.ndarray:
        self._buckets = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
        self.buffer[self._buckets] = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
        return self.buffer

    def clear(self) -> None:
        self.buffer[self._buckets] = 0.0


def best_match(candidates: Candidates, scattered: np.ndarray) -> StoryState | None:
    """The open story the article fits best, or None when none fits well enough to join."""
    cosines = candidates.cosines
    if not len(cosines):
        return None
    if len(cosines) > SHORTLIST:
        nearest = np.argpartition(-cosines, SHORTLIST)[:SHORTLIST]
    else:
        nearest = np.arange(len(cosines))
    shortlist = sorted(nearest.tolist())
    named = np.flatnonzero((candidates.shared_names >= MIN_SHARED_NAMES) & (cosines > -2.0))
    shortlist += sorted(set(named.tolist()) - set(shortlist), key=lambda row: -cosines[row])[:SHORTLIST]
    best: StoryState | None = None
    best_score = JOIN_SCORE
    for row in shortlist:
        if cosines[row] <= -2.0:  # outside the time window
            continue
        state = candidates.states[row]
        score = VECTOR_WEIGHT * float(cosines[row]) + (1 - VECTOR_WEIGHT) * state.word_similarity(scattered)
        if score >= best_score:
            best, best_score = state, score
    return best


class StoryGrouper:
    """Assigns articles to stories one at a time, over an index that may hold stored stories."""

    def __init__(
        self,
        index: StoryIndex | None = None,
        next_sequence: int = 0,
        statistics: TermStatistics | None = None,
    ) -> None:
        self.index = index if index is not None else StoryIndex(DEFAULT_QUIET_DAYS)
        self.next_sequence = next_sequence
        self.statistics = statistics if statistics is not None else TermStatistics()
        self._scattered = _Scattered()
        self.touched: dict[str, int] = {}  # id -> opening sequence of the stories opened or grown here

    def add(self, article: Article, original_story: StoryState | None = None) -> StoryState:
        """Put ``article`` in a story and return that story's state.

        A duplicate goes with its original's story (``original_story``): it is a copy, not new
        evidence about what the story is, so it leaves the centroid and the names alone.
        """
        day = day_number(article.published)
        weights = self.statistics.weigh(term_counts(article.text))
        if original_story is not None:
            original_story.add(np.zeros(DIMENSIONS, dtype=np.float32), (), day)
            self.index.update(original_story)
            self._touch(original_story)
            return original_story
        vector = article_vector(article)
        names = article_names(article)
        best = best_match(self.index.candidates(vector, names, day), self._scattered.fill(weights))
        self._scattered.clear()
        if best is None:
            state = StoryState(
                id=stable_id("s-", article.id, length=12),
                total=np.zeros(DIMENSIONS, dtype=np.float32),
                sequence=self.next_sequence,
            )
            self.next_sequence += 1
            state.add(vector, names, day, weights)
            self.index.open(state)
        else:
            state = best
            new_names = names - state.names.keys()
            state.add(vector, names, day, weights)
            self.index.update(state, new_names)
        self._touch(state)
        return state

    def _touch(self, state: StoryState) -> None:
        self.touched[state.id] = state.sequence

    def touched_in_order(self) -> list[str]:
        """The stories opened or grown so far, in the order they were opened."""
        return sorted(self.touched, key=self.touched.__getitem__)


def group_stories(articles: Sequence[Article], quiet_days: int = DEFAULT_QUIET_DAYS) -> list[StoryGroup]:
    """Group annotated articles into stories in one pass; duplicates follow their original."""
    grouper = StoryGrouper(StoryIndex(quiet_days))
    members: dict[str, list[Article]] = {}  # in insertion order, which is the order stories open
    story_of: dict[str, StoryState] = {}  # only the originals that copies may follow
    copied = {a.duplicate_of for a in articles if a.duplicate_of}
    for article in articles:
        original = story_of.get(article.duplicate_of) if article.duplicate_of else None
        state = grouper.add(article, original)
        if article.id in copied:
            story_of[article.id] = state
        members.setdefault(state.id, []).append(article)
    return [StoryGroup(id=story_id, articles=group) for story_id, group in members.items()]
