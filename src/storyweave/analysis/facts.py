"""Facts: one event or state, aligned across outlets, with each of its details counted on its own.

A count printed beside a line is a promise about every outlet it cites. So a fact's core line keeps only
what all its supporting outlets state: a detail fewer of them give ("lasting 35 minutes", "first") is cut
from the line and listed as a detail with exactly the outlets that state it. Statements align into facts
by the same-fact decision (``alignment``) and, for paraphrases that share few words, at the event level:
one kind of predicate ("spoke by phone" / "held a call"), a participant in common and related meaning.

This module computes and returns; the story orchestrator decides the final status once contradictions
are known (``finalise_facts``), so no fact is rewritten after it is made.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyweave.analysis.article_vectors import context_vectors
from storyweave.analysis.attribution import SpeakerResolver, statement_source
from storyweave.analysis.details import (
    EVENT_NOUNS,
    VAGUE_PREDICATES,
    FoundDetail,
    Predicate,
    clause_head,
    event_word,
    find_predicate,
    predicate_head,
    removable_span,
    shared_subject,
    statement_details,
    unit_span,
)
from storyweave.analysis.entities import EntityIndex
from storyweave.analysis.event_coref import COREF_THRESHOLD, coref_scores, event_mention
from storyweave.analysis.lexicon import FUNCTION_WORDS
from storyweave.model import (
    Contradiction,
    Detail,
    Fact,
    FactGroup,
    Stance,
    StatementKey,
    Support,
    TimeExpression,
    Unit,
    stable_id,
)

# Event-level alignment: two statements of different outlets with one kind of predicate, a participant or
# argument in common and at least this sentence cosine report one event. Chosen on the seed corpus
# (tests/test_facts.py pins the paraphrased facts) and checked on ECB+ (python bench/facts.py).
EVENT_COSINE = 0.42
# With no rare participant or argument in common, one main predicate and at least this cosine (seeds).
SAME_KIND_COSINE = 0.55
# An entity named by at least this share of a story's outlets (and by three) is a protagonist: sharing it
# says little about two statements being one event; so is a word that many outlets' statements take as a
# subject or object ("petro", "government"). Chosen on the seeds (tests/test_facts.py,
# tests/test_seed_report.py) and checked on ECB+ (python bench/contradictions.py).
PROTAGONIST_SHARE = 0.75
# The score such a pair gets: above the same-fact decision's threshold (0.5), so it starts or joins a
# group, below a strong textual match, so those still join first.
EVENT_SCORE = 0.6
# A statement whose wording ranks at least this (its article's quality score, less 0.5 for a truncated
# sentence) reads clean; among clean ones the shortest is a fact's core line, so the line carries least
# that not every outlet states. The garbled seed rewrite scores 0.33, the clean seeds 0.93-1.00
# (tests/test_seed_report.py); what shorter lines cost the summary: python bench/summary.py.
CLEAN_WORDING = 0.5
# The score of two statements whose doers differ: below any grouping threshold, so they never align.
TWO_EVENTS = -1.0


@dataclass(frozen=True)
class StatementParts:
    """What one statement says, read off its parse: the event, the details, who takes part."""

    predicate: Predicate | None
    details: tuple[FoundDetail, ...]
    participants: tuple[str, ...]  # story entity ids, in order of appearance
    arguments: frozenset[str]  # lemmas of the event's subject and object heads
    agents: frozenset[str] = frozenset()  # the people who do it: its subject's person entities


@dataclass(frozen=True)
class DraftFacts:
    """The story's facts as built, before contradictions and stances are known, with what each is made
    of: the statements of each fact and every statement's parts, which the later analyses read together."""

    facts: list[Fact]
    groups: Mapping[str, FactGroup]  # fact id -> its statements
    parts: Mapping[StatementKey, StatementParts]

    def units(self, fact: Fact) -> list[Unit]:
        """The fact's statements that were read (each has its parts)."""
        return [u for u in self.groups[fact.id].units if u.key in self.parts]


_ARGUMENT_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "prep", "poss", "compound", "agent"}
)


def _arguments(unit: Unit) -> frozenset[str]:
    """Lemmas of who and what take part in any event the statement names: the subjects, objects and
    prepositional objects of its verbs and event nouns ("US forces seized Maduro": force, maduro)."""
    span = unit_span(unit)
    if span is None:
        return frozenset()
    found = set()
    for head in span:
        if not (head.pos_ == "VERB" or (head.pos_ == "NOUN" and _is_event_noun(head))):
            continue
        for child in head.children:
            if child.dep_ not in _ARGUMENT_DEPS:
                continue
            target = child
            if child.dep_ in ("prep", "agent"):
                target = next((c for c in child.children if c.dep_ == "pobj"), child)
            lemma = target.lemma_.lower()
            if target.pos_ in ("NOUN", "PROPN") and lemma not in FUNCTION_WORDS:
                found.add(lemma)
    return frozenset(found)


def statement_parts(
    units: Sequence[Unit],
    entities: EntityIndex,
    dates: Mapping[str, Sequence[TimeExpression]],
) -> dict[StatementKey, StatementParts]:
    """The parts of every statement, with its source resolved by the shared attribution."""
    resolvers: dict[str, SpeakerResolver] = {}
    people = {e.id for e in entities.entities if e.type == "PERSON"}
    places: dict[str, dict[int, str]] = {}
    parts: dict[StatementKey, StatementParts] = {}
    for unit in units:
        article = unit.article
        if article.doc is None:
            parts[unit.key] = StatementParts(None, (), (), frozenset())
            continue
        if article.id not in resolvers:
            resolvers[article.id] = SpeakerResolver(article, entities, [])
            names: dict[int, str] = {}
            for mention in article.mentions:
                entity = entities.at(article.id, mention.start)
                if entity is not None and entity.type in ("GPE", "LOC", "FAC"):
                    for token in (
                        article.doc.char_span(mention.start, mention.end, alignment_mode="expand") or []
                    ):
                        names[token.idx] = entity.name
            places[article.id] = names
        predicate = find_predicate(unit)
        span = unit_span(unit)
        speaker = statement_source(resolvers[article.id], span) if span is not None else None
        source = speaker.name if speaker is not None else None
        details = statement_details(unit, dates, places[article.id], source)
        ids: list[str] = []
        for entity in entities.in_span(article, unit.start, unit.end):
            if entity.id not in ids:
                ids.append(entity.id)
        agents = _agents(resolvers[article.id], predicate, people)
        parts[unit.key] = StatementParts(predicate, tuple(details), tuple(ids), _arguments(unit), agents)
    return parts


def _agents(resolver: SpeakerResolver, predicate: Predicate | None, people: set[str]) -> frozenset[str]:
    """The people who do what the statement reports: the person entities of its active subject, found
    past coordination and control ("He threatened … and suggested …", "Petro agreed to hold …") and, for
    an event noun, past its light verb ("Trump held a call"). A passive subject is no agent."""
    head = predicate_head(resolver.article.doc, predicate)
    if head is None:
        return frozenset()
    if head.pos_ == "NOUN":
        if head.dep_ != "dobj":
            return frozenset()
        head = head.head
    subject = shared_subject(head, through=frozenset({"conj", "xcomp"}))
    if subject is None or subject.dep_ != "nsubj":
        return frozenset()
    found = set()
    for token in (subject, *(c for c in subject.children if c.dep_ == "conj")):
        entity = resolver.speaker(token).entity
        if entity in people:
            found.add(entity)
    return frozenset(found)


def different_agents(a: StatementParts, b: StatementParts) -> bool:
    """Two statements whose doers are known people, none in common, and not each naming the other's
    ("Petro warned …" / "He [Trump] threatened …"): two events, however alike their words. "Petro spoke
    with Trump" / "Trump spoke with Petro" name both and stay one event."""
    if not a.agents or not b.agents or a.agents & b.agents:
        return False
    return not (a.agents <= set(b.participants) and b.agents <= set(a.participants))


def _widely_shared(units: Sequence[Unit], values: Callable[[Unit], Iterable[str]]) -> set[str]:
    """The values (entity ids, argument lemmas) that the statements of at least PROTAGONIST_SHARE of the
    story's outlets, and of three, give."""
    outlets_of: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        for value in values(unit):
            outlets_of[value].add(unit.article.id)
    floor = max(3, PROTAGONIST_SHARE * len({u.article.id for u in units}))
    return {value for value, found in outlets_of.items() if len(found) >= floor}


def event_scores(units: Sequence[Unit], parts: Mapping[StatementKey, StatementParts]) -> np.ndarray:
    """Event-level scores of every pair: EVENT_SCORE for one event told in other words, TWO_EVENTS for
    statements whose doers differ (:func:`different_agents`), else 0."""
    n = len(units)
    common = _widely_shared(units, lambda unit: parts[unit.key].participants)
    common_arguments = _widely_shared(units, lambda unit: parts[unit.key].arguments)
    scores = np.zeros((n, n), dtype=np.float32)
    if n == 0:
        return scores
    matrix = (
        np.stack([u.vector for u in units if u.vector is not None]) if units[0].vector is not None else None
    )
    for i, a in enumerate(units):
        pa = parts[a.key]
        if pa.predicate is None or pa.predicate.lemma in VAGUE_PREDICATES:
            continue
        for j in range(i + 1, n):
            b = units[j]
            pb = parts[b.key]
            if a.article.id == b.article.id or pb.predicate is None:
                continue
            # One side's main event must be among the events the other names.
            if pa.predicate.kind not in pb.predicate.kinds and pb.predicate.kind not in pa.predicate.kinds:
                continue
            # What happened and what could, would or did not happen are not one report of an event.
            if pa.predicate.modality != pb.predicate.modality:
                continue
            # The story's protagonists take part in most of its events: sharing only them says little.
            shared = (set(pa.participants) & set(pb.participants) - common) | (
                pa.arguments & pb.arguments - common_arguments
            )
            cosine = float(matrix[i] @ matrix[j]) if matrix is not None else 1.0
            if cosine < EVENT_COSINE or (
                not shared and (pa.predicate.kind != pb.predicate.kind or cosine < SAME_KIND_COSINE)
            ):
                continue
            scores[i, j] = scores[j, i] = EVENT_SCORE
    coreferent = _coreference(units, parts)
    if coreferent is not None and matrix is not None:
        # The event-coreference model (fitted on ECB+, python bench/facts.py) joins paraphrases the rules
        # above miss, for statements of different outlets at least EVENT_COSINE apart.
        outlet = np.array([u.article.id for u in units])
        same_article = outlet[:, None] == outlet[None, :]
        joined = (coreferent >= COREF_THRESHOLD) & ~same_article & (matrix @ matrix.T >= EVENT_COSINE)
        scores[joined] = np.maximum(scores[joined], EVENT_SCORE)
    for i, a in enumerate(units):
        for j in range(i + 1, n):
            if different_agents(parts[a.key], parts[units[j].key]):
                scores[i, j] = scores[j, i] = TWO_EVENTS
    return scores


def _coreference(units: Sequence[Unit], parts: Mapping[StatementKey, StatementParts]) -> np.ndarray | None:
    """Coreference probabilities of every pair of statements with a predicate (0 for the others)."""
    words = [event_word(unit.article.doc, parts[unit.key].predicate) for unit in units]
    heads = {k: token for k, token in enumerate(words) if token is not None}
    found = sorted(heads)
    if len({units[k].article.id for k in found}) < 2:
        return None  # only pairs of different reports are ever joined
    contexts = context_vectors([units[k].article for k in found], [heads[k] for k in found])
    mentions = [
        event_mention(
            units[k].article.id,
            heads[k],
            vector=units[k].vector,
            context=contexts[n],
            times=frozenset(d.value for d in parts[units[k].key].details if d.role == "time"),
        )
        for n, k in enumerate(found)
    ]
    probabilities = coref_scores(mentions)
    full = np.zeros((len(units), len(units)), dtype=np.float64)
    full[np.ix_(found, found)] = probabilities
    np.fill_diagonal(full, 0.0)
    return full


def _root(family: dict[str, str], article: str) -> str:
    while family[article] != article:
        article = family[article]
    return article


def _is_event_noun(token: object) -> bool:
    lemma = getattr(token, "lemma_", "").lower()
    return lemma in EVENT_NOUNS


def independent_count(articles: Sequence[str], derived_from: Mapping[str, Sequence[str]]) -> int:
    """Outlets counted once per family of copies: an article derived from another among them adds nothing."""
    family = {article: article for article in articles}
    for article in articles:
        for parent in derived_from.get(article, []):
            if parent in family:
                family[_root(family, article)] = _root(family, parent)
    return len({_root(family, a) for a in articles})


def _detail_key(detail: FoundDetail) -> tuple[str, str]:
    if detail.role in ("quantity", "duration") and detail.number is not None:
        return detail.role, f"{detail.counted}|{detail.number:g}"
    return detail.role, detail.value


def _support(unit: Unit) -> Support:
    return Support(
        article=unit.article.id, sentence=unit.sentence, text=unit.text, start=unit.start, end=unit.end
    )


def _core_text(unit: Unit, parts: StatementParts, keep: set[tuple[str, str]]) -> str:
    """The statement's words without the details not every supporting outlet gives."""
    cuts: list[tuple[int, int]] = []
    predicate = (parts.predicate.start, parts.predicate.end) if parts.predicate else None
    for detail in parts.details:
        if detail.role == "said" or _detail_key(detail) in keep:
            continue
        cut = removable_span(unit, detail, predicate)
        if cut is not None:
            cuts.append(cut)
    if not cuts:
        return unit.text
    text = unit.article.text
    pieces: list[str] = []
    position = unit.start
    for start, end in sorted(cuts):
        if start < position:
            continue
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position : unit.end])
    joined = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", "".join(pieces)))
    joined = re.sub(r",\s*,", ",", joined).strip(" ,")
    return joined if len(joined.split()) >= 3 else unit.text


# What opens a statement cut from a longer sentence and only joins it to the words before: a conjunction
# ("and later described him …") or a relative word that stands for a time or place ("during which the
# Colombian leader explained …", "where U.S. forces captured …"). A bare "which" or "who" stays: it is the
# clause's subject or object ("which engineers expect to take ten days"), and the line would lose it.
_JOINING_OPENER = re.compile(
    r"^(?:(?:and|but|or|yet)\s+|(?:during|after|before|in|on|at|from|by|with|under|through)\s+"
    r"(?:which|whom)\s+|(?:where|when|whereby)\s+)",
    re.IGNORECASE,
)


def _self_standing(unit: Unit, line: str) -> str:
    """A fact's line that reads on its own: without the conjunction or relative word that tied its
    statement to the rest of the sentence, and, for a verb that shares its subject with the verb before
    ("Trump publicly warned Petro … and later described him as …"; "revoked …, imposed sanctions …"), with
    that subject in front, as the sentence writes it (a pronoun stays a pronoun: the line never names more
    than its outlets do). A line whose opening phrase was cut as a detail ("Last month, he warned …")
    starts with a capital again."""
    span = unit_span(unit)
    if span is None or unit.start <= unit.article.sentences[unit.sentence].start:
        # A sentence's own first word ("While …", "When …") is no joint; an opening phrase cut as a detail
        # ("Last month, he warned …") leaves the clause after its comma, which may start the line.
        cut_before_comma = 0 <= unit.text.find(f", {line[:20]}") < 40
        return line[:1].upper() + line[1:] if cut_before_comma else line
    opener = _JOINING_OPENER.match(line)
    rest = line[opener.end() :] if opener else line
    head = clause_head(span)
    subject = shared_subject(head)
    if subject is not None and subject.head.i != head.i and not span.start <= subject.i < span.end:
        rest = f"{span.doc[subject.left_edge.i : subject.right_edge.i + 1].text} {rest}"
    elif opener is None:
        return line
    return rest[:1].upper() + rest[1:]


def _same_event_units(
    group: FactGroup, units: Sequence[Unit], parts: Mapping[StatementKey, StatementParts]
) -> list[Unit]:
    """Other statements of the fact's own outlets about the same event (one kind of predicate, a
    participant in common, no other doer): the details they give count for the fact's details. "Petro
    spoke with Trump for about 35 minutes" gives the call's length though its outlet's line about the call
    went elsewhere."""
    members = {u.key for u in group.units}
    articles = {u.article.id for u in group.units}
    main = Counter(p.kind for u in group.units if (p := parts[u.key].predicate) is not None)
    kinds = {max(sorted(main), key=lambda k: main[k])} - VAGUE_PREDICATES if main else set()
    people = {e for u in group.units for e in parts[u.key].participants}
    found = []
    for unit in units:
        predicate = parts[unit.key].predicate
        if unit.key in members or unit.article.id not in articles or predicate is None:
            continue
        if predicate.kind not in kinds or not people & set(parts[unit.key].participants):
            continue
        # Trump's warning to Petro and Petro's warning to the US are one kind of event, not one event.
        if not any(different_agents(parts[unit.key], parts[member.key]) for member in group.units):
            found.append(unit)
    return found


def _borrowed_details(
    groups: Sequence[FactGroup], units: Sequence[Unit], parts: Mapping[StatementKey, StatementParts]
) -> list[list[Unit]]:
    """For each group, the outlets' other statements of its event whose details it counts
    (:func:`_same_event_units`). A statement lends them to one fact only: the one most outlets state, and
    not at all when its own fact is as large. "The call comes days after …" and "the conversation,
    described as positive, …" are about the call too, but the call's length is printed under the call."""
    outlets = [len({u.article.id for u in group.units}) for group in groups]
    owner: dict[StatementKey, int] = {}
    size: dict[StatementKey, int] = {}  # a statement's own fact keeps its details unless a larger one asks
    for number, group in enumerate(groups):
        for unit in group.units:
            owner[unit.key], size[unit.key] = number, outlets[number]
    asked = [_same_event_units(group, units, parts) for group in groups]
    for number, found in enumerate(asked):
        for unit in found:
            if outlets[number] > size.get(unit.key, 0):
                owner[unit.key], size[unit.key] = number, outlets[number]
    return [[u for u in found if owner[u.key] == number] for number, found in enumerate(asked)]


def build_facts(
    groups: Sequence[FactGroup],
    parts: Mapping[StatementKey, StatementParts],
    derived_from: Mapping[str, Sequence[str]],
    wording_rank: Callable[[Unit], float],
) -> DraftFacts:
    """One fact per group: its core line, participants, details each with their own outlets, and counts.

    Status here follows the counts alone (corroborated or single-source); ``finalise_facts`` marks the
    disputed ones once contradictions are known.
    """
    facts: list[Fact] = []
    by_id: dict[str, FactGroup] = {}
    all_units = [u for g in groups for u in g.units]
    borrowed_by = _borrowed_details(groups, all_units, parts)
    for group, borrowed in zip(groups, borrowed_by, strict=True):
        ordered = sorted(group.units, key=lambda u: (u.article.id, u.start))
        fact_id = stable_id("f-", *(f"{u.article.id}:{u.start}:{u.end}" for u in ordered), length=12)
        if fact_id in by_id:
            continue
        articles = sorted({u.article.id for u in ordered})
        per_key: dict[tuple[str, str], list[tuple[Unit, FoundDetail]]] = defaultdict(list)
        for unit in [*ordered, *borrowed]:
            seen: set[tuple[str, str]] = set()
            for detail in parts[unit.key].details:
                key = _detail_key(detail)
                if key not in seen and all(u.article.id != unit.article.id for u, _ in per_key[key]):
                    seen.add(key)
                    per_key[key].append((unit, detail))
        common = {
            key for key, found in per_key.items() if len({u.article.id for u, _ in found}) == len(articles)
        }

        def extra(unit: Unit, common: set[tuple[str, str]] = common) -> int:
            return sum(
                1 for d in parts[unit.key].details if d.role != "said" and _detail_key(d) not in common
            )

        best = min(
            ordered,
            key=lambda u: (
                extra(u),
                wording_rank(u) < CLEAN_WORDING,
                len(u.text),
                -wording_rank(u),
                u.article.id,
            ),
        )
        text = _self_standing(best, _core_text(best, parts[best.key], common))
        details: list[Detail] = []
        for key, found in sorted(per_key.items(), key=lambda item: (-len(item[1]), item[0])):
            detail_articles = sorted({u.article.id for u, _ in found})
            first = found[0][1]
            details.append(
                Detail(
                    id=stable_id("d-", fact_id, *key, length=12),
                    role=first.role,
                    text=first.text,
                    value=first.value,
                    sources=len(detail_articles),
                    independent_sources=independent_count(detail_articles, derived_from),
                    support=[
                        Support(
                            u.article.id,
                            u.sentence,
                            d.text if d.start >= 0 else u.text,
                            d.start if d.start >= 0 else u.start,
                            d.end if d.start >= 0 else u.end,
                        )
                        for u, d in found
                    ],
                    bound=first.bound if first.role in ("quantity", "duration") else None,
                )
            )
        participants: list[str] = []
        for unit in ordered:
            for entity_id in parts[unit.key].participants:
                if entity_id not in participants:
                    participants.append(entity_id)
        predicate = parts[best.key].predicate
        independent = independent_count(articles, derived_from)
        times = [d for d in details if d.role == "time" and d.value[:1].isdigit()]
        facts.append(
            Fact(
                id=fact_id,
                text=text,
                predicate=predicate.lemma if predicate else "",
                participants=participants,
                status="corroborated" if independent >= 2 else "single_source",
                sources=len(articles),
                independent_sources=independent,
                support=[_support(u) for u in ordered],
                details=details,
                date=times[0].value if times else None,
                modality=predicate.modality if predicate else "asserted",
            )
        )
        by_id[fact_id] = group
    facts.sort(
        key=lambda f: (
            -f.independent_sources,
            -f.sources,
            min(s.article for s in f.support),
            f.support[0].start,
        )
    )
    return DraftFacts(facts, by_id, parts)


def finalise_facts(
    facts: Sequence[Fact],
    contradictions: Sequence[Contradiction],
    codes: Mapping[str, str],
    stances: Mapping[str, list[Stance]],
) -> list[Fact]:
    """The facts as the report gives them: disputed where a contradiction touches them, with their event
    code and each outlet's stance. New values, built once; the drafts are left as they were."""
    disputed = {c.fact for c in contradictions if c.fact and c.kind != "quote_wording"}
    disputed |= {
        fact_id for fact_id, found in stances.items() if any(s.stance == "contradicts" for s in found)
    }
    return [
        dataclasses.replace(
            fact,
            status="disputed" if fact.id in disputed else fact.status,
            code=codes.get(fact.id),
            stances=stances.get(fact.id, []),
        )
        for fact in facts
    ]
