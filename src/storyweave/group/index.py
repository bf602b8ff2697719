"""The candidate index of online story grouping: which open stories a new article is compared with.

A corpus of a day or a year of news holds thousands of stories; comparing every article with every
story would grow with the square of the corpus. Only *open* stories are candidates: a story closes
when nothing was published in it for ``quiet_days`` (time buckets by publication day), and a
closed story leaves the index. The centroids of the open stories are rows of one matrix (one matrix
product scores all of them), and name postings find the open stories that share a person,
organisation or place with the article. Cost per article is bounded by the number of stories open
at once, so total cost grows linearly with the corpus.

The index holds :class:`StoryState` records only, never articles: the store persists the same
records, so a later run resumes exactly where the last one stopped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from storyweave.defaults import QUIET_DAYS
from storyweave.nlp.encoder import DEFAULT_DIMENSION

# The lead vectors' width: the encoder's (nlp/encoder.py refuses a model of another width).
DIMENSIONS = DEFAULT_DIMENSION
TERMS_KEPT = 64  # a story's word profile: its heaviest words only, so memory per story is bounded
NO_DAY = -1  # an undated story or article: never closed by time, compared with every open story


@dataclass
class StoryState:
    """What grouping remembers about a story: enough to score a new article against it."""

    id: str
    total: np.ndarray  # sum of the member articles' unit lead vectors (float32)
    names: Counter[str] = field(default_factory=Counter)  # casefolded names, counted per article
    size: int = 0
    first_day: int = NO_DAY  # proleptic Gregorian ordinals of the earliest and latest publication
    last_day: int = NO_DAY
    sequence: int = 0  # the order in which stories were opened: listings follow it
    terms: dict[int, float] = field(default_factory=dict)  # summed TF-IDF of the members, heaviest kept
    _profile: tuple[np.ndarray, np.ndarray, float] | None = field(default=None, repr=False, compare=False)

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.total))
        return self.total / norm if norm else self.total

    def word_similarity(self, scattered: np.ndarray) -> float:
        """Cosine of an article's unit TF-IDF vector, scattered over all buckets, with the word profile."""
        if self._profile is None:
            buckets = np.fromiter(self.terms.keys(), dtype=np.int64, count=len(self.terms))
            weights = np.fromiter(self.terms.values(), dtype=np.float32, count=len(self.terms))
            self._profile = (buckets, weights, float(np.linalg.norm(weights)))
        buckets, weights, norm = self._profile
        return float(scattered[buckets] @ weights) / norm if norm else 0.0

    def add(
        self, vector: np.ndarray, names: Iterable[str], day: int, weights: dict[int, float] | None = None
    ) -> None:
        """Count an article in: its vector, names and words shape what the story is about."""
        self.total = self.total + vector
        self.names.update(set(names))
        if weights:
            for bucket, weight in weights.items():
                # summed in float32, as stored, so a story read back from the store goes on identically
                self.terms[bucket] = float(np.float32(self.terms.get(bucket, 0.0) + weight))
            self._profile = None
            if len(self.terms) > TERMS_KEPT:
                heaviest = sorted(self.terms.items(), key=lambda item: (-item[1], item[0]))[:TERMS_KEPT]
                self.terms = dict(heaviest)
        self.add_copy(day)

    def add_copy(self, day: int) -> None:
        """Count a copy in: one more member and its date, nothing about what the story is."""
        self.size += 1
        if day != NO_DAY:
            self.first_day = day if self.first_day == NO_DAY else min(self.first_day, day)
            self.last_day = day if self.last_day == NO_DAY else max(self.last_day, day)


def day_number(published: str | None) -> int:
    """The publication day as an ordinal (``NO_DAY`` when the date is missing or unreadable)."""
    if not published:
        return NO_DAY
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return NO_DAY


@dataclass
class Candidates:
    """The open stories as parallel arrays: out-of-window stories have cosine -2, below any rule."""

    states: list[StoryState]
    cosines: np.ndarray
    shared_names: np.ndarray


class StoryIndex:
    """Open stories, their centroids as matrix rows, name postings and publication-day windows."""

    def __init__(self, quiet_days: int = QUIET_DAYS) -> None:
        self.quiet_days = quiet_days
        self._states: list[StoryState] = []
        self._row: dict[str, int] = {}
        self._matrix = np.zeros((16, DIMENSIONS), dtype=np.float32)
        self._first = np.zeros(16, dtype=np.int64)
        self._last = np.zeros(16, dtype=np.int64)
        self._postings: dict[str, set[str]] = {}
        self._newest_day = NO_DAY

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._row

    def open(self, state: StoryState) -> None:
        """Put a story (new, or resumed from the store) into the index."""
        row = len(self._states)
        if row == len(self._matrix):
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
            self._first = np.concatenate([self._first, np.zeros_like(self._first)])
            self._last = np.concatenate([self._last, np.zeros_like(self._last)])
        self._states.append(state)
        self._row[state.id] = row
        self._write_row(state)
        for name in state.names:
            self._postings.setdefault(name, set()).add(state.id)

    def update(self, state: StoryState, new_names: Iterable[str] = ()) -> None:
        """Refresh a story's row after an article joined it (a closed story stays closed)."""
        if state.id not in self._row:
            return
        self._write_row(state)
        for name in new_names:
            self._postings.setdefault(name, set()).add(state.id)

    def _write_row(self, state: StoryState) -> None:
        row = self._row[state.id]
        self._matrix[row] = state.centroid
        self._first[row] = state.first_day
        self._last[row] = state.last_day

    def candidates(self, vector: np.ndarray, names: set[str], day: int) -> Candidates:
        """Open stories within the time window of ``day``, with their cosine and shared names."""
        count = len(self._states)
        cosines = self._matrix[:count] @ vector
        if day == NO_DAY:
            in_window = np.ones(count, dtype=bool)
        else:
            first, last = self._first[:count], self._last[:count]
            undated = last == NO_DAY
            in_window = undated | ((first - self.quiet_days <= day) & (day <= last + self.quiet_days))
        shared = np.zeros(count, dtype=np.int32)
        for name in names:
            for story_id in self._postings.get(name, ()):
                shared[self._row[story_id]] += 1
        return Candidates(self._states, np.where(in_window, cosines, -2.0), shared)

    def advance(self, day: int) -> list[StoryState]:
        """Close the stories that have been quiet for longer than the window, once per new day.

        Returns the stories closed, in the order they were opened.
        """
        if day == NO_DAY or day <= self._newest_day:
            return []
        self._newest_day = day
        count = len(self._states)
        last = self._last[:count]
        stale = (last != NO_DAY) & (last < day - self.quiet_days)
        return self._drop(stale) if stale.any() else []

    def remove(self, story_id: str) -> None:
        """Take one story out of the index (to look for a better home for its only article).

        The last row takes the removed one's place: constant cost, and the order of rows, which
        only breaks exact ties, is still the same for the same input.
        """
        row = self._row.pop(story_id)
        state = self._states[row]
        last = len(self._states) - 1
        if row != last:
            moved = self._states[last]
            self._states[row] = moved
            self._row[moved.id] = row
            self._matrix[row] = self._matrix[last]
            self._first[row] = self._first[last]
            self._last[row] = self._last[last]
        self._states.pop()
        self._unpost(state)

    def _drop(self, stale: np.ndarray) -> list[StoryState]:
        dropped = [self._states[row] for row in np.flatnonzero(stale)]
        keep = np.flatnonzero(~stale)
        for state in dropped:
            del self._row[state.id]
            self._unpost(state)
        self._states = [self._states[row] for row in keep]
        self._matrix[: len(keep)] = self._matrix[keep]
        self._first[: len(keep)] = self._first[keep]
        self._last[: len(keep)] = self._last[keep]
        self._row = {state.id: row for row, state in enumerate(self._states)}
        self._shrink()
        return dropped

    def _unpost(self, state: StoryState) -> None:
        for name in state.names:
            posting = self._postings.get(name)
            if posting is not None:
                posting.discard(state.id)
                if not posting:
                    del self._postings[name]

    def _shrink(self) -> None:
        """Give memory back when far fewer stories are open than there is room for."""
        count = len(self._states)
        capacity = len(self._matrix)
        if capacity > 64 and count < capacity // 4:
            size = max(16, 2 * count)
            self._matrix = self._matrix[:size].copy()
            self._first = self._first[:size].copy()
            self._last = self._last[:size].copy()
