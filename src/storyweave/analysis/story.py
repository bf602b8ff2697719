"""One story's analysis: the analyses run in a fixed order over the story's annotated articles.

Each analysis is its own module and none imports another's results directly; this module hands each
one what the earlier ones made, as data, and alone puts the results together. Each step reads what its
arguments name and returns a new value; nothing made is rewritten afterwards:

- dates: the story's date for undated articles (a new value, the articles are not changed), each
  article's time expressions;
- entities -> quality (per article) -> quotes;
- statements (units, with vectors) -> their parts (predicate, details, source) -> alignment -> sources
  (who copies whom) -> fact drafts (counts and details, status from counts);
- contradictions, timeline, events, stances from the drafts -> the final facts (disputed, coded, stances);
- summary from the final facts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storyweave.analysis.alignment import group_units, pair_scores
from storyweave.analysis.article_vectors import attach_vectors, encode_articles
from storyweave.analysis.contradictions import find_contradictions
from storyweave.analysis.coverage import build_coverage
from storyweave.analysis.entities import build_entities
from storyweave.analysis.events import build_dyads, extract_events
from storyweave.analysis.facts import build_facts, event_scores, finalise_facts, statement_parts
from storyweave.analysis.framing import find_framing
from storyweave.analysis.quality import assess_quality
from storyweave.analysis.quotes import find_quotes
from storyweave.analysis.sources import assess_sources
from storyweave.analysis.stances import decide_stances
from storyweave.analysis.summary import DEFAULT_SENTENCES, summarise
from storyweave.analysis.timeline import build_timeline
from storyweave.analysis.timex import find_time_expressions
from storyweave.analysis.units import statement_units
from storyweave.ingest.dateline import dateline_end
from storyweave.model import Article, FactGroup, Story, StoryGroup, TimeExpression, Unit


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


def story_date(articles: Sequence[Article]) -> dt.date | None:
    """The story's most common publication date: the reference for articles that carry none."""
    known = Counter(a.published[:10] for a in articles if a.published)
    if not known:
        return None
    return dt.date.fromisoformat(sorted(known.items(), key=lambda pair: (-pair[1], pair[0]))[0][0])


def dated_from_story(articles: Sequence[Article], date: dt.date | None) -> list[Article]:
    """The articles as the report shows them: an undated one takes the story's date, marked as such.
    New values; the stored articles keep what ingest gave them."""
    if date is None:
        return list(articles)
    return [
        a if a.published else dataclasses.replace(a, published=date.isoformat(), published_from="story")
        for a in articles
    ]


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


def compares_reports(articles: Sequence[Article]) -> bool:
    """Whether a story's analysis compares reports, and so needs its sentences' vectors: alignment,
    event coreference, stances and contradictions all pair statements of different reports, so a story
    of one report (with or without copies) is analysed without them, until a second report arrives
    (most stories of a day's news have one report: bench/throughput.py)."""
    return sum(1 for a in articles if not a.duplicate_of) >= 2


def analyze_story(group: StoryGroup, options: AnalysisOptions | None = None) -> Story:
    """Run every analysis over one story's annotated articles."""
    options = options or AnalysisOptions()
    reference = story_date(group.articles)
    dates = time_expressions(group.articles, reference)
    entities = build_entities([a for a in group.articles if not a.duplicate_of])
    articles = [
        dataclasses.replace(a, quality=assess_quality(a, entities.misspelt))
        for a in dated_from_story(group.articles, reference)
    ]
    originals = [a for a in articles if not a.duplicate_of]
    compared = compares_reports(articles)
    if compared:
        encode_articles(originals)
    # Reported speech ("he said that ...") is reported too, flagged indirect: the outlet's words, not the
    # speaker's, so it never joins a direct quote nor makes a wording dispute.
    quotes = find_quotes(originals, entities, indirect=True)
    units = statement_units(originals)
    if compared:
        attach_vectors(units)
    parts = statement_parts(units, entities, dates)
    if compared:
        groups = group_units(units, pair_scores(units, quotes, event_scores(units, parts)))
    else:
        groups = [FactGroup([unit]) for unit in units]  # what grouping gives when every pair is one report's

    def wording_rank(unit: Unit) -> float:
        sentence = unit.article.sentences[unit.sentence]
        return unit.article.quality.score - (0.5 if sentence.truncated else 0.0)

    sources = assess_sources(originals, {str(i): g for i, g in enumerate(groups)})
    derived = {**sources.derived_from, **{a.id: [a.duplicate_of] for a in articles if a.duplicate_of}}
    drafts = build_facts(groups, parts, derived, wording_rank)
    by_fact = drafts.groups
    contradictions = find_contradictions(drafts, quotes, originals)
    timeline = build_timeline(drafts.facts, by_fact, dates)
    events = extract_events(drafts.facts, by_fact, entities, timeline)
    stances = decide_stances(drafts, originals)
    codes = {e.fact: e.code for e in events if e.fact}
    facts = finalise_facts(drafts.facts, contradictions, codes, stances)
    summary = summarise(facts, by_fact, options.summary_sentences, words=options.summary_words)
    fallback = summary[0].text if summary else (facts[0].text if facts else group.id)
    shown = [
        dataclasses.replace(a, originality=sources.originality.get(a.id, a.originality)) for a in articles
    ]
    return Story(
        id=group.id,
        title=story_title(shown, fallback),
        articles=shown,
        entities=entities.entities,
        facts=facts,
        contradictions=contradictions,
        quotes=quotes,
        timeline=timeline,
        events=events,
        dyads=build_dyads(events),
        summary=summary,
        framing=find_framing(originals, facts, by_fact),
        coverage=build_coverage(articles, facts),
    )
