"""Benchmark story grouping on ECB+ sub-topics and NeuS stories: B-cubed P/R/F1 and ARI against two baselines.

    .venv/bin/python bench/grouping.py --data ../shared/datasets/ecbplus [--topics dev|train|all]
        [--neus ../shared/datasets/neus-allsides/val.source | --no-neus] [--json FILE] [--dump FILE]

ECB+: every document of the chosen topics is one article (all its tokens, one sentence a line; title = the
first text sentence; url = sentence 0 of ``*ecbplus.xml``); gold story = the sub-topic (topic, ecb|ecbplus),
whose two halves share vocabulary but are different events. All articles are grouped in ONE run, in a fixed
shuffled order (seed 13), as storyweave's pipeline would: annotate, mark_duplicates, group_stories. NeuS val:
each line's three outlets' reports (title + lead) are one story; all val reports are grouped together.

Baselines on the same articles and order: TF-IDF (sublinear tf, English stop words) + average-link cosine
agglomerative clustering, its distance threshold tuned on other data (ECB+ train topics; NeuS: the first 300
lines of train.source), and HDBSCAN (min_cluster_size=2, euclidean) on storyweave's own L2-normalised article
vectors, noise points as singletons: BERTopic's clustering step, without its UMAP reduction. B-cubed is
averaged over articles; a story-per-article system has P = 1, one story for everything has R = 1.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import coref_scores  # noqa: E402
from bench_io import absent, bench_parser, write_json  # noqa: E402
from coref_scores import clusters_of_sequence  # noqa: E402
from grouping_data import TRAIN_TOPICS, Doc, load_ecb, load_neus, topics_of  # noqa: E402

THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]  # 0.05 .. 0.95
NEUS_TUNING_LINES = 300


def b_cubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of two label lists over the same articles (bench/coref_scores.py)."""
    return coref_scores.b_cubed(clusters_of_sequence(gold), clusters_of_sequence(predicted))


def score(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, Any]:
    """B3 P/R/F1 and ARI as percentages, and the number of predicted clusters."""
    from sklearn.metrics import adjusted_rand_score

    precision, recall, f1 = b_cubed(gold, predicted)
    return {
        "b3_p": round(100 * precision, 2),
        "b3_r": round(100 * recall, 2),
        "b3_f1": round(100 * f1, 2),
        "ari": round(100 * float(adjusted_rand_score(list(gold), list(predicted))), 2),
        "clusters": len(set(predicted)),
    }


def tfidf_distances(texts: Sequence[str]) -> np.ndarray:
    """Cosine distances between the texts' TF-IDF vectors (sublinear tf, English stop words)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return np.asarray(cosine_distances(matrix))


def tfidf_labels(distances: np.ndarray, threshold: float) -> list[int]:
    """Average-link agglomerative clusters cut at a cosine distance.

    The distances are computed once and passed precomputed: the same clusters as ``metric="cosine"`` on
    the TF-IDF vectors, without redoing the pairwise distances for every threshold of the tuning grid.
    """
    from sklearn.cluster import AgglomerativeClustering

    if len(distances) < 2:
        return [0] * len(distances)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    )
    return [int(label) for label in model.fit_predict(distances)]


def tune_tfidf(docs: Sequence[Doc]) -> tuple[float, float]:
    """The grid threshold with the best B-cubed F1 on ``docs``, and that F1 (%)."""
    gold = [d.gold for d in docs]
    distances = tfidf_distances([d.text for d in docs])
    best, best_f1 = THRESHOLDS[0], -1.0
    for threshold in THRESHOLDS:
        f1 = b_cubed(gold, tfidf_labels(distances, threshold))[2]
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best, round(100 * best_f1, 2)


def hdbscan_labels(vectors: np.ndarray) -> tuple[list[int], float]:
    """HDBSCAN clusters of L2-normalised vectors, each noise point its own cluster; and the noise share."""
    from sklearn.cluster import HDBSCAN

    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    raw = HDBSCAN(min_cluster_size=2, metric="euclidean", copy=True).fit_predict(unit)
    top = int(raw.max()) + 1
    labels = [int(label) if label >= 0 else top + i for i, label in enumerate(raw)]
    return labels, float(np.mean(raw < 0)) if len(raw) else 0.0


def storyweave_groups(docs: Sequence[Doc], label: str) -> tuple[list[Any], list[Any], float, float]:
    """Annotated articles and storyweave's story groups; annotate and grouping seconds. The articles are
    built, cleaned, dated and annotated as the product builds them, and grouped by the product's loop
    (storyweave.analysis.texts: ingest's content ids, clean_article, annotate, mark_duplicates,
    group_stories)."""
    from storyweave.analysis.texts import articles_from_texts, group_texts

    started = time.perf_counter()
    articles = articles_from_texts(
        [d.text for d in docs],
        [d.title for d in docs],
        paths=[d.name for d in docs],
        urls=[d.url for d in docs],
        vectors=True,
    )
    annotate_seconds = time.perf_counter() - started
    print(f"  {label}: {len(articles)} articles ready, {annotate_seconds:.0f} s", file=sys.stderr)
    if len(articles) != len(docs):  # scores pair articles with documents by position
        lost = len(docs) - len(articles)
        raise SystemExit(f"grouping bench: {lost} {label} documents had no text left after cleaning")
    started = time.perf_counter()
    groups = group_texts(articles)
    return articles, groups, annotate_seconds, time.perf_counter() - started


def evaluate(
    name: str, docs: Sequence[Doc], threshold: float, tuned_on: str
) -> tuple[dict[str, Any], list[Any]]:
    """System and baselines on one corpus: the JSON entry, and storyweave's groups (for --dump)."""
    articles, groups, annotate_seconds, group_seconds = storyweave_groups(docs, name)
    story_of = {a.id: g.id for g in groups for a in g.articles}
    gold = [d.gold for d in docs]
    system = score(gold, [story_of[a.id] for a in articles])
    started = time.perf_counter()
    tfidf = score(gold, tfidf_labels(tfidf_distances([d.text for d in docs]), threshold))
    tfidf_seconds = time.perf_counter() - started
    started = time.perf_counter()
    labels, noise = hdbscan_labels(np.stack([a.vector for a in articles]))
    hdbscan = score(gold, labels)
    hdbscan_seconds = time.perf_counter() - started
    duplicates = sum(1 for a in articles if a.duplicate_of)
    largest = max((len(g.articles) for g in groups), default=0)
    print(
        f"\n{name}: {len(docs)} articles, {len(set(gold))} gold stories; "
        f"annotate {annotate_seconds:.1f} s, mark_duplicates + group_stories {group_seconds:.2f} s "
        f"({duplicates} marked duplicates; largest story {largest} articles)"
    )
    print(f"{'system':<34}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'ARI':>7}{'clusters':>10}")
    rows = (
        ("storyweave group_stories", system, ""),
        (f"TF-IDF + agglomerative (t={threshold})", tfidf, f"  tuned on {tuned_on}; {tfidf_seconds:.1f} s"),
        ("HDBSCAN on article vectors", hdbscan, f"  noise {100 * noise:.1f}%; {hdbscan_seconds:.2f} s"),
    )
    for label, figures, note in rows:
        print(
            f"{label:<34}{figures['b3_p']:>7.2f}{figures['b3_r']:>7.2f}{figures['b3_f1']:>7.2f}"
            f"{figures['ari']:>7.2f}{figures['clusters']:>10}{note}"
        )
    print(f"{'gold':<62}{len(set(gold)):>10}")
    entry = {
        "system": system,
        "baselines": {
            "tfidf_agglomerative": {**tfidf, "threshold": threshold, "tuned_on": tuned_on},
            "hdbscan": {**hdbscan, "noise_share": round(noise, 4)},
        },
        "n_docs": len(docs),
        "gold_clusters": len(set(gold)),
        "seconds": {"annotate": round(annotate_seconds, 2), "group": round(group_seconds, 3)},
    }
    return entry, groups


def dump(path: Path, groups: Sequence[Any], docs: Sequence[Doc]) -> None:
    """Per storyweave story: its documents and their gold sub-topics, largest story first."""
    gold_of = {d.name: d.gold for d in docs}
    rows = []
    for group in sorted(groups, key=lambda g: (-len(g.articles), g.id)):
        names = [a.path for a in group.articles]
        rows.append(
            {
                "story": group.id,
                "gold": dict(Counter(gold_of[n] for n in names).most_common()),
                "docs": names,
                "titles": [a.title for a in group.articles],
            }
        )
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _split_pieces(groups: Sequence[Any], docs: Sequence[Doc]) -> tuple[int, int]:
    """Gold stories split over several system stories, and system stories mixing several gold ones."""
    gold_of = {d.name: d.gold for d in docs}
    stories_of: dict[str, set[str]] = defaultdict(set)
    mixed = 0
    for group in groups:
        golds = {gold_of[a.path] for a in group.articles}
        mixed += len(golds) > 1
        for gold in golds:
            stories_of[gold].add(group.id)
    return sum(1 for s in stories_of.values() if len(s) > 1), mixed


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser(__doc__, Path("../shared/datasets/ecbplus"))
    parser.add_argument("--topics", choices=("dev", "train", "all"), default="dev")
    parser.add_argument("--neus", type=Path, default=None, help="NeuS val.source (default: beside --data)")
    parser.add_argument("--no-neus", action="store_true", help="ECB+ only (the CI gate's subset)")
    parser.add_argument("--dump", type=Path, default=None, help="write storyweave's ECB+ stories here")
    args = parser.parse_args(argv)
    if absent(args.data / "ECB+", "ECB+"):
        write_json(args.json, {"skipped": f"ECB+ not found at {args.data / 'ECB+'}"})
        return 0
    started = time.perf_counter()
    results: dict[str, Any] = {}

    train = load_ecb(args.data, TRAIN_TOPICS)
    threshold, train_f1 = tune_tfidf(train)
    same = " (the evaluated topics themselves)" if args.topics in ("train", "all") else ""
    tuned_on = f"ECB+ train topics{same}"
    print(
        f"TF-IDF threshold tuned on {len(train)} ECB+ train-topic articles{same}: t={threshold}, "
        f"B3 F1 {train_f1}"
    )
    docs = load_ecb(args.data, topics_of(args.topics))
    results["ecbplus"], groups = evaluate(f"ECB+ {args.topics} topics", docs, threshold, tuned_on)
    split, mixed = _split_pieces(groups, docs)
    print(f"  storyweave: {split} gold sub-topics split over several stories, {mixed} stories mix sub-topics")
    if args.dump:
        dump(args.dump, groups, docs)

    neus = args.neus or args.data.parent / "neus-allsides" / "val.source"
    if args.no_neus:
        results["neus"] = {"skipped": "--no-neus"}
    elif neus.is_file():
        train_source = neus.parent / "train.source"
        if train_source.is_file():
            tuning = load_neus(train_source, NEUS_TUNING_LINES)
            neus_threshold, neus_f1 = tune_tfidf(tuning)
            neus_tuned_on = f"first {NEUS_TUNING_LINES} lines of NeuS train.source"
        else:
            neus_threshold, neus_f1 = threshold, train_f1
            neus_tuned_on = "ECB+ train topics (no NeuS train.source)"
        print(f"\nTF-IDF threshold for NeuS tuned on {neus_tuned_on}: t={neus_threshold}, B3 F1 {neus_f1}")
        results["neus"], _ = evaluate(f"NeuS {neus.stem}", load_neus(neus), neus_threshold, neus_tuned_on)
    else:
        message = f"NeuS data not found ({neus}): skipped."
        print(f"\n{message}")
        results["neus"] = {"skipped": message}

    seconds = time.perf_counter() - started
    print(f"\nwall time {seconds:.0f} s")
    if args.json:
        top = {key: results["ecbplus"][key] for key in ("system", "baselines", "n_docs")}
        output = {**top, **results, "seconds": round(seconds, 1)}
        args.json.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
