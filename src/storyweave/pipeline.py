"""The whole run, stage after stage: ingest, clean, annotate, store, group, analyze, store, render.

Data goes one way. Each article is stored in its own transaction as soon as it is annotated; each
story's report is stored whole. Nothing here knows how a stage does its job.
"""

from __future__ import annotations

import datetime as dt
import io
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from storyweave.defaults import QUIET_DAYS, SUMMARY_SENTENCES
from storyweave.model import Article, Report, Skipped, Story

if TYPE_CHECKING:
    from storyweave.analysis.story import AnalysisOptions
    from storyweave.store import Store

ProgressHook = Callable[[str, int, int], None]  # (stage, done, total)


class IngestOptions(TypedDict, total=False):
    """What a run takes beside its inputs, for ``analyze`` and each engine's ``ingest``: listed once, so
    the engines cannot drift apart. A key left out takes its value from ``RUN_DEFAULTS``."""

    published: str | None  # YYYY-MM-DD for reports that carry no date of their own
    db: str | None  # SQLAlchemy URL (default: sqlite:///storyweave.db)
    quiet_days: int
    summary_sentences: int
    on_skip: Callable[[Skipped], None] | None  # told of each input that could not be read
    progress: ProgressHook | None


RUN_DEFAULTS: IngestOptions = {
    "published": None,
    "db": None,
    "quiet_days": QUIET_DAYS,
    "summary_sentences": SUMMARY_SENTENCES,
    "on_skip": None,
    "progress": None,
}


def run_options(options: IngestOptions) -> IngestOptions:
    """``options`` with every key present: the defaults for the ones left out."""
    return {**RUN_DEFAULTS, **options}


def _noop(_stage: str, _done: int, _total: int) -> None:
    return None


def _user_date(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published)
    except ValueError:
        return None


# Articles annotated, stored and grouped together: one nlp.pipe and one encoder call per chunk,
# while the parses held in memory stay bounded whatever the number of inputs (bench/throughput.py).
CHUNK = 64
# Member articles loaded per analysis batch: their sentence vectors are encoded in one call.
ANALYSIS_BATCH = 64


def _read_clean_iter(
    paths: Sequence[str | Path],
    published: str | None,
    on_skip: Callable[[Skipped], None],
    items: Iterable[Article | Skipped] | None = None,
) -> Iterator[Article | Skipped]:
    """Ingest and clean input after input: Articles, and a Skipped for each one left out or cut."""
    from storyweave.clean.article import clean_article, cut_long
    from storyweave.ingest import read_inputs

    reference = _user_date(published)
    for item in read_inputs(paths, published=published) if items is None else items:
        if isinstance(item, Skipped):
            on_skip(item)
            yield item
            continue
        reason = clean_article(item, reference)
        if reason is not None:
            entry = Skipped(item.path, reason)
            on_skip(entry)
            yield entry
            continue
        cut = cut_long(item)
        if cut is not None:
            entry = Skipped(item.path, cut)
            on_skip(entry)
            yield entry
        yield item


def read_and_clean(
    paths: Sequence[str | Path], published: str | None, on_skip: Callable[[Skipped], None]
) -> tuple[list[Article], list[Skipped]]:
    """Ingest and clean every input; unreadable ones become Skipped entries, the rest go on."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for item in _read_clean_iter(paths, published, on_skip):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            articles.append(item)
    return articles, skipped


def annotate_all(articles: Sequence[Article], progress: ProgressHook) -> None:
    from storyweave.nlp.annotate import annotate

    for start in range(0, len(articles), CHUNK):
        annotate(articles[start : start + CHUNK])
        progress("annotate", min(start + CHUNK, len(articles)), len(articles))


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


class _GroupingOrder:
    """A batch of articles keyed (no-date flag, published, id, ...) for grouping: what the spool and the
    annotated batch both answer the grouper, from their keys."""

    _keys: Sequence[tuple[Any, ...]]

    @property
    def ids(self) -> list[str]:
        return [key[2] for key in self._keys]

    def parse_of(self, article: Article) -> bytes:
        """The article's parse in the form the store keeps it."""
        from storyweave.nlp.stored import doc_to_bytes

        assert article.doc is not None
        return doc_to_bytes(article.doc)

    def days(self, skip: set[str]) -> list[int]:
        """The publication days of the articles but those in ``skip``."""
        from storyweave.group.index import NO_DAY, day_number

        found = (day_number(key[1] or None) for key in self._keys if key[2] not in skip)
        return [day for day in found if day != NO_DAY]


class _Spool(_GroupingOrder):
    """Cleaned articles parked on disk between reading and grouping, so that the batch can be taken
    in publication order while memory holds only one sort key per article."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._keys: list[tuple[bool, str, str, int]] = []
        self._ids: set[str] = set()

    def add(self, article: Article) -> None:
        if article.id in self._ids:
            return  # the same content twice in one batch is one article
        self._ids.add(article.id)
        offset = self._file.seek(0, io.SEEK_END)
        pickle.dump(article, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._keys.append((article.published is None, article.published or "", article.id, offset))

    def in_order(self, skip: set[str]) -> Iterator[list[Article]]:
        """The articles not in ``skip``, in grouping order, CHUNK at a time."""
        chunk: list[Article] = []
        for key in sorted(self._keys):
            if key[2] in skip:
                continue
            self._file.seek(key[3])
            chunk.append(pickle.load(self._file))  # noqa: S301 - our own temporary file
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def close(self) -> None:
        self._file.close()


class _Annotated(_GroupingOrder):
    """Articles another engine read, cleaned and annotated (scale/ray), in memory with their parses in
    the form the store keeps them, taken in the same grouping order as the spool's."""

    def __init__(self, articles: Sequence[Article], parses: Mapping[str, bytes]) -> None:
        self._articles = {a.id: a for a in articles}
        self._parses = parses
        self._keys = sorted((a.published is None, a.published or "", a.id) for a in self._articles.values())

    def parse_of(self, article: Article) -> bytes:
        """The parse the engine sent in its stored form, else the article's own doc serialised."""
        sent = self._parses.get(article.id)
        return sent if sent is not None else super().parse_of(article)

    def in_order(self, skip: set[str]) -> Iterator[list[Article]]:
        todo = [self._articles[key[2]] for key in self._keys if key[2] not in skip]
        for start in range(0, len(todo), CHUNK):
            yield todo[start : start + CHUNK]


def _group_stream(
    store: Store,
    spool: _Spool | _Annotated,
    quiet_days: int,
    progress: ProgressHook,
    keep: list[Article] | None = None,
) -> tuple[list[str], list[str]]:
    """Annotate, store and group the spooled articles not stored yet, CHUNK after CHUNK.

    Everything happens under the store's grouping lock, from reading the grouping state to the
    last article, so two runs on one store queue. Each article is stored in one transaction with
    its place in a story, the story's new state and the grouping counters; the word statistics are
    saved after each chunk (a resumed run recounts the articles after them). A parse is dropped
    once stored. Returns the ids added and the stories touched, in opening order; ``keep``
    collects the added articles (without their parses) for callers that want them.
    """
    from storyweave.group.duplicates import DuplicateFinder, normalised_hash
    from storyweave.group.index import NO_DAY, StoryIndex, StoryState, day_number
    from storyweave.group.stories import StoryGrouper
    from storyweave.nlp.annotate import annotate

    added: list[str] = []
    with store.grouping_lock():
        statistics = store.term_statistics(save_if_behind=True)
        stored = store.known(spool.ids)
        todo = len(spool.ids) - len(stored)
        if not todo:
            return added, []
        days = spool.days(stored)
        resumed = store.story_states(min(days, default=NO_DAY), max(days, default=NO_DAY), quiet_days)
        index = StoryIndex(quiet_days)
        for state in resumed:
            index.open(state)
        members = {state.id: store.members(state.id) for state in resumed}
        earlier = store.articles([i for state in resumed for i in members[state.id]])
        finder = DuplicateFinder(todo + len(earlier), store.text_of)
        finder.add_earlier(earlier)
        del earlier
        grouper = StoryGrouper(index, store.next_sequence(), statistics)
        pending = store.pending_weights([state.id for state in resumed])
        for state in resumed:
            if state.id in pending and members[state.id]:
                grouper.resume_alone(state, members[state.id][0], pending[state.id])
        known: dict[str, StoryState] = {s.id: s for s in resumed}
        number = store.grouped_count()

        def store_moves() -> None:
            for move in grouper.take_moves():
                store.move_article(move.article_id, move.from_story, move.to_story, move.position)
                known[move.to_story.id] = move.to_story
            for story_id in grouper.take_settled():
                store.clear_pending(story_id)

        done = 0
        for chunk in spool.in_order(stored):
            if isinstance(spool, _Spool):
                annotate(chunk)
                progress("annotate", done + len(chunk), todo)
            hashes = {a.id: normalised_hash(a.text) for a in chunk}
            finder.mark(chunk, store.originals_by_hash(sorted(set(hashes.values()))))
            for article in chunk:
                grouper.advance(day_number(article.published))
                store_moves()  # stored before the article changes the stories they went to
                original: StoryState | None = None
                if article.duplicate_of:
                    story_id = store.story_of([article.duplicate_of]).get(article.duplicate_of)
                    if story_id is not None:
                        original = known.get(story_id) or store.story_state(story_id)
                state = grouper.add(article, original)
                store_moves()
                known[state.id] = state
                store.add_to_story(
                    article,
                    hashes[article.id],
                    state,
                    grouped=number,
                    doc=spool.parse_of(article),
                    pending=grouper.pending(state.id),
                    next_sequence=grouper.next_sequence,
                )
                number += 1
                done += 1
                added.append(article.id)
                article.doc = None
                progress("group", done, todo)
            store.save_term_statistics(grouper.statistics)
            if keep is not None:
                keep.extend(chunk)
        grouper.finish()
        store_moves()
    return added, grouper.touched_in_order()


def _load_for_analysis(store: Store, ids: Sequence[str]) -> list[Article]:
    """Stored articles with their parses read back (parsed again only where a store has none)."""
    from storyweave.nlp.annotate import annotate, restore
    from storyweave.nlp.stored import docs_from_bytes

    loaded = store.articles(ids)
    blobs = store.docs([a.id for a in loaded])
    with_doc = [a for a in loaded if a.id in blobs]
    for article, doc in zip(with_doc, docs_from_bytes([blobs[a.id] for a in with_doc]), strict=True):
        article.doc = doc
    restore(with_doc)
    unparsed = [a for a in loaded if a.id not in blobs]
    if unparsed:
        annotate(unparsed, vectors=False)
    for article in loaded:
        if article.vectors is not None and len(article.vectors) != len(article.sentences):
            article.vectors = None  # made from other sentences: encode again
    return loaded


def _encode_missing(store: Store, articles: Sequence[Article]) -> None:
    """What the analyses encode of the articles that lack it (analysis/article_vectors.py), in one batch,
    kept in the store; rounded as stored, so a fresh and a stored analysis give the same report."""
    from storyweave.analysis.article_vectors import encode_articles

    store.save_vectors(encode_articles(articles))


def _analyse_stories(
    store: Store,
    story_ids: Sequence[str],
    fresh: dict[str, Article],
    options: AnalysisOptions,
    progress: ProgressHook,
    failed: list[Skipped],
) -> list[Story]:
    """(Re-)analyse whole stories from the store and save each report as soon as it is made.

    Members come from the store with their stored parses and sentence vectors, a batch of stories
    at a time, so memory holds one batch; ``fresh`` (articles of this run) is accepted for callers
    that hold them, but the store's copy is what is analysed, so a story's report does not depend
    on which run its members came from.
    """
    from storyweave.analysis.story import analyze_story, compares_reports
    from storyweave.model import StoryGroup
    from storyweave.render.json import story_to_dict

    del fresh
    analysed: list[Story] = []
    done = 0
    pending = list(story_ids)
    while pending:
        batch: dict[str, list[str]] = {}
        while pending and (not batch or sum(map(len, batch.values())) < ANALYSIS_BATCH):
            story_id = pending.pop(0)
            batch[story_id] = store.members(story_id)
        loaded = _load_for_analysis(store, [i for ids in batch.values() for i in ids])
        progress("load", done + len(batch), len(story_ids))
        by_id = {a.id: a for a in loaded}
        members = {story_id: [by_id[i] for i in ids if i in by_id] for story_id, ids in batch.items()}
        compared = [a for group in members.values() if compares_reports(group) for a in group]
        _encode_missing(store, [a for a in compared if not a.duplicate_of])
        progress("encode", done + len(batch), len(story_ids))
        for story_id, ids in batch.items():
            group = StoryGroup(id=story_id, articles=members[story_id])
            try:
                story = analyze_story(group, options)
                store.save_report(story.id, story.title, story_to_dict(story), size=len(ids))
            except Exception as error:  # noqa: BLE001 - one story's failure must not stop the others
                reason = f"analysis failed, kept for the next run: {type(error).__name__}: {error}"
                failed.append(Skipped(story_id, reason))
            else:
                analysed.append(story)
            done += 1
            progress("analyze", done, len(story_ids))
        for article in loaded:
            article.doc = None
    return analysed


def _store_and_group(
    articles: list[Article], store: Store, quiet_days: int, progress: ProgressHook
) -> tuple[list[Article], list[str]]:
    """Store and group the articles not stored yet (already read and cleaned), in publication order;
    the new ones, and the stories they touched."""
    spool = _Spool()
    try:
        for article in articles:
            spool.add(article)
        new: list[Article] = []
        _added, touched = _group_stream(store, spool, quiet_days, progress, keep=new)
    finally:
        spool.close()
    return new, touched


def store_and_group_annotated(
    articles: list[Article],
    store: Store,
    quiet_days: int,
    progress: ProgressHook | None = None,
    *,
    parses: Mapping[str, bytes] | None = None,
) -> tuple[list[Article], list[str]]:
    """The way in for an engine that read, cleaned and annotated the articles elsewhere (scale/ray):
    store and group those not stored yet, exactly as a local run does; the new ones, and the stories
    they touched in opening order. ``parses``: each article's parse already in its stored form
    (``nlp/stored.py``), else taken from ``article.doc``. Articles already stored are never re-annotated,
    so an engine that asks ``store.known`` first annotates only what this keeps."""
    new: list[Article] = []
    spool = _Annotated(articles, parses or {})
    _added, touched = _group_stream(store, spool, quiet_days, progress or _noop, keep=new)
    return new, touched


def analyse_stored(
    store: Store,
    story_ids: Sequence[str],
    summary_sentences: int = SUMMARY_SENTENCES,
    progress: ProgressHook | None = None,
) -> list[Skipped]:
    """The way in for another engine's analysis step: the stories analysed from the store exactly as a
    local run analyses them (stored parses and vectors), each report saved; the stories that failed."""
    from storyweave.analysis.story import AnalysisOptions

    failed: list[Skipped] = []
    options = AnalysisOptions(summary_sentences=summary_sentences)
    _analyse_stories(store, story_ids, {}, options, progress or _noop, failed)
    return failed


def stories_to_analyse(store: Store, touched: list[str]) -> list[str]:
    """What ``ingest`` analyses: the stories it opened or grew, then any a failed earlier run left."""
    return touched + [s for s in store.unanalysed() if s not in touched]


@dataclass
class _Run:
    """What the shared part of ``ingest`` and ``analyze`` did."""

    read: list[str]  # ids of the articles read and cleaned, stored before or now
    skipped: list[Skipped]
    new: list[str]  # ids of the articles stored by this run
    touched: list[str]  # stories opened or grown, in opening order
    analysed: list[Story]
    failed: list[Skipped]


# Which stories a run analyses, given the store, the articles read and the stories they touched.
StoryChoice = Callable[["Store", list[str], list[str]], list[str]]


def _read_store_group_analyse(
    paths: Sequence[str | Path],
    options: IngestOptions,
    choose: StoryChoice,
    items: Iterable[Article | Skipped] | None = None,
) -> _Run:
    """Read and clean the inputs, store and group the new ones, then analyse the stories ``choose`` picks."""
    from storyweave.analysis.story import AnalysisOptions
    from storyweave.store import open_store

    settings = run_options(options)
    published, on_skip = settings["published"], settings["on_skip"]
    progress = settings["progress"] or _noop
    skipped: list[Skipped] = []
    failed: list[Skipped] = []
    spool = _Spool()
    try:
        read = 0
        for item in _read_clean_iter(paths, published, on_skip or (lambda _s: None), items):
            if isinstance(item, Skipped):
                skipped.append(item)
            else:
                read += 1
                spool.add(item)
        progress("read", read, read)
        store = open_store(settings["db"])
        try:
            new, touched = _group_stream(store, spool, settings["quiet_days"], progress)
            analysis = AnalysisOptions(summary_sentences=settings["summary_sentences"])
            chosen = choose(store, spool.ids, touched)
            analysed = _analyse_stories(store, chosen, {}, analysis, progress, failed)
        finally:
            store.close()
    finally:
        spool.close()
    return _Run(spool.ids, skipped, new, touched, analysed, failed)


def ingest(
    paths: Sequence[str | Path],
    *,
    items: Iterable[Article | Skipped] | None = None,
    **options: Unpack[IngestOptions],
) -> IngestResult:
    """Add news reports to the store, group them into its stories, re-analyse the stories that grew.

    Articles already stored are left alone, so ingesting the same archive twice adds nothing, and a
    story keeps its id for good. Stories left unanalysed by a failed earlier run are analysed now.
    ``items`` (already read articles, e.g. posted to the HTTP API) are ingested instead of ``paths``.
    """

    def grown_and_pending(store: Store, _read: list[str], touched: list[str]) -> list[str]:
        return stories_to_analyse(store, touched)

    run = _read_store_group_analyse(paths, options, grown_and_pending, items)
    return IngestResult(
        read=len(run.read),
        added=run.new,
        skipped=run.skipped,
        stories=run.touched,
        failed=run.failed,
    )


def analyze(
    paths: Sequence[str | Path],
    *,
    out: str | Path | None = None,
    formats: Iterable[str] = ("json", "md"),
    **options: Unpack[IngestOptions],
) -> Report:
    """Turn files and folders of news reports into a report of their stories; store it and write it.

    The inputs go through the same path as ``ingest`` (stored, grouped with what the store holds),
    then every story that holds one of them is analysed and reported. ``db`` is an SQLAlchemy URL
    (default: ``sqlite:///storyweave.db``), so later runs and the other tools can read the result.
    """
    from storyweave.render.json import report_to_dict

    def holding_inputs(store: Store, read: list[str], _touched: list[str]) -> list[str]:
        return store.in_opening_order(store.story_of(read).values())

    run = _read_store_group_analyse(paths, options, holding_inputs)
    if run.failed:
        raise RuntimeError(run.failed[0].reason)
    report = Report(stories=run.analysed, articles=len(run.read), skipped=run.skipped)
    data = report_to_dict(report)
    if out is not None:
        from storyweave.render import write_report

        write_report(data, Path(out), tuple(formats))
    return report
