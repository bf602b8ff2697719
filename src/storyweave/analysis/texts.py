"""Analyse texts held in memory as one story, without ingest, grouping or the store.

Benchmarks and library users that already know which texts belong together (NeuS gives three
outlets' reports of one story a line) need the analyses without files or a database: this builds
the articles, cleans and annotates them, and runs the same story analysis the pipeline runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyweave.analysis.story import AnalysisOptions, analyze_story
from storyweave.model import Article, Story, StoryGroup, stable_id


def articles_from_texts(
    texts: Sequence[str], titles: Sequence[str | None] | None = None, published: str | None = None
) -> list[Article]:
    """Cleaned, annotated articles from raw texts (ids from content, like ingested files)."""
    from storyweave.clean import clean_text
    from storyweave.nlp.annotate import annotate

    titles = titles if titles is not None else [None] * len(texts)
    articles: list[Article] = []
    for number, (raw, title) in enumerate(zip(texts, titles, strict=True)):
        result = clean_text(raw, title)
        if not result.text.strip():
            continue
        article = Article(
            id=stable_id("a-", raw),
            path=f"text-{number}",
            raw=raw,
            title=title,
            published=published,
            published_from="user" if published else "unknown",
            text=result.text,
            removed=list(result.removed),
            flags=list(result.flags),
            headings=list(result.headings),
            truncated_at=list(result.truncated_at),
        )
        articles.append(article)
    annotate(articles, vectors=False)
    return articles


def analyze_texts(
    texts: Sequence[str],
    titles: Sequence[str | None] | None = None,
    published: str | None = None,
    options: AnalysisOptions | None = None,
) -> Story:
    """The full story analysis of texts known to report one story."""
    articles = articles_from_texts(texts, titles, published)
    seen: set[str] = set()
    unique = [a for a in articles if not (a.id in seen or seen.add(a.id))]  # type: ignore[func-returns-value]
    group = StoryGroup(id=stable_id("s-", *sorted(a.id for a in unique)), articles=unique)
    return analyze_story(group, options)
