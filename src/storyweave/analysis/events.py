"""Events: who did what to whom, coded with the PLOVER ontology, once per claim rather than per report.

Each claim's best statement is parsed: its main verb gives the action, the verb's subject the actor
and its object the target, both resolved to story entities. Precision first: negated and
hypothetical statements ("would", "could", "if") are not coded as things that happened, and a
statement whose actor is not a known entity is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from storyweave.analysis.claims import ClaimGroup
from storyweave.analysis.entities import EntityIndex
from storyweave.analysis.units import Unit
from storyweave.model import Claim, Entity, Event

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

# Verb lemma -> PLOVER category. A first lexicon, read off news verbs; issue 4 measures it.
PLOVER_VERBS: dict[str, str] = {
    **dict.fromkeys(["agree", "sign", "accept", "settle"], "AGREE"),
    **dict.fromkeys(
        ["speak", "call", "meet", "talk", "discuss", "visit", "host", "consult", "hold"], "CONSULT"
    ),
    **dict.fromkeys(["support", "praise", "endorse", "welcome", "appreciate", "back"], "SUPPORT"),
    **dict.fromkeys(["concede", "apologize", "apologise", "ease", "release"], "CONCEDE"),
    **dict.fromkeys(["cooperate", "coordinate", "arrange", "partner"], "COOPERATE"),
    **dict.fromkeys(["aid", "help", "donate", "provide"], "AID"),
    **dict.fromkeys(["withdraw", "retreat", "evacuate"], "RETREAT"),
    **dict.fromkeys(["ask", "request", "urge", "demand", "appeal"], "REQUEST"),
    **dict.fromkeys(
        ["accuse", "criticize", "criticise", "blame", "denounce", "condemn", "label", "lash"], "ACCUSE"
    ),
    **dict.fromkeys(["reject", "deny", "refuse", "dismiss"], "REJECT"),
    **dict.fromkeys(["threaten", "warn"], "THREATEN"),
    **dict.fromkeys(["protest", "demonstrate", "march"], "PROTEST"),
    **dict.fromkeys(["sanction", "revoke", "decertify", "impose", "ban", "expel"], "SANCTION"),
    **dict.fromkeys(["deploy", "mobilize", "mobilise"], "MOBILIZE"),
    **dict.fromkeys(["seize", "capture", "arrest", "detain", "raid"], "COERCE"),
    **dict.fromkeys(["attack", "strike", "bomb", "kill", "shoot"], "ASSAULT"),
}
# Position of each category on a cooperation (+) to conflict (-) scale.
PLOVER_SCALE: dict[str, float] = {
    "AGREE": 0.8,
    "CONSULT": 0.5,
    "SUPPORT": 0.6,
    "CONCEDE": 0.7,
    "COOPERATE": 0.8,
    "AID": 0.9,
    "RETREAT": 0.4,
    "REQUEST": 0.2,
    "ACCUSE": -0.4,
    "REJECT": -0.3,
    "THREATEN": -0.6,
    "PROTEST": -0.5,
    "SANCTION": -0.7,
    "MOBILIZE": -0.6,
    "COERCE": -0.8,
    "ASSAULT": -1.0,
}
HYPOTHETICAL = frozenset({"would", "could", "might", "may", "should"})
FORCE_CODES = frozenset({"ASSAULT", "COERCE", "SANCTION"})
TARGET_PREPOSITIONS = frozenset({"with", "on", "against", "to"})
TARGET_TYPES = frozenset({"PERSON", "ORG", "GPE"})
TYPE_RANK = {"PERSON": 0, "ORG": 1, "GPE": 2}


def extract_events(
    claims: Sequence[Claim], groups: Mapping[str, ClaimGroup], entities: EntityIndex
) -> list[Event]:
    """One event per claim whose main verb, actor and category are known."""
    events: list[Event] = []
    for claim in claims:
        group = groups[claim.id]
        best = next((u for u in group.units if u.text == claim.text), group.units[0])
        doc = best.article.doc
        if doc is None:
            continue
        span = doc.char_span(best.start, best.end, alignment_mode="expand")
        if span is None:
            continue
        verb = span.root
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        code = PLOVER_VERBS.get(verb.lemma_.lower())
        if code is None:
            continue
        children = list(verb.children)
        if any(c.dep_ == "neg" for c in children) or any(c.lower_ in HYPOTHETICAL for c in children):
            continue
        if any(c.dep_ == "mark" and c.lower_ == "if" for c in children):
            continue
        subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            continue
        actor = _entity_at(subject, best, entities) or _entity_in(subject, best, entities)
        if actor is None:
            continue
        target = _target(verb, subject, best, entities, actor)
        if code in FORCE_CODES and target is None:
            continue  # "struck a conciliatory tone" is no assault: force needs someone it was used on
        events.append(
            Event(
                actor=actor.name,
                action=verb.lemma_.lower(),
                code=code,
                target=target.name if target else None,
                date=claim.date,
                articles=sorted({s.article for s in claim.support}),
                claim=claim.id,
                scale=PLOVER_SCALE[code],
            )
        )
    events.sort(key=lambda e: (e.date or "9999", e.actor or "", e.code, e.claim or ""))
    return events


def _entity_at(token: Token, unit: Unit, entities: EntityIndex) -> Entity | None:
    """The entity whose mention covers this token ("Trump" in "US President Donald Trump")."""
    for mention in unit.article.mentions:
        if mention.start <= token.idx < mention.end:
            return entities.at(unit.article.id, mention.start)
    return None


def _target(verb: Token, subject: Token, unit: Unit, entities: EntityIndex, actor: Entity) -> Entity | None:
    """Whom the action is aimed at: the object if it names an entity, else a "with/against/to/on" phrase
    of the verb, else a second subject ("Trump and Petro held a call": Petro is the other party).

    Only the object's own words count: in "struck a conciliatory tone on Truth Social" the phrase hangs
    on "tone", so nobody is struck.
    """
    candidates: list[Entity | None] = []
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    for obj in objects:  # the object's own words, not phrases hung on it ("a tone on Truth Social")
        head = obj.left_edge.idx, obj.idx + len(obj.text)
        candidates.append(_entity_at(obj, unit, entities) or _best(entities.in_span(unit.article, *head)))
        if obj.lemma_.lower() in PLOVER_VERBS:  # an action noun: "imposed sanctions on Petro"
            candidates.extend(_prep_targets(obj, unit, entities))
    candidates.extend(_prep_targets(verb, unit, entities))
    candidates.extend(_entity_at(c, unit, entities) for c in subject.subtree if c.dep_ == "conj")
    for candidate in candidates:
        if candidate is not None and candidate.id != actor.id and candidate.type in TARGET_TYPES:
            return candidate
    return None


def _prep_targets(token: Token, unit: Unit, entities: EntityIndex) -> list[Entity | None]:
    preps = (c for c in token.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS)
    return [_entity_in(g, unit, entities) for prep in preps for g in prep.children if g.dep_ == "pobj"]


def _best(found: Sequence[Entity]) -> Entity | None:
    """People before organisations before places: "US President Donald Trump" is Trump, not the US."""
    ranked = sorted(enumerate(found), key=lambda pair: (TYPE_RANK.get(pair[1].type, 9), pair[0]))
    return ranked[0][1] if ranked else None


def _entity_in(token: Token, unit: Unit, entities: EntityIndex) -> Entity | None:
    """The entity named inside a token's subtree, if any."""
    subtree = list(token.subtree)
    start, end = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
    return _best(entities.in_span(unit.article, start, end))
