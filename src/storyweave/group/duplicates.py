"""Duplicates: exact copies (same normalised text) and near copies (MinHash LSH over word shingles).

A duplicate is kept and linked to its original (the first one read), never dropped: it still
shows in the report, but counts once when outlets are counted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from storyweave.model import Article

# Jaccard similarity of 5-word shingles above which two texts are near copies. 0.8 keeps wire
# copies with a changed headline or credit line together and rewrites apart (the copies in
# tests/test_group.py and the seed corpus; no benchmark measures it yet).
NEAR_DUPLICATE_JACCARD = 0.8
SHINGLE_WORDS = 5
NUM_PERM = 128
# Up to this many articles every pair is compared exactly; above it, MinHash LSH (datasketch) finds
# the candidates. Importing datasketch costs 0.4 s (it loads scipy), more than 64² set comparisons
# (bench/speed.py cold start).
EXACT_PAIRS_UP_TO = 64
_WORD = re.compile(r"\w+")


def normalised_hash(text: str) -> str:
    return hashlib.sha1(" ".join(_WORD.findall(text.casefold())).encode("utf-8")).hexdigest()


def _shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")}
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)
    }


class _ExactIndex:
    """All pairs compared exactly: for a small batch this is cheaper than loading LSH, and exact."""

    def __init__(self) -> None:
        self._kept: list[tuple[str, set[bytes]]] = []

    def find(self, shingles: set[bytes]) -> str | None:
        for other_id, other in self._kept:
            if len(shingles & other) / (len(shingles | other) or 1) >= NEAR_DUPLICATE_JACCARD:
                return other_id
        return None

    def add(self, article_id: str, shingles: set[bytes]) -> None:
        self._kept.append((article_id, shingles))


class _LshIndex:
    """MinHash LSH (datasketch): candidates without comparing all pairs, for large batches."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)

    def _signature(self, shingles: set[bytes]) -> Any:
        from datasketch import MinHash

        signature = MinHash(num_perm=NUM_PERM, seed=1)
        signature.update_batch(sorted(shingles))
        return signature

    def find(self, shingles: set[bytes]) -> str | None:
        matches = sorted(self._lsh.query(self._signature(shingles)))
        return matches[0] if matches else None

    def add(self, article_id: str, shingles: set[bytes]) -> None:
        self._lsh.insert(article_id, self._signature(shingles))


def mark_duplicates(
    articles: Sequence[Article],
    earlier: Sequence[Article] = (),
    stored_hashes: Mapping[str, str] | None = None,
) -> None:
    """Set ``duplicate_of`` on exact and near copies, pointing at the first article of each family.

    ``earlier`` are articles stored by previous runs that new ones may copy (their own
    ``duplicate_of`` is kept); ``stored_hashes`` maps the text hash of stored originals to their
    ids, so an exact copy of anything ever stored is caught without reading its text.
    """
    seen: dict[str, str] = dict(stored_hashes or {})
    small = len(articles) + len(earlier) <= EXACT_PAIRS_UP_TO
    index = _ExactIndex() if small else _LshIndex()
    for article in earlier:
        if article.duplicate_of is None:
            seen.setdefault(normalised_hash(article.text), article.id)
            index.add(article.id, _shingles(article.text))
    for article in articles:
        digest = normalised_hash(article.text)
        if digest in seen:
            if seen[digest] != article.id:
                article.duplicate_of = seen[digest]
            continue
        seen[digest] = article.id
        shingles = _shingles(article.text)
        original = index.find(shingles)
        if original is not None:
            article.duplicate_of = original
        else:
            index.add(article.id, shingles)
