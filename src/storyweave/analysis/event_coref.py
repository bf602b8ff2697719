"""Cross-document event coreference: which event mentions, in one story's reports, name the same event.

Facts align across outlets at the event level: "Trump spoke by phone with Petro" and "the
35-minute call between the two presidents" are one event, "the earthquake killed 30" and "police arrested a
suspect" are two. A pairwise model scores every two mentions from the evidence a reader uses: the event word
(same lemma, or related through :mod:`storyweave.analysis.event_lexicon`), the event word in its context and
the whole sentence (MiniLM vectors), who takes part, and when. Its weights were fitted with scikit-learn on
ECB+ training topics by ``python bench/facts.py --fit`` and ship in ``event_coref_weights.json``; at run
time only numpy evaluates them. Mentions are then clustered agglomeratively within the story: mentions
sharing a lemma start together when the model agrees, and groups merge while their mean link probability
stays at or above the threshold chosen on the ECB+ development topics (23-25) by the same command.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from storyweave.analysis.calendar import date_range
from storyweave.analysis.event_lexicon import REPORTING, related, same_word

WEIGHTS_FILE = "event_coref_weights.json"

FEATURE_NAMES: tuple[str, ...] = (
    "same_lemma",  # the two predicates have the same lemma
    "related_lemma",  # related through the lexicon (synonym class or derivation), not the same lemma
    "predicate_cosine",  # the predicate lemmas alone (word vectors: "heist" ~ "robbery")
    "context_cosine",  # the predicates in their context (window vectors)
    "sentence_cosine",  # the sentences
    "participant_jaccard",  # participants shared / participants named
    "participant_shared",  # 1 if they share a participant
    "participants_both",  # 1 if both name participants (so a zero overlap means something)
    "time_overlap",  # 1 if some time of one overlaps some time of the other
    "time_conflict",  # 1 if both are dated and no two of their times overlap
    "reporting",  # 1 if either predicate is a verb of saying (different remarks are different events)
    "names_jaccard",  # proper names the two sentences share / name (who else is in the picture)
    "names_disjoint",  # 1 if both sentences name someone and share no name
    "numbers_conflict",  # 1 if both sentences give numbers and share none ("fell 2,000ft" / "fell 200ft")
    "same_doc",  # both from one article
    "same_sentence",  # both from one sentence of one article
    "both_verb",
    "both_noun",
    "same_lemma_x_context",  # interactions: how much context matters once the words agree
    "same_lemma_x_sentence",
    "related_x_context",
    "context_cosine_squared",
    "sentence_cosine_squared",
)


@dataclass(frozen=True)
class EventMention:
    """One mention of an event: its head word, the sentence it is in, and its parts."""

    doc: str  # article id
    predicate: str  # lemma of the event head ("call", "capture", "revoke")
    head: str  # the head's text as written
    pos: str  # "VERB" or "NOUN" (nominal events: "the call", "the raid")
    sentence: str  # the sentence (or clause) text
    vector: np.ndarray | None  # the sentence's unit vector (all-MiniLM-L6-v2)
    context: np.ndarray | None  # unit vector of the predicate in context (see encode_contexts)
    participants: frozenset[str]  # normalised names of who/what takes part
    times: frozenset[str]  # TimeML values of the time expressions attached to it


# --------------------------------------------------------------------------------------------- times


@lru_cache(maxsize=4096)
def time_range(value: str) -> tuple[dt.date, dt.date] | None:
    """``calendar.date_range``, cached: the same values recur across a story's mention pairs."""
    return date_range(value)


def time_relation(a: frozenset[str], b: frozenset[str]) -> str:
    """ "overlap" when some date of one overlaps some date of the other, "conflict" when both are dated and
    none do, "unknown" when either has no calendar date."""
    ranges_a = [r for r in map(time_range, a) if r]
    ranges_b = [r for r in map(time_range, b) if r]
    if not ranges_a or not ranges_b:
        return "unknown"
    for start_a, end_a in ranges_a:
        for start_b, end_b in ranges_b:
            if start_a <= end_b and start_b <= end_a:
                return "overlap"
    return "conflict"


# --------------------------------------------------------------------------------------------- features


_PREDICATE_VECTORS: dict[str, np.ndarray] = {}


def encode_predicates(lemmas: Sequence[str]) -> None:
    """Encode the lemmas not yet seen, in one batch (all-MiniLM-L6-v2 on the word alone); kept per process."""
    todo = sorted({lemma.lower() for lemma in lemmas} - _PREDICATE_VECTORS.keys())
    if not todo:
        return
    from storyweave.nlp.vectors import get_encoder

    _PREDICATE_VECTORS.update(zip(todo, get_encoder().encode(todo), strict=True))


def predicate_vector(lemma: str) -> np.ndarray:
    """The unit vector of a predicate lemma on its own."""
    key = lemma.lower()
    if key not in _PREDICATE_VECTORS:
        encode_predicates([key])
    return _PREDICATE_VECTORS[key]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[-'][A-Za-z]+)?")
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "In",
        "On",
        "At",
        "By",
        "For",
        "But",
        "And",
        "Or",
        "Of",
        "To",
        "His",
        "Her",
        "Their",
        "Its",
        "This",
        "That",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
    ]
)


@lru_cache(maxsize=8192)
def sentence_numbers(sentence: str) -> frozenset[str]:
    """Numbers a sentence gives, digits only ("2,000" -> "2000")."""
    return frozenset(n.replace(",", "").rstrip(".") for n in _NUMBER.findall(sentence.replace(" , ", ",")))


@lru_cache(maxsize=8192)
def sentence_names(sentence: str) -> frozenset[str]:
    """Capitalised words not opening the sentence: the people, places and organisations it names."""
    words = (w.removesuffix("'s").removesuffix("’s") for w in _NAME.findall(sentence.replace("’", "'")))
    return frozenset(w.lower() for w in words if w not in _NOT_NAMES)


def _cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    return float(np.dot(a, b)) if a is not None and b is not None else 0.0


def pair_features(a: EventMention, b: EventMention) -> np.ndarray:
    """The values of :data:`FEATURE_NAMES` for two mentions (symmetric in a and b)."""
    same = float(same_word(a.predicate, b.predicate))
    rel = 0.0 if same else float(related(a.predicate, b.predicate))
    context = _cosine(a.context, b.context)
    predicate = 1.0 if same else float(np.dot(predicate_vector(a.predicate), predicate_vector(b.predicate)))
    sentence = _cosine(a.vector, b.vector)
    union = a.participants | b.participants
    shared = a.participants & b.participants
    when = time_relation(a.times, b.times)
    same_doc = float(a.doc == b.doc)
    names_a, names_b = sentence_names(a.sentence), sentence_names(b.sentence)
    names = names_a | names_b
    numbers_a, numbers_b = sentence_numbers(a.sentence), sentence_numbers(b.sentence)
    return np.array(
        [
            same,
            rel,
            predicate,
            context,
            sentence,
            len(shared) / len(union) if union else 0.0,
            float(bool(shared)),
            float(bool(a.participants) and bool(b.participants)),
            float(when == "overlap"),
            float(when == "conflict"),
            float(a.predicate.lower() in REPORTING or b.predicate.lower() in REPORTING),
            len(names_a & names_b) / len(names) if names else 0.0,
            float(bool(names_a) and bool(names_b) and not names_a & names_b),
            float(bool(numbers_a) and bool(numbers_b) and not numbers_a & numbers_b),
            same_doc,
            same_doc * float(a.sentence == b.sentence),
            float(a.pos == "VERB" and b.pos == "VERB"),
            float(a.pos == "NOUN" and b.pos == "NOUN"),
            same * context,
            same * sentence,
            rel * context,
            context * context,
            sentence * sentence,
        ],
        dtype=np.float64,
    )


# --------------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Model:
    """A fitted pairwise scorer: standardise, then a logistic layer (with an optional hidden layer)."""

    mean: np.ndarray
    scale: np.ndarray
    hidden_weights: np.ndarray | None  # (features, units) or None for plain logistic regression
    hidden_bias: np.ndarray | None
    weights: np.ndarray
    bias: float
    threshold: float
    lemma_first: bool

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(coreferent) for each row of a (pairs, features) matrix."""
        x = (features - self.mean) / self.scale
        if self.hidden_weights is not None and self.hidden_bias is not None:
            x = np.maximum(x @ self.hidden_weights + self.hidden_bias, 0.0)
        z = np.clip(x @ self.weights + self.bias, -40.0, 40.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def model_from_dict(data: dict[str, Any]) -> Model:
    """Build a Model from the JSON the bench writes; the feature names must match this module's."""
    if tuple(data["features"]) != FEATURE_NAMES:
        raise ValueError(f"{WEIGHTS_FILE}: its features differ from event_coref.FEATURE_NAMES; refit")
    hidden = data.get("hidden_weights")
    return Model(
        mean=np.asarray(data["mean"], dtype=np.float64),
        scale=np.asarray(data["scale"], dtype=np.float64),
        hidden_weights=np.asarray(hidden, dtype=np.float64) if hidden is not None else None,
        hidden_bias=np.asarray(data["hidden_bias"], dtype=np.float64) if hidden is not None else None,
        weights=np.asarray(data["weights"], dtype=np.float64),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        lemma_first=bool(data.get("lemma_first", False)),
    )


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The shipped weights (fitted by ``python bench/facts.py --fit``), read once per process."""
    text = resources.files("storyweave.analysis").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    return model_from_dict(json.loads(text))


def _threshold() -> float:
    try:
        return load_model().threshold
    except (OSError, ValueError, KeyError):
        return 0.5


#: Mean link probability at or above which two groups of mentions merge; chosen on the ECB+ development
#: topics (23-25) by ``python bench/facts.py --fit`` and stored with the weights.
COREF_THRESHOLD = _threshold()


def coref_scores(mentions: Sequence[EventMention], model: Model | None = None) -> np.ndarray:
    """Symmetric (n, n) matrix of coreference probabilities; the diagonal is 1."""
    model = model or load_model()
    n = len(mentions)
    scores = np.eye(n, dtype=np.float64)
    if n < 2:
        return scores
    encode_predicates([m.predicate for m in mentions])
    rows, cols = np.triu_indices(n, k=1)
    pairs = zip(rows.tolist(), cols.tolist(), strict=True)
    features = np.stack([pair_features(mentions[i], mentions[j]) for i, j in pairs])
    probabilities = model.probabilities(features)
    scores[rows, cols] = probabilities
    scores[cols, rows] = probabilities
    return scores


def _order_key(mention: EventMention) -> tuple[Any, ...]:
    """A content key, so the clustering does not depend on the order the mentions come in."""
    return (
        mention.doc,
        mention.sentence,
        mention.head,
        mention.predicate,
        mention.pos,
        tuple(sorted(mention.participants)),
        tuple(sorted(mention.times)),
    )


def cluster_scores(
    scores: np.ndarray, threshold: float, seeds: Sequence[Sequence[int]] | None = None
) -> list[list[int]]:
    """Average-link agglomerative clustering of a probability matrix, deterministic for a given order.

    ``seeds``: optional starting groups (each index in at most one); indices in none start alone. Groups
    merge, best pair first, while their mean pairwise probability is at least ``threshold``; ties go to the
    pair with the smallest indices."""
    n = scores.shape[0]
    groups: list[list[int]] = []
    seen: set[int] = set()
    for seed in seeds or []:
        members = sorted(i for i in seed if i not in seen)
        seen.update(members)
        if members:
            groups.append(members)
    groups += [[i] for i in range(n) if i not in seen]
    groups.sort(key=lambda g: g[0])
    if len(groups) < 2:
        return groups
    sums = np.array([[scores[np.ix_(g, h)].sum() for h in groups] for g in groups], dtype=np.float64)
    sizes = np.array([len(g) for g in groups], dtype=np.float64)
    alive = np.ones(len(groups), dtype=bool)
    while True:
        means = sums / np.outer(sizes, sizes)
        np.fill_diagonal(means, -np.inf)
        means[~alive, :] = -np.inf
        means[:, ~alive] = -np.inf
        flat = int(np.argmax(means))  # first maximum in row-major order: the smallest indices win ties
        i, j = divmod(flat, len(groups))
        if means[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        groups[i] = sorted(groups[i] + groups[j])
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sizes[i] += sizes[j]
        alive[j] = False
    return sorted((groups[k] for k in range(len(groups)) if alive[k]), key=lambda g: g[0])


def cluster_mentions(
    mentions: Sequence[EventMention], threshold: float = COREF_THRESHOLD, model: Model | None = None
) -> list[list[int]]:
    """Groups of mention indices that name one event, each sorted, ordered by their first index.

    The same mentions in any order give the same groups. With the shipped model, mentions of one lemma
    start as one group when their mean probability reaches the threshold (a first pass by lemma, which on
    ECB+ keeps most chains whole); then groups merge by average link."""
    model = model or load_model()
    order = sorted(range(len(mentions)), key=lambda i: _order_key(mentions[i]))
    ordered = [mentions[i] for i in order]
    scores = coref_scores(ordered, model)
    seeds: list[list[int]] = []
    if model.lemma_first:
        by_lemma: dict[str, list[int]] = {}
        for i, mention in enumerate(ordered):
            by_lemma.setdefault(mention.predicate.lower(), []).append(i)
        for members in by_lemma.values():
            size = len(members)
            block = scores[np.ix_(members, members)]
            if size > 1 and (block.sum() - size) / (size * (size - 1)) >= threshold:
                seeds.append(members)
    groups = cluster_scores(scores, threshold, seeds)
    return sorted((sorted(order[i] for i in group) for group in groups), key=lambda g: g[0])


# --------------------------------------------------------------------------------------------- from a parse

#: Words either side of the event word that make its context text, for encoders without encode_spans. On
#: the ECB+ development topics 2 to 12 words scored within 1 point of each other (bench/facts.py).
CONTEXT_WORDS = 5
_ARGUMENT_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "iobj", "attr", "dative", "oprd", "poss", "compound", "nmod", "npadvmod"}
)
_ARGUMENT_POS = frozenset({"NOUN", "PROPN", "NUM"})
_INHERIT_SUBJECT = frozenset({"conj", "xcomp", "advcl"})


def event_pos(token: Any) -> str:
    """ "NOUN" for a nominal event head (a spaCy token), else "VERB"."""
    return "NOUN" if token.pos_ in ("NOUN", "PROPN") else "VERB"


def context_text(token: Any, words: int = CONTEXT_WORDS) -> str:
    """The event word with up to ``words`` words either side of it, within its sentence."""
    sentence = token.sent
    start = max(sentence.start, token.i - words)
    end = min(sentence.end, token.i + words + 1)
    return token.doc[start:end].text.strip()


def encode_contexts(tokens: Sequence[Any]) -> np.ndarray:
    """Unit vectors of event words (spaCy tokens) in context, one batch: the encoder's hidden states over
    the word's pieces within its sentence (``encode_spans``; on the ECB+ development topics these lifted
    CoNLL F1 by about 2 points over encoding a window of words), else the window of :func:`context_text`."""
    from storyweave.nlp.vectors import get_encoder

    encoder = get_encoder()
    if not tokens:
        return np.zeros((0, encoder.dimension), dtype=np.float32)
    if hasattr(encoder, "encode_spans"):
        texts = [t.sent.text for t in tokens]
        spans = [(t.idx - t.sent.start_char, t.idx - t.sent.start_char + len(t.text)) for t in tokens]
        return np.asarray(encoder.encode_spans(texts, spans))
    return np.asarray(encoder.encode([context_text(t) for t in tokens]))


def _name(token: Any) -> str | None:
    """A participant's normalised name: its entity's text when it is part of one, else its lemma."""
    if token.pos_ not in _ARGUMENT_POS or token.is_stop:
        return None
    if token.ent_type_:
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                return " ".join(ent.text.lower().split())
    return token.lemma_.lower()


def event_participants(token: Any) -> frozenset[str]:
    """Who and what takes part in the event headed by a spaCy token: its subjects, objects, possessors,
    compounds and prepositional objects ("the raid on Caracas" -> caracas), the subject it shares with the
    verb it is coordinated with ("was arrested and charged"), and the noun a relative clause describes."""
    found: list[Any] = []
    for child in token.children:
        if child.dep_ in _ARGUMENT_DEPS:
            found.append(child)
        elif child.dep_ in ("prep", "agent"):
            found.extend(c for c in child.children if c.dep_ == "pobj")
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
    if not has_subject and token.dep_ in _INHERIT_SUBJECT and token.head is not token:
        found.extend(c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass"))
    if token.dep_ in ("relcl", "acl") and token.head is not token:
        found.append(token.head)
    more = [c for t in found for c in t.children if c.dep_ == "conj"]  # "Trump and Petro"
    names = {_name(t) for t in found + more}
    return frozenset(n for n in names if n)


def event_mention(
    doc: str,
    token: Any,
    *,
    vector: np.ndarray | None,
    context: np.ndarray | None,
    times: frozenset[str] = frozenset(),
    head: str | None = None,
) -> EventMention:
    """The EventMention of the event headed by a spaCy token: lemma, part of speech, sentence and
    participants from the parse; the vectors (of ``token.sent.text`` and of :func:`context_text`) and the
    times come from the caller, who encodes them in one batch. ``head``: the mention's text if wider."""
    return EventMention(
        doc=doc,
        predicate=token.lemma_.lower(),
        head=head if head is not None else token.text,
        pos=event_pos(token),
        sentence=token.sent.text.strip(),
        vector=vector,
        context=context,
        participants=event_participants(token),
        times=times,
    )
