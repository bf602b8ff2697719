"""Speed of storyweave against spaCy alone, on the seed corpus (../shared/seeds).

    python bench/speed.py [--seeds DIR] [--copies N] [--runs N] [--json FILE]

Four figures, each beside its baseline, measured in one run:
- cold start: a new process from start to report.json written into a new store, against a new process
  that only imports spaCy, loads the same model and parses the same five texts;
- listing: ``storyweave stories`` on the store the cold start wrote, against a new Python process that
  does nothing (the floor any command pays); it imports no NLP (tests/test_imports.py);
- warm analysis: the annotated seed story analysed again, its vectors stored (as after a first
  analysis), in a process that has everything loaded, against spaCy's ``nlp.pipe`` over the same texts;
- throughput: ingest + clean + annotate over N copies of the seeds and the example corpus (each copy
  made distinct by a first line, so none is dropped as a duplicate), against ``nlp.pipe`` alone over
  the same cleaned texts, with the ratio.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_io import absent, bench_parser, write_json

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLES = REPO / "examples" / "corpus"
SEED_DATE = "2026-01-08"


def _timed_process(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def cold_start(seeds: Path, runs: int, work: Path) -> dict[str, float]:
    """Median seconds for a fresh storyweave process (into a fresh store) and a fresh spaCy-only process."""
    storyweave = [
        sys.executable,
        "-m",
        "storyweave.cli",
        "analyze",
        str(seeds),
        "--published",
        SEED_DATE,
        "--out",
        str(work / "out"),
        "--db",
        f"sqlite:///{work / 'speed.db'}",
        "--quiet",
    ]
    spacy_only = [
        sys.executable,
        "-c",
        "import sys, pathlib, spacy\n"
        "from storyweave.nlp.pipeline import model_name\n"
        "nlp = spacy.load(model_name())\n"
        "texts = [p.read_text() for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt'))\n"
        "         if p.name.lower() != 'readme.md']\n"
        "list(nlp.pipe(texts))\n",
        str(seeds),
    ]
    store = work / "speed.db"

    def fresh_run() -> float:
        """One run into a new store, so every run parses, encodes and analyses as a first run does."""
        store.unlink(missing_ok=True)
        return _timed_process(storyweave)

    fresh_run()  # warm the disk cache and write .pyc files
    _timed_process(spacy_only)
    ours = [fresh_run() for _ in range(runs)]
    theirs = [_timed_process(spacy_only) for _ in range(runs)]
    return {"storyweave_s": statistics.median(ours), "spacy_only_s": statistics.median(theirs)}


def listing(work: Path, runs: int) -> dict[str, float]:
    """Median seconds of ``storyweave stories`` on the cold start's store, beside an empty Python process."""
    stories = [sys.executable, "-m", "storyweave.cli", "stories", "--db", f"sqlite:///{work / 'speed.db'}"]
    empty = [sys.executable, "-c", "pass"]
    _timed_process(stories)
    ours = [_timed_process(stories) for _ in range(runs)]
    theirs = [_timed_process(empty) for _ in range(runs)]
    return {"storyweave_s": statistics.median(ours), "python_only_s": statistics.median(theirs)}


def warm_analysis(seeds: Path, runs: int) -> dict[str, float]:
    """Median seconds to analyse the seed story again with everything loaded, beside nlp.pipe."""
    from storyweave.analysis.article_vectors import encode_articles
    from storyweave.analysis.story import analyze_story
    from storyweave.group.duplicates import mark_duplicates
    from storyweave.group.stories import group_stories
    from storyweave.nlp.pipeline import get_nlp
    from storyweave.pipeline import annotate_all, read_and_clean

    articles, _ = read_and_clean([str(seeds)], SEED_DATE, lambda _s: None)
    annotate_all(articles, lambda *_: None)
    mark_duplicates(articles)
    groups = group_stories(articles)

    # What the analysis encodes is made once per article and stored (as the pipeline's encode step does):
    # a story analysed again reads it back.
    encode_articles(articles)

    def one_story() -> float:
        start = time.perf_counter()
        for group in groups:
            analyze_story(group)
        return time.perf_counter() - start

    one_story()
    ours = [one_story() for _ in range(runs)]
    nlp = get_nlp()
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    list(nlp.pipe(texts))
    theirs = []
    for _ in range(runs):
        start = time.perf_counter()
        list(nlp.pipe(texts))
        theirs.append(time.perf_counter() - start)
    return {"storyweave_s": statistics.median(ours), "spacy_pipe_s": statistics.median(theirs)}


def _corpus(seeds: Path, copies: int) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="sw-corpus-"))
    sources = sorted(seeds.glob("*.txt")) + sorted(EXAMPLES.glob("*.txt"))
    for copy in range(copies):
        for source in sources:
            text = source.read_text(encoding="utf-8")
            (folder / f"{copy:03d}_{source.name}").write_text(
                f"Copy {copy} of {source.stem}.\n{text}", encoding="utf-8"
            )
    return folder


def throughput(seeds: Path, copies: int) -> dict[str, float]:
    """Articles per second: ingest + clean + annotate, against spaCy's nlp.pipe on the same cleaned texts."""
    from storyweave.nlp.pipeline import get_nlp
    from storyweave.pipeline import annotate_all, read_and_clean

    folder = _corpus(seeds, copies)
    nlp = get_nlp()
    warm, _ = read_and_clean([str(seeds)], SEED_DATE, lambda _s: None)
    annotate_all(warm, lambda *_: None)  # models loaded before either clock starts
    start = time.perf_counter()
    articles, _ = read_and_clean([str(folder)], SEED_DATE, lambda _s: None)
    annotate_all(articles, lambda *_: None)
    ours = time.perf_counter() - start
    texts = [a.text for a in articles]
    start = time.perf_counter()
    list(nlp.pipe(texts))
    theirs = time.perf_counter() - start
    n = len(articles)
    return {
        "articles": n,
        "words": sum(a.words for a in articles),
        "storyweave_aps": n / ours,
        "spacy_aps": n / theirs,
        "ratio": (n / ours) / (n / theirs),
    }


def main() -> int:
    parser = bench_parser(__doc__, DEFAULT_SEEDS, flag="--seeds")
    parser.add_argument("--copies", type=int, default=20, help="copies of seeds + examples for throughput")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if absent(args.seeds, "the seed corpus"):
        return 0
    work = Path(tempfile.mkdtemp(prefix="sw-speed-"))
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "cold_start": cold_start(args.seeds, args.runs, work),
        "stories": listing(work, args.runs),
        "warm_story": warm_analysis(args.seeds, args.runs),
        "throughput": throughput(args.seeds, args.copies),
    }
    cold, warm, rate = results["cold_start"], results["warm_story"], results["throughput"]
    print(f"machine: {results['machine']}")
    print(f"{'measure':<44}{'storyweave':>12}{'baseline':>13}  baseline")
    listed = results["stories"]
    torch = "installed" if importlib.util.find_spec("torch") else "not installed"
    print(f"torch: {torch} (storyweave never imports it)")
    rows = [
        (
            "cold start, seeds -> report.json (s)",
            cold["storyweave_s"],
            cold["spacy_only_s"],
            ".2f",
            "spaCy alone",
        ),
        (
            "storyweave stories on the seeds' store (s)",
            listed["storyweave_s"],
            listed["python_only_s"],
            ".2f",
            "python -c pass",
        ),
        (
            "warm, analyse the annotated seed story (s)",
            warm["storyweave_s"],
            warm["spacy_pipe_s"],
            ".2f",
            "spaCy pipe",
        ),
        (
            "ingest+clean+annotate (articles/s)",
            rate["storyweave_aps"],
            rate["spacy_aps"],
            ".1f",
            "spaCy pipe",
        ),
    ]
    for label, ours, theirs, fmt, baseline in rows:
        print(f"{label:<44}{ours:>12{fmt}}{theirs:>13{fmt}}  {baseline}")
    print(f"throughput ratio: {rate['ratio']:.2f} ({rate['articles']} articles, {rate['words']} words)")
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
