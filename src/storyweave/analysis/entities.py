"""Entities of a story: one entry per real person, organisation or place, whatever the spelling.

A small statistical model labels the same name differently from sentence to sentence ("Petro" as a
person, a place and an organisation), so names are pooled across labels and articles first and the
type is decided by vote afterwards. Merging, in order of confidence:

1. the same name once titles ("President", "Mr"), possessives and accents are stripped;
2. a surname alone joins the one full name that ends with it ("Trump" -> "Donald Trump");
3. a misspelling close to a known surname joins it ("Peter" -> "Petro"), but only where no other
   full name could claim it.

The index also resolves role descriptions such as "the US president" or "the Colombian leader" to
the person a story's articles name with that role ("US President Donald Trump").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from storyweave.analysis.lexicon import fold
from storyweave.model import Article, Entity, Mention, stable_id

TITLES = frozenset(
    [
        "president",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "sir",
        "madam",
        "secretary",
        "minister",
        "senator",
        "sen.",
        "sen",
        "gov.",
        "governor",
        "rep.",
        "representative",
        "prime",
        "vice",
        "general",
        "gen.",
        "chancellor",
        "king",
        "queen",
        "prince",
        "pope",
        "leader",
        "former",
        "interim",
        "foreign",
        "interior",
        "state",
        "treasury",
        "defense",
        "defence",
        "chief",
        "ceo",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "judge",
        "justice",
        "mayor",
        "the",
        "a",
        "an",
    ]
)
# Spellings of the same country that no fuzzy rule would join.
COUNTRY_ALIASES = {
    "us": "united states",
    "u.s": "united states",
    "u.s.": "united states",
    "usa": "united states",
    "u.s.a.": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "britain": "united kingdom",
    "un": "united nations",
    "u.n.": "united nations",
    "eu": "european union",
}
# Words that turn "the Colombian <role>" into a description of a person.
ROLE_WORDS = {
    "president": "president",
    "leader": "president",
    "head of state": "president",
    "prime minister": "prime minister",
    "premier": "prime minister",
    "secretary of state": "secretary of state",
    "foreign minister": "foreign minister",
    "treasury secretary": "treasury secretary",
}
# A misspelt single name joins a known surname at this similarity (rapidfuzz ratio, 0-100).
# 80 merges "Peter" into "Petro" on the seeds and keeps "Maduro"/"Mauro"-like pairs of real
# different people apart only when both are seen in full; checked with tests/test_entities.py.
MISSPELLING_RATIO = 80.0
TYPE_PRIORITY = ("PERSON", "GPE", "ORG", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW")
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)[’']s\s+(?P<name>.+)$")
_NON_WORD = re.compile(r"[^\w\s.-]")


def bare_name(text: str) -> str:
    """The name without leading titles, articles, possessive owners and trailing possessive."""
    text = text.strip().strip(",;:“”\"'()")
    match = _POSSESSIVE.match(text)
    if match:
        text = match.group("name")
    text = re.sub(r"[’']s$", "", text)
    words = text.split()
    while len(words) > 1 and fold(words[0]) in TITLES:
        words = words[1:]
    return " ".join(words)


@dataclass
class _Cluster:
    key: str
    forms: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    mentions: list[tuple[str, Mention]] = field(default_factory=list)

    @property
    def articles(self) -> set[str]:
        """The articles that mention it: read off the mentions, so the two cannot disagree."""
        return {article_id for article_id, _ in self.mentions}

    @property
    def is_full_person(self) -> bool:
        return len(self.key.split()) > 1 and self.labels["PERSON"] > 0

    def absorb(self, other: _Cluster) -> None:
        self.forms.update(other.forms)
        self.labels.update(other.labels)
        self.mentions.extend(other.mentions)


@dataclass
class EntityIndex:
    """A story's entities and the lookups the other analyses need."""

    entities: list[Entity]
    by_key: dict[str, Entity]
    by_mention: dict[tuple[str, int], Entity]  # (article id, mention start) -> entity
    roles: dict[tuple[str, str], Entity]  # (folded nationality or place, role) -> person
    misspelt: set[str] = field(default_factory=set)  # folded names joined to a person as misspellings

    def resolve(self, text: str) -> Entity | None:
        """The entity a name or role description refers to, or None when it is not known."""
        key = fold(bare_name(text))
        entity = self.by_key.get(COUNTRY_ALIASES.get(key, key))
        if entity is not None:
            return entity
        return self.resolve_description(text)

    def resolve_description(self, text: str) -> Entity | None:
        """ "the US president", "the Colombian leader" -> the person named with that role in the story."""
        words = fold(text).replace("the ", "", 1).split()
        for size in (3, 2, 1):
            if len(words) <= size:
                continue
            role = ROLE_WORDS.get(" ".join(words[-size:]))
            if role is None:
                continue
            place = " ".join(words[:-size])
            return self.roles.get((place, role))
        return None

    def at(self, article_id: str, start: int) -> Entity | None:
        return self.by_mention.get((article_id, start))

    def in_span(self, article: Article, start: int, end: int) -> list[Entity]:
        """Entities mentioned between two offsets of an article, in order, without repeats."""
        found: list[Entity] = []
        for mention in article.mentions:
            if start <= mention.start and mention.end <= end:
                entity = self.by_mention.get((article.id, mention.start))
                if entity is not None and entity not in found:
                    found.append(entity)
        return found


def _in_headings(article: Article, mention: Mention) -> bool:
    return any(start <= mention.start < end for start, end in article.headings)


def _titled_form(text: str, name: str) -> str:
    """How a one-word name is written when its mention carries a capital "The" ("The Hill", "The
    Guardian"): the article is part of such a title, so it is kept in the name printed, not in the key."""
    return f"The {name}" if " " not in name and text.strip() == f"The {name}" else name


def _collect(articles: Sequence[Article]) -> dict[str, _Cluster]:
    clusters: dict[str, _Cluster] = {}
    for article in articles:
        for mention in article.mentions:
            if _in_headings(article, mention):
                continue
            name = bare_name(mention.text).rstrip(".") if len(mention.text) > 4 else bare_name(mention.text)
            key = fold(name)
            key = COUNTRY_ALIASES.get(key, key)
            if len(key) < 2 or not any(c.isalpha() for c in key):
                continue
            cluster = clusters.setdefault(key, _Cluster(key))
            cluster.forms[_titled_form(mention.text, name)] += 1
            cluster.labels[mention.label] += 1
            cluster.mentions.append((article.id, mention))
    return clusters


def _merge_surnames(clusters: dict[str, _Cluster]) -> tuple[dict[str, str], set[str]]:
    """Map each single-word key to the one full person name it is the surname (or a misspelling) of.

    Also returns the keys joined as misspellings, which the quality stage counts against a text.
    """
    full = [c for c in clusters.values() if c.is_full_person]
    surname_owners: dict[str, list[str]] = defaultdict(list)
    for cluster in full:
        surname_owners[cluster.key.split()[-1]].append(cluster.key)
    parent: dict[str, str] = {}
    misspelt: set[str] = set()
    for key in clusters:
        if " " in key:
            continue
        owners = surname_owners.get(key, [])
        if len(owners) == 1:
            parent[key] = owners[0]
    for key, cluster in clusters.items():
        if " " in key or key in parent or cluster.labels["PERSON"] == 0:
            continue
        scored = [(fuzz.ratio(key, surname), surname) for surname in surname_owners if surname[0] == key[0]]
        scored = [pair for pair in scored if pair[0] >= MISSPELLING_RATIO and key not in surname_owners]
        if len(scored) == 1 and len(surname_owners[scored[0][1]]) == 1:
            parent[key] = surname_owners[scored[0][1]][0]
            misspelt.add(key)
    return parent, misspelt


def _decide_type(cluster: _Cluster) -> str:
    if cluster.is_full_person:
        return "PERSON"
    top = cluster.labels.most_common()
    best = max(count for _, count in top)
    tied = [label for label, count in top if count == best]
    return min(tied, key=lambda label: TYPE_PRIORITY.index(label) if label in TYPE_PRIORITY else 99)


def _canonical_name(cluster: _Cluster) -> str:
    multi = [(count, form) for form, count in cluster.forms.items() if len(form.split()) > 1]
    pool = multi or [(count, form) for form, count in cluster.forms.items()]
    # Most frequent, then longest, then alphabetical: deterministic.
    return sorted(pool, key=lambda pair: (-pair[0], -len(pair[1]), pair[1]))[0][1]


def _roles(
    articles: Iterable[Article], by_mention: dict[tuple[str, int], Entity]
) -> dict[tuple[str, str], Entity]:
    """Learn "US President Donald Trump" -> (us, president) -> Trump from the text before each person."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    entity_by_id: dict[str, Entity] = {}
    places = {"us"}
    for article in articles:
        places.update(fold(m.text) for m in article.mentions if m.label in ("NORP", "GPE"))
    for article in articles:
        for mention in article.mentions:
            entity = by_mention.get((article.id, mention.start))
            if entity is None or entity.type != "PERSON":
                continue
            before = fold(article.text[max(0, mention.start - 60) : mention.start])
            before = _NON_WORD.sub(" ", before)
            words = before.split()[-4:]
            for size in (2, 1):
                if len(words) < size + 1:
                    continue
                role = ROLE_WORDS.get(" ".join(words[-size:]))
                if role is None:
                    continue
                place = words[-size - 1]
                place = {"u.s.": "us", "u.s": "us", "american": "us", "united": "us"}.get(place, place)
                if place not in places:
                    continue
                votes[(place, role)][entity.id] += 1
                entity_by_id[entity.id] = entity
                break
    roles: dict[tuple[str, str], Entity] = {}
    for key, counter in votes.items():
        (best, _), *rest = counter.most_common() + [("", 0)]
        roles[key] = entity_by_id[best]
        if key[0] == "us":
            roles[("u.s.", key[1])] = entity_by_id[best]
            roles[("american", key[1])] = entity_by_id[best]
    return roles


def build_entities(articles: Sequence[Article]) -> EntityIndex:
    """Merge the named-entity mentions of a story's articles into its entities."""
    clusters = _collect(articles)
    parent, misspelt = _merge_surnames(clusters)
    roots: dict[str, _Cluster] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for key in sorted(clusters):
        root_key = parent.get(key, key)
        root = roots.setdefault(root_key, _Cluster(root_key))
        root.absorb(clusters[key])
        aliases[root_key].update(clusters[key].forms)
    entities: list[Entity] = []
    by_key: dict[str, Entity] = {}
    by_mention: dict[tuple[str, int], Entity] = {}
    for root_key, cluster in roots.items():
        entity_type = _decide_type(cluster)
        name = _canonical_name(cluster)
        entity = Entity(
            id=stable_id("e-", entity_type, root_key, length=12),
            name=name,
            type=entity_type,
            aliases=sorted(a for a in aliases[root_key] if a != name),
            articles=sorted(cluster.articles),
            mentions=len(cluster.mentions),
        )
        entities.append(entity)
        for key in [root_key, *(k for k, p in parent.items() if p == root_key)]:
            by_key[key] = entity
        for article_id, mention in cluster.mentions:
            by_mention[(article_id, mention.start)] = entity
    entities.sort(key=lambda e: (-len(e.articles), -e.mentions, e.name))
    roles = _roles(articles, by_mention)
    return EntityIndex(
        entities=entities, by_key=by_key, by_mention=by_mention, roles=roles, misspelt=misspelt
    )
