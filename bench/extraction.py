"""HTML extraction: storyweave's HTML ingest against trafilatura alone, on trafilatura's own eval corpus.

    python bench/extraction.py [--data ../shared/datasets/trafilatura-eval] [--limit N] [--workers N]
                               [--json FILE]

The corpus (evaldata.json + html/*.html.gz) gives, for each page, segments that must appear in the main
text ("with") and segments that must not ("without": menus, footers, comments), and for most pages a gold
publication date. Every with-segment found is a true positive, missed a false negative; every
without-segment found a false positive (whitespace collapsed on both sides, as for every system).

Systems, all in the same run on the same bytes:
- storyweave: the product's path for an .html file: decode (ingest/text.py) + extract_html (ingest/html.py)
  + the clean stage (furniture removal), i.e. the text storyweave analyses;
- storyweave ingest only: the same without the clean stage;
- trafilatura defaults, favor_precision, favor_recall: ``trafilatura.extract`` on the page bytes.
Dates: storyweave's published date as ingest sets it (page metadata, else the URL, else htmldate's
extensive search of the page, labelled "text") against htmldate's
``find_date`` (defaults, original_date=True), both compared with the gold day.

Pages are split by their position in the sorted URL list (even / odd) so a change tuned on one half is
checked on the other; both halves and the whole are printed.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench_io import absent, bench_parser

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "trafilatura-eval"
SYSTEMS = [
    "storyweave",
    "storyweave ingest only",
    "trafilatura",
    "trafilatura precision",
    "trafilatura recall",
]
_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def storyweave_page(data: bytes, url: str) -> tuple[str, str, str | None]:
    """(ingest text, cleaned text, published) through storyweave's own code path for an HTML file."""
    from storyweave.clean import clean_text
    from storyweave.ingest import _finish, date_from_url
    from storyweave.ingest.errors import InputError
    from storyweave.ingest.html import declared_charset, extract_html
    from storyweave.ingest.text import decode

    try:
        article = extract_html(decode(data, url, declared_charset(data)), url, url=url)
    except InputError:
        return "", "", date_from_url(url)
    cleaned = clean_text(article.raw, article.title).text
    _finish(article, None, False, None)  # the metadata order ingest applies: page, URL, page text
    return article.raw, cleaned, article.published


def trafilatura_modes(data: bytes, url: str) -> dict[str, str]:
    import trafilatura

    out = {}
    for name, options in (
        ("trafilatura", {}),
        ("trafilatura precision", {"favor_precision": True}),
        ("trafilatura recall", {"favor_recall": True}),
    ):
        try:
            out[name] = trafilatura.extract(data, url=url, **options) or ""
        except Exception:  # noqa: BLE001 - a baseline's crash counts as an empty extraction
            out[name] = ""
    return out


def htmldate_of(data: bytes) -> str | None:
    from htmldate import find_date

    try:
        return find_date(data, original_date=True)
    except Exception:  # noqa: BLE001
        return None


def score_page(job: tuple[int, str, dict[str, Any], str]) -> dict[str, Any]:
    """Counts of every system on one page (runs in a worker process)."""
    index, url, entry, folder = job
    data = gzip.decompress((Path(folder) / "html" / f"{entry['file']}.gz").read_bytes())
    start = time.perf_counter()
    raw, cleaned, published = storyweave_page(data, url)
    ours_s = time.perf_counter() - start
    texts = {"storyweave": cleaned, "storyweave ingest only": raw, **trafilatura_modes(data, url)}
    counts = {}
    for name, text in texts.items():
        found = _norm(text)
        tp = sum(1 for s in entry.get("with", []) if _norm(s) in found)
        fp = sum(1 for s in entry.get("without", []) if _norm(s) in found)
        counts[name] = {
            "tp": tp,
            "fn": len(entry.get("with", [])) - tp,
            "fp": fp,
            "tn": len(entry.get("without", [])) - fp,
        }
    gold = (entry.get("date") or "")[:10] or None
    return {
        "index": index,
        "url": url,
        "counts": counts,
        "gold_date": gold,
        "dates": {"storyweave": published, "htmldate": htmldate_of(data) if gold else None},
        "storyweave_s": ours_s,
    }


def summarise(pages: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SYSTEMS:
        tp, fn, fp, tn = (sum(p["counts"][name][k] for p in pages) for k in ("tp", "fn", "fp", "tn"))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[name] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "accuracy": (tp + tn) / max(1, tp + fn + fp + tn),
        }
    dated = [p for p in pages if p["gold_date"]]
    for name in ("storyweave", "htmldate"):
        right = sum(1 for p in dated if p["dates"][name] == p["gold_date"])
        out[f"date {name}"] = {"accuracy": right / max(1, len(dated)), "pages": len(dated)}
    return out


def main() -> int:
    parser = bench_parser(__doc__, DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="first N pages only (0: all)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    gold_file = args.data / "evaldata.json"
    if absent(gold_file, "trafilatura's eval corpus"):
        return 0
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    urls = sorted(gold)
    if args.limit:
        urls = urls[: args.limit]
    jobs = [(i, url, gold[url], str(args.data)) for i, url in enumerate(urls)]
    start = time.perf_counter()
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as pool:
            pages = list(pool.map(score_page, jobs, chunksize=8))
    else:
        pages = [score_page(job) for job in jobs]
    elapsed = time.perf_counter() - start
    halves = {
        "even": summarise([p for p in pages if p["index"] % 2 == 0]),
        "odd": summarise([p for p in pages if p["index"] % 2 == 1]),
        "all": summarise(pages),
    }
    ours_s = sum(p["storyweave_s"] for p in pages)
    print(f"{len(pages)} pages ({elapsed:.0f} s; storyweave {ours_s:.0f} s of it)")
    print(f"{'system':<26}" + "".join(f"{h + ' P':>9}{'R':>7}{'F1':>7}" for h in halves))
    for name in SYSTEMS:
        cells = "".join(
            f"{halves[h][name]['precision']:>9.3f}{halves[h][name]['recall']:>7.3f}{halves[h][name]['f1']:>7.3f}"
            for h in halves
        )
        print(f"{name:<26}{cells}")
    for name in ("storyweave", "htmldate"):
        key = f"date {name}"
        cells = "".join(f"{halves[h][key]['accuracy']:>9.3f}{'':>14}" for h in halves)
        print(f"{'date accuracy ' + name:<26}{cells}")
    print(f"(dated pages: {halves['all']['date storyweave']['pages']})")
    if args.json:
        args.json.write_text(
            json.dumps({"halves": halves, "pages": pages}, indent=1) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
