"""The Ray engine against the local engine on one WARC.gz of NeuS reports: articles/s per stage, memory.

    python bench/scale_ray.py [--data ../shared/datasets/neus-allsides] [--articles N] [--json FILE]

The archive is built from the reports of NeuS train (three outlets a story, as bench/scale.py reads
them, through its own reader of the same file): each report an HTML page in a gzipped WARC response
record with the outlet's URL, the story's day (stories start at bench/scale.py's rate, 1,000 articles
a day, from its start date) and the crawl date. The same archive then goes through:

- the **local engine** (the baseline): ``pipeline.read_and_clean``, ``pipeline.annotate_all`` and
  ``pipeline.store_and_group_annotated``, the functions ``storyweave ingest`` runs, in one process
  held to one core, the share of the Ray engine's one worker (``local``), and on every core
  (``local_all``, as a user runs it);
- the **Ray engine** with 1 and with 2 workers (``storyweave.scale.ray_engine.ingest``, analysis off),
  each on a local Ray of ``num_cpus`` = workers, started before the clock starts.

Each run is a subprocess of its own with a fresh SQLite store, so its peak memory is its own. Every
rate includes what a user waits for: model loading (in the local process; in each Ray actor) and,
for Ray, starting its workers and moving articles between them. Story analysis is not timed (it runs
per story after grouping, the same code in both engines). The printed table has seconds and
articles/s per stage, peak RSS of the local process and of each Ray worker, and the ratios:
``speedup_2_over_1`` is over ingest + clean + annotate, the part that runs on the workers;
``ray1_over_local`` is over ingest + clean + annotate + group, as are the ``articles_per_s_*`` rates
written by ``--json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_io import absent, bench_parser  # noqa: E402
from scale import ARTICLES_PER_DAY, START  # noqa: E402
from summary import parse_story  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "neus-allsides"
OUTLETS = ("leftpost", "centertimes", "rightherald")


def neus_reports(source: Path, limit: int) -> list[tuple[int, int, str, str]]:
    """(story, outlet, title, body) of the first ``limit`` reports of NeuS train, story by story."""
    reports: list[tuple[int, int, str, str]] = []
    with source.open(encoding="utf-8") as handle:
        for story, line in enumerate(handle):
            for outlet, (title, body) in enumerate(parse_story(line)):
                if body and len(reports) < limit:
                    reports.append((story, outlet % len(OUTLETS), title, body))
            if len(reports) >= limit:
                break
    return reports


def _page(title: str, body: str, site: str, day: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        f"<meta property='og:site_name' content='{site}'>"
        f"<meta property='article:published_time' content='{day}'>"
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>"
        f"{paragraphs}</article><footer>© {site}</footer></body></html>"
    ).encode()


def build_warc(source: Path, articles: int, out: Path) -> int:
    """A WARC.gz of ``articles`` NeuS reports as HTML responses; how many it holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    reports = neus_reports(source, articles)
    per_day = max(1, ARTICLES_PER_DAY // 3)  # stories a day at bench/scale.py's article rate
    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for story, outlet, title, body in reports:
            day = (START + dt.timedelta(days=story // per_day)).isoformat()
            site = OUTLETS[outlet]
            url = f"https://www.{site}.example/{day.replace('-', '/')}/story-{story}"
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(_page(title, body, site, day)),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": f"{day}T12:00:00Z"},
            )
            writer.write_record(record)
    return len(reports)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return float(usage.ru_utime + usage.ru_stime)


def _peak_rss() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def run_local(warc: Path, db: str, cores: int) -> dict[str, Any]:
    """The local engine's stages, timed one by one, in this process, on its first ``cores`` cores (the
    engine parses and encodes on as many as it may use)."""
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])
    from storyweave.nlp.pipeline import get_nlp
    from storyweave.nlp.vectors import get_encoder
    from storyweave.pipeline import annotate_all, read_and_clean, store_and_group_annotated
    from storyweave.store import open_store

    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    articles, _ = read_and_clean([str(warc)], None, lambda _s: None)
    seconds["read+clean"] = time.perf_counter() - clock
    clock = time.perf_counter()
    get_nlp(), get_encoder()  # timed with annotate, as a user waits for them; CPU counted after
    cpu = _cpu_seconds()
    annotate_all(articles, lambda _stage, _done, _total: None)
    seconds["annotate"] = time.perf_counter() - clock
    annotate_cpu = _cpu_seconds() - cpu
    store = open_store(db)
    clock = time.perf_counter()
    new, touched = store_and_group_annotated(articles, store, 7)
    seconds["group"] = time.perf_counter() - clock
    store.close()
    return {
        "articles": len(new),
        "stories": len(touched),
        "seconds": seconds,
        "peak_rss": {"local": _peak_rss()},
        "annotate_cpu_s": annotate_cpu,
    }


def run_ray(warc: Path, db: str, workers: int) -> dict[str, Any]:
    """The Ray engine on a local Ray of ``workers`` CPUs, analysis off; Ray started before the clock."""
    from storyweave.scale import ray_engine

    clock = time.perf_counter()
    with ray_engine.ray_session(None, workers):
        started = time.perf_counter() - clock
        run = ray_engine.RayRun()
        result = ray_engine.ingest([str(warc)], db=db, workers=workers, analyse=False, run=run)
    peaks = {"driver": _peak_rss(), **run.worker_peak_rss}
    return {
        "articles": len(result.added),
        "stories": len(result.stories),
        "seconds": run.seconds,
        "ray_start_s": started,
        "peak_rss": peaks,
        "annotate_cpu_s": sum(run.annotate_cpu.values()),
    }


def _in_subprocess(kind: str, warc: Path, db: str, workers: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_file = Path(handle.name)
    command = [sys.executable, __file__, "--run", kind, "--warc", str(warc), "--db", db]
    command += ["--workers", str(workers), "--result", str(result_file)]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run(command, check=True, env=env)
    data: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    result_file.unlink()
    return data


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 2) if seconds > 0 else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser(__doc__, DEFAULT_DATA, what="the NeuS folder (train.source)")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--run", choices=("local", "ray"), help=argparse.SUPPRESS)
    parser.add_argument("--warc", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:  # one measured run, in its own process
        data = (
            run_local(args.warc, args.db, args.workers)
            if args.run == "local"
            else run_ray(args.warc, args.db, args.workers)
        )
        args.result.write_text(json.dumps(data), encoding="utf-8")
        return 0
    source = args.data / "train.source"
    if absent(source, "NeuS train"):
        return 0
    work = Path(tempfile.mkdtemp(prefix="scale-ray-"))
    warc = work / "neus.warc.gz"
    n = build_warc(source, args.articles, warc)
    print(
        f"{n} articles in {warc} ({warc.stat().st_size / 2**20:.1f} MB); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    runs: dict[str, dict[str, Any]] = {}
    # "local" has the one core "ray1" has, so ray1 / local is what the Ray engine costs; "local_all" is the
    # local engine as a user runs it, on every core of the machine.
    cores = len(os.sched_getaffinity(0))
    plan = (("local", "local", 1), ("ray1", "ray", 1), ("ray2", "ray", 2), ("local_all", "local", cores))
    for name, kind, workers in plan:
        runs[name] = _in_subprocess(kind, warc, f"sqlite:///{work / name}.db", workers)
        print(f"{name} done; load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print(f"\n{'run':<8}{'stage':<24}{'seconds':>9}{'art/s':>9}")
    rows: dict[str, dict[str, float]] = {}
    for name, data in runs.items():
        sec = data["seconds"]
        ica = sec["read+clean"] + sec["annotate"]
        total = ica + sec["group"]
        rows[name] = {"ica": _rate(n, ica), "total": _rate(n, total)}
        for stage, value in [*sec.items(), ("ingest+clean+annotate", ica), ("…+group", total)]:
            print(f"{name:<8}{stage:<24}{value:>9.1f}{_rate(n, value):>9.2f}")
        if "ray_start_s" in data:
            print(f"{name:<8}{'(ray start, not timed)':<24}{data['ray_start_s']:>9.1f}")
    print(f"\n{'run':<8}{'process':<28}{'peak RSS MB':>12}")
    for name, data in runs.items():
        for process, peak in sorted(data["peak_rss"].items()):
            print(f"{name:<8}{process:<28}{peak / 2**20:>12.0f}")
    print(f"\n{'run':<8}{'annotate CPU s/article':>24}{'articles per CPU-second':>26}")
    for name, data in runs.items():
        per = data["annotate_cpu_s"] / n
        print(f"{name:<8}{per:>24.3f}{1 / per if per else 0:>26.2f}")
    same = all(runs[r]["stories"] == runs["local"]["stories"] for r in runs)
    speedup = rows["ray2"]["ica"] / rows["ray1"]["ica"] if rows["ray1"]["ica"] else 0.0
    ratio = rows["ray1"]["total"] / rows["local"]["total"] if rows["local"]["total"] else 0.0
    counts = ", ".join(f"{r} {runs[r]['stories']}" for r in runs)
    print(f"\nstories: {counts} (same: {same})")
    print(f"ray2 / ray1 on ingest+clean+annotate: {speedup:.2f} (target >= 1.6)")
    print(f"ray1 / local (one core each) on ingest+clean+annotate+group: {ratio:.2f} (target >= 0.85)")
    print(f"local on all {cores} cores: {rows['local_all']['total']:.2f} articles/s")
    if args.json:
        system = {
            "articles_per_s_local": rows["local"]["total"],
            "articles_per_s_ray1": rows["ray1"]["total"],
            "articles_per_s_ray2": rows["ray2"]["total"],
            "articles_per_s_local_all_cores": rows["local_all"]["total"],
            "speedup_2_over_1": round(speedup, 3),
            "ray1_over_local": round(ratio, 3),
        }
        stages = {name: {k: round(v, 2) for k, v in data["seconds"].items()} for name, data in runs.items()}
        peaks = {
            name: {k: round(v / 2**20) for k, v in data["peak_rss"].items()} for name, data in runs.items()
        }
        cpu = {name: round(data["annotate_cpu_s"] / n, 4) for name, data in runs.items()}
        payload = {
            "system": system,
            "n_articles": n,
            "seconds": stages,
            "peak_rss_mb": peaks,
            "annotate_cpu_s_per_article": cpu,
            "load_average": os.getloadavg()[0],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
