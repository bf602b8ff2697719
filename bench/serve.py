"""Speed of ``storyweave serve`` beside a static file server returning the same bytes.

    python bench/serve.py [--seeds DIR] [--stories N] [--requests N] [--concurrency 1,8] [--json FILE]

Builds a store of N stories (default 1,000: the seed story analysed once, then stored again N-1 times
under new ids through the store's own API), starts the app on uvicorn in a process of its own, and
times, from a client process with keep-alive connections:
- GET /api/v1/stories/{id} for random stories, beside a uvicorn StaticFiles app (same server stack)
  and Python's http.server, each returning the same JSON bytes from files: requests per second, p50
  and p99 latency, and storyweave's requests per second as a share of the StaticFiles server's;
- GET /stories/{id}, the rendered story page, for random stories (so its page cache rarely helps)
  and for one story (cache warm);
- POST /articles to updated story: a seed report posted to a store holding the others, until the
  story's JSON lists it (first post: models load; second: warm), beside ``storyweave.pipeline.ingest``
  of the same file in-process (the same work with no HTTP).
Reads ../shared/seeds, or the example corpus where the seeds are absent.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench_io import bench_parser

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLES = REPO / "examples" / "corpus"
SEED_DATE = "2026-01-08"
TOKEN = "bench-token"


def _inputs(seeds: Path) -> tuple[list[Path], str | None]:
    if seeds.is_dir():
        return sorted(p for p in seeds.glob("*.txt")), SEED_DATE
    print(f"seed corpus not found at {seeds}: using the example corpus {EXAMPLES}", file=sys.stderr)
    return sorted(p for p in EXAMPLES.glob("*.txt")), None


def build_store(work: Path, inputs: list[Path], published: str | None, stories: int) -> tuple[str, list[str]]:
    """A store of ``stories`` stories: the inputs analysed once, their story stored again under new ids."""
    import numpy as np

    from storyweave import analyze
    from storyweave.group.index import StoryState, day_number
    from storyweave.model import Article
    from storyweave.store import open_store

    db = f"sqlite:///{work / 'bench.db'}"
    analyze([str(p) for p in inputs], published=published, db=db, formats=())
    store = open_store(db)
    try:
        first = store.stories()[0]["id"]
        report = store.story_report(first)
        assert report is not None
        day = day_number(published) if published else -1
        sequence = store.next_sequence()
        ids = [first]
        for n in range(1, stories):
            story_id = f"s-{0xBE0000000000 + n:012x}"  # ids in the product's shape (hex), none a real one's
            article = Article(
                id=f"a-{0xBE00000000000000 + n:016x}", path=f"bench/{n}.txt", raw="copy", text="copy"
            )
            state = StoryState(
                id=story_id,
                total=np.zeros(384, dtype=np.float32),
                names=Counter(),
                size=1,
                first_day=day,
                last_day=day,
                sequence=sequence + n,
                terms={},
            )
            store.add_to_story(article, f"bench{n}", state)
            store.save_report(story_id, f"{report['title']} ({n})", {**report, "id": story_id})
            ids.append(story_id)
    finally:
        store.close()
    return db, ids


def write_static(work: Path, db: str, ids: list[str]) -> Path:
    """Each story's JSON, as the API serves it, in a file of its own."""
    from storyweave.store import open_store
    from storyweave.store.queries import StoryQueries

    folder = work / "static" / "stories"
    folder.mkdir(parents=True)
    store = open_store(db)
    queries = StoryQueries(store)
    for story_id in ids:
        raw = queries.report_json(story_id)
        assert raw is not None
        (folder / f"{story_id}.json").write_text(raw, encoding="utf-8")
    store.close()
    return work / "static"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVERS = {
    "app": (
        "import sys, uvicorn\n"
        "from storyweave.web.app import Settings, create_app\n"
        "app = create_app(Settings(db=sys.argv[1], token=sys.argv[3]))\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning', access_log=False)\n"
    ),
    "staticfiles": (
        "import sys, uvicorn\n"
        "from starlette.applications import Starlette\n"
        "from starlette.routing import Mount\n"
        "from starlette.staticfiles import StaticFiles\n"
        "app = Starlette(routes=[Mount('/', StaticFiles(directory=sys.argv[1]))])\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning', access_log=False)\n"
    ),
    "http.server": (
        "import sys, functools, http.server\n"
        "class Quiet(http.server.SimpleHTTPRequestHandler):\n"
        "    protocol_version = 'HTTP/1.1'\n"
        "    def log_message(self, *a): pass\n"
        "handler = functools.partial(Quiet, directory=sys.argv[1])\n"
        "http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[2])), handler).serve_forever()\n"
    ),
}


class Server:
    """One server in a process of its own, so the client never competes with it for the GIL."""

    def __init__(self, kind: str, target: str) -> None:
        self.port = _free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVERS[kind], target, str(self.port), TOKEN],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        import httpx

        ready = self.base + ("/api/v1/healthz" if kind == "app" else "/")
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(ready, timeout=5)
                return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"{kind} server did not start") from None
                time.sleep(0.1)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def load(base: str, paths: list[str], concurrency: int) -> dict[str, float]:
    """GET every path (split over ``concurrency`` keep-alive clients): req/s, p50 and p99 in ms."""
    import httpx

    latencies: list[float] = []
    lock = threading.Lock()
    failures: list[str] = []

    def worker(share: list[str]) -> None:
        mine: list[float] = []
        with httpx.Client(base_url=base, timeout=30) as client:
            for path in share:
                start = time.perf_counter()
                response = client.get(path)
                mine.append(time.perf_counter() - start)
                if response.status_code != 200:
                    failures.append(f"{path}: {response.status_code}")
        with lock:
            latencies.extend(mine)

    shares = [paths[i::concurrency] for i in range(concurrency)]
    threads = [threading.Thread(target=worker, args=(s,)) for s in shares]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, first: {failures[0]}")
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 2),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
    }


def reads(db: str, static: Path, ids: list[str], requests: int, levels: list[int]) -> dict[str, Any]:
    rng = random.Random(0)
    picks = [rng.choice(ids) for _ in range(requests)]
    results: dict[str, Any] = {}
    servers = {"storyweave": Server("app", db), "staticfiles": Server("staticfiles", str(static))}
    servers["http.server"] = Server("http.server", str(static))
    try:
        # The app digests every stored story for the list and search once it starts; wait for that
        # (a list request waits on the digest), so the timings are of serving, not of start-up.
        import httpx

        httpx.get(servers["storyweave"].base + "/api/v1/stories?limit=1", timeout=600).raise_for_status()
        warm = [f"/api/v1/stories/{i}" for i in ids[:50]]
        load(servers["storyweave"].base, warm + [f"/stories/{i}" for i in ids[:20]], 2)
        load(servers["staticfiles"].base, [f"/stories/{i}.json" for i in ids[:50]], 2)
        for level in levels:
            row: dict[str, Any] = {}
            row["story JSON (storyweave)"] = load(
                servers["storyweave"].base, [f"/api/v1/stories/{i}" for i in picks], level
            )
            for name in ("staticfiles", "http.server"):
                row[f"same bytes ({name})"] = load(
                    servers[name].base, [f"/stories/{i}.json" for i in picks], level
                )
            pages = picks[: max(100, requests // 3)]
            row["story page, random stories"] = load(
                servers["storyweave"].base, [f"/stories/{i}" for i in pages], level
            )
            row["story page, one story"] = load(
                servers["storyweave"].base, [f"/stories/{ids[0]}"] * len(pages), level
            )
            row["ratio JSON / staticfiles"] = round(
                row["story JSON (storyweave)"]["rps"] / row["same bytes (staticfiles)"]["rps"], 3
            )
            results[f"concurrency {level}"] = row
    finally:
        for server in servers.values():
            server.close()
    return results


def writes(work: Path, inputs: list[Path], published: str | None) -> dict[str, Any]:
    """POST the last two inputs one at a time to a store of the others, until the story JSON shows each."""
    import httpx

    from storyweave import analyze

    if len(inputs) < 3:
        return {}
    base_db = work / "write-base.db"
    analyze([str(p) for p in inputs[:-2]], published=published, db=f"sqlite:///{base_db}", formats=())
    served = work / "write-served.db"
    shutil.copyfile(base_db, served)
    server = Server("app", f"sqlite:///{served}")
    out: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=server.base, timeout=600) as client:
            for label, path in (("first post (models load)", inputs[-2]), ("second post (warm)", inputs[-1])):
                start = time.perf_counter()
                response = client.post(
                    "/api/v1/articles",
                    files={"file": (path.name, path.read_bytes())},
                    data={"published": published or ""},
                    headers={"Authorization": f"Bearer {TOKEN}"},
                )
                response.raise_for_status()
                answer = response.json()
                story = client.get(f"/api/v1/stories/{answer['story']}").json()
                assert any(a["id"] == answer["stored"][0]["article"] for a in story["articles"])
                out[label] = {
                    "seconds": round(time.perf_counter() - start, 3),
                    "articles": len(story["articles"]),
                }
    finally:
        server.close()
    direct = work / "write-direct.db"
    shutil.copyfile(base_db, direct)
    code = (
        "import json, sys, time\n"
        "from storyweave.pipeline import ingest\n"
        "times = []\n"
        "for path in sys.argv[3:]:\n"
        "    start = time.perf_counter()\n"
        "    ingest([path], db=sys.argv[1], published=sys.argv[2] or None)\n"
        "    times.append(round(time.perf_counter() - start, 3))\n"
        "print(json.dumps(times))\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            f"sqlite:///{direct}",
            published or "",
            str(inputs[-2]),
            str(inputs[-1]),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    first, second = json.loads(result.stdout.strip().splitlines()[-1])
    out["pipeline.ingest in-process, first"] = {"seconds": first}
    out["pipeline.ingest in-process, second"] = {"seconds": second}
    return out


def main() -> None:
    parser = bench_parser(__doc__, DEFAULT_SEEDS, flag="--seeds")
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,8")
    args = parser.parse_args()
    inputs, published = _inputs(args.seeds)
    levels = [int(x) for x in args.concurrency.split(",") if x.strip()]
    with tempfile.TemporaryDirectory(prefix="sw-serve-bench-") as folder:
        work = Path(folder)
        start = time.perf_counter()
        db, ids = build_store(work, inputs, published, args.stories)
        static = write_static(work, db, ids)
        size = (static / "stories" / f"{ids[0]}.json").stat().st_size
        built = time.perf_counter() - start
        print(f"store: {len(ids)} stories, story JSON {size / 1024:.0f} KB, built in {built:.1f} s")
        results: dict[str, Any] = {
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            "stories": len(ids),
            "story_json_bytes": size,
            "reads": reads(db, static, ids, args.requests, levels),
            "writes": writes(work, inputs, published),
        }
    for level, row in results["reads"].items():
        print(f"\n{level}")
        print(f"{'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for name, figures in row.items():
            if isinstance(figures, dict):
                print(f"{name:34} {figures['rps']:8.1f} {figures['p50_ms']:8.2f} {figures['p99_ms']:8.2f}")
            else:
                print(f"{name:34} {figures:8.3f}")
    print("\nPOST /articles until the story JSON shows it")
    for name, figures in results["writes"].items():
        print(f"{name:40} {figures['seconds']:7.3f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
