"""The annotate stage: sentences, named entities, sentence vectors and language for cleaned articles.

spaCy runs over all articles in one ``nlp.pipe`` call and the sentence vectors are encoded in one
batch, because per-article calls cost most of the throughput (bench/speed.py measures it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storyweave.model import Article, Mention, Sentence
from storyweave.nlp.language import detect_language
from storyweave.nlp.pipeline import get_nlp
from storyweave.nlp.vectors import get_encoder

# Entity labels kept as story entities; dates, numbers and the like are handled by timex and claims.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW"})

# spaCy's batch size for nlp.pipe; 32 was as fast as 16 or 64 on the seeds (bench/speed.py).
PIPE_BATCH_SIZE = 32


def _sentences(article: Article) -> None:
    doc = article.doc
    assert doc is not None
    text = article.text
    heading_starts = {start for start, _ in article.headings}
    sentences: list[Sentence] = []
    for span in doc.sents:
        start, end = span.start_char, span.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            continue
        truncated = any(start < cut <= end + 1 for cut in article.truncated_at)
        sentences.append(Sentence(index=len(sentences), start=start, end=end, text=text[start:end],
                                  truncated=truncated, heading=start in heading_starts))
    article.sentences = sentences


def _mentions(article: Article) -> None:
    doc = article.doc
    assert doc is not None
    starts = [s.start for s in article.sentences]
    mentions: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        text = ent.text.strip()
        if not text or "\n" in text:
            continue
        sentence = max((i for i, s in enumerate(starts) if s <= ent.start_char), default=0)
        mentions.append(Mention(text=text, label=ent.label_, start=ent.start_char, end=ent.start_char + len(text),
                                sentence=sentence))
    article.mentions = mentions


def annotate(articles: Sequence[Article], *, vectors: bool = True) -> None:
    """Fill ``doc``, ``sentences``, ``mentions``, ``language`` and ``vectors`` of cleaned articles in place."""
    if not articles:
        return
    nlp = get_nlp()
    for article, doc in zip(articles, nlp.pipe((a.text for a in articles), batch_size=PIPE_BATCH_SIZE),
                            strict=True):
        article.doc = doc
        _sentences(article)
        _mentions(article)
        article.language = detect_language(article.text[:2000])
    if vectors:
        encode_sentences(articles)


def encode_sentences(articles: Sequence[Article]) -> None:
    """Encode every sentence of every article in one batch and hand each article its rows."""
    texts = [s.text for a in articles for s in a.sentences]
    matrix = get_encoder().encode(texts) if texts else np.zeros((0, 384), dtype=np.float32)
    row = 0
    for article in articles:
        count = len(article.sentences)
        article.vectors = matrix[row:row + count]
        row += count
