"""Where an article stands on a claim: it states it, contradicts it, only reports that someone claims it, or
is silent about it.

A pure decision over a claim's text (a fact) and one article's sentences, independent of the report's types,
so the report and ``bench/stance.py`` (FNC-1: headline = claim, body = article) run the same code. Why these
features: whether the article is about the claim at all shows in the vectors and words of its best-matching
sentences; its position shows in the words around them (denials and debunking, attribution and hedges,
confirmation) and in the article as a whole (a hoax story repeats "hoax"; a rumour story hedges throughout).
A small network over those features decides, with weights fitted once on the fit part of FNC-1's
development folder (``python bench/stance.py --fit``) and shipped in ``stance_weights.json``; inference is
numpy only. The deciding sentence is the best-matching one that carries the cue of the chosen stance, and for
``reports_claim`` (and ``contradicts``, when the denial is attributed) the source it is attributed to.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import numpy as np

from storyweave.analysis import stance_cues as cues
from storyweave.analysis.lexicon import FUNCTION_WORDS

Stance = Literal["states", "contradicts", "reports_claim", "silent"]
#: The model's classes, in the order of its outputs (FNC-1: agree, disagree, discuss, unrelated).
STANCES: tuple[Stance, ...] = ("states", "contradicts", "reports_claim", "silent")
WEIGHTS_FILE = "stance_weights.json"
#: How many best-matching sentences the cue features read.
TOP_K = 3
#: A denial in the sentence that carries (nearly) all of the claim's content stems makes the article
#: contradict it (unless the claim is itself a denial), whatever the article-level model says ("... ties to
#: cocaine production — claims vehemently denied by Colombia's government"): FNC-1 labels such local
#: denials "discuss", a fact-level reader does not. 0.9: the lowest coverage at which the rule does not
#: lower the fit part's FNC score with the shipped weights (`python bench/stance.py --fit` prints that table).
DENIAL_COVER = 0.9

FEATURE_NAMES = (
    "cos_max",  # MiniLM cosine of the claim and its best-matching sentence
    "cos_top",  # mean cosine of the TOP_K best-matching sentences
    "cos_article",  # cosine of the claim and the article's mean sentence vector
    "cos_lead",  # cosine of the claim and the first sentence
    "cover_article",  # share of the claim's content stems found anywhere in the article
    "cover_max",  # the same, in the best single sentence
    "cover_top",  # mean over the TOP_K best-matching sentences
    "cover_lead",  # in the first two sentences
    "bigram_article",  # share of the claim's word bigrams found in the article
    "trigram_article",  # ... and trigrams
    "bigram_top",  # share of the claim's bigrams found in the TOP_K sentences
    "hits_article",  # log(1 + occurrences of claim stems in the article) / log(1 + sentences)
    "claim_terms",  # log(1 + content stems of the claim)
    "sentences",  # log(1 + sentences of the article)
    "best_position",  # where the best-matching sentence stands (0 first .. 1 last)
    "refute_best",  # denial or refutation cue in the best-matching sentence
    "refute_top",  # cues in the TOP_K sentences (capped at 3, / 3)
    "refute_article",  # share of sentences with a refutation cue
    "refute_lead",  # a refutation cue in the first three sentences
    "refute_near",  # share of claim-matching sentences (cover >= 0.3) with a refutation cue
    "negation_top",  # negation in the TOP_K sentences (capped at 3, / 3)
    "negation_article",  # share of sentences with a negation
    "negation_mismatch",  # exactly one of claim and best sentence is negated
    "attribution_best",  # attribution cue in the best-matching sentence
    "attribution_top",  # ... in the TOP_K sentences (capped at 3, / 3)
    "attribution_article",  # share of sentences with an attribution cue
    "hedge_top",  # hedges in the TOP_K sentences (capped at 3, / 3)
    "hedge_article",  # share of sentences with a hedge
    "confirm_top",  # confirmation cue in the TOP_K sentences (capped at 3, / 3)
    "confirm_article",  # share of sentences with a confirmation cue
    "quote_top",  # a quotation mark in the TOP_K sentences
    "claim_refute",  # the claim itself carries a refutation cue ("... is a hoax")
    "claim_negation",
    "claim_attribution",  # the claim is itself attributed ("X claims ...", "reportedly")
    "claim_hedge",
    "claim_question",  # the claim is a question
)

_REFUTE_BEST = FEATURE_NAMES.index("refute_best")
_COVER_MAX = FEATURE_NAMES.index("cover_max")
_CLAIM_REFUTE = FEATURE_NAMES.index("claim_refute")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_SUFFIXES = ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s")


# ------------------------------------------------------------------------------------------- text


def split_sentences(text: str) -> list[str]:
    """A light splitter for article bodies: paragraphs, then sentence ends before a capital or digit.

    The report passes spaCy's sentences; the benchmark and callers without a parse use this."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            out.extend(part for part in _SENTENCE_END.split(paragraph) if part.strip())
    return out


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower().replace("n't", " n't").replace("’", "'")))


def _stem(word: str) -> str:
    """Strip one inflectional suffix ("denied" ~ "deny", "accused" ~ "accuses"); enough for overlap."""
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def _stems(text: str) -> tuple[str, ...]:
    """Content stems in order (stop words out; "n't" kept out too: it is a cue, not content)."""
    return tuple(_stem(t) for t in _tokens(text) if t not in FUNCTION_WORDS and t not in cues.NEGATION_CUES)


def _ngrams(items: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return set(zip(*(items[i:] for i in range(n)), strict=False))


@dataclass(frozen=True)
class _Cues:
    refute: int
    negation: int
    attribution: int
    hedge: int
    confirm: int
    quote: bool


@lru_cache(maxsize=65536)
def _cues(text: str) -> _Cues:
    tokens = _tokens(text)
    lowered = " ".join(text.lower().replace("’", "'").split())
    return _Cues(
        refute=sum(t in cues.REFUTATION for t in tokens) + sum(p in lowered for p in cues.REFUTATION_PHRASES),
        negation=sum(t in cues.NEGATION_CUES or t.endswith("n't") for t in tokens),
        attribution=sum(t in cues.ATTRIBUTION for t in tokens)
        + sum(p in lowered for p in cues.ATTRIBUTION_PHRASES),
        hedge=sum(t in cues.HEDGES for t in tokens),
        confirm=sum(t in cues.CONFIRMATION for t in tokens),
        quote=any(q in text for q in ('"', "“", "”")),
    )


# ------------------------------------------------------------------------------------------- features


@dataclass(frozen=True)
class _Evidence:
    """Features of one claim-article pair and the sentences they point at (best first)."""

    features: np.ndarray
    ranked: tuple[int, ...]


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _share(count: int, cap: int = 3) -> float:
    return min(count, cap) / cap


def pair_features(
    claim: str, sentences: Sequence[str], claim_vector: np.ndarray, sentence_vectors: np.ndarray
) -> np.ndarray:
    """The features of :data:`FEATURE_NAMES` for one claim and one article (vectors unit length)."""
    return _evidence(claim, sentences, claim_vector, sentence_vectors).features


def _evidence(
    claim: str, sentences: Sequence[str], claim_vector: np.ndarray, sentence_vectors: np.ndarray
) -> _Evidence:
    n = len(sentences)
    claim_stems = _stems(claim)
    claim_set = set(claim_stems)
    claim_cues = _cues(claim)
    claim_features = [
        float(claim_cues.refute > 0),
        float(claim_cues.negation > 0),
        float(claim_cues.attribution > 0),
        float(claim_cues.hedge > 0),
        float(claim.rstrip().endswith("?")),
    ]
    if n == 0:
        empty = np.zeros(len(FEATURE_NAMES), dtype=np.float64)
        empty[12] = math.log1p(len(claim_set))
        empty[-5:] = claim_features
        return _Evidence(empty, ())
    cosines = np.asarray(sentence_vectors @ claim_vector, dtype=np.float64).reshape(n)
    sentence_stems = [_stems(s) for s in sentences]
    denominator = max(1, len(claim_set))
    cover = np.array([len(claim_set & set(stems)) / denominator for stems in sentence_stems])
    relevance = cosines + cover
    ranked = tuple(int(i) for i in np.argsort(-relevance, kind="stable"))
    top = ranked[:TOP_K]
    best = ranked[0]
    article_stems = [t for stems in sentence_stems for t in stems]
    article_set = set(article_stems)
    lead_set = set(sentence_stems[0]) | (set(sentence_stems[1]) if n > 1 else set())
    claim_bigrams, claim_trigrams = _ngrams(claim_stems, 2), _ngrams(claim_stems, 3)
    article_bigrams = set().union(*(_ngrams(s, 2) for s in sentence_stems))
    article_trigrams = set().union(*(_ngrams(s, 3) for s in sentence_stems))
    top_bigrams = set().union(*(_ngrams(sentence_stems[i], 2) for i in top))
    found = [_cues(s) for s in sentences]
    top_cues = [found[i] for i in top]
    matching = [i for i in range(n) if cover[i] >= 0.3]
    mean_vector = _unit(np.asarray(sentence_vectors, dtype=np.float64).mean(axis=0))
    log_n = math.log1p(n)
    values = [
        float(cosines[best]) if cosines.size else 0.0,
        float(np.mean(np.sort(cosines)[::-1][:TOP_K])),
        float(mean_vector @ np.asarray(claim_vector, dtype=np.float64)),
        float(cosines[0]),
        len(claim_set & article_set) / denominator,
        float(cover.max()),
        float(np.mean([cover[i] for i in top])),
        len(claim_set & lead_set) / denominator,
        len(claim_bigrams & article_bigrams) / len(claim_bigrams) if claim_bigrams else 0.0,
        len(claim_trigrams & article_trigrams) / len(claim_trigrams) if claim_trigrams else 0.0,
        len(claim_bigrams & top_bigrams) / len(claim_bigrams) if claim_bigrams else 0.0,
        math.log1p(sum(t in claim_set for t in article_stems)) / log_n,
        math.log1p(len(claim_set)),
        log_n,
        best / (n - 1) if n > 1 else 0.0,
        float(found[best].refute > 0),
        _share(sum(c.refute for c in top_cues)),
        sum(c.refute > 0 for c in found) / n,
        float(any(c.refute > 0 for c in found[:3])),
        sum(found[i].refute > 0 for i in matching) / len(matching) if matching else 0.0,
        _share(sum(c.negation for c in top_cues)),
        sum(c.negation > 0 for c in found) / n,
        float((claim_cues.negation > 0) != (found[best].negation > 0)),
        float(found[best].attribution > 0),
        _share(sum(c.attribution for c in top_cues)),
        sum(c.attribution > 0 for c in found) / n,
        _share(sum(c.hedge for c in top_cues)),
        sum(c.hedge > 0 for c in found) / n,
        _share(sum(c.confirm for c in top_cues)),
        sum(c.confirm > 0 for c in found) / n,
        float(any(c.quote for c in top_cues)),
        *claim_features,
    ]
    return _Evidence(np.asarray(values, dtype=np.float64), ranked)


# ------------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class StanceModel:
    """A small feed-forward network: standardise, hidden layers (ReLU), softmax over :data:`STANCES`,
    plus per-class offsets added to the logits (chosen on the fit part for the FNC score and macro-F1)."""

    feature_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    offsets: np.ndarray

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Rows of class probabilities, one per row of ``features`` (n, len(FEATURE_NAMES))."""
        x = (np.atleast_2d(features) - self.mean) / self.scale
        for i, (weights, bias) in enumerate(self.layers):
            x = x @ weights + bias
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        x = x + self.offsets
        x = x - x.max(axis=1, keepdims=True)
        e = np.exp(x)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def to_json(self, **meta: Any) -> dict[str, Any]:
        return {
            **meta,
            "classes": list(STANCES),
            "feature_names": list(self.feature_names),
            "mean": [round(float(v), 8) for v in self.mean],
            "scale": [round(float(v), 8) for v in self.scale],
            "layers": [
                {"weights": np.round(w, 8).tolist(), "bias": np.round(b, 8).tolist()} for w, b in self.layers
            ],
            "offsets": [round(float(v), 6) for v in self.offsets],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StanceModel:
        if tuple(data["classes"]) != STANCES:
            raise ValueError(f"stance weights are for classes {data['classes']}, not {list(STANCES)}")
        layers = tuple(
            (np.asarray(layer["weights"], dtype=np.float64), np.asarray(layer["bias"], dtype=np.float64))
            for layer in data["layers"]
        )
        return cls(
            tuple(data["feature_names"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            layers,
            np.asarray(data["offsets"], dtype=np.float64),
        )


@lru_cache(maxsize=1)
def load_model() -> StanceModel:
    """The shipped weights (``stance_weights.json``), checked against this module's features."""
    text = resources.files("storyweave.analysis").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    model = StanceModel.from_json(json.loads(text))
    if model.feature_names != FEATURE_NAMES:
        raise ValueError(
            f"{WEIGHTS_FILE} was fitted on other features; refit with `python bench/stance.py --fit`"
        )
    return model


# ------------------------------------------------------------------------------------------- decision


@dataclass(frozen=True)
class StanceDecision:
    """One article's stance on one claim, the sentence that decides it (an index into its sentences; None
    when silent), the model's probability of that stance (for a denial under DENIAL_COVER: the probability
    that the article is on the claim at all), and who the claim or denial is attributed to."""

    stance: Stance
    sentence: int | None
    score: float
    claimant: str | None
    #: Cosine of the claim and its best-matching sentence (0 for an empty article): lets a caller inside one
    #: story, where every article is on the topic, ask for a closer match before it counts a mention.
    similarity: float = 0.0


# A capitalised word (O'Brien, U.S., AT&T; not a possessive), a run of them, and a possessive head noun.
_CAPITAL = r"[A-Z][\w.&-]*(?:['’](?!s\b)[A-Za-z]+)?"
_NAME = (
    r"(?:[Tt]he\s+)?"
    + _CAPITAL
    + r"(?:\s+(?:of\s+|de\s+|for\s+|and\s+)?"
    + _CAPITAL
    + r")*(?:['’]s\s+[a-z]+)?"
)
_CLAIMANT_PATTERNS = (
    re.compile(
        r"according to (?:an? |the )?(?:new |recent )?(?:report|statement|story|article|post|analysis|"
        r"investigation|source|sources|interview)s? (?:by|from|in|with) (?P<who>" + _NAME + ")"
    ),
    re.compile(r"according to (?P<who>(?:(?:the|a|an)\s+)?(?:[a-z][\w-]*\s+){0,2}?" + _NAME + ")"),
    re.compile(
        r"according to (?P<who>(?:the |local |state |federal )?(?:police|officials|authorities|witnesses|"
        r"experts|investigators|prosecutors|residents|doctors|researchers|scientists))\b"
    ),
    re.compile(r"(?:denied|rejected|refuted|dismissed|disputed|debunked) by (?P<who>" + _NAME + ")"),
    re.compile(
        r"(?P<who>"
        + _NAME
        + r")\s+(?:has |have |had )?(?:also )?(?:said|says|claimed|claims|reported|reports|"
        r"alleged|alleges|told|tells|stated|insisted|insists|denied|denies|rejected|rejects|confirmed)\b"
    ),
    re.compile(r"(?:said|says|claimed|reported|alleged|told \w+|stated)\s+(?P<who>" + _NAME + ")"),
    re.compile(
        r"\b(?P<who>(?:[a-z]+ )?sources)\b(?:\s+(?:close to|familiar with|with knowledge of)\s+[\w ]+?)?"
        r"\s+(?:say|said|claim|claimed|told)\b"
    ),
)
_NOT_NAMES = frozenset({"The", "It", "He", "She", "They", "We", "I", "This", "That", "There", "But", "And"})


def claimant(sentence: str) -> str | None:
    """Who a sentence attributes its claim to ("according to a report by The Hill" -> "The Hill"), or None."""
    for pattern in _CLAIMANT_PATTERNS:
        for match in pattern.finditer(sentence):
            who = match.group("who").strip(" ,.;:")
            if who and who not in _NOT_NAMES:
                return who
    return None


def denial_rule(features: np.ndarray) -> bool:
    """The best-matching sentence carries a denial and nearly all the claim (DENIAL_COVER), and the claim is
    not itself a denial ("Petro rejected the accusation" is stated, not contradicted, by the same words)."""
    return bool(
        features[_REFUTE_BEST] > 0 and features[_COVER_MAX] >= DENIAL_COVER and features[_CLAIM_REFUTE] == 0
    )


def _deciding_sentence(stance: Stance, sentences: Sequence[str], ranked: Sequence[int]) -> int | None:
    """The best-matching sentence that carries the chosen stance's cue (among the TOP_K), else the best."""
    if stance == "silent" or not ranked:
        return None
    top = ranked[:TOP_K]
    if stance == "contradicts":
        cued = [i for i in top if _cues(sentences[i]).refute > 0]
        cued = cued or [i for i in top if _cues(sentences[i]).negation > 0]
    elif stance == "reports_claim":
        cued = [i for i in top if _cues(sentences[i]).attribution > 0 or _cues(sentences[i]).hedge > 0]
    else:
        cued = []
    return cued[0] if cued else ranked[0]


def _encode(texts: Sequence[str]) -> np.ndarray:
    from storyweave.nlp.vectors import get_encoder

    return get_encoder().encode(list(texts))


def decide_stances(
    claims: Sequence[str],
    articles: Sequence[Sequence[str]],
    pairs: Sequence[tuple[int, int]] | None = None,
    *,
    claim_vectors: np.ndarray | None = None,
    article_vectors: Sequence[np.ndarray] | None = None,
    model: StanceModel | None = None,
) -> list[StanceDecision]:
    """The stances of many (claim, article) pairs, in the order of ``pairs`` (default: every claim with
    every article, claim-major). Vectors not given are encoded here, each sentence once; the model runs
    once over all pairs."""
    if pairs is None:
        pairs = [(c, a) for c in range(len(claims)) for a in range(len(articles))]
    if claim_vectors is None:
        claim_vectors = _encode(claims)
    if article_vectors is None:
        flat = [s for sentences in articles for s in sentences]
        encoded = _encode(flat)
        article_vectors, start = [], 0
        for sentences in articles:
            article_vectors.append(encoded[start : start + len(sentences)])
            start += len(sentences)
    model = model or load_model()
    evidence = [_evidence(claims[c], articles[a], claim_vectors[c], article_vectors[a]) for c, a in pairs]
    if not evidence:
        return []
    probabilities = model.probabilities(np.stack([e.features for e in evidence]))
    decisions = []
    for (_, a), found, row in zip(pairs, evidence, probabilities, strict=True):
        stance = STANCES[int(np.argmax(row))]
        probability = float(row[STANCES.index(stance)])
        if not found.ranked:
            stance = "silent"
        elif stance != "silent" and denial_rule(found.features):
            stance, probability = "contradicts", 1.0 - float(row[STANCES.index("silent")])
        index = _deciding_sentence(stance, articles[a], found.ranked)
        who = claimant(articles[a][index]) if index is not None and stance != "states" else None
        score = round(probability, 6)
        decisions.append(StanceDecision(stance, index, score, who, round(float(found.features[0]), 6)))
    return decisions


def decide_stance(
    claim: str,
    sentences: Sequence[str],
    claim_vector: np.ndarray | None = None,
    sentence_vectors: np.ndarray | None = None,
) -> StanceDecision:
    """One article's stance on one claim (vectors: unit length, from ``storyweave.nlp.vectors``)."""
    return decide_stances(
        [claim],
        [sentences],
        [(0, 0)],
        claim_vectors=None if claim_vector is None else np.atleast_2d(claim_vector),
        article_vectors=None if sentence_vectors is None else [sentence_vectors],
    )[0]
