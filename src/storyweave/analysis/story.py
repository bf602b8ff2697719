"""One story's analysis: the analyses run in a fixed order over the story's annotated articles.

Each analysis is its own module and none imports another's results directly; this module hands each
one what the earlier ones made, as data (entities and dates to claims, claims to contradictions,
timeline, events and summary).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storyweave.analysis.claims import build_claims, count_independent
from storyweave.analysis.contradictions import find_contradictions
from storyweave.analysis.coverage import build_coverage
from storyweave.analysis.entities import build_entities
from storyweave.analysis.events import build_dyads, extract_events
from storyweave.analysis.framing import find_framing
from storyweave.analysis.quality import assess_quality
from storyweave.analysis.quotes import find_quotes
from storyweave.analysis.sources import assess_sources
from storyweave.analysis.summary import DEFAULT_SENTENCES, summarise
from storyweave.analysis.timeline import build_timeline
from storyweave.analysis.timex import find_time_expressions
from storyweave.analysis.units import Unit, attach_vectors, statement_units
from storyweave.ingest.dateline import dateline_end
from storyweave.model import Article, Story, StoryGroup, TimeExpression
from storyweave.nlp.annotate import encode_sentences


@dataclass(frozen=True)
class AnalysisOptions:
    summary_sentences: int = DEFAULT_SENTENCES
    summary_words: int | None = None  # a word budget instead (bench/summary.py: the reference's length)


def _reference_date(article: Article, fallback: dt.date | None) -> dt.date | None:
    if article.published:
        try:
            return dt.date.fromisoformat(article.published[:10])
        except ValueError:
            return fallback
    return fallback


def date_undated(articles: Sequence[Article]) -> dt.date | None:
    """Give undated articles the story's most common date, marked as taken from the story."""
    known = Counter(a.published[:10] for a in articles if a.published)
    if not known:
        return None
    story_date = sorted(known.items(), key=lambda pair: (-pair[1], pair[0]))[0][0]
    for article in articles:
        if not article.published:
            article.published = story_date
            article.published_from = "story"
    return dt.date.fromisoformat(story_date)


def time_expressions(
    articles: Sequence[Article], story_date: dt.date | None
) -> dict[str, list[TimeExpression]]:
    """Each article's time expressions, resolved against its own publication date."""
    found: dict[str, list[TimeExpression]] = {}
    for article in articles:
        reference = _reference_date(article, story_date)
        expressions = find_time_expressions(article.text, reference) if reference else []
        skip = dateline_end(article.text)
        found[article.id] = [e for e in expressions if e.start >= skip]
    return found


def story_title(articles: Sequence[Article], fallback: str) -> str:
    """The title of the best-rated article that has one, else the story's leading claim."""
    titled = [a for a in articles if a.title and not a.duplicate_of]
    if titled:
        best = sorted(titled, key=lambda a: (-a.quality.score, a.id))[0]
        return best.title or fallback
    return fallback


def analyze_story(group: StoryGroup, options: AnalysisOptions | None = None) -> Story:
    """Run every analysis over one story's annotated articles."""
    options = options or AnalysisOptions()
    articles = group.articles
    originals = [a for a in articles if not a.duplicate_of]
    story_date = date_undated(articles)
    dates = time_expressions(articles, story_date)
    entities = build_entities(originals)
    for article in articles:
        article.quality = assess_quality(article, entities.misspelt)
    encode_sentences(originals)
    quotes = find_quotes(originals, entities)
    units = statement_units(originals)
    attach_vectors(units)

    def wording_rank(unit: Unit) -> float:
        sentence = unit.article.sentences[unit.sentence]
        return unit.article.quality.score - (0.5 if sentence.truncated else 0.0)

    claims, groups = build_claims(units, entities, quotes, dates, wording_rank)
    derived = assess_sources(originals, groups)
    for article in articles:
        if article.duplicate_of:
            derived[article.id] = [article.duplicate_of]
    count_independent(claims, derived)
    contradictions = find_contradictions(claims, groups, dates, quotes, originals)
    timeline = build_timeline(claims, groups, dates)
    events = extract_events(claims, groups, entities, timeline)
    summary = summarise(claims, groups, options.summary_sentences, words=options.summary_words)
    fallback = summary[0].text if summary else (claims[0].text if claims else group.id)
    return Story(
        id=group.id,
        title=story_title(articles, fallback),
        articles=list(articles),
        entities=entities.entities,
        claims=claims,
        contradictions=contradictions,
        quotes=quotes,
        timeline=timeline,
        events=events,
        dyads=build_dyads(events),
        summary=summary,
        framing=find_framing(originals, claims, groups),
        coverage=build_coverage(articles, claims),
    )
