"""Coverage: which outlet states which fact, the facts one outlet alone has, those most share.

The matrix is the facts stage's support laid out against the story's articles. An outlet "adds
nothing new" when every fact it states is stated by another outlet too: a reader loses no fact by
skipping it. A fact is shared by most outlets when more than half of the (non-duplicate) articles
state it.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyweave.model import Article, Coverage, Fact

# "Most outlets": a strict majority of the story's articles (a definition, not a tuned threshold).
MOST_SHARE = 0.5


def build_coverage(articles: Sequence[Article], facts: Sequence[Fact]) -> Coverage:
    """The facts × outlets matrix and what it shows about each outlet."""
    outlets = [a.id for a in articles if not a.duplicate_of]
    column = {article_id: i for i, article_id in enumerate(outlets)}
    coverage = Coverage(outlets=outlets)  # filled in place, one fact (one matrix row) at a time
    stating: dict[str, int] = dict.fromkeys(outlets, 0)
    for fact in facts:
        row = [0] * len(outlets)
        members = sorted({s.article for s in fact.support if s.article in column})
        for article_id in members:
            row[column[article_id]] = 1
            stating[article_id] += 1
        coverage.matrix.append(row)
        if len(members) == 1:
            coverage.unique.setdefault(members[0], []).append(fact.id)
        if len(outlets) >= 2 and len(members) > MOST_SHARE * len(outlets):
            coverage.shared.append(fact.id)
        if len(outlets) >= 3 and len(members) == len(outlets) - 1:
            missing = next(a for a in outlets if a not in members)
            coverage.left_out.setdefault(missing, []).append(fact.id)
    if len(outlets) >= 2:
        coverage.adds_nothing = [a for a in outlets if stating[a] and not coverage.unique.get(a)]
    return coverage
