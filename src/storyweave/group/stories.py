"""Story grouping, online: each article joins the best matching open story, or starts one.

An article joins the open story whose centroid (of lead vectors) and word profile (TF-IDF) it is
closest to, when the two similarities together are high enough. Candidates come from
:class:`~storyweave.group.index.StoryIndex` (open stories only, never all pairs): the nearest by
vector, and those sharing people, organisations or places with the article. An article left
alone in a story opened in the same run gets a second look at the stories opened after it, so a
story's first report is not stranded just because it came first. Articles are taken in the order
given (the pipeline gives them in publication order, then by id: :func:`grouping_order`) and a
story's id is fixed by the article that started it, so for a given set the result is always the
same, and ids never change as stories grow or as later runs add articles.

A copy joins its original's story only within that story's time window: a wire story reprinted a
year later is a new event's report, not a member of the old story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyweave.defaults import QUIET_DAYS
from storyweave.group.index import DIMENSIONS, NO_DAY, Candidates, StoryIndex, StoryState, day_number
from storyweave.group.terms import BUCKETS, TermStatistics, term_counts
from storyweave.model import Article, StoryGroup, stable_id

# The join rule, fitted on ECB+ train topics and the first 300 NeuS train stories (bench/grouping.py):
# the mean of the lead-vector cosine and the word (TF-IDF) cosine with the story must reach JOIN_SCORE.
VECTOR_WEIGHT = 0.5
JOIN_SCORE = 0.475
# An article that opened a story in this run and is still alone in it when the story closes (or the
# run ends) gets a second look at every open story, those opened after it included, and moves to the
# best one scoring at least this. Its story existed only within the run, so no given id changes.
SECOND_LOOK_SCORE = 0.37
SHORTLIST = 10  # open stories nearest by vector whose words are compared, plus those sharing names
MIN_SHARED_NAMES = 2
GROUP_LABELS = frozenset({"PERSON", "ORG", "GPE"})
DEFAULT_QUIET_DAYS = QUIET_DAYS


def grouping_order(articles: Sequence[Article]) -> list[Article]:
    """Dated articles by publication time, then undated ones; ties by id: the same set always
    groups the same way, whatever order its files were given in."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id))


def in_window(state: StoryState, day: int, quiet_days: int) -> bool:
    """Whether an article of ``day`` may still join the story (undated ones always may)."""
    if day == NO_DAY or state.last_day == NO_DAY:
        return True
    return state.first_day - quiet_days <= day <= state.last_day + quiet_days


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


def best_match(
    candidates: Candidates, scattered: np.ndarray, threshold: float = JOIN_SCORE
) -> StoryState | None:
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
    best_score = threshold
    for row in shortlist:
        if cosines[row] <= -2.0:  # outside the time window
            continue
        state = candidates.states[row]
        score = VECTOR_WEIGHT * float(cosines[row]) + (1 - VECTOR_WEIGHT) * state.word_similarity(scattered)
        if score >= best_score:
            best, best_score = state, score
    return best


@dataclass
class _Alone:
    """A story opened in this run that still holds one article, with what scored that article."""

    state: StoryState
    article_id: str
    vector: np.ndarray
    names: set[str]
    day: int
    weights: dict[int, float]


@dataclass
class Move:
    """An article that left the story it opened alone in this run for a better one."""

    article_id: str
    from_story: str
    to_story: StoryState
    position: int = -1  # the article's place in its new story (its size once it joined)


class StoryGrouper:
    """Assigns articles to stories one at a time, over an index that may hold stored stories.

    Call :meth:`finish` after the last article; :meth:`take_moves` tells what the second looks moved.
    """

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
        self._alone: dict[str, _Alone] = {}  # in opening order
        self._moves: list[Move] = []
        self._settled: list[str] = []  # lone articles that had their second look and stayed

    def resume_alone(self, state: StoryState, article_id: str, weights: dict[int, float]) -> None:
        """Take back a story a killed run opened alone whose article still waits for its second look
        (its state holds that one article's vector, names and day; ``weights`` its word weights)."""
        vector = np.asarray(state.total, dtype=np.float32)
        self._alone[state.id] = _Alone(state, article_id, vector, set(state.names), state.first_day, weights)

    def pending(self, story_id: str) -> dict[int, float] | None:
        """The word weights of the story's lone article if it still waits for its second look."""
        alone = self._alone.get(story_id)
        return None if alone is None else alone.weights

    def take_settled(self) -> list[str]:
        """Stories whose lone article had its second look and stayed, since the last call."""
        settled, self._settled = self._settled, []
        return settled

    def advance(self, day: int) -> None:
        """Close the stories quiet for too long before ``day``; their lone articles get a second look.

        :meth:`add` does this first; a caller that stores each step calls it before ``add`` and
        stores the moves it made, so no stored story ever counts an article not stored yet.
        """
        for closed in self.index.advance(day):
            if closed.id in self._alone:
                self._look_again(self._alone.pop(closed.id))

    def add(self, article: Article, original_story: StoryState | None = None) -> StoryState:
        """Put ``article`` in a story and return that story's state.

        A duplicate goes with its original's story (``original_story``): it is a copy, not new
        evidence about what the story is, so it leaves the centroid and the names alone. A copy
        published outside that story's time window is no copy of it: its ``duplicate_of`` is
        cleared and it is grouped as any other article.
        """
        day = day_number(article.published)
        self.advance(day)
        weights = self.statistics.weigh(term_counts(article.text))
        if original_story is not None and not in_window(original_story, day, self.index.quiet_days):
            article.duplicate_of = None
            original_story = None
        if original_story is not None:
            original_story.add_copy(day)
            self.index.update(original_story)
            self._alone.pop(original_story.id, None)
            self._touch(original_story)
            return original_story
        vector = article_vector(article)
        names = article_names(article)
        best = self._best(vector, names, day, weights, JOIN_SCORE)
        if best is None:
            state = StoryState(
                id=stable_id("s-", article.id, length=12),
                total=np.zeros(DIMENSIONS, dtype=np.float32),
                sequence=self.next_sequence,
            )
            self.next_sequence += 1
            state.add(vector, names, day, weights)
            self.index.open(state)
            self._alone[state.id] = _Alone(state, article.id, vector, names, day, weights)
        else:
            state = best
            self._join(state, vector, names, day, weights)
        self._touch(state)
        return state

    def finish(self) -> None:
        """Give every article still alone in a story opened in this run its second look."""
        for alone in list(self._alone.values()):
            if alone.state.id not in self._alone:
                continue  # another article's second look joined it meanwhile
            del self._alone[alone.state.id]
            if alone.state.id in self.index:
                self.index.remove(alone.state.id)
                if not self._second_look(alone):
                    self.index.open(alone.state)
                    self._settled.append(alone.state.id)
            else:
                self._settled.append(alone.state.id)

    def take_moves(self) -> list[Move]:
        moves, self._moves = self._moves, []
        return moves

    def _best(
        self, vector: np.ndarray, names: set[str], day: int, weights: dict[int, float], threshold: float
    ) -> StoryState | None:
        best = best_match(self.index.candidates(vector, names, day), self._scattered.fill(weights), threshold)
        self._scattered.clear()
        return best

    def _join(
        self, state: StoryState, vector: np.ndarray, names: set[str], day: int, weights: dict[int, float]
    ) -> None:
        new_names = names - state.names.keys()
        state.add(vector, names, day, weights)
        self.index.update(state, new_names)
        self._alone.pop(state.id, None)

    def _look_again(self, alone: _Alone) -> None:
        if not self._second_look(alone):
            self._settled.append(alone.state.id)

    def _second_look(self, alone: _Alone) -> bool:
        """Move a lone article (its story already out of the index) to the best story, if one fits."""
        best = self._best(alone.vector, alone.names, alone.day, alone.weights, SECOND_LOOK_SCORE)
        if best is None:
            return False
        self._join(best, alone.vector, alone.names, alone.day, alone.weights)
        self.touched.pop(alone.state.id, None)
        self._touch(best)
        self._moves.append(Move(alone.article_id, alone.state.id, best, best.size - 1))
        return True

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
    by_id: dict[str, Article] = {}
    copied = {a.duplicate_of for a in articles if a.duplicate_of}

    def apply_moves() -> None:
        for move in grouper.take_moves():
            article = by_id[move.article_id]
            del members[move.from_story]  # it held only this article
            members[move.to_story.id].append(article)
            if article.id in copied:
                story_of[article.id] = move.to_story

    for article in articles:
        by_id[article.id] = article
        original = story_of.get(article.duplicate_of) if article.duplicate_of else None
        state = grouper.add(article, original)
        apply_moves()
        if article.id in copied:
            story_of[article.id] = state
        members.setdefault(state.id, []).append(article)
    grouper.finish()
    apply_moves()
    return [StoryGroup(id=story_id, articles=group) for story_id, group in members.items()]
