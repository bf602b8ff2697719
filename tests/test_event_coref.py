"""Cross-document event coreference (storyweave.analysis.event_coref) on real sentences, through the real
spaCy pipeline, sentence encoder and the shipped weights."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from storyweave.analysis import event_coref as ec
from storyweave.analysis.event_lexicon import related, same_word
from storyweave.analysis.timex import find_time_expressions

PUBLISHED = dt.date(2026, 1, 8)

REPORTS = {
    # doc id: (sentence, event word)
    "a": ("Trump spoke by phone with Petro on Wednesday after weeks of tension.", "spoke"),
    "b": (
        "The 35-minute call between Trump and Petro on Wednesday was cordial, Petro's office said.",
        "call",
    ),
    "c": ("The earthquake killed 30 people in the north of the country.", "killed"),
    "d": ("Police arrested a suspect in the robbery on Friday.", "arrested"),
    "e": ("Officers detained the suspected robber on Friday, police said.", "detained"),
}


@pytest.fixture(scope="module")
def mentions() -> dict[str, ec.EventMention]:
    from storyweave.nlp.pipeline import get_nlp
    from storyweave.nlp.vectors import get_encoder

    nlp = get_nlp()
    tokens = {}
    for doc_id, (sentence, word) in REPORTS.items():
        tokens[doc_id] = next(t for t in nlp(sentence) if t.text == word)
    sentences = get_encoder().encode([t.sent.text.strip() for t in tokens.values()])
    contexts = ec.encode_contexts(list(tokens.values()))
    # Dates resolved as the product resolves them, against each report's publication date.
    times = {
        doc_id: frozenset(
            e.value
            for e in find_time_expressions(token.sent.text, PUBLISHED)
            if e.value and "T" not in e.value
        )
        for doc_id, token in tokens.items()
    }
    return {
        doc_id: ec.event_mention(doc_id, token, vector=sentences[i], context=contexts[i], times=times[doc_id])
        for i, (doc_id, token) in enumerate(tokens.items())
    }


def test_shipped_weights_load_and_match_the_features() -> None:
    model = ec.load_model()
    assert model.mean.shape == (len(ec.FEATURE_NAMES),)
    assert 0.0 < model.threshold < 1.0
    assert model.threshold == ec.COREF_THRESHOLD


def test_mentions_carry_their_parts(mentions: dict[str, ec.EventMention]) -> None:
    assert mentions["a"].predicate == "speak" and mentions["a"].pos == "VERB"
    assert mentions["b"].predicate == "call" and mentions["b"].pos == "NOUN"
    assert {"trump", "petro"} <= mentions["a"].participants
    assert "2026-01-07" in mentions["a"].times & mentions["b"].times
    assert "suspect" in mentions["d"].participants
    assert mentions["a"].vector is not None and abs(float(np.linalg.norm(mentions["a"].vector)) - 1) < 1e-3


def test_a_phone_conversation_and_the_call_corefer(mentions: dict[str, ec.EventMention]) -> None:
    scores = ec.coref_scores([mentions["a"], mentions["b"]])
    assert scores[0, 1] == scores[1, 0] >= ec.COREF_THRESHOLD
    assert ec.cluster_mentions([mentions["a"], mentions["b"]]) == [[0, 1]]


def test_an_earthquake_and_an_arrest_do_not(mentions: dict[str, ec.EventMention]) -> None:
    scores = ec.coref_scores([mentions["c"], mentions["d"]])
    assert scores[0, 1] < ec.COREF_THRESHOLD
    assert ec.cluster_mentions([mentions["c"], mentions["d"]]) == [[0], [1]]


def test_clusters_are_deterministic_and_independent_of_order(mentions: dict[str, ec.EventMention]) -> None:
    items = list(mentions.values())
    expected = ec.cluster_mentions(items)
    as_sets = sorted(sorted(items[i].doc for i in group) for group in expected)
    assert ["a", "b"] in as_sets and ["c"] in as_sets
    assert ["d", "e"] in as_sets  # arrested / detained the suspect on Friday
    for permutation in itertools.permutations(range(len(items))):
        shuffled = [items[i] for i in permutation]
        groups = ec.cluster_mentions(shuffled)
        assert sorted(sorted(shuffled[i].doc for i in group) for group in groups) == as_sets
    assert ec.cluster_mentions(items) == expected


def test_scores_are_a_symmetric_probability_matrix(mentions: dict[str, ec.EventMention]) -> None:
    scores = ec.coref_scores(list(mentions.values()))
    assert np.allclose(scores, scores.T)
    assert np.all((scores >= 0) & (scores <= 1)) and np.allclose(np.diag(scores), 1.0)


def test_lexicon_relates_verbs_and_their_nouns() -> None:
    assert related("call", "phone") and related("speak", "conversation")
    assert related("capture", "arrest") and related("revoke", "revocation")
    assert related("announce", "announcement") and related("quake", "earthquake")
    assert related("kill", "death")
    assert not related("earthquake", "arrest") and not related("call", "kill")
    assert same_word("checks", "check") and same_word("escaped", "escape") and not same_word("fall", "fail")


def test_time_relation_reads_timeml_values() -> None:
    assert ec.time_relation(frozenset({"2026-01-07"}), frozenset({"2026-W02"})) == "overlap"
    assert ec.time_relation(frozenset({"2026-01"}), frozenset({"2025-10-03"})) == "conflict"
    assert ec.time_relation(frozenset({"2026-01-07"}), frozenset()) == "unknown"
    assert ec.time_relation(frozenset({"PRESENT_REF"}), frozenset({"2026"})) == "unknown"
