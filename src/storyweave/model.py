"""The vocabulary every stage shares.

Stages pass these objects one way: ingest makes an :class:`Article` from a file, clean fills its
text and ``removed`` list, annotate adds sentences, mentions and vectors, group makes a
:class:`StoryGroup`, the analyses fill a :class:`Story`, and render writes the report contract
(report.json) from it. The field names of the report classes are the public contract of
``storyweave.report/2``: add fields freely, rename none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np
    from spacy.tokens import Doc

SCHEMA_ID = "storyweave.report/2"

PublishedFrom = Literal["metadata", "url", "text", "user", "story", "unknown"]
FactStatus = Literal["corroborated", "single_source", "disputed"]
DetailRole = Literal["time", "place", "quantity", "duration", "manner", "said"]
StanceKind = Literal["states", "contradicts", "reports_claim", "silent"]
Modality = Literal["asserted", "negated", "hypothetical", "question"]
ContradictionKind = Literal["number", "date", "quote_wording", "attribution", "negation"]


def stable_id(prefix: str, *parts: str, length: int = 16) -> str:
    """A short id that depends only on content, so the same input always gets the same id."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:length]}"


# --------------------------------------------------------------------------- articles


@dataclass
class Removed:
    """A line of page furniture taken out, or a repair made, and why."""

    text: str
    reason: str


@dataclass
class _Score:
    """A score from 0 to 1 that starts at 1.0: nothing found against the article until a stage says so."""

    score: float = 1.0


@dataclass
class Quality(_Score):
    flags: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Derivation:
    article: str
    share: float


@dataclass
class Originality(_Score):
    derived_from: list[Derivation] = field(default_factory=list)


@dataclass
class Sentence:
    """A sentence of the cleaned text; ``start``/``end`` are offsets into ``Article.text``."""

    index: int
    start: int
    end: int
    text: str
    truncated: bool = False
    heading: bool = False  # a headline or subhead: shown, but never a claim


@dataclass
class Mention:
    """A named-entity mention found by the NLP stage; offsets into ``Article.text``."""

    text: str
    label: str
    start: int
    end: int
    sentence: int


#: An article's metadata as read (where it came from, who wrote it, when, in what language), all text:
#: stored, restored and exported field for field under these names.
ARTICLE_METADATA = ("path", "url", "source", "title", "author", "published", "published_from", "language")


@dataclass
class Article:
    """One news report, from ingest to analysis.

    ``raw`` is the text as read (after HTML extraction); ``text`` is the cleaned text that
    every offset in the report points into.
    """

    id: str
    path: str
    raw: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime
    published_from: PublishedFrom = "unknown"
    text: str = ""
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # set by clean: truncated, ...
    headings: list[tuple[int, int]] = field(default_factory=list)  # from clean: headline/subhead spans
    truncated_at: list[int] = field(default_factory=list)  # from clean: where a paragraph is cut off
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quality: Quality = field(default_factory=Quality)
    originality: Originality = field(default_factory=Originality)
    duplicate_of: str | None = None
    # Not stored, not rendered: the annotate stage's in-memory products.
    doc: Doc | None = field(default=None, repr=False, compare=False)
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)  # the lead's, for grouping
    vectors: np.ndarray | None = field(default=None, repr=False, compare=False)  # one row per sentence
    # Vectors of character spans, keyed by (start, end): clauses that are not whole sentences, the words
    # before a denial, each statement's event word in its sentence's context (analysis/article_vectors.py).
    span_vectors: dict[tuple[int, int], np.ndarray] | None = field(default=None, repr=False, compare=False)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def label(self) -> str:
        """A short human name for the article: its outlet, its site's host, or its file name."""
        if self.source:
            return self.source
        if self.url and "//" in self.url:
            host = self.url.split("//", 1)[1].split("/", 1)[0]
            return host.removeprefix("www.")
        return self.path.rsplit("/", 1)[-1]


@dataclass
class Skipped:
    """An input that could not be read, with a reason a user understands."""

    path: str
    reason: str


# --------------------------------------------------------------------------- story parts


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass
class Support:
    """A sentence (or clause) that states a fact or a detail; offsets into the article's cleaned text."""

    article: str
    sentence: int
    text: str
    start: int
    end: int


@dataclass
class Detail:
    """One detail of a fact (its time, place, a quantity, a duration, a manner, who said it), counted by
    exactly the outlets that state it: the count beside a detail is its own, not the fact's."""

    id: str
    role: DetailRole
    text: str  # as one outlet words it ("lasting 35 minutes")
    value: str  # normalised: TimeML value, "35 minutes", an entity's name, a folded word
    sources: int
    independent_sources: int
    support: list[Support] = field(default_factory=list)
    bound: str | None = None  # quantities: exact, at_least, more_than, about, up_to, at_most


@dataclass
class Stance:
    """Where one outlet stands on a fact: states it, contradicts it, only reports someone's claim of it,
    or is silent; with the sentence that decided it (-1 and empty text when silent)."""

    article: str
    stance: StanceKind
    sentence: int
    text: str
    start: int
    end: int
    score: float
    claimant: str | None = None  # reports_claim: who the outlet says claims it


@dataclass
class Fact:
    """One event or state the story's outlets report, aligned across them.

    ``text`` is the core line: only what every supporting outlet states; what fewer state is a detail.
    ``participants`` are story entity ids. ``modality`` says whether it is stated as having happened.
    """

    id: str
    text: str
    predicate: str
    participants: list[str]
    status: FactStatus
    sources: int
    independent_sources: int
    support: list[Support] = field(default_factory=list)
    details: list[Detail] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    date: str | None = None
    code: str | None = None
    modality: Modality = "asserted"


@dataclass
class Side:
    article: str
    text: str
    value: str
    start: int = -1
    end: int = -1


@dataclass
class Contradiction:
    """Conflicting values of one detail of one fact (or of one quote's wording), each side cited."""

    id: str
    kind: ContradictionKind
    fact: str | None
    detail: str | None
    sides: list[Side]
    explanation: str


@dataclass
class Speaker:
    entity: str | None
    name: str | None


@dataclass
class QuoteVariant:
    article: str
    text: str
    cue: str | None
    channel: str | None
    start: int
    end: int
    sentence: int = -1
    indirect: bool = False  # reported speech without quotation marks ("he said that ...")


@dataclass
class Quote:
    id: str
    speaker: Speaker
    text: str
    variants: list[QuoteVariant] = field(default_factory=list)
    wording_differs: bool = False
    diff: list[dict[str, str]] = field(default_factory=list)
    indirect: bool = False  # every variant is indirect: the outlets' words, not the speaker's


@dataclass
class TimeExpression:
    """A time expression found in a text, normalised against a reference date.

    ``value`` is TimeML-style (2026-01-04, 2025-10, 2026-W02, 2026-01-03TNI, P3D, ...);
    ``precision`` is day, month, year, week, part_of_day, duration, set, span or unknown.
    """

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str | None
    precision: str


@dataclass
class TimelineItem:
    date: str
    precision: str
    expression: str
    text: str
    articles: list[str]
    fact: str | None


@dataclass
class Event:
    actor: str | None
    action: str
    code: str
    target: str | None
    date: str | None
    articles: list[str]
    fact: str | None
    scale: float | None = None  # PLOVER cooperation (+1) to conflict (-1)


@dataclass
class Dyad:
    """A pair of actors and their events in time order (indexes into ``Story.events``): who did what to
    whom, read as one thread."""

    actors: list[str]
    events: list[int]


@dataclass
class SummarySentence:
    text: str
    facts: list[str]
    articles: list[str]


@dataclass
class Wording:
    """How one outlet words something: the neutral counterpart of a framing term."""

    article: str
    text: str


@dataclass
class FramingTerm:
    """A loaded or evaluative word an outlet uses in its own voice (not inside a quotation)."""

    article: str
    text: str
    sentence: int
    start: int
    end: int
    fact: str | None = None
    others: list[Wording] = field(default_factory=list)  # the same fact in other outlets' words


@dataclass
class Coverage:
    """Which outlet states which fact, and what that says about each outlet."""

    outlets: list[str] = field(default_factory=list)  # article ids, the matrix's columns
    matrix: list[list[int]] = field(default_factory=list)  # one row per fact (story order), 1 = states it
    unique: dict[str, list[str]] = field(default_factory=dict)  # article id -> facts only it states
    shared: list[str] = field(default_factory=list)  # facts most outlets state
    adds_nothing: list[str] = field(default_factory=list)  # articles whose every fact another states
    # Facts every outlet but one carries (article id -> facts it leaves out) and facts one outlet alone has.
    left_out: dict[str, list[str]] = field(default_factory=dict)


StatementKey = tuple[str, int, int]  # a statement (``Unit.key``): article id, start, end


@dataclass
class Unit:
    """One statement of one article: a sentence, or a clause of one that states a fact of its own.
    An intermediate of the analysis (never rendered): facts are groups of units."""

    article: Article
    sentence: int
    start: int
    end: int
    text: str
    vector: np.ndarray | None = None

    @property
    def key(self) -> StatementKey:
        return (self.article.id, self.start, self.end)


@dataclass
class FactGroup:
    """The units the alignment put together as one fact, at most one per article."""

    units: list[Unit] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return sorted({u.article.id for u in self.units})


@dataclass
class StoryGroup:
    """Articles the group stage put together, before analysis."""

    id: str
    articles: list[Article]


@dataclass
class Story:
    id: str
    title: str
    articles: list[Article]
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    framing: list[FramingTerm] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)
    dyads: list[Dyad] = field(default_factory=list)


@dataclass
class Report:
    stories: list[Story]
    articles: int
    skipped: list[Skipped] = field(default_factory=list)
