"""``storyweave ingest --engine ray``: read, clean, annotate and analyse on Ray Data; group in order.

The run has four steps, and each gives the same result as the local engine (tests/test_scale_ray.py):

1. **read + clean** (Ray Data tasks, one input file a block): ``read_inputs([file])``,
   ``clean_article`` and ``cut_long``, the functions the local engine calls. The driver puts the
   results back in read order and drops repeats across files, as ``read_inputs`` does in one process.
2. **annotate** (``map_batches`` over an actor pool, ``workers`` actors, each loading spaCy and the
   sentence encoder once): the articles not stored yet, in the same chunks of 64 as the local engine's
   ``annotate_all``, so every batch the models see is the same.
3. **store + group** (the driver): one online pass over the new articles in read order, through
   :func:`storyweave.pipeline.store_and_group_annotated`, the code the local engine runs. Grouping is
   sequential by nature (each article is compared with the stories open when it arrives); at
   CC-NEWS scale it is partitioned by time window (docs/scale.md), not spread over workers.
4. **analyse** (the driver): the stories that were opened or grew, each analysed whole from the store
   by the local engine's code (:func:`storyweave.pipeline.analyse_stored`), so the reports are the local
   engine's byte for byte; an actor pool re-parsing stored articles gave reports that could differ.

A Ray cluster is joined with ``address`` ("auto" or HOST:PORT); without one, a local Ray with
``num_cpus=workers`` is started for the run and stopped after it. When Ray is already initialised in
this process (tests, notebooks), that Ray is used and left running.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import resource
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from storyweave.cores import usable_cores
from storyweave.model import Article, Skipped
from storyweave.pipeline import IngestOptions, IngestResult, ProgressHook

if TYPE_CHECKING:
    from storyweave.scale.transport import Parcel

# The local engine's annotate_all batch (pipeline.py): the same chunks give the same model batches.
ANNOTATE_CHUNK = 64
# Ray's object store for a local run: 20 % of memory is Ray's default; reading keeps whole inputs
# there, so it is capped to what a laptop can spare and spills to disk beyond it.
OBJECT_STORE_BYTES = 512 * 1024 * 1024


class RayUnavailableError(RuntimeError):
    """Ray is not installed: the message says which extra installs it."""


@dataclass
class RayRun:
    """What the Ray engine measured: seconds per step and each worker's peak memory (RSS, bytes)."""

    seconds: dict[str, float] = field(default_factory=dict)
    worker_peak_rss: dict[str, int] = field(default_factory=dict)  # "annotate:<pid>" -> bytes
    # CPU seconds each annotate worker spent on its chunks after loading its models: unlike wall
    # time, not inflated when other processes share the cores.
    annotate_cpu: dict[str, float] = field(default_factory=dict)
    workers: int = 0
    threads: int = 1  # encoder threads per worker


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RayUnavailableError(
            "the Ray engine needs Ray: pip install 'storyweave[ray]' (ray[data] and pyarrow)"
        ) from None
    return ray


def _quiet_ray_data() -> None:
    """No progress bars or per-dataset log lines: the command prints its own summary."""
    from ray.data import DataContext
    from ray.data._internal.logging import configure_logging

    configure_logging()  # Ray Data sets its loggers' levels here; lowered after it
    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.execution_options.verbose_progress = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


@contextmanager
def ray_session(address: str | None, workers: int | None) -> Iterator[int]:
    """Join the cluster at ``address``, use the Ray already running here, or start a local one.

    Yields the number of workers to use: ``workers``, or the cluster's CPUs when not given.
    """
    ray = _import_ray()
    started = False
    if not ray.is_initialized():
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine unasked
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.ERROR)
        else:
            ray.init(
                num_cpus=workers or usable_cores(),
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.ERROR,
                object_store_memory=OBJECT_STORE_BYTES,
            )
        started = True
    _quiet_ray_data()
    try:
        yield workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    finally:
        if started:
            ray.shutdown()


def _user_date(published: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published) if published else None
    except ValueError:
        return None


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return float(usage.ru_utime + usage.ru_stime)


def _peak_rss() -> int:
    """This process's peak resident memory in bytes (Linux reports KiB)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


# --------------------------------------------------------------------------- step 1: read + clean


def read_clean_unit(batch: dict[str, Any], published: str | None) -> dict[str, list[Any]]:
    """Read and clean the input files of a batch, each item with its place in read order.

    Each item is (kind, article id, path, reason, pickled article): ``article`` (cleaned), ``empty``
    (nothing left after cleaning) or ``skipped``. The id of an empty one is kept, so the driver can
    drop repeats across files before it counts the emptiness, as one ``read_inputs`` run does.
    """
    from storyweave.clean.article import clean_article, cut_long
    from storyweave.ingest import read_inputs
    from storyweave.ingest.warc import OTHER_SHARE, archive_share

    reference = _user_date(published)
    out: dict[str, list[Any]] = {k: [] for k in ("order", "item", "kind", "id", "path", "reason", "data")}

    def emit(order: int, item: int, kind: str, ident: str, path: str, reason: str, data: bytes) -> None:
        for key, value in zip(out, (order, item, kind, ident, path, reason, data), strict=True):
            out[key].append(value)

    shares = zip(batch["order"], batch["unit"], batch["part"], batch["parts"], strict=True)
    for order, unit, part, parts in shares:
        with archive_share(int(part), int(parts)):  # read while the share holds: the reader is lazy
            read = enumerate(read_inputs([str(unit)], published=published))
            for number, found in read:
                if isinstance(found, Skipped) and found.reason == OTHER_SHARE:
                    continue  # another task's share of the archive: its item number stays its own
                if isinstance(found, Skipped):
                    emit(int(order), number, "skipped", "", found.path, found.reason, b"")
                    continue
                if clean_article(found, reference) is not None:
                    emit(int(order), number, "empty", found.id, found.path, "", b"")
                    continue
                cut = cut_long(found)  # the local engine's cut, its line shown as a skip there too
                if cut is not None:
                    emit(int(order), number, "skipped", "", found.path, cut, b"")
                emit(int(order), number, "article", found.id, found.path, "", pickle.dumps(found))
    out["pid"] = [os.getpid()] * len(out["order"])
    out["rss"] = [_peak_rss()] * len(out["order"])
    return out


def _is_archive(path: str) -> bool:
    """Whether an input is a WARC archive, which several workers read in shares."""
    name = path.lower()
    return name.endswith((".warc", ".warc.gz"))


def _read_and_clean(
    ray: Any, paths: Sequence[str | Path], published: str | None, workers: int, run: RayRun
) -> tuple[list[Article], list[Skipped]]:
    """Step 1 on Ray, then the driver's reassembly: articles and skips exactly as read_and_clean."""
    from storyweave.ingest import input_files, normalise_date

    skipped: list[Skipped] = []
    if published is not None and normalise_date(published) is None:
        skipped.append(Skipped("--published", f"not a date: {published!r}"))
    units: list[str] = []
    for unit in input_files(paths):
        if isinstance(unit, Skipped):
            skipped.append(unit)
        else:
            units.append(unit)
    if not units:
        return [], skipped
    # An archive (one WARC file holds thousands of pages) is read by every worker, each extracting its share
    # of the pages; any other file by one task.
    tasks = [
        {"order": i, "unit": u, "part": part, "parts": parts}
        for i, u in enumerate(units)
        for parts in [workers if _is_archive(u) else 1]
        for part in range(parts)
    ]
    rows: list[dict[str, Any]] = (
        ray.data.from_items(tasks, override_num_blocks=len(tasks))
        .map_batches(
            read_clean_unit,
            batch_size=1,
            fn_kwargs={"published": published},
            compute=ray.data.TaskPoolStrategy(size=min(workers, len(tasks))),
        )
        .take_all()
    )
    rows.sort(key=lambda r: (r["order"], r["item"]))
    for row in rows:
        run.worker_peak_rss[f"read:{row['pid']}"] = max(
            run.worker_peak_rss.get(f"read:{row['pid']}", 0), int(row["rss"])
        )
    articles: list[Article] = []
    first_path: dict[str, str] = {}
    seen_skips: set[tuple[str, str]] = set()
    for row in rows:
        kind, ident, path = row["kind"], row["id"], row["path"]
        if kind == "skipped":
            entry = (path, row["reason"])
            # a folder's manifest is read by every file's task, an archive by each of its shares' tasks:
            # a problem of either is reported once
            if entry[0] == "--published" or entry in seen_skips:
                continue
            seen_skips.add(entry)
            skipped.append(Skipped(path, row["reason"]))
            continue
        if ident in first_path:
            skipped.append(Skipped(path, f"duplicate of {first_path[ident]}"))
            continue
        first_path[ident] = path
        if kind == "empty":
            skipped.append(Skipped(path, "no article text left after removing page furniture"))
            continue
        articles.append(pickle.loads(row["data"]))  # noqa: S301 - made by read_clean_unit above
    return articles, skipped


# --------------------------------------------------------------------------- step 2: annotate


def _load_models(threads: int) -> None:
    """spaCy and the encoder, once per worker; the encoder on this worker's share of the cores."""
    from storyweave.nlp.pipeline import get_nlp
    from storyweave.nlp.vectors import THREADS_ENV, get_encoder

    os.environ[THREADS_ENV] = str(threads)
    get_nlp()
    get_encoder()


# Threads per worker's encoder: one. Each annotate worker holds one CPU of Ray's (``num_cpus=1``) and parses
# in one process, so it uses one core, and more workers, not more threads, use more cores. A lone worker
# given both cores of the 2-core machine left a second worker little to add (ray2 / ray1 1.19-1.30 against
# 1.61 with one thread each, bench/scale_ray.py).
WORKER_THREADS = 1


class Annotator:
    """A Ray actor: spaCy and the sentence encoder loaded once, then a chunk of articles a row."""

    def __init__(self, threads: int) -> None:
        _load_models(threads)
        self.loaded_cpu = _cpu_seconds()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        from storyweave.nlp.annotate import annotate
        from storyweave.scale.transport import pack, to_parcels, unpack

        chunks, data = [], []
        for chunk, payload in zip(batch["chunk"], batch["data"], strict=True):
            articles = [p.article for p in unpack(payload)]
            annotate(articles, processes=1)  # one actor per CPU already
            chunks.append(int(chunk))
            data.append(pack(to_parcels(articles)))
        return {
            "chunk": chunks,
            "data": data,
            "pid": [os.getpid()] * len(chunks),
            "rss": [_peak_rss()] * len(chunks),
            "cpu": [_cpu_seconds() - self.loaded_cpu] * len(chunks),
        }


def _annotate(
    ray: Any, articles: list[Article], workers: int, progress: ProgressHook, run: RayRun
) -> list[Parcel]:
    """Step 2: the articles annotated by the actor pool, back in their order, docs still as bytes."""
    from storyweave.scale.transport import Parcel, pack, unpack

    if not articles:
        return []
    threads = run.threads
    chunks = [articles[i : i + ANNOTATE_CHUNK] for i in range(0, len(articles), ANNOTATE_CHUNK)]
    items = [{"chunk": n, "data": pack([Parcel(a) for a in chunk])} for n, chunk in enumerate(chunks)]
    dataset = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
        Annotator,
        batch_size=1,
        fn_constructor_kwargs={"threads": threads},
        compute=ray.data.ActorPoolStrategy(size=min(workers, len(items))),
        num_cpus=1,
    )
    done: dict[int, list[Parcel]] = {}
    count = 0
    for row in dataset.iter_rows():
        parcels = unpack(row["data"])
        done[int(row["chunk"])] = parcels
        count += len(parcels)
        key = f"annotate:{row['pid']}"
        run.worker_peak_rss[key] = max(run.worker_peak_rss.get(key, 0), int(row["rss"]))
        run.annotate_cpu[key] = max(run.annotate_cpu.get(key, 0.0), float(row["cpu"]))
        progress("annotate", count, len(articles))
    return [p for n in range(len(chunks)) for p in done[n]]


# --------------------------------------------------------------------------- the run


def ingest(
    paths: Sequence[str | Path],
    *,
    address: str | None = None,
    workers: int | None = None,
    analyse: bool = True,
    run: RayRun | None = None,
    **options: Unpack[IngestOptions],
) -> IngestResult:
    """``storyweave.ingest`` on Ray: the same store, stories, ids and reports as the local engine.

    ``analyse=False`` stops after grouping (bench/scale_ray.py times the steps before analysis);
    ``run`` collects seconds per step and each worker's peak memory.
    """
    from storyweave.pipeline import (
        analyse_stored,
        run_options,
        store_and_group_annotated,
        stories_to_analyse,
    )
    from storyweave.scale.transport import stored_parses
    from storyweave.store import open_store

    settings = run_options(options)
    published, on_skip = settings["published"], settings["on_skip"]
    hook: ProgressHook = settings["progress"] or (lambda _stage, _done, _total: None)
    run = run if run is not None else RayRun()
    ray = _import_ray()
    with ray_session(address, workers) as count:
        run.workers = count
        run.threads = WORKER_THREADS
        clock = time.perf_counter()
        articles, skipped = _read_and_clean(ray, paths, published, count, run)
        run.seconds["read+clean"] = time.perf_counter() - clock
        for entry in skipped:
            if on_skip is not None:
                on_skip(entry)
        store = open_store(settings["db"])
        failed: list[Skipped] = []
        try:
            stored = store.known([a.id for a in articles])
            clock = time.perf_counter()
            parcels = _annotate(ray, [a for a in articles if a.id not in stored], count, hook, run)
            run.seconds["annotate"] = time.perf_counter() - clock
            clock = time.perf_counter()
            articles_in = [p.article for p in parcels]
            new, touched = store_and_group_annotated(
                articles_in, store, settings["quiet_days"], hook, parses=stored_parses(parcels)
            )
            run.seconds["group"] = time.perf_counter() - clock
            if analyse:
                clock = time.perf_counter()
                # Analysed on the driver by the local engine's code, from the stored parses and vectors:
                # analysis on the actor pool re-parsed stored articles and encoded vectors afresh, and
                # float16 stored vectors against float32 fresh ones can move a report (same input, same
                # output comes first). Ray's share of the work is reading, cleaning and annotating.
                chosen = stories_to_analyse(store, touched)
                failed = analyse_stored(store, chosen, settings["summary_sentences"], hook)
                run.seconds["analyse"] = time.perf_counter() - clock
        finally:
            store.close()
    return IngestResult(
        read=len(articles), added=[a.id for a in new], skipped=skipped, stories=touched, failed=failed
    )
