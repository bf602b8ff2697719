"""Word weights for story grouping: what an article is about, in the words that set it apart.

Sentence vectors know that two reports are about an earthquake; the words know which earthquake
("Aceh", "6.1", "Tuesday"). Each article becomes a TF-IDF vector over its words, with document
frequencies counted online over every article grouped so far (the store keeps them, so a later run
weighs words as this one did). Words are hashed into a fixed table: memory stays the same whatever
the corpus size, and crc32 (unlike Python's salted ``hash``) gives the same bucket in every process.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter

import numpy as np

from storyweave.nlp.stopwords import STOP_WORDS

BUCKETS = 1 << 18
# Unrelated documents assumed seen before the first one: without them the first few articles of a
# corpus share every word with a document frequency close to the corpus size, and weigh nothing.
PRIOR_DOCUMENTS = 20
_WORD = re.compile(r"[^\W\d_][\w'’-]+")


def term_counts(text: str) -> Counter[int]:
    """Hashed content words of ``text`` (no stop words, at least three letters) with their counts."""
    counts: Counter[int] = Counter()
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if len(word) > 2 and word not in STOP_WORDS:
            counts[zlib.crc32(word.encode("utf-8")) % BUCKETS] += 1
    return counts


class TermStatistics:
    """Document frequencies of hashed words over all articles seen, and the TF-IDF they give."""

    def __init__(self, frequencies: np.ndarray | None = None, documents: int = 0) -> None:
        self.frequencies = frequencies if frequencies is not None else np.zeros(BUCKETS, dtype=np.int32)
        self.documents = documents

    def count(self, counts: Counter[int]) -> None:
        """Count one article's words in (what :meth:`weigh` does first; the store redoes it on resume)."""
        self.documents += 1
        buckets = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        self.frequencies[buckets] += 1

    def weigh(self, counts: Counter[int]) -> dict[int, float]:
        """Count the article in, then return its unit-length TF-IDF vector (bucket -> weight)."""
        self.count(counts)
        scale = 1 + self.documents + PRIOR_DOCUMENTS
        weights = {
            bucket: (1 + math.log(count)) * math.log(scale / (1 + int(self.frequencies[bucket])))
            for bucket, count in counts.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        # float32 values, as the store keeps them: a run resumed from the store weighs as one that was not
        return {bucket: float(np.float32(w / norm)) for bucket, w in weights.items() if w > 0}

    def to_bytes(self) -> bytes:
        return np.asarray(self.frequencies, dtype=np.int32).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, documents: int) -> TermStatistics:
        return cls(np.frombuffer(data, dtype=np.int32).copy(), documents)
