"""Framing: the loaded or evaluative words an outlet uses, in its own voice, where others are neutral.

NeuS (Lee et al. 2022) shows that outlets frame one event mostly through word choice: "lashed out",
"slammed", "saber-rattling" where another outlet writes "said" or "warned". A word from the list
below counts only outside quotation marks (a quoted word is the speaker's, not the outlet's). When
the sentence states a fact other outlets also state, their wording of the same fact (the main verb
and its particle) is shown beside it, so a reader sees the loaded word against the neutral one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from storyweave.model import Article, Fact, FactGroup, FramingTerm, Wording

# Hand-written from the framing-bias examples of the NeuS paper and the AllSides bias guide: verbs of
# speaking that judge the speaker, and nouns/adjectives that judge the event. A word list, not a
# tuned threshold; extend it by adding patterns.
LOADED = (
    r"lash(?:es|ed|ing)? out",
    r"hit(?:s|ting)? out",
    r"slam(?:s|med|ming)?",
    r"blast(?:s|ed|ing)?",
    r"lambast(?:s|ed|ing)?",
    r"berat(?:e|es|ed|ing)",
    r"rail(?:s|ed|ing)? against",
    r"fum(?:e|es|ed|ing)",
    r"rant(?:s|ed|ing)?",
    r"tirade",
    r"diatribe",
    r"mock(?:s|ed|ing)?",
    r"taunt(?:s|ed|ing)?",
    r"scold(?:s|ed|ing)?",
    r"gloat(?:s|ed|ing)?",
    r"brag(?:s|ged|ging)?",
    r"cav(?:e|es|ed|ing) in",
    r"sab(?:er|re)-rattling",
    r"war of words",
    r"spat",
    r"feud(?:s|ing)?",
    r"showdown",
    r"bombshell",
    r"meltdown",
    r"fiasco",
    r"debacle",
    r"chao(?:s|tic)",
    r"disastrous",
    r"outrageous",
    r"shocking",
    r"stunning",
    r"bizarre",
    r"unhinged",
    r"furious(?:ly)?",
    r"fiery",
    r"bitter(?:ly)?",
    r"explosive",
    r"scathing",
    r"blistering",
    r"incendiary",
    r"inflammatory",
    r"draconian",
    r"brutal",
    r"regime",
    r"thugs?",
    r"radical",
    r"extremists?",
    r"far-(?:left|right)",
    r"hard-?line(?:rs?)?",
    r"witch hunt",
    r"crackdown",
    r"ploy",
    r"stunt",
    r"scheme",
    r"propaganda",
    r"denounc(?:e|es|ed|ing)",
)
LOADED_RE = re.compile(r"\b(?:" + "|".join(LOADED) + r")\b", re.IGNORECASE)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def _neutral_wording(article: Article, start: int, end: int) -> str | None:
    """The main verb of a statement (with its particle): how this outlet reports the same fact."""
    doc = article.doc
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if span is None:
        return None
    root = span.root
    if root.pos_ not in ("VERB", "AUX"):
        return None
    particles = [c.text for c in root.children if c.dep_ == "prt"]
    return " ".join([root.text, *particles])


def find_framing(
    articles: Sequence[Article], facts: Sequence[Fact], groups: Mapping[str, FactGroup]
) -> list[FramingTerm]:
    """Every loaded word each article uses outside quotations, with the other outlets' wording."""
    fact_of: dict[tuple[str, int], Fact] = {}
    for stated in facts:
        for support in stated.support:
            fact_of.setdefault((support.article, support.sentence), stated)
    terms: list[FramingTerm] = []
    for article in articles:
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(article.text)]
        for sentence in article.sentences:
            text = article.text[sentence.start : sentence.end]
            for match in LOADED_RE.finditer(text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if any(a <= start < b for a, b in quoted):
                    continue
                fact = fact_of.get((article.id, sentence.index))
                others: list[Wording] = []
                if fact is not None:
                    for unit in groups[fact.id].units:
                        if unit.article.id == article.id:
                            continue
                        unit_text = unit.article.text[unit.start : unit.end]
                        if LOADED_RE.search(unit_text):
                            continue  # loaded too: not a neutral counterpart
                        wording = _neutral_wording(unit.article, unit.start, unit.end)
                        if wording:
                            others.append(Wording(article=unit.article.id, text=wording))
                terms.append(
                    FramingTerm(
                        article=article.id,
                        text=match.group(0),
                        sentence=sentence.index,
                        start=start,
                        end=end,
                        fact=fact.id if fact else None,
                        others=others,
                    )
                )
    return terms
