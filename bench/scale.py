"""Story grouping at corpus scale: throughput and index memory at 10,000 and 100,000 articles.

    python bench/scale.py [--neus FILE] [--pool N] [--sizes 10000,100000] [--json FILE]

The corpus is generated from real reports: the first ``--pool`` stories of NeuS train (three
outlets each) are annotated once by storyweave (sentences, names, lead vectors). A synthetic story
copies one pool story's reports, each article's lead vector moved by a little noise and a share of
its names dropped, so that no two articles are identical; stories start at a steady rate over the
days of a simulated archive (1,000 articles a day) and each runs for one to three days. A pool
story is reused as many times as the size needs, each reuse made a different story: its vectors'
dimensions permuted (another direction in the space, with the same spread) and its names tagged.

Grouping (``storyweave.group.stories.group_stories``, the same code ``storyweave ingest`` runs) is
timed alone, and in a second run its peak memory is read with tracemalloc (the index: centroids,
word profiles and frequencies, name postings, time windows, and the story lists it returns; the
annotated articles are allocated before the measurement starts). Beside it, in
the same run, the baseline without the index's time window (every story ever opened stays a
candidate, so cost grows with the square of the corpus) at the smaller sizes only.

Online grouping across runs: the same archive is also grouped in daily batches, each batch a new
grouper over the stories the store would hand it (those open at the batch's first day, with the word
statistics and sequence carried over), as daily ``storyweave ingest`` runs do. Printed: its B³
against the gold stories, and its B³ agreement with the one-batch grouping (the difference
between one batch and daily batches is bounded and measured).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_io import absent, bench_parser  # noqa: E402
from grouping import b_cubed  # noqa: E402
from storyweave.group.index import StoryIndex, StoryState, day_number  # noqa: E402
from storyweave.group.stories import StoryGrouper, group_stories  # noqa: E402
from storyweave.group.terms import TermStatistics  # noqa: E402
from storyweave.model import Article, stable_id  # noqa: E402
from summary import parse_story  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_NEUS = REPO.parent / "shared" / "datasets" / "neus-allsides" / "train.source"
ARTICLES_PER_DAY = 1000
START = dt.date(2026, 1, 1)
NOISE = 0.15  # norm of the noise added to a unit lead vector: cosine to the original stays about 0.99
NAME_KEEP = 0.8


def annotated_pool(neus: Path, stories: int) -> list[list[Article]]:
    """The first ``stories`` NeuS stories, each a list of its annotated reports."""
    from storyweave.nlp.annotate import annotate

    pool: list[list[Article]] = []
    with neus.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= stories:
                break
            reports = [
                Article(
                    id=stable_id("a-", str(number), str(k)),
                    path=f"neus-{number}-{k}",
                    raw=body,
                    text=body,
                    title=title,
                )
                for k, (title, body) in enumerate(parse_story(line))
                if body
            ]
            if reports:
                pool.append(reports)
    flat = [a for story in pool for a in story]
    start = time.perf_counter()
    for begin in range(0, len(flat), 256):
        annotate(flat[begin : begin + 256])
        print(f"\rannotating the pool: {min(begin + 256, len(flat))}/{len(flat)}", end="", file=sys.stderr)
    print(f" ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    return pool


def synthetic_corpus(
    pool: Sequence[Sequence[Article]], size: int, seed: int = 7
) -> tuple[list[Article], dict[str, int]]:
    """``size`` articles of synthetic stories from the pool, in publication order, and each one's story."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    articles: list[tuple[int, int, Article]] = []
    permutations: dict[int, np.ndarray] = {}
    gold: dict[str, int] = {}
    story = 0
    while len(articles) < size:
        source = pool[story % len(pool)]
        cycle = story // len(pool)
        if cycle not in permutations:
            permutations[cycle] = np.random.default_rng(seed + cycle).permutation(384)
        start_day = len(articles) // ARTICLES_PER_DAY
        for k in range(rng.randint(3, 9)):
            template = source[k % len(source)]
            vector = np.asarray(template.vector, dtype=np.float32)
            if cycle:  # a reused pool story becomes another story: other direction, other names
                vector = vector[permutations[cycle]]
            moved = vector + noise.normal(0.0, NOISE / np.sqrt(vector.size), vector.size).astype(np.float32)
            moved /= np.linalg.norm(moved)
            names = [
                replace(m, text=f"{m.text} {cycle}" if cycle else m.text)
                for m in template.mentions
                if rng.random() < NAME_KEEP
            ]
            day = START + dt.timedelta(days=start_day + rng.randint(0, 2))
            article = replace(
                template,
                id=stable_id("a-", str(story), str(k)),
                published=day.isoformat(),
                mentions=names,
                vector=moved,
                doc=None,
            )
            articles.append((day.toordinal(), len(articles), article))
            gold[article.id] = story
        story += 1
    articles.sort(key=lambda item: (item[0], item[1]))
    return [a for _, _, a in articles[:size]], gold


def measure(articles: Sequence[Article], gold: dict[str, int], quiet_days: int) -> dict[str, float]:
    """Seconds and articles per second of one grouping run, and peak bytes per article of another.

    Two runs, because tracemalloc slows every allocation down: the timed one runs without it.
    """
    start = time.perf_counter()
    groups = group_stories(articles, quiet_days=quiet_days)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    group_stories(articles, quiet_days=quiet_days)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    story_of = {a.id: g.id for g in groups for a in g.articles}
    _, _, f1 = b_cubed([gold[a.id] for a in articles], [story_of[a.id] for a in articles])
    return {
        "articles": len(articles),
        "stories": len(groups),
        "gold_stories": len(set(gold.values())),
        "b3_f1": round(100 * f1, 2),
        "seconds": round(seconds, 2),
        "per_second": round(len(articles) / seconds),
        "us_per_article": round(1e6 * seconds / len(articles), 1),
        "peak_bytes_per_article": round(peak / len(articles)),
    }


def group_daily(articles: Sequence[Article], quiet_days: int) -> dict[str, str]:
    """Article id -> story id when the archive comes in one batch per publication day."""
    states: dict[str, StoryState] = {}
    story_of: dict[str, str] = {}
    statistics = TermStatistics()
    next_sequence = 0
    days: dict[int, list[Article]] = {}
    for article in articles:
        days.setdefault(day_number(article.published), []).append(article)
    for day in sorted(days):
        batch = days[day]
        last = max(day_number(a.published) for a in batch)
        index = StoryIndex(quiet_days)
        for state in sorted(states.values(), key=lambda s: s.sequence):
            if state.last_day >= day - quiet_days and state.first_day <= last + quiet_days:
                index.open(state)
        grouper = StoryGrouper(index, next_sequence, statistics)

        def apply_moves(grouper: StoryGrouper = grouper) -> None:
            for move in grouper.take_moves():
                states.pop(move.from_story, None)
                story_of[move.article_id] = move.to_story.id

        for article in batch:
            state = grouper.add(article)
            apply_moves()
            states[state.id] = state
            story_of[article.id] = state.id
        grouper.finish()
        apply_moves()
        next_sequence = grouper.next_sequence
    return story_of


def measure_daily(articles: Sequence[Article], gold: dict[str, int], quiet_days: int) -> dict[str, float]:
    """B³ of daily batches against the gold stories and against the one-batch grouping."""
    one = {a.id: g.id for g in group_stories(articles, quiet_days=quiet_days) for a in g.articles}
    start = time.perf_counter()
    daily = group_daily(articles, quiet_days)
    seconds = time.perf_counter() - start
    ids = [a.id for a in articles]
    _, _, f1 = b_cubed([gold[i] for i in ids], [daily[i] for i in ids])
    _, _, agreement = b_cubed([one[i] for i in ids], [daily[i] for i in ids])
    return {
        "articles": len(articles),
        "stories": len(set(daily.values())),
        "b3_f1": round(100 * f1, 2),
        "b3_vs_one_batch": round(100 * agreement, 2),
        "seconds": round(seconds, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--neus", type=Path, default=DEFAULT_NEUS, help="NeuS train.source")
    parser.add_argument("--pool", type=int, default=400, help="NeuS stories annotated for the pool")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument(
        "--baseline-up-to", type=int, default=20000, help="largest size for the all-stories baseline"
    )
    args = parser.parse_args(argv)
    if absent(args.neus, "NeuS train"):
        return 0
    pool = annotated_pool(args.neus, args.pool)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, list[dict[str, float]]] = {
        "system": [],
        "baseline_no_time_window": [],
        "daily_batches": [],
    }
    print(
        f"{'run':<26}{'articles':>10}{'stories':>9}{'gold':>8}{'B3 F1':>8}{'seconds':>9}{'art/s':>9}"
        f"{'µs/art':>9}{'peak B/art':>12}"
    )
    for size in sizes:
        corpus, gold = synthetic_corpus(pool, size)
        runs = [("system", 7)]
        if size <= args.baseline_up_to:
            runs.append(("baseline_no_time_window", 100_000))
        for name, quiet in runs:
            row = measure(corpus, gold, quiet)
            results[name].append(row)
            print(
                f"{name:<26}{row['articles']:>10}{row['stories']:>9}{row['gold_stories']:>8}{row['b3_f1']:>8}"
                f"{row['seconds']:>9}"
                f"{row['per_second']:>9}{row['us_per_article']:>9}{row['peak_bytes_per_article']:>12}"
            )
        daily = measure_daily(corpus, gold, 7)
        results["daily_batches"].append(daily)
        print(
            f"{'daily batches':<26}{daily['articles']:>10}{daily['stories']:>9}{'':>8}{daily['b3_f1']:>8}"
            f"{daily['seconds']:>9}   B3 F1 against the one-batch grouping: {daily['b3_vs_one_batch']}"
        )
    system = results["system"]
    if len(system) > 1:
        growth = system[-1]["us_per_article"] / system[0]["us_per_article"]
        print(f"cost per article at {system[-1]['articles']} / at {system[0]['articles']}: {growth:.2f}")
        results["growth"] = [{"ratio": round(growth, 2)}]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
