"""Story grouping: each article joins the best matching story so far, or starts one.

An article matches a story when its text vector is close to the story's centroid, or moderately
close while sharing several named people, organisations or places. Processing is in input order
and a story's id is fixed by the article that started it, so ids never change as stories grow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from storyweave.model import Article, StoryGroup, stable_id

# Provisional thresholds, read off the seed corpus (all five reports of one story, pairwise cosine
# of article vectors 0.6-0.85) and the example corpus; issue 6 calibrates them on ECB+.
JOIN_COSINE = 0.55
JOIN_COSINE_WITH_ENTITIES = 0.40
MIN_SHARED_ENTITIES = 2
GROUP_LABELS = frozenset({"PERSON", "ORG", "GPE"})


def article_vector(article: Article) -> np.ndarray:
    """The article's lead vector from the annotate stage (zeros when it has none)."""
    if article.vector is None:
        return np.zeros(384, dtype=np.float32)
    return article.vector


def _names(article: Article) -> set[str]:
    return {m.text.casefold() for m in article.mentions if m.label in GROUP_LABELS}


@dataclass
class _Open:
    id: str
    members: list[Article] = field(default_factory=list)
    total: np.ndarray = field(default_factory=lambda: np.zeros(384, dtype=np.float32))
    names: set[str] = field(default_factory=set)

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.total)) or 1.0
        return self.total / norm


def group_stories(articles: Sequence[Article]) -> list[StoryGroup]:
    """Group annotated articles into stories; duplicates follow their original."""
    stories: list[_Open] = []
    story_of: dict[str, _Open] = {}
    for article in articles:
        if article.duplicate_of and article.duplicate_of in story_of:
            story = story_of[article.duplicate_of]
            story.members.append(article)
            story_of[article.id] = story
            continue
        vector = article_vector(article)
        names = _names(article)
        best, best_score = None, -1.0
        for story in stories:
            cosine = float(story.centroid @ vector)
            shared = len(names & story.names)
            joins = cosine >= JOIN_COSINE or (
                cosine >= JOIN_COSINE_WITH_ENTITIES and shared >= MIN_SHARED_ENTITIES
            )
            if joins and cosine > best_score:
                best, best_score = story, cosine
        if best is None:
            best = _Open(id=stable_id("s-", article.id, length=12))
            stories.append(best)
        best.members.append(article)
        best.total = best.total + vector
        best.names |= names
        story_of[article.id] = best
    return [StoryGroup(id=s.id, articles=s.members) for s in stories]
