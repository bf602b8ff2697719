"""The whole run, stage after stage: ingest, clean, annotate, store, group, analyze, store, render.

Data goes one way. Each article is stored in its own transaction as soon as it is annotated; each
story's report is stored whole. Nothing here knows how a stage does its job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storyweave.model import Article, Report, Skipped, Story

if TYPE_CHECKING:
    from storyweave.analysis.story import AnalysisOptions
    from storyweave.store import Store

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


@dataclass
class IngestResult:
    """What one ingest run did: articles read, stored and grouped, and the stories it touched."""

    read: int
    added: list[str]
    skipped: list[Skipped]
    stories: list[str]  # ids of the stories opened or grown, in the order they were opened
    failed: list[Skipped] = field(default_factory=list)  # stories whose analysis failed (kept unanalysed)

    @property
    def already_stored(self) -> int:
        return self.read - len(self.added)


def _group_new(
    store: Store, articles: Sequence[Article], quiet_days: int, progress: ProgressHook
) -> list[str]:
    """Mark duplicates, group the new articles into stored and new stories, store each at once."""
    from storyweave.group.duplicates import mark_duplicates, normalised_hash
    from storyweave.group.index import NO_DAY, StoryIndex, StoryState, day_number
    from storyweave.group.stories import StoryGrouper

    days = [d for d in (day_number(a.published) for a in articles) if d != NO_DAY]
    resumed = store.story_states(min(days, default=NO_DAY), max(days, default=NO_DAY), quiet_days)
    index = StoryIndex(quiet_days)
    for state in resumed:
        index.open(state)
    earlier_ids = [i for state in resumed for i in store.members(state.id)]
    hashes = {a.id: normalised_hash(a.text) for a in articles}
    mark_duplicates(
        articles, store.articles(earlier_ids), store.originals_by_hash(sorted(set(hashes.values())))
    )
    grouper = StoryGrouper(index, store.next_sequence(), store.term_statistics())
    known: dict[str, StoryState] = {s.id: s for s in resumed}
    story_of: dict[str, str] = {}
    originals = [a.duplicate_of for a in articles if a.duplicate_of]
    story_of.update(store.story_of(originals))

    def store_moves() -> None:
        for move in grouper.take_moves():
            store.move_article(move.article_id, move.from_story, move.to_story)
            known[move.to_story.id] = move.to_story
            story_of[move.article_id] = move.to_story.id

    for done, article in enumerate(articles, start=1):
        original: StoryState | None = None
        if article.duplicate_of and article.duplicate_of in story_of:
            story_id = story_of[article.duplicate_of]
            original = known.get(story_id) or store.story_state(story_id)
        state = grouper.add(article, original)
        store_moves()
        known[state.id] = state
        story_of[article.id] = state.id
        store.add_to_story(article, hashes[article.id], state)
        progress("group", done, len(articles))
    grouper.finish()
    store_moves()
    if articles:
        store.save_term_statistics(grouper.statistics)
    return grouper.touched_in_order()


def _analyse_stories(
    store: Store,
    story_ids: Sequence[str],
    fresh: dict[str, Article],
    options: AnalysisOptions,
    progress: ProgressHook,
    failed: list[Skipped],
) -> list[Story]:
    """(Re-)analyse whole stories from the store and save each report as soon as it is made."""
    from storyweave.analysis.story import analyze_story
    from storyweave.model import StoryGroup
    from storyweave.render.json import story_to_dict

    members = {story_id: store.members(story_id) for story_id in story_ids}
    missing = sorted({i for ids in members.values() for i in ids if i not in fresh})
    loaded = store.articles(missing)
    annotate_all(loaded, lambda _stage, done, total: progress("annotate stored", done, total))
    by_id = {**{a.id: a for a in loaded}, **fresh}
    analysed: list[Story] = []
    for done, story_id in enumerate(story_ids, start=1):
        group = StoryGroup(id=story_id, articles=[by_id[i] for i in members[story_id] if i in by_id])
        try:
            story = analyze_story(group, options)
            store.save_report(story.id, story.title, story_to_dict(story))
        except Exception as error:  # noqa: BLE001 - one story's failure must not stop the others
            failed.append(
                Skipped(story_id, f"analysis failed, kept for the next run: {type(error).__name__}: {error}")
            )
        else:
            analysed.append(story)
        progress("analyze", done, len(story_ids))
    return analysed


def _store_and_group(
    articles: list[Article], store: Store, quiet_days: int, progress: ProgressHook
) -> tuple[list[Article], list[str]]:
    """Store and group the articles not stored yet; the new ones, and the stories they touched."""
    unique = list({a.id: a for a in articles}.values())
    stored = store.known([a.id for a in unique])
    new = [a for a in unique if a.id not in stored]
    annotate_all(new, progress)
    touched = _group_new(store, new, quiet_days, progress)
    return new, touched


def store_and_group_annotated(
    articles: list[Article], store: Store, quiet_days: int, progress: ProgressHook | None = None
) -> tuple[list[Article], list[str]]:
    """The way in for an engine that read, cleaned and annotated the articles elsewhere (scale/ray):
    store and group those not stored yet, exactly as a local run does; the new ones, and the stories
    they touched in opening order. Articles already stored are never re-annotated, so an engine that
    asks ``store.known`` first annotates only what this keeps."""
    unique = list({a.id: a for a in articles}.values())
    stored = store.known([a.id for a in unique])
    new = [a for a in unique if a.id not in stored]
    return new, _group_new(store, new, quiet_days, progress or _noop)


def stories_to_analyse(store: Store, touched: list[str]) -> list[str]:
    """What ``ingest`` analyses: the stories it opened or grew, then any a failed earlier run left."""
    return touched + [s for s in store.unanalysed() if s not in touched]


@dataclass
class _Run:
    """What the shared part of ``ingest`` and ``analyze`` did."""

    articles: list[Article]  # read and cleaned, stored before or now
    skipped: list[Skipped]
    new: list[Article]  # stored by this run
    touched: list[str]  # stories opened or grown, in opening order
    analysed: list[Story]
    failed: list[Skipped]


# Which stories a run analyses, given the store, the articles read and the stories they touched.
StoryChoice = Callable[["Store", list[Article], list[str]], list[str]]


def _read_store_group_analyse(
    paths: Sequence[str | Path],
    published: str | None,
    db: str | None,
    quiet_days: int,
    summary_sentences: int,
    on_skip: Callable[[Skipped], None] | None,
    progress: ProgressHook | None,
    choose: StoryChoice,
) -> _Run:
    """Read and clean the inputs, store and group the new ones, then analyse the stories ``choose`` picks."""
    from storyweave.analysis.story import AnalysisOptions
    from storyweave.store import open_store

    progress = progress or _noop
    articles, skipped = read_and_clean(paths, published, on_skip or (lambda _s: None))
    store = open_store(db)
    failed: list[Skipped] = []
    try:
        new, touched = _store_and_group(articles, store, quiet_days, progress)
        options = AnalysisOptions(summary_sentences=summary_sentences)
        chosen = choose(store, articles, touched)
        analysed = _analyse_stories(store, chosen, {a.id: a for a in new}, options, progress, failed)
    finally:
        store.close()
    return _Run(articles, skipped, new, touched, analysed, failed)


def ingest(
    paths: Sequence[str | Path],
    *,
    published: str | None = None,
    db: str | None = None,
    quiet_days: int = 7,
    summary_sentences: int = 5,
    on_skip: Callable[[Skipped], None] | None = None,
    progress: ProgressHook | None = None,
) -> IngestResult:
    """Add news reports to the store, group them into its stories, re-analyse the stories that grew.

    Articles already stored are left alone, so ingesting the same archive twice adds nothing, and a
    story keeps its id for good. Stories left unanalysed by a failed earlier run are analysed now.
    """

    def grown_and_pending(store: Store, _articles: list[Article], touched: list[str]) -> list[str]:
        return stories_to_analyse(store, touched)

    run = _read_store_group_analyse(
        paths, published, db, quiet_days, summary_sentences, on_skip, progress, grown_and_pending
    )
    return IngestResult(
        read=len(run.articles),
        added=[a.id for a in run.new],
        skipped=run.skipped,
        stories=run.touched,
        failed=run.failed,
    )


def analyze(
    paths: Sequence[str | Path],
    *,
    published: str | None = None,
    db: str | None = None,
    out: str | Path | None = None,
    formats: Iterable[str] = ("json", "md"),
    summary_sentences: int = 5,
    quiet_days: int = 7,
    on_skip: Callable[[Skipped], None] | None = None,
    progress: ProgressHook | None = None,
) -> Report:
    """Turn files and folders of news reports into a report of their stories; store it and write it.

    The inputs go through the same path as ``ingest`` (stored, grouped with what the store holds),
    then every story that holds one of them is analysed and reported. ``db`` is an SQLAlchemy URL
    (default: ``sqlite:///storyweave.db``), so later runs and the other tools can read the result.
    """
    from storyweave.render.json import report_to_dict

    def holding_inputs(store: Store, articles: list[Article], _touched: list[str]) -> list[str]:
        return store.in_opening_order(store.story_of([a.id for a in articles]).values())

    run = _read_store_group_analyse(
        paths, published, db, quiet_days, summary_sentences, on_skip, progress, holding_inputs
    )
    if run.failed:
        raise RuntimeError(run.failed[0].reason)
    report = Report(stories=run.analysed, articles=len(run.articles), skipped=run.skipped)
    data = report_to_dict(report)
    if out is not None:
        from storyweave.render import write_report

        write_report(data, Path(out), tuple(formats))
    return report
