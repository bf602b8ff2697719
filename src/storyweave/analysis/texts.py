"""Analyse texts held in memory, without files or the store, through the product's own steps.

Benchmarks and library users that hold texts in memory (NeuS gives three outlets' reports of one story a
line; ECB+ gives documents of known sub-topics) need the stages without files or a database. The articles
are built as ingest builds them (content ids from the normalised text), cleaned and dated from their
datelines as the pipeline does (:func:`storyweave.clean.clean_article`), annotated, and their duplicates
marked (:func:`storyweave.group.duplicates.mark_duplicates`) before they are analysed or grouped, so every
bench figure describes what the product does with the same text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from storyweave.analysis.story import AnalysisOptions, analyze_story
from storyweave.model import Article, Story, StoryGroup, stable_id

# As the pipeline annotates (pipeline.annotate_all): spaCy and the encoder run over batches of this size.
ANNOTATE_BATCH = 64


def _reference(published: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published) if published else None
    except ValueError:
        return None


def articles_from_texts(
    texts: Sequence[str],
    titles: Sequence[str | None] | None = None,
    published: str | None = None,
    *,
    paths: Sequence[str] | None = None,
    urls: Sequence[str | None] | None = None,
    vectors: bool = False,
) -> list[Article]:
    """Cleaned, dated, annotated articles from raw texts, with ingest's content ids; a text left empty by
    cleaning is dropped, as the pipeline skips it. ``vectors``: also the lead and sentence vectors that
    grouping needs."""
    from storyweave.clean import clean_article
    from storyweave.ingest.text import article_id
    from storyweave.nlp.annotate import annotate

    titles = titles if titles is not None else [None] * len(texts)
    paths = paths if paths is not None else [f"text-{n}" for n in range(len(texts))]
    urls = urls if urls is not None else [None] * len(texts)
    reference = _reference(published)
    articles: list[Article] = []
    for raw, title, path, url in zip(texts, titles, paths, urls, strict=True):
        article = Article(
            id=article_id(raw),
            path=path,
            raw=raw,
            title=title,
            url=url,
            published=published,
            published_from="user" if published else "unknown",
        )
        if clean_article(article, reference) is None:
            articles.append(article)
    for start in range(0, len(articles), ANNOTATE_BATCH):
        annotate(articles[start : start + ANNOTATE_BATCH], vectors=vectors)
    return articles


def group_texts(articles: Sequence[Article]) -> list[StoryGroup]:
    """Annotated articles (with vectors) grouped into stories in one run, in the given order: duplicates
    marked, then the grouping loop of :mod:`storyweave.group.stories`."""
    from storyweave.group.duplicates import mark_duplicates
    from storyweave.group.stories import group_stories

    mark_duplicates(articles)
    return group_stories(articles)


def analyze_texts(
    texts: Sequence[str],
    titles: Sequence[str | None] | None = None,
    published: str | None = None,
    options: AnalysisOptions | None = None,
) -> Story:
    """The full story analysis of texts known to report one story (the same text twice is one article;
    near copies are marked as duplicates, as the pipeline marks them)."""
    from storyweave.group.duplicates import mark_duplicates

    articles = articles_from_texts(texts, titles, published)
    seen: set[str] = set()
    unique = [a for a in articles if not (a.id in seen or seen.add(a.id))]  # type: ignore[func-returns-value]
    mark_duplicates(unique)
    group = StoryGroup(id=stable_id("s-", *sorted(a.id for a in unique)), articles=unique)
    return analyze_story(group, options)
