"""Benchmark the same-fact decision on MSRP sentence pairs (news reports of one story, labelled by people).

    python bench/same_fact.py --data ../shared/datasets/msrp-sts/msrp --split val [--json FILE] [--limit N]
    python bench/same_fact.py --data ../shared/datasets/msrp-sts/msrp --fit   # refit; prints the constants

storyweave's decision is ``storyweave.analysis.same_fact.same_fact``, the one claims alignment uses, with its
weights fixed in that module (fitted on msr-para-train.tsv by ``--fit``; val is only reported on; the test
split is never read). Two baselines run in the same process, each with its best threshold on
msr-para-train.tsv: TF-IDF cosine (vocabulary and IDF from train) and all-MiniLM-L6-v2 cosine. Reports
accuracy and F1 of class 1 (same meaning). Sentence vectors are computed once per run, in memory.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_io import absent, bench_parser, write_json
from storyweave.analysis import same_fact as sf  # noqa: E402


@dataclass
class Pair:
    label: int
    a: str
    b: str


def load_pairs(data: Path, split: str, limit: int | None = None) -> list[Pair]:
    """Rows of msr-para-SPLIT.tsv (Quality, #1 ID, #2 ID, #1 String, #2 String); tabs only, quotes kept."""
    lines = (data / f"msr-para-{split}.tsv").read_text(encoding="utf-8-sig").splitlines()[1:]
    pairs = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) >= 5 and parts[0] in ("0", "1"):
            pairs.append(Pair(int(parts[0]), parts[3], parts[4]))
    return pairs[:limit] if limit else pairs


def accuracy_f1(gold: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = int(np.sum((predicted == 1) & (gold == 1)))
    fp = int(np.sum((predicted == 1) & (gold == 0)))
    fn = int(np.sum((predicted == 0) & (gold == 1)))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"accuracy": round(float(np.mean(predicted == gold)), 4), "f1": round(f1, 4)}


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    """The threshold with the best accuracy on these scores (ties: the lowest)."""
    candidates = np.unique(np.round(scores, 4))
    accuracies = [float(np.mean((scores >= t) == gold)) for t in candidates]
    return float(candidates[int(np.argmax(accuracies))])


class Vectors:
    """Every distinct sentence encoded once, in one batch; kept in memory for this run only."""

    def __init__(self, pairs: list[Pair]) -> None:
        from storyweave.nlp.vectors import get_encoder

        texts = sorted({p.a for p in pairs} | {p.b for p in pairs})
        self.index = {t: i for i, t in enumerate(texts)}
        self.matrix = get_encoder().encode(texts)  # (0, width) when empty

    def cosine(self, a: str, b: str) -> float:
        return float(self.matrix[self.index[a]] @ self.matrix[self.index[b]])


def tfidf_cosines(train: list[Pair], pairs: list[Pair]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer().fit([p.a for p in train] + [p.b for p in train])
    left = vectorizer.transform([p.a for p in pairs])
    right = vectorizer.transform([p.b for p in pairs])
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()


def fit(train: list[Pair], vectors: Vectors) -> None:
    """Fit the logistic model on train and print the constants to paste into same_fact.py."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    features = np.array([sf.pair_features(p.a, p.b, vectors.cosine(p.a, p.b)).values for p in train])
    gold = np.array([p.label for p in train])
    scaler = StandardScaler().fit(features)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(features), gold)
    weights = model.coef_[0] / scaler.scale_
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * scaler.mean_ / scaler.scale_))
    probabilities = 1 / (1 + np.exp(-(features @ weights + intercept)))
    threshold = best_threshold(np.round(probabilities, 2), gold)
    print(f"INTERCEPT = {intercept:.6f}")
    print("WEIGHTS: tuple[float, ...] = (")
    for name, weight in zip(sf.FEATURE_NAMES, weights, strict=True):
        print(f"    {weight:.6f},  # {name}")
    print(")")
    print(f"SAME_FACT_THRESHOLD = {threshold:.2f}")
    model_says = probabilities >= threshold
    print("train, model alone:", accuracy_f1(gold, model_says.astype(int)))
    cosines = features[:, 0]
    print("cosine >= c: pairs, share same meaning, accuracy of (model or cosine >= c)")
    for cut in (0.75, 0.78, 0.80, 0.82, 0.85, 0.90):
        high = cosines >= cut
        figures = accuracy_f1(gold, (model_says | high).astype(int))
        print(f"  {cut:.2f}: {int(high.sum())}, {float(gold[high].mean()):.3f}, {figures}")


def main() -> int:
    parser = bench_parser(__doc__, Path("../shared/datasets/msrp-sts/msrp"))
    parser.add_argument("--split", default="val", help="the split reported on (never test)")
    parser.add_argument("--limit", type=int, help="only the first N pairs of the reported split")
    parser.add_argument("--fit", action="store_true", help="refit on train and print the constants")
    args = parser.parse_args()
    if absent(args.data / "msr-para-train.tsv", "MSRP"):
        return 0
    if args.split == "test":
        parser.error("the test split is not used for development figures")
    started = time.perf_counter()
    train = load_pairs(args.data, "train")
    if args.fit:
        fit(train, Vectors(train))
        return 0
    pairs = load_pairs(args.data, args.split, args.limit)
    vectors = Vectors(train + pairs)
    gold = np.array([p.label for p in pairs])
    train_gold = np.array([p.label for p in train])

    system = np.array([int(sf.same_fact(p.a, p.b, vectors.cosine(p.a, p.b))) for p in pairs])
    baselines: dict[str, dict[str, float]] = {}
    results = {"system": accuracy_f1(gold, system), "baselines": baselines, "n": len(pairs)}
    thresholds = {}
    for name, train_scores, scores in (
        ("tfidf", tfidf_cosines(train, train), tfidf_cosines(train, pairs)),
        (
            "minilm",
            np.array([vectors.cosine(p.a, p.b) for p in train]),
            np.array([vectors.cosine(p.a, p.b) for p in pairs]),
        ),
    ):
        thresholds[name] = best_threshold(train_scores, train_gold)
        baselines[name] = accuracy_f1(gold, (scores >= thresholds[name]).astype(int))

    print(
        f"MSRP {args.split}: {len(pairs)} pairs ({int(gold.sum())} same meaning); "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(f"{'system':<34} {'accuracy':>8} {'F1':>7}")
    rows = [("storyweave (same_fact)", accuracy_f1(gold, system))]
    rows += [
        (f"{name} cosine >= {thresholds[name]:.3f} (train)", baselines[name]) for name in ("tfidf", "minilm")
    ]
    for label, figures in rows:
        print(f"{label:<34} {figures['accuracy']:>8.3f} {figures['f1']:>7.3f}")
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
