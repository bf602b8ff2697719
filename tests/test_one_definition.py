"""Each shared decision is defined once: the word lists and folding in ``analysis.lexicon``, who said a
statement in ``analysis.attribution``, date arithmetic in ``analysis.calendar``, grouping's stop words
(spaCy's) in ``nlp.stopwords``. The analyses import
them; no module keeps a copy of its own (copies drift as soon as one is tuned)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from types import ModuleType

import storyweave
from storyweave.analysis import attribution, calendar, lexicon
from storyweave.nlp import stopwords

# The names earlier versions gave their private copies: none may come back.
OLD_NAMES = re.compile(
    r"^_?(SPEECH_VERBS?|SAY_VERBS|NEGATIONS?|NEGATION_WORDS|STOP_?WORDS|VAGUE_UNITS|UNITS_VAGUE"
    r"|CUE_VERBS|REPORT_VERBS|_?fold|_?fold_words|_?fold_text|normali[sz]e_name|date_range|week_range"
    r"|month_range)$"
)


def _modules() -> list[ModuleType]:
    found = []
    for info in pkgutil.walk_packages(storyweave.__path__, "storyweave."):
        if info.name.startswith(("storyweave.scale.ray", "storyweave.web")):
            continue  # Ray and the web server import heavy packages; they define no word list
        found.append(importlib.import_module(info.name))
    return found


def test_the_shared_lists_and_functions_have_one_definition() -> None:
    homes = {lexicon, attribution, calendar, stopwords}
    copies = []
    for module in _modules():
        if module in homes:
            continue
        for name, value in vars(module).items():
            if not OLD_NAMES.match(name):
                continue
            defined_here = (
                inspect.getmodule(value) is module
                if inspect.isfunction(value)
                else all(value is not getattr(home, name, None) for home in homes)
            )
            if defined_here:
                copies.append(f"{module.__name__}.{name}")
    assert copies == []


def test_the_analyses_use_the_one_lexicon_attribution_and_calendar() -> None:
    from storyweave.analysis import contradictions, details, facts, quality, quotes, same_fact, timeline

    assert quality.SPEECH_VERBS is lexicon.SPEECH_VERBS is attribution.SPEECH_VERBS
    assert same_fact.NEGATION_WORDS is contradictions.NEGATION_WORDS is lexicon.NEGATION_WORDS
    assert details.VAGUE_UNITS is lexicon.VAGUE_UNITS
    assert quotes.SpeakerResolver is facts.SpeakerResolver is attribution.SpeakerResolver
    assert contradictions.date_range is timeline.date_range is calendar.date_range
    # The lexicon's folding is what makes two spellings one name.
    assert lexicon.fold("Nicolás  Maduro") == lexicon.fold("nicolas maduro")
    assert lexicon.fold_words("“Sounds good.”") == lexicon.fold_words("sounds good")
