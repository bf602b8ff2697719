"""Articles as bytes, so they can cross process boundaries between Ray workers and the driver.

An annotated :class:`~storyweave.model.Article` holds a spaCy ``Doc``, which pickles with its whole
vocabulary; here the doc travels as ``Doc.to_bytes`` (its strings and token attributes, without the
tensor no stage reads) and is rebuilt against the receiving process's own vocabulary. The rest of
the article (text, sentences, mentions, lead vector) is a plain dataclass and numpy array: pickled.
The driver never needs the doc itself (grouping reads text, names and vectors), so it keeps the
bytes as they came and sends them on to the story analysis.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, replace

from storyweave.model import Article

_DOC_EXCLUDE = ["tensor", "user_data"]


@dataclass
class Parcel:
    """An article without its doc, and the doc's bytes (None when the article is not annotated)."""

    article: Article
    doc: bytes | None = None


def to_parcels(articles: Sequence[Article]) -> list[Parcel]:
    """Split each article's doc off as bytes; the articles themselves are left as they are."""
    return [
        Parcel(replace(a, doc=None), None if a.doc is None else a.doc.to_bytes(exclude=_DOC_EXCLUDE))
        for a in articles
    ]


def pack(parcels: Sequence[Parcel]) -> bytes:
    return pickle.dumps(list(parcels), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(data: bytes) -> list[Parcel]:
    parcels: list[Parcel] = pickle.loads(data)  # noqa: S301 - bytes made by pack() in this run's workers
    return parcels


def with_docs(parcels: Sequence[Parcel]) -> list[Article]:
    """The articles with their docs rebuilt against this process's spaCy vocabulary."""
    from spacy.tokens import Doc

    from storyweave.nlp.pipeline import get_nlp

    vocab = get_nlp().vocab
    articles = []
    for parcel in parcels:
        article = parcel.article
        if parcel.doc is not None:
            article.doc = Doc(vocab).from_bytes(parcel.doc, exclude=_DOC_EXCLUDE)
        articles.append(article)
    return articles
