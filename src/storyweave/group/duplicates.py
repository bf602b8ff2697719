"""Duplicates: exact copies (same normalised text) and near copies (MinHash LSH over word shingles).

A duplicate is kept and linked to its original (the first one read), never dropped: it still
shows in the report, but counts once when outlets are counted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
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


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    return len(a & b) / (len(a | b) or 1)


def _best(scored: list[tuple[float, int, str]]) -> str | None:
    """The most similar kept article at or above the threshold; ties go to the one kept first."""
    kept = [item for item in scored if item[0] >= NEAR_DUPLICATE_JACCARD]
    return min(kept, key=lambda item: (-item[0], item[1]))[2] if kept else None


class _ExactIndex:
    """All pairs compared exactly: for a small batch this is cheaper than loading LSH, and exact."""

    def __init__(self) -> None:
        self._kept: list[tuple[str, set[bytes]]] = []

    def find(self, shingles: set[bytes]) -> str | None:
        kept = enumerate(self._kept)
        return _best([(jaccard(shingles, other), n, other_id) for n, (other_id, other) in kept])

    def add(self, article_id: str, shingles: set[bytes]) -> None:
        self._kept.append((article_id, shingles))


class _LshIndex:
    """MinHash LSH (datasketch) for large batches: candidates without comparing all pairs, each one
    then confirmed by its actual Jaccard similarity (LSH alone joined pairs at 0.45-0.59).

    Only the signatures stay in memory; a candidate's text comes from ``text_of`` (the batch being
    marked, else the store), so memory per article stays that of its MinHash bands.
    """

    def __init__(self, text_of: Callable[[str], str | None]) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
        self._text_of = text_of
        self._order: dict[str, int] = {}

    def _signature(self, shingles: set[bytes]) -> Any:
        from datasketch import MinHash

        signature = MinHash(num_perm=NUM_PERM, seed=1)
        signature.update_batch(sorted(shingles))
        return signature

    def find(self, shingles: set[bytes]) -> str | None:
        scored = []
        for candidate in sorted(self._lsh.query(self._signature(shingles))):
            text = self._text_of(candidate)
            if text is not None:
                scored.append((jaccard(shingles, _shingles(text)), self._order[candidate], candidate))
        return _best(scored)

    def add(self, article_id: str, shingles: set[bytes]) -> None:
        self._order[article_id] = len(self._order)
        self._lsh.insert(article_id, self._signature(shingles))


class DuplicateFinder:
    """Marks exact and near copies batch after batch, remembering what earlier batches held.

    ``expected`` (articles to be seen in all, earlier ones included) picks all-pairs or LSH once,
    so a run streamed in chunks decides as a run given everything at once. ``text_of`` gives the
    text of an article marked before (read from the store), for LSH's confirmation.
    """

    def __init__(self, expected: int, text_of: Callable[[str], str | None] | None = None) -> None:
        self._seen: dict[str, str] = {}
        self._batch: dict[str, str] = {}
        fallback = text_of or (lambda _id: None)
        self._index: _ExactIndex | _LshIndex = (
            _ExactIndex()
            if expected <= EXACT_PAIRS_UP_TO
            else _LshIndex(lambda i: self._batch[i] if i in self._batch else fallback(i))
        )

    def add_earlier(self, earlier: Sequence[Article]) -> None:
        """Stored articles that new ones may copy (their own ``duplicate_of`` is kept)."""
        for article in earlier:
            if article.duplicate_of is None:
                self._seen.setdefault(normalised_hash(article.text), article.id)
                self._batch[article.id] = article.text
                self._index.add(article.id, _shingles(article.text))
        self._batch.clear()

    def mark(self, articles: Sequence[Article], stored_hashes: Mapping[str, str] | None = None) -> None:
        """Set ``duplicate_of`` on the copies among ``articles``, in their order."""
        for digest, article_id in (stored_hashes or {}).items():
            self._seen.setdefault(digest, article_id)
        self._batch = {a.id: a.text for a in articles}
        for article in articles:
            digest = normalised_hash(article.text)
            if digest in self._seen:
                if self._seen[digest] != article.id:
                    article.duplicate_of = self._seen[digest]
                continue
            self._seen[digest] = article.id
            shingles = _shingles(article.text)
            original = self._index.find(shingles)
            if original is not None:
                article.duplicate_of = original
            else:
                self._index.add(article.id, shingles)
        self._batch.clear()


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
    texts = {a.id: a.text for a in earlier}
    finder = DuplicateFinder(len(articles) + len(earlier), texts.get)
    finder.add_earlier(earlier)
    finder.mark(articles, stored_hashes)
