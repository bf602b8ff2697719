"""Coverage: which outlet states which claim, the claims one outlet alone has, those most share.

The matrix is the claims stage's support laid out against the story's articles. An outlet "adds
nothing new" when every claim it states is stated by another outlet too: a reader loses no fact by
skipping it. A claim is shared by most outlets when more than half of the (non-duplicate) articles
state it.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyweave.model import Article, Claim, Coverage

# "Most outlets": a strict majority of the story's articles (a definition, not a tuned threshold).
MOST_SHARE = 0.5


def build_coverage(articles: Sequence[Article], claims: Sequence[Claim]) -> Coverage:
    """The claims × outlets matrix and what it shows about each outlet."""
    outlets = [a.id for a in articles if not a.duplicate_of]
    column = {article_id: i for i, article_id in enumerate(outlets)}
    matrix: list[list[int]] = []
    unique: dict[str, list[str]] = {}
    shared: list[str] = []
    stating: dict[str, int] = dict.fromkeys(outlets, 0)
    for claim in claims:
        row = [0] * len(outlets)
        members = sorted({s.article for s in claim.support if s.article in column})
        for article_id in members:
            row[column[article_id]] = 1
            stating[article_id] += 1
        matrix.append(row)
        if len(members) == 1:
            unique.setdefault(members[0], []).append(claim.id)
        if len(outlets) >= 2 and len(members) > MOST_SHARE * len(outlets):
            shared.append(claim.id)
    adds_nothing = [a for a in outlets if stating[a] and not unique.get(a)] if len(outlets) >= 2 else []
    return Coverage(outlets=outlets, matrix=matrix, unique=unique, shared=shared, adds_nothing=adds_nothing)
