"""Each outlet's position on each fact: states it, contradicts it, only reports someone's claim, or silent.

An outlet whose statement supports the fact states it, unless it only passes the fact on from someone
else with a distancing cue ("according to a report by The Hill", "allegedly", "X claimed"): then it
reports a claim, and who claims it is kept. For an outlet with no supporting statement the stance
decision of ``storyweave.analysis.stance`` (fitted on FNC-1) reads its sentences: it contradicts the fact
when a sentence about the same event denies or refutes it ("claims vehemently denied by Colombia's
government"), it reports someone's claim of it, or it is silent. FNC-1's "unrelated" means another story;
inside one story every outlet is on the topic, so a position counts only when the deciding sentence is
close to the fact (ABOUT_COSINE), else the outlet is silent on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from storyweave.analysis.details import predicate_class, unit_span
from storyweave.analysis.lexicon import DISTANCING_VERBS, DISTANCING_WORDS, fold_words
from storyweave.analysis.stance import claimant
from storyweave.analysis.stance import decide_stances as decide_on_sentences
from storyweave.analysis.stance_cues import REFUTATION
from storyweave.analysis.units import body_sentences
from storyweave.model import Article, Fact, FactGroup, Sentence, Stance, StanceKind, Unit

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.tokens import Token

    from storyweave.analysis.facts import DraftFacts, StatementParts
    from storyweave.analysis.stance import StanceDecision

# An outlet without a supporting statement takes a position on a fact only when the fact's best-matching
# sentence in it is at least this close (MiniLM cosine); the stance model's own "unrelated" is about another
# story, and inside one story every outlet is on the topic. Contradicting needs a denial or refutation in
# the deciding sentence as well; only reporting a claim needs a closer match; stating it in words the
# alignment did not join, closer still (the fact's count stays its support's). Chosen on the seeds
# (tests/test_seed_report.py: the Colombian denial of the cocaine accusation contradicts it, and no
# outlet is said to report a fact it only mentions in passing).
CONTRADICTS_COSINE = 0.65
REPORTS_COSINE = 0.75
STATES_COSINE = 0.85


def _distanced(unit: Unit) -> bool:
    """The outlet passes the statement on without asserting it."""
    words = fold_words(unit.text).split()
    if "according" in words or any(w in DISTANCING_WORDS for w in words):
        return True
    span = unit_span(unit)
    return span is not None and any(
        t.pos_ == "VERB" and t.lemma_.lower() in DISTANCING_VERBS | {"report"} for t in span
    )


def _supporting_stance(unit: Unit, parts: StatementParts) -> Stance:
    claimant = next((d.text for d in parts.details if d.role == "said"), None)
    distanced = _distanced(unit)
    return Stance(
        article=unit.article.id,
        stance="reports_claim" if distanced else "states",
        sentence=unit.sentence,
        text=unit.text,
        start=unit.start,
        end=unit.end,
        score=1.0,
        claimant=claimant if distanced else None,
    )


def _fact_vector(group: FactGroup) -> np.ndarray:
    rows = [u.vector for u in group.units if u.vector is not None]
    mean = np.mean(np.stack(rows), axis=0) if rows else np.zeros(1, dtype=np.float32)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def _sentence_vectors(article: Article, kept: Sequence[Sentence]) -> np.ndarray | None:
    if article.vectors is None or len(article.vectors) != len(article.sentences) or not kept:
        return None
    return np.asarray(article.vectors[[s.index for s in kept]], dtype=np.float32)


def _other_stance(article: Article, kept: Sequence[Sentence], decision: StanceDecision | None) -> Stance:
    """An outlet without a supporting statement: the stance model's position where its deciding sentence is
    about the fact, else silent."""
    silent = Stance(article=article.id, stance="silent", sentence=-1, text="", start=-1, end=-1, score=0.0)
    if decision is None or decision.sentence is None or decision.stance == "silent":
        return silent
    sentence = kept[decision.sentence]
    if decision.stance == "reports_claim" and decision.similarity >= REPORTS_COSINE:
        stance: StanceKind = "reports_claim"
    elif decision.stance == "states" and decision.similarity >= STATES_COSINE:
        stance = "states"
    else:
        return silent
    return Stance(
        article=article.id,
        stance=stance,
        sentence=sentence.index,
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        score=round(decision.score, 3),
        claimant=decision.claimant,
    )


# How many words before a denial say what it denies ("accusing Petro of … ties to cocaine production —
# claims vehemently denied by Colombia's government").
DENIED_WORDS = 30


# Nouns that name a denial ("a denial", "the hoax"); other nouns of the refutation list name quarrels or
# statements ("disputes between the two countries", "lies") and deny nothing.
DENIAL_NOUNS = frozenset(
    {"denial", "denials", "refutation", "hoax", "hoaxes", "myth", "myths", "fabrication"}
)


def _denies(token: Token) -> bool:
    word = token.lower_
    if word not in REFUTATION:
        return False
    return token.pos_ in ("VERB", "ADJ", "ADV") or word in DENIAL_NOUNS


def denied_words(article: Article, sentence: Sentence) -> tuple[int, int] | None:
    """Where a sentence denies or refutes something, the words before the denial that say what it denies
    (character offsets, up to DENIED_WORDS words); else None."""
    doc = article.doc
    span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand") if doc else None
    if doc is None or span is None:
        return None
    at = next((t for t in span if _denies(t)), None)
    if at is None or at.i - span.start < 3:
        return None
    before = doc[max(span.start, at.i - DENIED_WORDS) : at.i + 1]
    return before.start_char, before.end_char


def _denials(
    facts: Sequence[Fact],
    groups: Mapping[str, FactGroup],
    articles: Sequence[Article],
    sentences: Sequence[Sequence[Sentence]],
) -> dict[tuple[int, int], Stance]:
    """(fact, article) -> contradicts, for each sentence of an outlet that denies or refutes something: the
    words before the denial are compared with the facts the outlet does not state, and the closest one (if
    close enough) is the fact it contradicts. One denial contradicts one fact."""
    from storyweave.analysis.article_vectors import span_vectors

    found: list[tuple[int, Sentence, tuple[int, int]]] = []
    if len(articles) < 2:
        return {}  # one outlet states every fact it has: nothing it could deny
    for a, kept in enumerate(sentences):
        for sentence in kept:
            window = denied_words(articles[a], sentence)
            if window is not None:
                found.append((a, sentence, window))
    if not found or not facts:
        return {}
    windows = span_vectors([articles[a] for a, _, _ in found], [window for _, _, window in found])
    fact_vectors = np.stack([_fact_vector(groups[f.id]) for f in facts])
    scores = windows @ fact_vectors.T
    # A denial agrees with a fact that is itself a denial ("Petro rejected the accusation"): it contradicts
    # what was asserted.
    denying = [
        f
        for f, fact in enumerate(facts)
        if fact.modality == "negated" or predicate_class(fact.predicate) == "deny"
    ]
    denials: dict[tuple[int, int], Stance] = {}
    for row, (a, sentence, _) in zip(scores, found, strict=True):
        stated = [
            f
            for f, fact in enumerate(facts)
            if articles[a].id in {u.article.id for u in groups[fact.id].units}
        ]
        row = row.copy()
        row[stated] = -1.0
        row[denying] = -1.0
        best = int(np.argmax(row))
        if float(row[best]) >= CONTRADICTS_COSINE and (best, a) not in denials:
            denials[(best, a)] = Stance(
                article=articles[a].id,
                stance="contradicts",
                sentence=sentence.index,
                text=sentence.text,
                start=sentence.start,
                end=sentence.end,
                score=round(float(row[best]), 3),
                claimant=claimant(sentence.text),
            )
    return denials


def decide_stances(drafts: DraftFacts, articles: Sequence[Article]) -> dict[str, list[Stance]]:
    """Fact id -> one stance per article of the story, in the story's article order."""
    facts, groups, parts = drafts.facts, drafts.groups, drafts.parts
    sentences = [body_sentences(a) for a in articles]
    vectors = [_sentence_vectors(a, kept) for a, kept in zip(articles, sentences, strict=True)]
    pairs: list[tuple[int, int]] = []
    for f, fact in enumerate(facts):
        stated = {u.article.id for u in groups[fact.id].units}
        pairs += [(f, a) for a, article in enumerate(articles) if article.id not in stated and sentences[a]]
    decisions: dict[tuple[int, int], StanceDecision] = {}
    if pairs:
        known = all(v is not None for v in vectors)
        decided = decide_on_sentences(
            [f.text for f in facts],
            [[s.text for s in kept] for kept in sentences],
            pairs,
            claim_vectors=np.stack([_fact_vector(groups[f.id]) for f in facts]) if known else None,
            article_vectors=[v for v in vectors if v is not None] if known else None,
        )
        decisions = dict(zip(pairs, decided, strict=True))
    denials = _denials(facts, groups, articles, sentences)
    found: dict[str, list[Stance]] = {}
    for f, fact in enumerate(facts):
        supporting = {u.article.id: u for u in groups[fact.id].units}
        found[fact.id] = [
            _supporting_stance(supporting[article.id], parts[supporting[article.id].key])
            if article.id in supporting
            else denials.get((f, a)) or _other_stance(article, sentences[a], decisions.get((f, a)))
            for a, article in enumerate(articles)
        ]
    return found
