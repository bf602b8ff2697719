"""Sources: how original each article is, and which articles it most likely rewrote.

An article's originality is the share of its statements that no earlier article of the story makes.
When publication times tie or are unknown, no article can be shown to be earlier, so every other
article counts as possibly earlier: a statement is original only if no other article makes it.
An article is derived from another when a large share of its statements align with that article's
and the other is not later; derived articles count once for corroboration.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storyweave.model import Article, Derivation, FactGroup, Originality

# An article is taken as a rewrite of another when at least this share of its statements align with
# the other's AND it reuses at least this share of the other's word trigrams (rewriters keep phrases;
# independent reports of one event keep facts). Provisional, read off the seeds: the closest
# independent pair (001/003) aligns 0.53 of statements but shares only 0.14 of trigrams.
DERIVED_SHARE = 0.5
DERIVED_TRIGRAMS = 0.2
_WORD = re.compile(r"\w+")


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def trigram_containment(text: str, other: str) -> float:
    """The share of ``text``'s word trigrams that ``other`` also has."""
    mine = _trigrams(text)
    return len(mine & _trigrams(other)) / len(mine) if mine else 0.0


def _earlier_or_same(a: Article, b: Article) -> bool:
    """Could ``b`` have been published before ``a``?"""
    if not a.published or not b.published:
        return True
    return b.published <= a.published


@dataclass(frozen=True)
class SourceAssessment:
    """Each article's originality and the articles it was derived from (article id -> parent ids)."""

    originality: dict[str, Originality]
    derived_from: dict[str, list[str]]


def assess_sources(articles: Sequence[Article], groups: Mapping[str, FactGroup]) -> SourceAssessment:
    """How original each article is and which articles it was derived from, from the statements it shares."""
    statements: dict[str, int] = defaultdict(int)
    shared_with: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    original: dict[str, int] = defaultdict(int)
    by_id = {a.id: a for a in articles}
    for group in groups.values():
        members = {u.article.id for u in group.units}
        for unit in group.units:
            article = unit.article
            statements[article.id] += 1
            others = [by_id[m] for m in members if m != article.id and m in by_id]
            if not any(_earlier_or_same(article, other) for other in others):
                original[article.id] += 1
            for other in others:
                shared_with[article.id][other.id] += 1
    found: dict[str, Originality] = {}
    for article in articles:
        total = statements.get(article.id, 0)
        if total == 0:
            found[article.id] = Originality(score=1.0)
            continue
        derivations = []
        for other_id, count in sorted(shared_with[article.id].items()):
            share = count / total
            if (
                share >= DERIVED_SHARE
                and _earlier_or_same(article, by_id[other_id])
                and trigram_containment(article.text, by_id[other_id].text) >= DERIVED_TRIGRAMS
            ):
                derivations.append(Derivation(article=other_id, share=round(share, 3)))
        derivations.sort(key=lambda d: (-d.share, d.article))
        found[article.id] = Originality(
            score=round(original[article.id] / total, 3), derived_from=derivations
        )

    # Two articles of the same time can each look derived from the other. Rewriting degrades text, so
    # the better-rated one is taken as the source, then the one with more statements, then by id.
    def rank(article: Article) -> tuple[float, int, str]:
        return (article.quality.score, statements[article.id], article.id)

    originality: dict[str, Originality] = {}
    for article in articles:
        kept = []
        for derivation in found[article.id].derived_from:
            other = by_id[derivation.article]
            mutual = any(d.article == article.id for d in found[other.id].derived_from)
            if mutual and rank(article) > rank(other):
                continue
            kept.append(derivation)
        originality[article.id] = Originality(score=found[article.id].score, derived_from=kept)
    derived = {a: [d.article for d in o.derived_from] for a, o in originality.items() if o.derived_from}
    return SourceAssessment(originality=originality, derived_from=derived)
