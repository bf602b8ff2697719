"""The stance decision on real sentences: seed reports of the Trump–Petro call and sentences of our own."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from storyweave.analysis import stance as st

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _seed(prefix: str) -> list[str]:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"seed corpus not found at {SEEDS}")
    return st.split_sentences(files[0].read_text(encoding="utf-8"))


def test_shipped_weights_load_and_match_the_features() -> None:
    data = json.loads(
        resources.files("storyweave.analysis").joinpath(st.WEIGHTS_FILE).read_text(encoding="utf-8")
    )
    assert data["feature_names"] == list(st.FEATURE_NAMES)
    model = st.load_model()
    assert model.mean.shape == model.scale.shape == (len(st.FEATURE_NAMES),)
    assert model.layers[0][0].shape[0] == len(st.FEATURE_NAMES)
    assert model.layers[-1][0].shape[1] == len(st.STANCES) == model.offsets.shape[0]
    rows = model.probabilities(np.zeros((2, len(st.FEATURE_NAMES))))
    assert rows.shape == (2, 4) and np.allclose(rows.sum(axis=1), 1.0)


def test_split_sentences_keeps_paragraphs_and_abbreviations_apart() -> None:
    text = (
        "First line of a report.\n\nU.S. forces moved in. \u201cIt was fast,\u201d he said. 3 people died."
        "\nLast one"
    )
    assert st.split_sentences(text) == [
        "First line of a report.",
        "U.S. forces moved in.",
        "\u201cIt was fast,\u201d he said.",
        "3 people died.",
        "Last one",
    ]


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("The Colombian government confirmed the call, according to a report by The Hill.", "The Hill"),
        ("He said it would provoke resistance, according to The City Paper Bogota.", "The City Paper Bogota"),
        (
            "Ties to cocaine production — claims vehemently denied by Colombia\u2019s government.",
            "Colombia\u2019s government",
        ),
        ("The company is said to plan a smaller phone, sources familiar with the matter said.", "sources"),
        ("Senator Jane Smith claimed the deal was signed in May.", "Senator Jane Smith"),
        ("The bridge was closed on Monday.", None),
    ],
)
def test_claimant_names_who_the_claim_is_attributed_to(sentence: str, who: str | None) -> None:
    assert st.claimant(sentence) == who


def test_denial_of_the_cocaine_accusation_contradicts_it() -> None:
    sentences = _seed("002")
    decision = st.decide_stance(
        "Petro has ties to cocaine production and export to the United States", sentences
    )
    assert decision.stance == "contradicts"
    assert decision.sentence is not None and "denied" in sentences[decision.sentence]
    assert decision.claimant == "Colombia\u2019s government"
    assert 0.0 < decision.score <= 1.0


def test_report_attributed_to_the_hill_reports_the_claim() -> None:
    sentences = _seed("001")
    decision = st.decide_stance("Petro described the 35-minute exchange with Trump as positive", sentences)
    assert decision.stance == "reports_claim"
    assert decision.sentence is not None and "The Hill" in sentences[decision.sentence]
    assert decision.claimant == "The Hill"


def test_unrelated_article_is_silent() -> None:
    sentences = [
        "Heavy rain flooded the low streets of Valencia on Tuesday, and the city closed its schools.",
        "Emergency services rescued dozens of drivers trapped in their cars.",
        "The regional weather office expects more storms before the weekend.",
    ]
    decision = st.decide_stance(
        "Petro has ties to cocaine production and export to the United States", sentences
    )
    assert (decision.stance, decision.sentence, decision.claimant) == ("silent", None, None)
    assert decision.score > 0.5 and decision.similarity < 0.3


def test_own_sentences_state_contradict_and_report() -> None:
    claim = "A rare white lion cub was born at the Berlin Zoo"
    states = [
        "A rare white lion cub was born at the Berlin Zoo on Sunday, keepers announced.",
        "The cub, a female, weighs 1.4 kilograms and is doing well with her mother.",
        "Visitors will be able to see her in the spring.",
    ]
    contradicts = [
        "Pictures of a white lion cub said to be born at the Berlin Zoo are a hoax, the zoo said on Monday.",
        "The zoo has no white lions, and the photo was taken in South Africa years ago, a spokesman said.",
        "The fake story spread widely on social media before it was debunked.",
    ]
    reports = [
        "A rare white lion cub was reportedly born at the Berlin Zoo, according to the tabloid Bild.",
        "The zoo could not be reached for comment, and the report could not be independently verified.",
        "If confirmed, it would be the first such birth in Germany.",
    ]
    decisions = st.decide_stances([claim], [states, contradicts, reports])
    assert [d.stance for d in decisions] == ["states", "contradicts", "reports_claim"]
    assert decisions[1].sentence is not None and "hoax" in contradicts[decisions[1].sentence]
    assert decisions[2].claimant == "the tabloid Bild"


def test_batch_equals_single_decisions_and_is_stable() -> None:
    sentences = _seed("001")
    claims = ["Trump and Petro spoke by phone", "Petro deployed 30,000 soldiers on the border with Venezuela"]
    batch = st.decide_stances(claims, [sentences])
    assert batch == [st.decide_stance(c, sentences) for c in claims]
    assert batch == st.decide_stances(claims, [sentences])
    assert all(d.stance != "silent" for d in batch)


def _seed_articles() -> list[list[str]]:
    files = sorted(SEEDS.glob("*.txt"))
    if len(files) != 5:
        pytest.skip(f"seed corpus not found at {SEEDS}")
    return [st.split_sentences(f.read_text(encoding="utf-8")) for f in files]


def test_every_seed_outlet_takes_a_position_on_the_call_and_none_on_an_earthquake() -> None:
    articles = _seed_articles()
    claims = ["Trump and Petro spoke by phone", "A magnitude 6 earthquake struck Japan on Tuesday"]
    decisions = st.decide_stances(claims, articles)
    call, quake = decisions[:5], decisions[5:]
    assert all(d.stance in ("states", "reports_claim") for d in call)
    for article, decision in zip(articles, call, strict=True):
        assert decision.sentence is not None
        assert any(word in article[decision.sentence] for word in ("phone", "call", "spoke"))
    assert [d.stance for d in quake] == ["silent"] * 5


def test_a_claim_that_is_itself_a_denial_is_not_contradicted_by_its_own_words() -> None:
    articles = _seed_articles()
    decision = st.decide_stance("Petro rejected the accusation", articles[4])
    assert decision.stance != "contradicts" and decision.stance != "silent"


def test_an_empty_article_is_silent() -> None:
    decision = st.decide_stance("Trump and Petro spoke by phone", [])
    assert (decision.stance, decision.sentence, decision.claimant, decision.similarity) == (
        "silent",
        None,
        None,
        0.0,
    )
