"""Benchmark claim alignment as cross-document event coreference on ECB+ (a diagnostic, not a leaderboard).

    python bench/claims.py --data ../shared/datasets/ecbplus [--topics 1-35] [--json FILE]

Each sub-topic of ECB+ (the articles of one real event; ``N_ecb`` = A, ``N_ecbplus`` = B) is analysed as one
story, built from its fully annotated sentences (ECBplus_coreference_sentences.csv): statement units,
sentence vectors and storyweave's claim groups (``storyweave.analysis.claims.build_claims``). Every gold
ACTION mention in those sentences takes the claim group of the unit that contains it (a singleton if none
does). Against the gold cross-document chains (mentions in no chain are singletons) the script reports
MUC, B-cubed, CEAF-e and CoNLL F1 (their mean), beside the same-head-lemma baseline on the same mentions
within the same sub-topic. Claims are clauses, not single event words, so a claim group also holds the
other events of its sentence: read the figure as where claim groups split one event or merge two.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from coref_scores import b_cubed, ceaf_e, clusters_of, muc  # noqa: E402


@dataclass
class Mention:
    key: str  # doc:m_id
    subtopic: str
    doc: str
    start: int  # character offsets in the built article text
    end: int
    gold: str


def _topics(spec: str) -> set[str]:
    low, _, high = spec.partition("-")
    return {str(t) for t in range(int(low), int(high or low) + 1)}


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


def system_clusters(texts: dict[str, dict[str, str]], mentions: list[Mention]) -> tuple[dict, dict]:
    """Each mention's claim group (storyweave) and head-lemma group (baseline), per sub-topic."""
    from storyweave.analysis.claims import build_claims

    from storyweave.analysis.entities import build_entities
    from storyweave.analysis.units import attach_vectors, statement_units
    from storyweave.model import Article
    from storyweave.nlp.annotate import annotate, encode_sentences

    claim_of: dict[str, str] = {}
    lemma_of: dict[str, str] = {}
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc].append(mention)
    for subtopic, docs in sorted(texts.items()):
        # Built by hand, not through analysis/texts.py: the gold offsets point into this exact text,
        # which cleaning would shift (the grouping bench, which scores no offsets, takes the product's path).
        articles = [Article(id=d, path=f"{d}.xml", raw=t, text=t) for d, t in sorted(docs.items())]
        annotate(articles)
        encode_sentences(articles)
        units = statement_units(articles)
        attach_vectors(units)
        _, groups = build_claims(units, build_entities(articles), [], {}, lambda u: 1.0)
        for claim_id, group in sorted(groups.items(), key=lambda g: -len(g[1].units)):
            for unit in group.units:
                for mention in by_doc[unit.article.id]:
                    if unit.start <= mention.start < unit.end and mention.key not in claim_of:
                        claim_of[mention.key] = f"{subtopic}:{claim_id}"
        for article in articles:
            for mention in by_doc[article.id]:
                doc = article.doc
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand") if doc else None
                head = (
                    span.root.lemma_.lower()
                    if span is not None
                    else article.text[mention.start : mention.end]
                )
                lemma_of[mention.key] = f"{subtopic}:{head}"
    return claim_of, lemma_of


def score(gold: dict[str, str], system: dict[str, str]) -> dict[str, float]:
    key, response = clusters_of(gold), clusters_of(system)
    figures = {
        "muc_f1": muc(key, response)[2],
        "b3_f1": b_cubed(key, response)[2],
        "ceafe_f1": ceaf_e(key, response)[2],
    }
    figures["conll_f1"] = sum(figures.values()) / 3
    return {name: round(100 * value, 2) for name, value in figures.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets/ecbplus"))
    parser.add_argument(
        "--topics", default="1-35", help="a topic or a range, e.g. 1-35 (the development topics)"
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if not (args.data / "ECBplus_coreference_sentences.csv").is_file():
        print(f"ECB+ data not found in {args.data} (ECBplus_coreference_sentences.csv); nothing to measure.")
        return 0
    started = time.perf_counter()
    texts, mentions = load(args.data, _topics(args.topics))
    claim_of, lemma_of = system_clusters(texts, mentions)
    gold = {m.key: m.gold for m in mentions}
    system = {m.key: claim_of.get(m.key, f"single:{m.key}") for m in mentions}
    ours, lemma = score(gold, system), score(gold, lemma_of)
    # Diagnostic: claim groups split by head lemma, so a clause's other events leave its group.
    split = score(gold, {key: f"{system[key]}|{lemma_of.get(key, '')}" for key in system})
    results = {"system": ours, "baselines": {"lemma": lemma}, "claim_and_lemma": split, "n": len(mentions)}
    documents = sum(len(d) for d in texts.values())
    seconds = time.perf_counter() - started
    print(
        f"ECB+ topics {args.topics}: {len(texts)} sub-topics, {documents} documents, "
        f"{len(mentions)} ACTION mentions"
    )
    print(f"{'system':<28} {'CoNLL':>7} {'MUC':>7} {'B3':>7} {'CEAF-e':>7}   ({seconds:.0f} s)")
    for label, figures in (
        ("storyweave claim groups", ours),
        ("same head lemma", lemma),
        ("claim group and same lemma", split),
    ):
        print(
            f"{label:<28} {figures['conll_f1']:>7.2f} {figures['muc_f1']:>7.2f} "
            f"{figures['b3_f1']:>7.2f} {figures['ceafe_f1']:>7.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
