"""Contradictions on ECB+: each development sub-topic (one real event, several outlets) run as a story.

Every sub-topic's documents go through ``storyweave analyze`` (the product's own path: ingest, clean,
annotate, group, analyse) into a fresh store, and every contradiction it reports is listed with its two
sides. ``bench/contradictions_labels.json`` holds our own judgments: true when two outlets give
conflicting values of one detail of one event (not two events, not compatible values, not one outlet's
own two figures). Precision = true / judged; output the file does not cover is listed for labelling.
Beside it, a simple baseline in the same run: two sentences of different outlets with cosine >= 0.6 that
give different numbers before the same word (the sentence-level rule the first version used).

    python bench/contradictions.py --data ../shared/datasets/ecbplus [--topics dev] [--json FILE]
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_io import absent, bench_parser  # noqa: E402
from grouping_data import load_ecb, topics_of  # noqa: E402

LABELS = Path(__file__).with_name("contradictions_labels.json")
BASELINE_COSINE = 0.6
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s+([a-z]+)", re.I)


def side_key(kind: str, texts: list[str]) -> str:
    """A contradiction's key for labels: its kind and its sides' sentences (stable across runs)."""
    joined = "\x1f".join([kind, *sorted(" ".join(t.split()) for t in texts)])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def run_subtopic(name: str, docs: list[Any]) -> list[dict[str, Any]]:
    """The report's contradictions for one sub-topic's documents, analysed as the product does."""
    from storyweave.pipeline import analyze
    from storyweave.render.json import report_to_dict

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / name
        folder.mkdir()
        for doc in docs:
            (folder / f"{doc.name}.txt").write_text(doc.text + "\n", encoding="utf-8")
        report = report_to_dict(analyze([folder], db=f"sqlite:///{tmp}/store.db", out=None))
    found = []
    for story in report["stories"]:
        texts = {a["id"]: a["text"] for a in story["articles"]}
        for c in story["contradictions"]:
            if c["kind"] == "quote_wording":
                continue  # wording differences are judged by bench/quotes.py, not here
            sides = [
                {"article": s["article"], "value": s["value"], "text": s["text"]}
                for s in c["sides"]
                if s["article"] in texts
            ]
            found.append(
                {
                    "key": side_key(c["kind"], [s["text"] for s in sides]),
                    "subtopic": name,
                    "kind": c["kind"],
                    "explanation": c["explanation"],
                    "sides": sides,
                }
            )
    return found


def baseline(docs: list[Any]) -> int:
    """Sentence pairs of different documents, cosine >= 0.6, different numbers before one word."""
    from storyweave.nlp.vectors import get_encoder

    sentences = [(d.name, line) for d in docs for line in d.text.splitlines()[1:] if _NUMBER.search(line)]
    if len(sentences) < 2:
        return 0
    vectors = get_encoder().encode([s for _, s in sentences])
    count = 0
    for i, (doc_a, a) in enumerate(sentences):
        numbers_a = {w.lower(): v for v, w in _NUMBER.findall(a)}
        for j in range(i + 1, len(sentences)):
            doc_b, b = sentences[j]
            if doc_a == doc_b or float(vectors[i] @ vectors[j]) < BASELINE_COSINE:
                continue
            numbers_b = {w.lower(): v for v, w in _NUMBER.findall(b)}
            if any(numbers_a[w] != numbers_b[w] for w in set(numbers_a) & set(numbers_b)):
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, Path("../shared/datasets/ecbplus"))
    parser.add_argument("--topics", default="dev", help="dev, train or all (bench/grouping_data.py)")
    args = parser.parse_args(argv)
    if absent(args.data / "ECB+", "ECB+"):
        return 0
    docs = load_ecb(args.data, topics_of(args.topics))
    by_subtopic: dict[str, list[Any]] = defaultdict(list)
    for doc in sorted(docs, key=lambda d: d.name):
        by_subtopic[doc.gold].append(doc)
    labels: dict[str, dict[str, Any]] = (
        json.loads(LABELS.read_text(encoding="utf-8")) if LABELS.exists() else {}
    )
    found: list[dict[str, Any]] = []
    naive = 0
    for name in sorted(by_subtopic, key=lambda n: (int(n.split("_")[0]), n)):
        found += run_subtopic(name, by_subtopic[name])
        naive += baseline(by_subtopic[name])
        print(f"  {name}: {len(found)} contradictions so far", file=sys.stderr)
    judged = [c for c in found if c["key"] in labels]
    true = [c for c in judged if labels[c["key"]]["label"]]
    unlabelled = [c for c in found if c["key"] not in labels]
    precision = len(true) / len(judged) if judged else 0.0
    print(f"\nECB+ {args.topics} sub-topics: {len(by_subtopic)}")
    print(f"{'system':<34}{'found':>7}{'judged':>8}{'true':>6}{'precision':>11}")
    print(f"{'storyweave (facts)':<34}{len(found):>7}{len(judged):>8}{len(true):>6}{precision:>11.3f}")
    print(f"{'baseline: sentence numbers':<34}{naive:>7}{'-':>8}{'-':>6}{'-':>11}")
    for c in found:
        mark = {True: "TRUE ", False: "false"}.get(labels.get(c["key"], {}).get("label"), "?    ")
        print(f"\n[{mark}] {c['key']} {c['subtopic']} {c['kind']}: {c['explanation']}")
        for side in c["sides"]:
            print(f"    {side['value']!r}: {side['text'][:160]}")
    if unlabelled:
        print(f"\n{len(unlabelled)} contradiction(s) not in {LABELS.name}: label them (key -> label, note).")
    if args.json:
        result = {
            "system": {"found": len(found), "judged": len(judged), "true": len(true), "precision": precision},
            "baselines": {"sentence_numbers": {"found": naive}},
            "n_subtopics": len(by_subtopic),
            "unlabelled": [c["key"] for c in unlabelled],
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
