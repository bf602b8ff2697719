"""Benchmark fact alignment as cross-document event coreference on ECB+ (gold mentions, gold sub-topics).

    python bench/facts.py --data ../shared/datasets/ecbplus [--topics 23-25] [--json FILE] [--cache FILE]
    python bench/facts.py --data ../shared/datasets/ecbplus --fit   # refit the weights, then report

Facts align across outlets at the event level (``storyweave.analysis.event_coref``). Each sub-topic of ECB+
(the articles of one real event; ``N_ecb`` = A, ``N_ecbplus`` = B) is one story, built from its fully
annotated sentences (ECBplus_coreference_sentences.csv). Every gold ACTION mention becomes an EventMention
through storyweave's own NLP: the spaCy pipeline gives its head (the root of the mention's tokens), lemma,
part of speech and participants, the sentence encoder its sentence vector and its vector in context, the
time-expression rules its dates (absolute ones only: ECB+ has no publication dates). The mentions of each
sub-topic are clustered by ``cluster_mentions`` and scored against the gold cross-document chains (mentions
in no chain are singletons) with MUC, B-cubed, CEAF-e and CoNLL F1 (their mean), beside the same-head-lemma
baseline on the same mentions within the same sub-topic (the protocol of the former bench/claims.py).

``--fit`` fits the pairwise model (logistic regression, scikit-learn) on every two mentions of one sub-topic
of the training topics 1-22, chooses the threshold and the lemma-first start on the development topics
23-25 by CoNLL F1, and writes ``src/storyweave/analysis/event_coref_weights.json``. Topics 36-45 are the
reserved test topics: nothing is fitted to them, and any range can be reported with ``--topics``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import coref_scores  # noqa: E402
from bench_io import absent, bench_parser  # noqa: E402
from storyweave.analysis.event_coref import EventMention, Model  # noqa: E402


@dataclass
class Mention:
    key: str  # doc:m_id
    subtopic: str
    doc: str
    start: int  # character offsets in the built article text
    end: int
    gold: str


def _topics(spec: str) -> set[str]:
    """ "23-25" -> {"23", "24", "25"}; commas join ranges ("1-22,26")."""
    found: set[str] = set()
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        found |= {str(t) for t in range(int(low), int(high or low) + 1)}
    return found


def load(data: Path, topics: set[str]) -> tuple[dict[str, dict[str, str]], list[Mention]]:
    """Sub-topic -> {doc: text of its annotated sentences}, and the gold ACTION mentions in them."""
    annotated: dict[str, set[int]] = defaultdict(set)
    with (data / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            annotated[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    mentions: list[Mention] = []
    for path in sorted((data / "ECB+").glob("*/*.xml")):
        doc = path.stem
        topic = doc.split("_")[0]
        if topic not in topics or doc not in annotated:
            continue
        subtopic = f"{topic}{'B' if doc.endswith('ecbplus') else 'A'}"
        root = ET.parse(path).getroot()
        spans: dict[str, tuple[int, int]] = {}
        parts: list[str] = []
        length, sentence = 0, None
        for token in root.iter("token"):
            number = int(token.get("sentence", "-1"))
            if number not in annotated[doc]:
                continue
            if sentence is not None:
                parts.append("\n" if number != sentence else " ")
                length += 1
            sentence = number
            word = token.text or ""
            spans[token.get("t_id", "")] = (length, length + len(word))
            parts.append(word)
            length += len(word)
        if not parts:
            continue
        texts[subtopic][doc] = "".join(parts)
        chain: dict[str, str] = {}
        for relation in root.iter("CROSS_DOC_COREF"):
            for source in relation.iter("source"):
                chain[source.get("m_id", "")] = relation.get("note", "")
        for markable in root.find("Markables") or []:
            anchors = [
                spans[a.get("t_id", "")] for a in markable.iter("token_anchor") if a.get("t_id") in spans
            ]
            if not markable.tag.startswith("ACTION") or not anchors:
                continue
            m_id = markable.get("m_id", "")
            key = f"{doc}:{m_id}"
            mentions.append(
                Mention(key, subtopic, doc, anchors[0][0], anchors[-1][1], chain.get(m_id, f"single:{key}"))
            )
    return texts, mentions


class VectorCache:
    """Encoded sentences and event words, kept in a .npz between runs when a path is given (the encoder
    takes minutes over all topics on a shared CPU); the vectors are storyweave's own either way."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, np.ndarray] = {}
        if path is not None and path.is_file():
            with np.load(path, allow_pickle=False) as stored:
                self.known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    def get(self, keys: list[str], encode: Any) -> list[np.ndarray]:
        """The vectors of ``keys``; those not cached come from ``encode(list of missing indices)``."""
        missing = sorted({i for i, key in enumerate(keys) if key not in self.known}, key=lambda i: keys[i])
        seen: dict[str, int] = {}
        todo = [seen.setdefault(keys[i], i) for i in missing if keys[i] not in seen]
        if todo:
            self.known.update(zip((keys[i] for i in todo), encode(todo), strict=True))
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                names = sorted(self.known)
                np.savez(self.path, keys=np.array(names), vectors=np.stack([self.known[k] for k in names]))
        return [self.known[key] for key in keys]


# Two reference dates far apart: a time expression whose value is the same against both is absolute ("in
# 2008", "March 12, 2009"); ECB+ gives no publication dates, so relative ones ("Tuesday") are left out.
_REFERENCES = (dt.date(2004, 2, 17), dt.date(2013, 9, 26))


def absolute_times(text: str) -> frozenset[str]:
    """TimeML values of the time expressions in ``text`` that do not depend on the publication date."""
    from storyweave.analysis.timex import find_time_expressions

    values = [
        {(t.start, t.value) for t in find_time_expressions(text, ref) if t.value} for ref in _REFERENCES
    ]
    return frozenset(value for _, value in values[0] & values[1])


def build_mentions(
    texts: dict[str, dict[str, str]], mentions: list[Mention], cache: Path | None = None
) -> dict[str, list[tuple[Mention, EventMention]]]:
    """Sub-topic -> its gold mentions with their EventMentions, built by storyweave's own NLP: the spaCy
    pipeline (head, lemma, part of speech, participants), the sentence encoder (sentence and context
    vectors) and the time-expression rules."""
    from storyweave.analysis import event_coref as ec
    from storyweave.nlp.pipeline import get_nlp

    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc].append(mention)
    nlp = get_nlp()
    pending: list[tuple[str, Mention, Any, str]] = []
    names = [(subtopic, doc) for subtopic, docs in sorted(texts.items()) for doc in sorted(docs)]
    parsed = nlp.pipe((texts[s][d] for s, d in names), batch_size=32)
    for (subtopic, doc_id), doc in zip(names, parsed, strict=True):
        for mention in by_doc[doc_id]:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and len(span):
                pending.append((subtopic, mention, span.root, span.text))
    from storyweave.nlp.vectors import get_encoder

    tokens = [token for _, _, token, _ in pending]
    sentences = [token.sent.text.strip() for token in tokens]
    store = VectorCache(cache)
    sentence_vectors = store.get(sentences, lambda todo: get_encoder().encode([sentences[i] for i in todo]))
    context_keys = [f"{t.idx - t.sent.start_char}:{len(t.text)}:{t.sent.text}" for t in tokens]
    contexts = store.get(context_keys, lambda todo: ec.encode_contexts([tokens[i] for i in todo]))
    times: dict[str, frozenset[str]] = {text: absolute_times(text) for text in sorted(set(sentences))}
    built: dict[str, list[tuple[Mention, EventMention]]] = defaultdict(list)
    for (subtopic, mention, token, text), sentence, vector, context in zip(
        pending, sentences, sentence_vectors, contexts, strict=True
    ):
        event = ec.event_mention(
            mention.doc,
            token,
            vector=vector,
            context=context,
            times=times[sentence],
            head=text,
        )
        built[subtopic].append((mention, event))
    return dict(built)


def _clusters(assignment: dict[str, str]) -> list[set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for key, cluster in assignment.items():
        groups[cluster].add(key)
    return list(groups.values())


def muc(key: list[set[str]], response: list[set[str]]) -> float:
    return coref_scores.muc(key, response)[2]


def b_cubed(key: list[set[str]], response: list[set[str]]) -> float:
    return coref_scores.b_cubed(key, response)[2]


def ceaf_e(key: list[set[str]], response: list[set[str]]) -> float:
    return coref_scores.ceaf_e(key, response)[2]


def score(gold: dict[str, str], system: dict[str, str]) -> dict[str, float]:
    key, response = _clusters(gold), _clusters(system)
    figures = {
        "muc_f1": muc(key, response),
        "b3_f1": b_cubed(key, response),
        "ceafe_f1": ceaf_e(key, response),
    }
    figures["conll_f1"] = sum(figures.values()) / 3
    return {name: round(100 * value, 2) for name, value in figures.items()}


TRAIN_TOPICS = "1-22"
DEV_TOPICS = "23-25"
WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "storyweave" / "analysis" / "event_coref_weights.json"
FIT_COMMAND = "python bench/facts.py --data ../shared/datasets/ecbplus --fit"
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(2, 20))


def _pairs(built: dict[str, list[tuple[Mention, EventMention]]]) -> tuple[np.ndarray, np.ndarray]:
    """Features and gold labels (same chain) of every two mentions of one sub-topic."""
    from storyweave.analysis.event_coref import pair_features

    rows, labels = [], []
    for _, items in sorted(built.items()):
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                rows.append(pair_features(items[i][1], items[j][1]))
                labels.append(int(items[i][0].gold == items[j][0].gold))
    return np.array(rows), np.array(labels)


def assign(
    built: dict[str, list[tuple[Mention, EventMention]]],
    model: Model | None = None,
    threshold: float | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Each mention's cluster by storyweave's event coreference, and by head lemma (the baseline),
    both within its sub-topic."""
    from storyweave.analysis.event_coref import cluster_mentions, load_model

    model = model or load_model()
    threshold = model.threshold if threshold is None else threshold
    system: dict[str, str] = {}
    lemma: dict[str, str] = {}
    for subtopic, items in sorted(built.items()):
        events = [event for _, event in items]
        for number, group in enumerate(cluster_mentions(events, threshold, model)):
            for i in group:
                system[items[i][0].key] = f"{subtopic}:{number}"
        for mention, event in items:
            lemma[mention.key] = f"{subtopic}:{event.predicate}"
    return system, lemma


def _gold(built: dict[str, list[tuple[Mention, EventMention]]]) -> dict[str, str]:
    return {m.key: m.gold for items in built.values() for m, _ in items}


def fit(data: Path, cache: Path) -> dict[str, object]:
    """Fit the pairwise model on the training topics, choose the threshold (and whether mentions of one
    lemma start together) on the development topics, and write the weights file."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from storyweave.analysis.event_coref import FEATURE_NAMES, model_from_dict

    train = build_mentions(*load(data, _topics(TRAIN_TOPICS)), cache)
    dev = build_mentions(*load(data, _topics(DEV_TOPICS)), cache)
    features, labels = _pairs(train)
    scaler = StandardScaler().fit(features)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    classifier = LogisticRegression(C=1.0, max_iter=5000).fit((features - scaler.mean_) / scale, labels)
    base = {
        "features": list(FEATURE_NAMES),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in classifier.coef_[0]],
        "bias": round(float(classifier.intercept_[0]), 6),
    }
    gold = _gold(dev)
    best: tuple[float, float, bool] = (-1.0, 0.5, False)
    for lemma_first in (False, True):
        for threshold in THRESHOLDS:
            model = model_from_dict({**base, "threshold": threshold, "lemma_first": lemma_first})
            conll = score(gold, assign(dev, model)[0])["conll_f1"]
            print(f"  dev: lemma first {lemma_first!s:<5} threshold {threshold:.2f}: CoNLL F1 {conll:.2f}")
            if conll > best[0]:
                best = (conll, threshold, lemma_first)
    weights = {
        "command": FIT_COMMAND,
        "trained_on": f"ECB+ topics {TRAIN_TOPICS}, {len(labels)} mention pairs within sub-topics",
        "threshold_chosen_on": f"ECB+ topics {DEV_TOPICS}: best CoNLL F1 {best[0]:.2f}",
        **base,
        "threshold": best[1],
        "lemma_first": best[2],
    }
    WEIGHTS.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS}: threshold {best[1]:.2f}, lemma first {best[2]}, dev CoNLL F1 {best[0]:.2f}")
    return weights


def main() -> int:
    parser = bench_parser(__doc__, Path("../shared/datasets/ecbplus"))
    parser.add_argument(
        "--topics", default=DEV_TOPICS, help="topics: one, a range or a list, e.g. 23-25 (development), 1-35"
    )
    parser.add_argument(
        "--fit", action="store_true", help=f"refit on topics {TRAIN_TOPICS}, write the weights"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep encoded vectors in this .npz between runs (e.g. /tmp/ecb-vectors.npz)",
    )
    args = parser.parse_args()
    if absent(args.data / "ECBplus_coreference_sentences.csv", "ECB+"):
        return 0
    if args.fit:
        fit(args.data, args.cache)
        from storyweave.analysis.event_coref import load_model

        load_model.cache_clear()  # report with the weights just written
    started = time.perf_counter()
    texts, mentions = load(args.data, _topics(args.topics))
    built = build_mentions(texts, mentions, args.cache)
    system, lemma = assign(built)
    gold = _gold(built)
    ours, baseline = score(gold, system), score(gold, lemma)
    count = sum(len(items) for items in built.values())
    results = {"system": ours, "baselines": {"lemma": baseline}, "n": count, "topics": args.topics}
    documents = sum(len(d) for d in texts.values())
    seconds = time.perf_counter() - started
    print(
        f"ECB+ topics {args.topics}: {len(texts)} sub-topics, {documents} documents, "
        f"{count} ACTION mentions ({len(mentions) - count} without a token span)"
    )
    print(f"{'system':<28} {'CoNLL':>7} {'MUC':>7} {'B3':>7} {'CEAF-e':>7}   ({seconds:.0f} s)")
    for label, figures in (("storyweave event coreference", ours), ("same head lemma", baseline)):
        print(
            f"{label:<28} {figures['conll_f1']:>7.2f} {figures['muc_f1']:>7.2f} "
            f"{figures['b3_f1']:>7.2f} {figures['ceafe_f1']:>7.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
