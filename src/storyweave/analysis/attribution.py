"""Who said something: one decision for quotes, facts, stances and contradictions.

A statement's source is the subject of its speech verb ("Petro said ..."), the agent of a passive one, or
X in "according to X"; "he"/"she" is the person last named as a subject, a title ("the minister") the
person last named with it, an institution ("the Colombian embassy") is named as written and tied to its
country. The quote stage resolves the subject of a quote's cue with :class:`SpeakerResolver`; the facts
stage asks :func:`statement_source` for the source of an attributed statement; both go through the same
resolver, so a pronoun or a title means the same person in every part of the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyweave.analysis.entities import TITLES, EntityIndex
from storyweave.analysis.lexicon import PERSON_PRONOUNS, SPEECH_VERBS, fold
from storyweave.model import Article, Entity, Speaker

if TYPE_CHECKING:  # pragma: no cover - typing only; spaCy is imported by nlp/ alone
    from spacy.tokens import Span, Token

# Institutions that speak for a country or government: named as written ("Colombian embassy").
_INSTITUTION_WORDS = (
    "government embassy ministry presidency administration department office army military police cabinet "
    "parliament congress senate court spokesman spokeswoman spokesperson authorities officials"
)
INSTITUTIONS = frozenset(_INSTITUTION_WORDS.split())
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_SUBJECT_MODIFIERS = frozenset({"compound", "amod", "det", "poss", "nmod", "flat", "case", "punct", "nummod"})


class SpeakerResolver:
    """Turns the subject of a cue into a speaker, remembering who was last named as a subject."""

    def __init__(self, article: Article, entities: EntityIndex, quoted: list[tuple[int, int]]) -> None:
        self.article = article
        self.entities = entities
        self.subjects: list[tuple[int, Entity]] = []  # (offset, person) of subjects outside quotes
        doc = article.doc
        assert doc is not None
        for token in doc:
            if token.dep_ not in _SUBJECT_DEPS or any(s <= token.idx < e for s, e in quoted):
                continue
            person = self._adjacent_name(token) if token.lower_ in PERSON_PRONOUNS else self._person(token)
            if person is None and token.pos_ == "NOUN":
                # "Trump's tough rhetoric was not isolated … He has also threatened …": whose words or
                # deeds a sentence is about is who its next "he" names.
                owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
                person = self._person(owner) if owner is not None else None
            if person is not None and person.type == "PERSON":
                self.subjects.append((token.idx, person))

    def _mention_entity(self, token: Token) -> Entity | None:
        for mention in self.article.mentions:
            if mention.start <= token.idx < mention.end:
                return self.entities.at(self.article.id, mention.start)
        return None

    def _phrase(self, token: Token) -> tuple[int, int, str]:
        """The noun phrase of a subject: its head with the modifiers before it ("the Colombian leader")."""
        left = token
        for child in token.lefts:
            if child.dep_ in _SUBJECT_MODIFIERS:
                left = min(left, child.left_edge, key=lambda t: t.i)
        end = token.idx + len(token.text)
        for child in token.rights:  # "Department of State", "embassy in the US"
            if child.dep_ in ("prep", "compound", "flat", "appos") and child.i - token.i <= 4:
                end = max(end, child.right_edge.idx + len(child.right_edge.text))
        text = self.article.text[left.idx : token.idx + len(token.text)]
        return left.idx, end, text

    def span(self, token: Token) -> tuple[int, int]:
        """Offsets of the phrase a subject token heads, as written in the article."""
        start, end, _ = self._phrase(token)
        end = max(end, token.idx + len(token.text))
        text = self.article.text
        if text[start:end].count("(") > text[start:end].count(")") and text[end : end + 1] == ")":
            end += 1  # "Gov. John Kasich (R-OH)"
        return start, end

    def _named(self, token: Token) -> Entity | None:
        """The entity a name token belongs to: its NER mention, else the name looked up in the index
        (the small model often misses "Petro" as a subject)."""
        entity = self._mention_entity(token)
        if entity is None and token.pos_ == "PROPN":
            entity = self.entities.resolve(self._phrase(token)[2])
        return entity

    def _person(self, token: Token) -> Entity | None:
        """The person a subject names: itself, a name in apposition ("president Delcy Rodríguez"), a role."""
        entity = self._named(token)
        if entity is None:
            # "president Delcy Rodríguez"; but "the Trump administration" is not Trump.
            titled = fold(token.text) in TITLES
            for child in token.children:
                named_by = child.dep_ == "appos" or (titled and child.dep_ in ("compound", "flat"))
                if child.pos_ == "PROPN" and named_by:
                    entity = self._named(child)
                    if entity is not None:
                        break
        if entity is None and token.pos_ == "NOUN":
            entity = self.entities.resolve_description(self._phrase(token)[2])
        return entity if entity is not None and entity.type == "PERSON" else None

    def _adjacent_name(self, token: Token) -> Entity | None:
        """ "Scott Bessent He announced", "Mr Trump he said": a name right before a pronoun is what it
        repeats (rewritten and garbled text does this); repeated pronouns ("He He wrote") are skipped."""
        doc = token.doc
        i = token.i - 1
        while i >= 0 and doc[i].lower_ == token.lower_:
            i -= 1
        if i < 0 or doc[i].pos_ != "PROPN" or "\n" in doc[i].whitespace_:
            return None
        entity = self._named(doc[i])
        return entity if entity is not None and entity.type in ("PERSON", "ORG") else None

    def pronoun(self, offset: int) -> Speaker:
        """ "he"/"she": the person most recently named as a subject before the pronoun."""
        earlier = [entity for start, entity in self.subjects if start < offset]
        if not earlier:
            return Speaker(None, None)
        return Speaker(entity=earlier[-1].id, name=earlier[-1].name)

    def speaker(self, token: Token) -> Speaker:
        """The speaker a subject token names, or ``Speaker(None, None)`` when it names nobody known."""
        if token.lower_ in PERSON_PRONOUNS:
            adjacent = self._adjacent_name(token)
            if adjacent is not None:
                return Speaker(entity=adjacent.id, name=adjacent.name)
            return self.pronoun(token.idx)
        if token.lower_ in ("who", "that") and token.head.dep_ == "relcl":
            return self.speaker(token.head.head)
        if token.pos_ == "PRON":
            return Speaker(None, None)
        start, end, text = self._phrase(token)
        entity = self._named(token)
        if entity is not None and entity.type in ("PERSON", "ORG"):
            return Speaker(entity=entity.id, name=entity.name)
        if token.lemma_.lower() in INSTITUTIONS or token.lower_ in INSTITUTIONS:
            return self._institution(start, token, entity)
        if entity is None:
            entity = self.entities.resolve(text) or self._titled(token)
        if entity is None:
            spanned = self.entities.in_span(self.article, start, end)
            people = [e for e in spanned if e.type in ("PERSON", "ORG")]
            entity = people[0] if len(people) == 1 else None
        if entity is None:
            return Speaker(None, None)
        return Speaker(entity=entity.id, name=entity.name)

    def _titled(self, token: Token) -> Entity | None:
        """ "the minister" -> the person last named with that title before it ("Minister Anna Berg")"""
        if token.pos_ not in ("NOUN", "PROPN") or fold(token.text) not in TITLES:
            return None
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            return None
        for mention in reversed(self.article.mentions):
            if mention.start >= token.idx or mention.label != "PERSON":
                continue
            before = fold(self.article.text[max(0, mention.start - 40) : mention.start]).split()[-3:]
            if fold(token.text) in before:
                entity = self.entities.at(self.article.id, mention.start)
                if entity is not None and entity.type == "PERSON":
                    return entity
        return None

    def _institution(self, start: int, token: Token, entity: Entity | None) -> Speaker:
        """ "the Colombian embassy" -> named as written, tied to Colombia when the story knows it."""
        end = token.idx + len(token.text)
        phrase = self.article.text[start:end]
        words_ = phrase.split()
        if words_ and words_[0].lower() in ("the", "a", "an"):
            words_ = words_[1:]
        name = " ".join(words_)
        if entity is None or entity.type not in ("GPE", "ORG"):
            entity = None
            for found in self.entities.in_span(self.article, start, end):
                country = self._country(found)
                if country is not None:
                    entity = country
                    break
        if entity is None and not self.entities.in_span(self.article, start, end):
            return Speaker(None, None)  # "officials", "the government": whose, the text does not say
        return Speaker(entity=entity.id if entity else None, name=name or None)

    def _country(self, entity: Entity) -> Entity | None:
        """A place for a place; for a demonym ("Colombian") the place it names, when the story has it."""
        if entity.type == "GPE":
            return entity
        if entity.type != "NORP":
            return None
        base = fold(entity.name)
        for candidate in (base[:-1], base[:-2], base[:-3] + "a", base[:-2] + "a", base[:-1] + "a"):
            found = self.entities.by_key.get(candidate)
            if found is not None and found.type == "GPE":
                return found
        return None


def according_to(tokens: Sequence[Token]) -> Token | None:
    """X in "…, according to X": the object of "to" after "according"."""
    for token in tokens:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
            objects = [c for c in token.nbor().children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def source_token(span: Span) -> tuple[Token, Token] | None:
    """The (speech verb or "according", subject) of an attributed statement, if the span has one.

    The speech verb must govern a clause or sit at the span's root: "Trump said he spoke with Petro"
    is Trump's statement; "Petro, who had called to explain …" is nobody's.
    """
    source = according_to(list(span))
    if source is not None:
        return source.head.head, source
    for token in span:
        if token.pos_ != "VERB" or token.lemma_.lower() not in SPEECH_VERBS:
            continue
        if token is not span.root and not any(c.dep_ in ("ccomp", "parataxis") for c in token.children):
            continue
        subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None:
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if subject is not None:
            return token, subject
    return None


def statement_source(resolver: SpeakerResolver, span: Span) -> Speaker | None:
    """Whom the statement in ``span`` is attributed to, resolved to a story entity where one is known;
    None when the outlet states it in its own voice."""
    found = source_token(span)
    if found is None:
        return None
    speaker = resolver.speaker(found[1])
    if speaker.entity is None and speaker.name is None:
        return Speaker(None, resolver.article.text[slice(*resolver.span(found[1]))] or None)
    return speaker
