"""The summary: a few claims that carry the story, each citing its claim and outlets.

Claims are ranked by independent corroboration first and by centrality second (how close a claim's
statements are to the story's other statements), and a claim too close to one already chosen is
passed over. The wording is the claim's own, which the claims stage took from the cleanest and
most original outlet, never a garbled one. Disputed claims are marked as disputed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from storyweave.analysis.claims import ClaimGroup
from storyweave.model import Claim, SummarySentence

DEFAULT_SENTENCES = 5
# Two chosen claims closer than this say the same thing twice. Provisional (seed corpus).
REDUNDANCY_COSINE = 0.8
CENTRALITY_WEIGHT = 2.0


def _claim_vector(group: ClaimGroup) -> np.ndarray:
    vectors = np.stack([u.vector for u in group.units if u.vector is not None])
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return np.asarray(mean / norm, dtype=np.float32)


def summarise(
    claims: Sequence[Claim], groups: Mapping[str, ClaimGroup], size: int = DEFAULT_SENTENCES
) -> list[SummarySentence]:
    """At most ``size`` cited sentences, in the order the story's articles tell them."""
    if not claims:
        return []
    vectors = {c.id: _claim_vector(groups[c.id]) for c in claims}
    matrix = np.stack([vectors[c.id] for c in claims])
    centrality = (matrix @ matrix.mean(axis=0)).tolist()
    ranked = sorted(
        zip(claims, centrality, strict=True),
        key=lambda pair: (-(pair[0].independent_sources + CENTRALITY_WEIGHT * pair[1]), pair[0].id),
    )
    chosen: list[Claim] = []
    for claim, _ in ranked:
        if len(chosen) >= size:
            break
        if len(claim.text.split()) < 6:
            continue
        if any(float(vectors[claim.id] @ vectors[c.id]) >= REDUNDANCY_COSINE for c in chosen):
            continue
        chosen.append(claim)
    chosen.sort(key=lambda c: min((s.sentence, s.article) for s in c.support))
    sentences = []
    for claim in chosen:
        text = claim.text if claim.status != "disputed" else f"Disputed between outlets: {claim.text}"
        sentences.append(
            SummarySentence(text=text, claims=[claim.id], articles=sorted({s.article for s in claim.support}))
        )
    return sentences
