"""Multi-source summaries against NeuS (AllSides): ROUGE-1/2/L F of storyweave, lead and LexRank.

Each line of NAME.source is one story: three outlets' reports (title + lead) joined by [SEP]. Every
system summarises the story to the length of its reference (the editors' neutral summary, its
TITLE=>/ARTICLE=> markers removed): summaries are cut to the reference's word count, so no system
gains by writing more. Scores are ROUGE F-measures (rouge-score, Porter stemming), as percentages.

    .venv/bin/python bench/summary.py --data ../shared/datasets/neus-allsides --split val --json out.json
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench_io import bench_parser

ARTICLE_RE = re.compile(r"TITLE=>\s*(?P<title>.*?)\s*ARTICLE=>\s*(?P<body>.*)", re.S)
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’')]))\s+(?=[\"“‘(]?[A-Z0-9])")
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def parse_story(line: str) -> list[tuple[str, str]]:
    """(title, body) of each outlet's report in one NAME.source line."""
    reports = []
    for part in line.split("[SEP]"):
        match = ARTICLE_RE.search(part.strip())
        if match:
            reports.append((match.group("title").strip(), match.group("body").strip()))
        elif part.strip():
            reports.append(("", part.strip()))
    return reports


def reference_text(line: str) -> str:
    """The target without its markers: title sentence, then the summary."""
    return re.sub(r"\s*(TITLE|ARTICLE)=>\s*", " ", line).strip()


def cut(text: str, words: int) -> str:
    """The first ``words`` whitespace-separated words of ``text``."""
    return " ".join(text.split()[:words])


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


class RegexTokenizer:
    """sumy's tokenizer interface without nltk's punkt data (not installable offline)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        return WORD.findall(sentence)


def lead(reports: Sequence[tuple[str, str]], words: int) -> str:
    """The first sentence of each outlet's report, then the next ones, until the budget is met."""
    bodies = [split_sentences(body) for _, body in reports]
    picked: list[str] = []
    depth = 0
    while sum(len(s.split()) for s in picked) < words and any(depth < len(b) for b in bodies):
        picked.extend(b[depth] for b in bodies if depth < len(b))
        depth += 1
    return cut(" ".join(picked), words)


def lexrank(reports: Sequence[tuple[str, str]], words: int) -> str:
    """sumy's LexRank over all the outlets' sentences, best first, to the budget."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    text = "\n\n".join(body for _, body in reports)
    parser = PlaintextParser.from_string(text, RegexTokenizer())
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentences = list(parser.document.sentences)
    if not sentences:
        return ""
    # sumy's own steps (LexRankSummarizer.__call__), kept to rank every sentence, not only the top k.
    words_of = [summarizer._to_words_set(s) for s in sentences]
    tf = summarizer._compute_tf(words_of)
    idf = summarizer._compute_idf(words_of)
    matrix = summarizer._create_matrix(words_of, summarizer.threshold, tf, idf)
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    for i in order:
        if sum(len(str(sentences[j]).split()) for j in chosen) >= words:
            break
        chosen.append(i)
    return cut(" ".join(str(sentences[i]) for i in sorted(chosen)), words)


def storyweave_summary(reports: Sequence[tuple[str, str]], words: int) -> str:
    from storyweave.analysis.story import AnalysisOptions
    from storyweave.analysis.texts import analyze_texts

    texts = [body for _, body in reports]
    titles = [title or None for title, _ in reports]
    story = analyze_texts(texts, titles, options=AnalysisOptions(summary_words=words))
    return cut(" ".join(s.text for s in story.summary), words)


BOOTSTRAP_SAMPLES = 10_000
BOOTSTRAP_SEED = 7


def paired_bootstrap(system: Sequence[float], baseline: Sequence[float]) -> float:
    """One-sided paired bootstrap p-value: the share of resampled story sets (with replacement, seeded) in
    which the system's mean does not exceed the baseline's."""
    import numpy as np

    diffs = np.asarray(system, dtype=float) - np.asarray(baseline, dtype=float)
    if diffs.size == 0:
        return 1.0
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    samples = rng.integers(0, diffs.size, size=(BOOTSTRAP_SAMPLES, diffs.size))
    return float((diffs[samples].mean(axis=1) <= 0).mean())


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser(__doc__, Path("../shared/datasets/neus-allsides"))
    parser.add_argument("--split", default="val")
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories")
    args = parser.parse_args(argv)
    source, target = args.data / f"{args.split}.source", args.data / f"{args.split}.target"
    if not source.exists() or not target.exists():
        print(f"NeuS data not found ({source}, {target}): nothing to measure.")
        return 0
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    sources = source.read_text(encoding="utf-8").splitlines()
    targets = target.read_text(encoding="utf-8").splitlines()
    pairs = list(zip(sources, targets, strict=True))[: args.limit]
    systems = {"storyweave": storyweave_summary, "lead": lead, "lexrank": lexrank}
    totals = {name: {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0} for name in systems}
    per_story: dict[str, list[float]] = {name: [] for name in systems}  # ROUGE-2 F of each story
    started = time.perf_counter()
    for number, (line, gold) in enumerate(pairs, start=1):
        reports = parse_story(line)
        reference = reference_text(gold)
        words = len(reference.split())
        for name, system in systems.items():
            scores = scorer.score(reference, system(reports, words))
            for key in totals[name]:
                totals[name][key] += scores[key].fmeasure
            per_story[name].append(scores["rouge2"].fmeasure)
        if number % 50 == 0:
            print(f"  {number}/{len(pairs)} stories, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    n = len(pairs)
    means = {name: {k: round(100 * v / max(1, n), 2) for k, v in t.items()} for name, t in totals.items()}
    print(f"NeuS {args.split}: {n} stories, ROUGE F (stemmed), summaries cut to the reference's length")
    print(f"{'system':<12}{'ROUGE-1':>9}{'ROUGE-2':>9}{'ROUGE-L':>9}")
    for name, row in means.items():
        print(f"{name:<12}{row['rouge1']:>9.2f}{row['rouge2']:>9.2f}{row['rougeL']:>9.2f}")
    p_lead = paired_bootstrap(per_story["storyweave"], per_story["lead"])
    gain = means["storyweave"]["rouge2"] - means["lead"]["rouge2"]
    print(
        f"ROUGE-2 storyweave - lead: {gain:+.2f}, paired bootstrap p = {p_lead:.4f}",
        f"({BOOTSTRAP_SAMPLES} resamples)",
    )
    if args.json:
        result = {
            "system": means["storyweave"],
            "baselines": {"lead": means["lead"], "lexrank": means["lexrank"]},
            "rouge2_gain_over_lead": round(gain, 2),
            "bootstrap_p_over_lead": round(p_lead, 4),
            "n": n,
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
