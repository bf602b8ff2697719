"""Language id: the languages of news reports, and None when a text says too little."""

from __future__ import annotations

import pytest

from storyweave.nlp.language import detect_language

ENGLISH_ARTICLE = (
    "U.S. President Donald Trump and Colombian President Gustavo Petro spoke by phone this week, marking an "
    "unexpected diplomatic turn in a relationship that has been increasingly hostile over drug policy and "
    "regional security."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (ENGLISH_ARTICLE, "en"),  # long text: low-accuracy (trigram) detector
        ("Relations between Washington and Bogotá have deteriorated over the past year.", "en"),
        ("El presidente colombiano Gustavo Petro habló por teléfono con Donald Trump el miércoles.", "es"),
        (
            "El mandatario estadounidense aseguró que fue un gran honor hablar con el presidente de "
            "Colombia, quien lo llamó para explicar la situación de las drogas y otros desacuerdos.",
            "es",
        ),
        (
            "Le président colombien Gustavo Petro s'est entretenu au téléphone avec Donald Trump mercredi.",
            "fr",
        ),
        (
            "Les relations entre Washington et Bogota se sont dégradées au cours de l'année écoulée, après "
            "la révocation du visa de Gustavo Petro et des sanctions contre son entourage.",
            "fr",
        ),
        ("Der kolumbianische Präsident telefonierte am Mittwoch mit Donald Trump.", "de"),
    ],
)
def test_news_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["ok", "", "   ", "12 345", "—"])
def test_too_short_or_no_letters_gives_none(text: str) -> None:
    assert detect_language(text) is None
