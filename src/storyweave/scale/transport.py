"""Articles as bytes, so they can cross process boundaries between Ray workers and the driver.

An annotated :class:`~storyweave.model.Article` holds a spaCy ``Doc``, which pickles with its whole
vocabulary; here the doc travels in the form the store keeps it (``nlp/stored.py``: a zlib'd DocBin),
made on the worker. The driver never needs the doc itself (grouping reads text, names and vectors), so
it stores those bytes as they came, without rebuilding the doc or serialising it again: the driver's
share of the work is what limits a second worker on a small machine (bench/scale_ray.py). The rest of
the article (text, sentences, mentions, lead vector) is a plain dataclass and numpy array: pickled.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, replace

from storyweave.model import Article


@dataclass
class Parcel:
    """An article without its doc, and the doc as stored (None when the article is not annotated)."""

    article: Article
    doc: bytes | None = None


def to_parcels(articles: Sequence[Article]) -> list[Parcel]:
    """Split each article's doc off in its stored form; the articles themselves are left as they are."""
    from storyweave.nlp.stored import doc_to_bytes

    return [Parcel(replace(a, doc=None), None if a.doc is None else doc_to_bytes(a.doc)) for a in articles]


def pack(parcels: Sequence[Parcel]) -> bytes:
    return pickle.dumps(list(parcels), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(data: bytes) -> list[Parcel]:
    parcels: list[Parcel] = pickle.loads(data)  # noqa: S301 - bytes made by pack() in this run's workers
    return parcels


def stored_parses(parcels: Sequence[Parcel]) -> dict[str, bytes]:
    """Article id -> its parse as the store keeps it."""
    return {p.article.id: p.doc for p in parcels if p.doc is not None}
