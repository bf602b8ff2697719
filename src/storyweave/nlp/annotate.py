"""The annotate stage: sentences, named entities, sentence vectors and language for cleaned articles.

spaCy runs over all articles in one ``nlp.pipe`` call and the sentence vectors are encoded in one
batch, because per-article calls cost most of the throughput (bench/speed.py measures it).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from storyweave.cores import usable_cores
from storyweave.model import Article, Mention, Sentence
from storyweave.nlp.language import detect_language
from storyweave.nlp.pipeline import get_nlp
from storyweave.nlp.vectors import get_encoder

if TYPE_CHECKING:
    from spacy.tokens import Span

# Entity labels kept as story entities; dates, numbers and the like are handled by timex and claims.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW"})

# Title plus this many body sentences make the lead that an article's vector is built from; three
# kept every seed and example article with its story (tests/test_group.py) at a quarter of the cost
# of encoding every sentence (bench/speed.py).
LEAD_SENTENCES = 3
LANGUAGE_CHARS = 2000

# spaCy's batch size for nlp.pipe; 32 was as fast as 16 or 64 on the seeds (bench/speed.py).
PIPE_BATCH_SIZE = 32
# spaCy parses in this many processes at most (one batch each, forked with the model loaded): on two
# cores 64 full-length PolNeAR articles parse in 6.6 s against 12.7 s in one process, with identical
# parses (bench/throughput.py measures the whole run). A chunk of one batch stays in this process, so a
# small run (the seeds) pays no fork.
MAX_PARSE_PROCESSES = 4


def parse_processes(count: int) -> int:
    """How many processes spaCy parses ``count`` articles in: one per batch, up to the cores."""
    return max(1, min(usable_cores(), MAX_PARSE_PROCESSES, -(-count // PIPE_BATCH_SIZE)))


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
        sentences.append(
            Sentence(
                index=len(sentences),
                start=start,
                end=end,
                text=text[start:end],
                truncated=truncated,
                heading=start in heading_starts,
            )
        )
    article.sentences = sentences


def _titled_org(ent: Span) -> bool:
    """An organisation whose name begins with a capital "The" inside a sentence ("…, The Hill reported"):
    the model leaves the article out of the entity, so the name would read "Hill". At a sentence's start
    the capital says nothing ("The Pentagon said"), so there the entity stays as the model found it."""
    if ent.label_ != "ORG" or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    return before.text == "The" and not before.is_sent_start


def _mentions(article: Article) -> None:
    doc = article.doc
    assert doc is not None
    starts = [s.start for s in article.sentences]
    mentions: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        first = ent.start - 1 if _titled_org(ent) else ent.start
        start_char = doc[first].idx
        text = doc.text[start_char : ent.end_char].strip()
        if not text or "\n" in text:
            continue
        sentence = max((i for i, s in enumerate(starts) if s <= start_char), default=0)
        mentions.append(
            Mention(
                text=text,
                label=ent.label_,
                start=start_char,
                end=start_char + len(text),
                sentence=sentence,
            )
        )
    article.mentions = mentions


def _load_encoder_meanwhile() -> threading.Thread | None:
    """Start loading the sentence encoder on a thread while spaCy loads: ONNX Runtime builds its session
    outside the GIL, so a cold start pays for the two loads at once (bench/speed.py). The first
    ``get_encoder()`` after it waits for it (a lock); a load that fails is tried again there and raises
    there. The thread, so that a caller about to fork joins it first."""
    from storyweave.nlp.encoder import encoder_loaded

    if encoder_loaded():
        return None
    loader = threading.Thread(target=_try_loading_encoder, name="storyweave-encoder-load", daemon=True)
    loader.start()
    return loader


def _try_loading_encoder() -> None:
    with contextlib.suppress(Exception):  # the caller's own get_encoder() reports it
        get_encoder()


def annotate(articles: Sequence[Article], *, vectors: bool = True, processes: int | None = None) -> None:
    """Fill ``doc``, ``sentences``, ``mentions``, ``language`` and the lead ``vector`` of cleaned articles.

    The per-sentence vectors that fact alignment needs are made later, once a story compares reports
    (``analysis/article_vectors.py``): grouping needs only each article's lead, and most of the cost of
    sentence vectors would be wasted on articles that end up alone in their story. ``processes``
    (default :func:`parse_processes`) is 1 where the caller already runs one worker per core (Ray).
    """
    if not articles:
        return
    loader = _load_encoder_meanwhile() if vectors else None
    nlp = get_nlp()
    n_process = parse_processes(len(articles)) if processes is None else processes
    if loader is not None and n_process > 1:
        loader.join()  # spaCy forks its parse processes: never while another thread is mid-load
    docs = nlp.pipe((a.text for a in articles), batch_size=PIPE_BATCH_SIZE, n_process=n_process)
    for article, doc in zip(articles, docs, strict=True):
        article.doc = doc
        _sentences(article)
        _mentions(article)
        article.language = detect_language(article.text[:LANGUAGE_CHARS])
    if vectors:
        encode_leads(articles)


def restore(articles: Sequence[Article]) -> None:
    """Sentences and mentions again from parses read back from the store (``doc`` set; no spaCy run)."""
    for article in articles:
        _sentences(article)
        _mentions(article)


def _lead(article: Article) -> list[str]:
    """The title and the first body sentences: what a news story is about, by the inverted pyramid."""
    body = [s.text for s in article.sentences if not s.heading][:LEAD_SENTENCES]
    return ([article.title] if article.title else []) + body or [article.text[:500]]


def encode_leads(articles: Sequence[Article]) -> None:
    """Give each article one normalised vector: the mean of its lead sentences' vectors."""
    leads = [_lead(a) for a in articles]
    texts = [t for lead in leads for t in lead]
    matrix = get_encoder().encode(texts)
    row = 0
    for article, lead in zip(articles, leads, strict=True):
        mean = matrix[row : row + len(lead)].mean(axis=0)
        row += len(lead)
        norm = float(np.linalg.norm(mean)) or 1.0
        article.vector = np.asarray(mean / norm, dtype=np.float32)
