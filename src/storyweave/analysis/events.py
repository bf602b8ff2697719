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
        actor = entities.at(best.article.id, subject.idx) or _entity_in(subject, best, entities)
        if actor is None:
            continue
        target = None
        for child in children:
            if child.dep_ in ("dobj", "dative"):
                target = _entity_in(child, best, entities)
            elif child.dep_ == "prep" and child.lower_ in ("with", "on", "against", "to"):
                target = next(
                    (_entity_in(g, best, entities) for g in child.children if g.dep_ == "pobj"), None
                )
            if target is not None and target.id != actor.id:
                break
            target = None
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


def _entity_in(token: Token, unit: Unit, entities: EntityIndex) -> Entity | None:
    """The entity named inside a token's subtree, if any."""
    subtree = list(token.subtree)
    start, end = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
    found = entities.in_span(unit.article, start, end)
    return found[0] if found else None
