"""What an analysis encodes of an article, made once per article and kept with it.

A story is analysed again each time it gains a report, and what its analysis encodes of each report never
changes: the vectors of the report's sentences, of its clauses that are not whole sentences (statement
units), of the words before each denial in it (stances), and of each statement's event word read in its
sentence (event coreference). So they are made once,
in one batch across the articles, rounded to float16 as the store keeps them (an analysis from fresh vectors
and one from stored vectors give the same report), and stored with the article. The pass over a sentence
that gives its vector gives its event words' vectors too (``encode_with_spans``), so event coreference costs
no second pass. Analyses read them from the article and encode only what an article lacks.

``Article.span_vectors`` keys them by character span: a span of one word is an event word in its sentence's
context; a longer span is the vector of that stretch of text on its own (clauses and denials have at least
four words).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from storyweave.analysis.details import event_word, find_predicate
from storyweave.analysis.event_coref import context_text, encode_contexts
from storyweave.analysis.stances import denied_words
from storyweave.analysis.units import body_sentences, statement_units
from storyweave.model import Article, Unit

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.tokens import Token


def as_stored(matrix: np.ndarray) -> np.ndarray:
    """Vectors rounded as the store keeps them (float16), back in float32 for the analyses."""
    return np.asarray(matrix, dtype=np.float16).astype(np.float32)


def token_key(token: Token) -> tuple[int, int]:
    """The character span an event word's vector is kept under."""
    return token.idx, token.idx + len(token.text)


def is_whole_sentence(unit: Unit) -> bool:
    """Whether a statement unit is its whole sentence (whose vector is the sentence's)."""
    sentence = unit.article.sentences[unit.sentence]
    return (unit.start, unit.end) == (sentence.start, sentence.end)


def _event_words(units: Sequence[Unit]) -> list[Token]:
    """The event word of every statement of one article, each once, in text order."""
    found: dict[int, Token] = {}
    for unit in units:
        token = event_word(unit.article.doc, find_predicate(unit))
        if token is not None:
            found.setdefault(token.idx, token)
    return [found[i] for i in sorted(found)]


def encode_articles(articles: Sequence[Article]) -> list[Article]:
    """Give each article that lacks them its sentence vectors and span vectors, in one encoder batch; the
    articles it gave them to (for the caller to store)."""
    from storyweave.nlp.vectors import get_encoder

    todo = [a for a in articles if a.vectors is None or a.span_vectors is None]
    if not todo:
        return []
    encoder = get_encoder()
    texts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    plans: list[tuple[list[Token], list[tuple[int, int]]]] = []
    for article in todo:
        units = statement_units([article])
        words = _event_words(units) if article.doc is not None else []
        starts = [s.start for s in article.sentences]
        in_sentence: list[list[tuple[int, int]]] = [[] for _ in article.sentences]
        for token in words:
            k = bisect.bisect_right(starts, token.idx) - 1
            offset = article.sentences[k].start
            in_sentence[k].append((token.idx - offset, token.idx - offset + len(token.text)))
        stretches = [(u.start, u.end) for u in units if not is_whole_sentence(u)]
        stretches += [w for s in body_sentences(article) if (w := denied_words(article, s))]
        texts += [s.text for s in article.sentences] + [article.text[a:b] for a, b in stretches]
        spans += in_sentence + [[] for _ in stretches]
        plans.append((words, stretches))
    whole, pooled = _encode(encoder, texts, spans, plans)
    row = 0
    for article, (words, stretches) in zip(todo, plans, strict=True):
        count = len(article.sentences)
        article.vectors = as_stored(whole[row : row + count])
        contexts = [v for rows in pooled[row : row + count] for v in rows]
        row += count
        found = {token_key(t): as_stored(v) for t, v in zip(words, contexts, strict=True)}
        for stretch in stretches:
            found[stretch] = as_stored(whole[row])
            row += 1
        article.span_vectors = found
    return todo


def _encode(
    encoder: Any,
    texts: list[str],
    spans: list[list[tuple[int, int]]],
    plans: list[tuple[list[Token], list[tuple[int, int]]]],
) -> tuple[np.ndarray, list[np.ndarray]]:
    """One pass where the encoder reads spans in context; else the texts, then each event word's window."""
    if hasattr(encoder, "encode_with_spans"):
        whole, in_context = encoder.encode_with_spans(texts, spans)
        return np.asarray(whole), list(in_context)
    whole = np.asarray(encoder.encode(texts))
    words = [t for tokens, _stretches in plans for t in tokens]
    windows = np.asarray(encoder.encode([context_text(t) for t in words])) if words else whole[:0]
    pooled: list[np.ndarray] = []
    used = 0
    for rows in spans:
        pooled.append(windows[used : used + len(rows)])
        used += len(rows)
    return whole, pooled


def _kept_or_encoded(
    articles: Sequence[Article],
    keys: Sequence[tuple[int, int]],
    encode: Callable[[list[int]], np.ndarray],
) -> np.ndarray:
    """The vector kept with each article under the key beside it; those not kept, ``encode(positions)``
    makes now (rounded as stored). Rows in input order."""
    pairs = zip(articles, keys, strict=True)
    found: list[np.ndarray | None] = [(a.span_vectors or {}).get(k) for a, k in pairs]
    missing = [k for k, v in enumerate(found) if v is None]
    if missing:
        for k, vector in zip(missing, as_stored(encode(missing)), strict=True):
            found[k] = vector
    return np.stack([v for v in found if v is not None])


def context_vectors(articles: Sequence[Article], tokens: Sequence[Token]) -> np.ndarray:
    """The vector of each event word (of the article beside it) in context: kept with the article where
    :func:`encode_articles` made it, else encoded now."""
    if not tokens:
        return encode_contexts([])
    keys = [token_key(t) for t in tokens]
    return _kept_or_encoded(articles, keys, lambda missing: encode_contexts([tokens[k] for k in missing]))


def span_vectors(articles: Sequence[Article], spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """The vector of each stretch of text (character offsets into the article beside it): kept with the
    article where :func:`encode_articles` made it, else encoded now."""
    from storyweave.nlp.vectors import get_encoder

    def encode(missing: list[int]) -> np.ndarray:
        return get_encoder().encode([articles[k].text[spans[k][0] : spans[k][1]] for k in missing])

    return _kept_or_encoded(articles, spans, encode)


def clause_vector(unit: Unit) -> np.ndarray | None:
    """A clause's vector kept with its article, if :func:`encode_articles` made it."""
    return (unit.article.span_vectors or {}).get((unit.start, unit.end))


def attach_vectors(units: Sequence[Unit]) -> None:
    """Each unit's vector: a whole sentence's from the article's sentence vectors, a clause's kept with the
    article, else (an article :func:`encode_articles` has not seen) encoded now."""
    from storyweave.nlp.vectors import get_encoder

    to_encode: list[Unit] = []
    for unit in units:
        vectors = unit.article.vectors
        kept = clause_vector(unit)
        if vectors is not None and is_whole_sentence(unit):
            unit.vector = vectors[unit.sentence]
        elif kept is not None:
            unit.vector = kept
        else:
            to_encode.append(unit)
    if to_encode:
        matrix = as_stored(get_encoder().encode([u.text for u in to_encode]))
        for unit, row in zip(to_encode, matrix, strict=True):
            unit.vector = row
