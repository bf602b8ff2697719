"""The annotate stage on the seed reports: sentences, headings, truncation, entities, language, vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import SEED_DATE
from storyweave.model import Article
from storyweave.pipeline import annotate_all, read_and_clean


@pytest.fixture(scope="module")
def articles(seeds_dir: Path) -> dict[str, Article]:
    found, _ = read_and_clean([str(seeds_dir)], SEED_DATE, lambda _s: None)
    annotate_all(found, lambda *_: None)
    return {Path(a.path).name[:3]: a for a in found}


def test_sentence_offsets_slice_the_cleaned_text(articles: dict[str, Article]) -> None:
    for article in articles.values():
        assert article.sentences
        for sentence in article.sentences:
            assert article.text[sentence.start : sentence.end] == sentence.text
            assert sentence.text == sentence.text.strip()


def test_subheads_are_their_own_sentences_and_marked(articles: dict[str, Article]) -> None:
    headings = [s.text for s in articles["004"].sentences if s.heading]
    assert "Talks Follow Venezuela Operation" in headings
    assert "Regional Stakes High" in headings
    lead = articles["004"].sentences[0]
    assert not lead.heading and lead.text.startswith("US President Donald Trump has said")


def test_the_cut_off_sentence_is_marked(articles: dict[str, Article]) -> None:
    cut = [s for s in articles["002"].sentences if s.truncated]
    assert [s.text[-9:] for s in cut] == ["noting he"]


def test_entities_language_and_lead_vector(articles: dict[str, Article]) -> None:
    for article in articles.values():
        assert article.language == "en"
        for mention in article.mentions:
            assert article.text[mention.start : mention.end] == mention.text
        assert article.vector is not None and article.vector.shape == (384,)
        assert abs(float(np.linalg.norm(article.vector)) - 1.0) < 1e-5
        assert article.vectors is None  # sentence vectors are made per story, in the analysis
    people = {m.text for m in articles["004"].mentions if m.label == "PERSON"}
    assert {"Donald Trump", "Gustavo Petro", "Scott Bessent"} <= people
    # Reports of one story are close; the lead vectors are what grouping compares.
    assert float(articles["001"].vector @ articles["003"].vector) > 0.6
