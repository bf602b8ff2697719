"""Events: who did what to whom, coded with the PLOVER ontology, once per fact rather than per report.

Each fact's best statement is parsed: its main verb gives the action, the verb's subject the actor
and its object the target, both resolved to story entities. Precision first: negated and
hypothetical statements ("would", "could", "if") are not coded as things that happened, and a
statement whose actor is not a known entity is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from storyweave.analysis.calendar import date_range
from storyweave.analysis.details import shared_subject
from storyweave.analysis.entities import EntityIndex
from storyweave.analysis.lexicon import HYPOTHETICAL_WORDS, REPORTING_VERBS
from storyweave.ingest.dateline import dateline_end
from storyweave.model import Dyad, Entity, Event, Fact, FactGroup, TimelineItem, Unit

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

# Verb lemma -> PLOVER category. A first lexicon, read off news verbs; no benchmark measures it yet.
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
FORCE_CODES = frozenset({"ASSAULT", "COERCE", "SANCTION"})
TARGET_PREPOSITIONS = frozenset({"with", "on", "against", "to"})
TARGET_TYPES = frozenset({"PERSON", "ORG", "GPE"})
TYPE_RANK = {"PERSON": 0, "ORG": 1, "GPE": 2}


def extract_events(
    facts: Sequence[Fact],
    groups: Mapping[str, FactGroup],
    entities: EntityIndex,
    timeline: Sequence[TimelineItem] = (),
) -> list[Event]:
    """One event per fact whose main verb, actor and category are known.

    An event's date is its fact's, else the timeline's for that fact (which also knows what is planned:
    "agreed to hold an in-person meeting in the future" is dated FUTURE_REF).
    """
    timeline_dates: dict[str, str] = {}
    for item in timeline:
        if item.fact:
            timeline_dates.setdefault(item.fact, item.date)
    events: list[Event] = []
    for fact in facts:
        for unit in _statements_in_order(fact, groups[fact.id]):
            event = _event_of(unit, fact, entities, timeline_dates)
            if event is not None:
                events.append(event)
                break
    events.sort(key=_time_order)
    return _merge_repeats(events)


def _statements_in_order(fact: Fact, group: FactGroup) -> list[Unit]:
    """The fact's statements, the one its core line was cut from first (most of its words), then the rest in
    the order of the articles: a statement that names its actor only as "he" gives way to the next."""
    words = set(fact.text.split())
    return sorted(group.units, key=lambda u: (-len(words & set(u.text.split())), u.article.id, u.start))


def _event_of(
    unit: Unit, fact: Fact, entities: EntityIndex, timeline_dates: Mapping[str, str]
) -> Event | None:
    """The event one statement of a fact codes, if its verb, actor and category are known."""
    best = unit
    doc = best.article.doc
    if doc is None:
        return None
    skip = dateline_end(best.article.text)  # "Washington, D.C., January 8:" names no actor
    span = doc.char_span(max(best.start, skip), best.end, alignment_mode="expand")
    if span is None:
        return None
    verb, reporter = _reported(span.root)
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    code = _code(verb)
    if code is None:
        return None
    children = list(verb.children)
    if any(c.dep_ == "neg" for c in children) or any(c.lower_ in HYPOTHETICAL_WORDS for c in children):
        return None
    if any(c.dep_ == "mark" and c.lower_ == "if" for c in children):
        return None
    subject = shared_subject(verb, skip=skip)
    pronoun = subject if subject is not None and subject.pos_ == "PRON" else None
    if pronoun is not None and reporter is not None:
        subject = shared_subject(reporter, skip=skip)  # "Trump said he spoke with Petro": he is Trump
    if subject is None:
        return None
    actor = _entity_at(subject, best, entities) or _entity_in(subject, best, entities)
    personal = pronoun is not None and reporter is not None and pronoun.lower_ in ("he", "she")
    if personal and actor is not None and actor.type != "PERSON":
        return None  # "He threatened …, The Hill reported": "he" is not the outlet that reports it
    if actor is None:
        return None
    target = _target(verb, subject, best, entities, actor)
    if code in FORCE_CODES and target is None:
        return None  # "struck a conciliatory tone" is no assault: force needs someone it was used on
    return Event(
        actor=actor.name,
        action=verb.lemma_.lower(),
        code=code,
        target=target.name if target else None,
        date=fact.date or timeline_dates.get(fact.id),
        articles=sorted({s.article for s in fact.support}),
        fact=fact.id,
        scale=PLOVER_SCALE[code],
    )


def _reported(root: Token) -> tuple[Token, Token | None]:
    """The act a statement reports, and the reporting verb: in "Trump said he spoke with Petro by phone" the
    event is the call, not the saying. A negated report ("did not say") reports nothing."""
    if _code(root) is not None or root.lemma_.lower() not in REPORTING_VERBS:
        return root, None
    if any(c.dep_ == "neg" for c in root.children):
        return root, None
    inner = next((c for c in root.children if c.dep_ == "ccomp" and _code(c) is not None), None)
    return (inner, root) if inner is not None else (root, None)


def _code(verb: Token) -> str | None:
    """The verb's PLOVER category; "called on Colombians to defend ..." is an appeal, not a call."""
    lemma = verb.lemma_.lower()
    if lemma == "call" and any(c.dep_ == "prep" and c.lower_ == "on" for c in verb.children):
        return "REQUEST"
    return PLOVER_VERBS.get(lemma)


def _merge_repeats(events: list[Event]) -> list[Event]:
    """One event for the same actor, action, target and date coded from two facts that state the same
    thing (two outlets' wordings the fact stage kept apart): their articles together."""
    merged: dict[tuple[str | None, str, str | None, str | None], Event] = {}
    for event in events:
        key = (event.actor, event.action, event.target, event.date)
        if key in merged:
            kept = merged[key]
            kept.articles = sorted(set(kept.articles) | set(event.articles))
        else:
            merged[key] = event
    return _fold_undated(_fold_nested(list(merged.values())))


def _fold_nested(events: list[Event]) -> list[Event]:
    """The same actor, action and target dated "this week" by one outlet and "Wednesday" by another is one
    event, at the finer date: the wider date joins the narrower one inside it."""
    kept: list[Event] = []
    for event in events:
        span = date_range(event.date) if event.date else None
        finer = None
        if span is not None:
            for other in events:
                inner = date_range(other.date) if other is not event and other.date else None
                same = (other.actor, other.action, other.target) == (event.actor, event.action, event.target)
                if same and inner and span[0] <= inner[0] and inner[1] <= span[1] and inner != span:
                    finer = other
                    break
        if finer is not None:
            finer.articles = sorted(set(finer.articles) | set(event.articles))
            continue
        kept.append(event)
    return kept


def _fold_undated(events: list[Event]) -> list[Event]:
    """An undated event joins the one dated event of the same actor, category and target, when there is
    exactly one ("held their first call" and "spoke by phone this week" are one call); with two or more
    dated candidates it stays apart, since which one it is cannot be told."""
    dated: dict[tuple[str | None, str, str | None], list[Event]] = {}
    for event in events:
        if event.date and event.target:
            dated.setdefault((event.actor, event.code, event.target), []).append(event)
    kept: list[Event] = []
    for event in events:
        candidates = dated.get((event.actor, event.code, event.target), [])
        if not event.date and event.target and len(candidates) == 1:
            candidates[0].articles = sorted(set(candidates[0].articles) | set(event.articles))
            continue
        kept.append(event)
    return kept


def _time_order(event: Event) -> tuple[str, str, str, str, str]:
    """Earliest day first (a month sorts by its first day, so "October" comes before "Sunday" in January);
    planned events (FUTURE_REF) after those, undated events last."""
    span = date_range(event.date) if event.date else None
    start = span[0].isoformat() if span else "9998" if event.date == "FUTURE_REF" else "9999"
    return start, event.date or "", event.actor or "", event.code, event.fact or ""


def build_dyads(events: Sequence[Event]) -> list[Dyad]:
    """For each pair of actors, their events in time order (indexes into ``events``), whichever of the two
    acted: the sanctions, the threats, then the call between Trump and Petro read as one thread.

    Only events with both an actor and a target count; pairs with the most events come first.
    """
    pairs: dict[tuple[str, str], list[int]] = {}
    for index, event in enumerate(events):
        if not event.actor or not event.target or event.actor == event.target:
            continue
        key = (min(event.actor, event.target), max(event.actor, event.target))
        pairs.setdefault(key, []).append(index)
    dyads = [
        Dyad(actors=list(key), events=sorted(idx, key=lambda i: _time_order(events[i])))
        for key, idx in pairs.items()
    ]
    dyads.sort(key=lambda d: (-len(d.events), d.actors))
    return dyads


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
