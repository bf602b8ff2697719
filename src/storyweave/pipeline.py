"""The whole run, stage after stage: ingest, clean, annotate, store, group, analyze, store, render.

Data goes one way. Each article is stored in its own transaction as soon as it is annotated; each
story's report is stored whole. Nothing here knows how a stage does its job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from storyweave.model import Article, Report, Skipped, Story

ProgressHook = Callable[[str, int, int], None]  # (stage, done, total)


def _noop(_stage: str, _done: int, _total: int) -> None:
    return None


def _user_date(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published)
    except ValueError:
        return None


def read_and_clean(
    paths: Sequence[str | Path], published: str | None, on_skip: Callable[[Skipped], None]
) -> tuple[list[Article], list[Skipped]]:
    """Ingest and clean every input; unreadable ones become Skipped entries, the rest go on."""
    from storyweave.clean import clean_text
    from storyweave.ingest import read_inputs
    from storyweave.ingest.dateline import apply_dateline

    articles: list[Article] = []
    skipped: list[Skipped] = []
    reference = _user_date(published)
    for item in read_inputs(paths, published=published):
        if isinstance(item, Skipped):
            skipped.append(item)
            on_skip(item)
            continue
        result = clean_text(item.raw, item.title)
        if not result.text.strip():
            entry = Skipped(item.path, "no article text left after removing page furniture")
            skipped.append(entry)
            on_skip(entry)
            continue
        item.text = result.text
        item.removed = list(result.removed)
        item.flags = list(result.flags)
        item.headings = list(result.headings)
        item.truncated_at = list(result.truncated_at)
        apply_dateline(item, reference)
        articles.append(item)
    return articles, skipped


def annotate_all(articles: Sequence[Article], progress: ProgressHook) -> None:
    from storyweave.nlp.annotate import annotate

    batch = 64
    for start in range(0, len(articles), batch):
        annotate(articles[start : start + batch])
        progress("annotate", min(start + batch, len(articles)), len(articles))


def analyze(
    paths: Sequence[str | Path],
    *,
    published: str | None = None,
    db: str | None = None,
    out: str | Path | None = None,
    formats: Iterable[str] = ("json", "md"),
    summary_sentences: int = 5,
    on_skip: Callable[[Skipped], None] | None = None,
    progress: ProgressHook | None = None,
) -> Report:
    """Turn files and folders of news reports into a report; store it and, with ``out``, write it.

    ``db`` is an SQLAlchemy URL (default: ``sqlite:///storyweave.db``): every run leaves its articles
    and story reports in a store, so later runs and the other tools can read them.
    """
    from storyweave.analysis.story import AnalysisOptions, analyze_story
    from storyweave.group.duplicates import mark_duplicates
    from storyweave.group.stories import group_stories
    from storyweave.render.json import report_to_dict
    from storyweave.store import open_store

    progress = progress or _noop
    articles, skipped = read_and_clean(paths, published, on_skip or (lambda _s: None))
    store = open_store(db)
    try:
        annotate_all(articles, progress)
        for article in articles:
            store.add_article(article)
        mark_duplicates(articles)
        groups = group_stories(articles)
        options = AnalysisOptions(summary_sentences=summary_sentences)
        stories: list[Story] = []
        for done, group in enumerate(groups, start=1):
            stories.append(analyze_story(group, options))
            progress("analyze", done, len(groups))
        report = Report(stories=stories, articles=len(articles), skipped=skipped)
        data = report_to_dict(report)
        for story, story_data in zip(stories, data["stories"], strict=True):
            store.save_story(story.id, story.title, [a.id for a in story.articles], story_data)
    finally:
        store.close()
    if out is not None:
        from storyweave.render import write_report

        write_report(data, Path(out), tuple(formats))
    return report
