"""End-to-end throughput and memory on full-length news, as a user runs storyweave.

    python bench/throughput.py [--data ../shared/datasets/polnear] [--limit N] [--json FILE]

The PolNeAR articles (``data/*/text/*.txt``: 928 full-length reports of 7 outlets, about 750 words
each; outlet and date from the name ``outlet_YYYY-MM-DD_slug.txt``) are written as one JSONL file
(text, outlet as ``source``, the date as ``published``) and ingested by ``storyweave ingest`` into a
fresh SQLite store, as a subprocess, with its wall time and peak RSS (``os.wait4``); once on all of
them (or ``--limit``) and once on the first sixth, so that memory growth with the input shows.
The subprocess runs the CLI's own ``main`` with a progress hook that adds up the seconds between
the pipeline's progress calls per stage (read: ingest and clean; annotate: spaCy and lead vectors,
models loaded on first use; group; load: stored parses read back; encode: sentence vectors;
analyze: the analyses and the reports stored).

Beside it, in the same run, the baselines: spaCy's ``nlp.pipe`` alone over the same texts with the
same model (its own subprocess and peak RSS), and the sentence encoder alone over the sentences the
store holds for them (the pipeline's batches, then each batch size beside them). ``ratio_to_spacy``
is storyweave's articles per second over spaCy's.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_io import absent, bench_parser

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "polnear"
_NAME = re.compile(r"^(?P<outlet>[^_]+)_(?P<date>\d{4}-\d{2}-\d{2})_")

# Runs `storyweave ingest` as the CLI does, timing the stages between the pipeline's progress calls.
_INGEST = r"""
import json, sys, time
import storyweave.pipeline as pipeline
from storyweave.cli import main
stages, last, target = {}, [time.perf_counter()], sys.argv[1]
real = pipeline.ingest
def timed(*args, progress=None, **kwargs):
    def hook(stage, done, total):
        now = time.perf_counter()
        stages[stage] = stages.get(stage, 0.0) + now - last[0]
        last[0] = now
        if progress is not None:
            progress(stage, done, total)
    last[0] = time.perf_counter()
    try:
        return real(*args, progress=hook, **kwargs)
    finally:
        stages["finish"] = time.perf_counter() - last[0]
        json.dump(stages, open(target, "w"))
pipeline.ingest = timed
sys.argv = ["storyweave", *sys.argv[2:]]
main()
"""

# spaCy alone: the same model storyweave loads, nlp.pipe over the same texts, nothing else.
_SPACY = r"""
import json, sys, time
start = time.perf_counter()
import spacy
from storyweave.nlp.pipeline import model_name
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load(model_name())
for _doc in nlp.pipe(texts, batch_size=32):
    pass
print(json.dumps({"seconds": time.perf_counter() - start}))
"""

# The encoder alone over the sentences the store holds, in the pipeline's batches; then the first 2,000 of
# them in batches of each size, which is how ENCODE_BATCH (nlp/encoder.py) was chosen.
_ENCODER = r"""
import json, sqlite3, sys, time
from storyweave.nlp.encoder import ENCODE_BATCH
from storyweave.nlp.vectors import get_encoder
rows = sqlite3.connect(sys.argv[1]).execute("SELECT sentences FROM articles ORDER BY id")
texts = [s["text"] for (data,) in rows for s in json.loads(data)]
encoder = get_encoder()
encoder.encode(texts[:64])
start = time.perf_counter()
for begin in range(0, len(texts), 512):
    encoder.encode(texts[begin : begin + 512], batch_size=ENCODE_BATCH)
seconds = time.perf_counter() - start
by_batch = {}
for size in (8, 16, 32, 64):
    begin = time.perf_counter()
    encoder.encode(texts[:2000], batch_size=size)
    by_batch[size] = round(min(2000, len(texts)) / (time.perf_counter() - begin), 1)
print(json.dumps({"sentences": len(texts), "seconds": seconds, "by_batch": by_batch}))
"""


def polnear_rows(data: Path, limit: int | None) -> list[dict[str, str]]:
    """The full-length articles as JSONL rows, in path order."""
    rows = []
    for path in sorted(data.glob("data/*/text/*.txt")):
        match = _NAME.match(path.name)
        if match is None:
            continue
        text = path.read_text(encoding="utf-8")
        rows.append({"text": text, "source": match["outlet"], "published": match["date"], "url": path.name})
    return rows[:limit] if limit else rows


def _run(command: Sequence[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one subprocess."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(list(command), env=env, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err = process.stderr.read().decode() if process.stderr else ""
        if process.returncode != 0:
            raise RuntimeError(f"{command[2][:40]!r}... failed: {err[-2000:]}")
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read().decode()


def ingest(rows: list[dict[str, str]], work: Path, name: str) -> dict[str, Any]:
    archive = work / f"{name}.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = work / f"{name}.db"
    stages_file = work / f"{name}-stages.json"
    command = [
        sys.executable,
        "-c",
        _INGEST,
        str(stages_file),
        "ingest",
        str(archive),
        "--db",
        f"sqlite:///{db}",
    ]
    seconds, rss, _ = _run(command)
    stages = json.loads(stages_file.read_text(encoding="utf-8"))
    return {"seconds": seconds, "peak_rss_mb": rss, "db": db, "archive": archive, "stages": stages}


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser(__doc__, DEFAULT_DATA, what="the PolNeAR folder")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    args = parser.parse_args(argv)
    if absent(args.data / "data", "PolNeAR"):
        return 0
    rows = polnear_rows(args.data, args.limit)
    n = len(rows)
    with tempfile.TemporaryDirectory(prefix="sw-throughput-") as folder:
        work = Path(folder)
        small = ingest(rows[: max(1, n // 6)], work, "small")
        print(
            f"storyweave ingest, first sixth ({n // 6}): "
            f"{small['seconds']:.1f} s, {small['peak_rss_mb']:.0f} MB"
        )
        full = ingest(rows, work, "full")
        print(f"storyweave ingest, all {n}: {full['seconds']:.1f} s, {full['peak_rss_mb']:.0f} MB")
        spacy_seconds, spacy_rss, out = _run([sys.executable, "-c", _SPACY, str(full["archive"])])
        spacy_seconds = json.loads(out)["seconds"]
        _, _, out = _run([sys.executable, "-c", _ENCODER, str(full["db"])])
        encoder = json.loads(out)
    system_rate = n / full["seconds"]
    spacy_rate = n / spacy_seconds
    result = {
        "system": {
            "articles_per_s": round(system_rate, 3),
            "peak_rss_mb": round(full["peak_rss_mb"]),
            "peak_rss_mb_small": round(small["peak_rss_mb"]),
            "ratio_to_spacy": round(system_rate / spacy_rate, 3),
        },
        "baselines": {
            "spacy": {"articles_per_s": round(spacy_rate, 3), "peak_rss_mb": round(spacy_rss)},
            "encoder": {
                "sentences_per_s": round(encoder["sentences"] / encoder["seconds"], 1),
                "sentences_per_s_by_batch": encoder["by_batch"],
            },
        },
        "stages": {stage: round(seconds, 1) for stage, seconds in full["stages"].items()},
        "n_articles": n,
    }
    print(f"\n{'run':<34}{'articles/s':>12}{'peak RSS MB':>13}")
    print(f"{'storyweave ingest (all)':<34}{system_rate:>12.2f}{full['peak_rss_mb']:>13.0f}")
    print(f"{'storyweave ingest (first sixth)':<34}{'':>12}{small['peak_rss_mb']:>13.0f}")
    print(f"{'spaCy nlp.pipe alone':<34}{spacy_rate:>12.2f}{spacy_rss:>13.0f}")
    print(f"encoder alone: {result['baselines']['encoder']['sentences_per_s']} sentences/s")
    print(
        "encoder alone by batch size (sentences/s): "
        + ", ".join(f"{size}: {rate}" for size, rate in encoder["by_batch"].items())
    )
    print(
        f"ratio to spaCy: {result['system']['ratio_to_spacy']}; "
        f"peak RSS all / first sixth: {full['peak_rss_mb'] / small['peak_rss_mb']:.2f}"
    )
    print("seconds per stage (all): " + ", ".join(f"{k} {v}" for k, v in result["stages"].items()))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
