"""The clause-tense guess behind weekday and month resolution, on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from storyweave.analysis.timex_tense import clause_tense, parse_tense

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    from storyweave.nlp.pipeline import get_nlp

    return get_nlp()


@pytest.mark.parametrize(
    ("before", "after", "tense"),
    [
        ("The ministry said ", " it had no comment.", "past"),  # nearest verb before: said
        ("Petro will meet Trump on ", ".", "future"),
        ("The two delegations meet again ", " in Havana.", "future"),  # scheduling present
        ("The dividend will be paid ", " to holders of record.", "future"),  # future passive
        ("The offer had been due to expire ", ".", "past"),  # pluperfect plan
        ("The ministers agreed to meet ", ".", "future"),  # "to meet": a plan, still ahead
        ("The committee did not meet ", ".", "past"),  # "did" carries the tense, not "meet"
        ("", ", the senate approved the budget.", "past"),  # fronted adjunct: the verb after
        ("", "'s session is expected to be calm.", None),  # possessive: the verb is its noun's
        ("Officials said that on ", " the troops will withdraw.", "future"),  # "that" opens a new clause
        ("The group, which is based in Bogota and has members in six provinces, met ", ".", "past"),
        ("Traders were cautious ahead of ", "", "past"),
        ("Markets in Bogota ", "", None),
    ],
)
def test_clause_tense(before: str, after: str, tense: str | None) -> None:
    assert clause_tense(before, after) == tense


@pytest.mark.parametrize(
    ("sentence", "expression", "tense"),
    [
        ("The ministers met on Monday.", "Monday", "past"),
        ("The ministers will meet on Monday.", "Monday", "future"),
        ("The ministers agreed to meet on Monday.", "Monday", "future"),
        ("The dividend will be paid Dec. 14.", "Dec. 14", "future"),
    ],
)
def test_the_parse_gives_the_governing_verbs_tense(
    nlp: Language, sentence: str, expression: str, tense: str
) -> None:
    start = sentence.index(expression)
    assert parse_tense(nlp(sentence), start, start + len(expression)) == tense
