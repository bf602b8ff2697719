"""Benchmark direct-quote extraction and speaker attribution against PolNeAR (brat standoff).

    python bench/quotes.py --data ../shared/datasets/polnear/data/dev [--json FILE] [--limit N]

DATA holds ``text/<article>.txt`` and ``attributions/<article>[_<annotator>].ann``; where an article has
several annotators' files, the first by name is used. Gold direct quotes are the attribution Content spans
that contain quoted text (a double quotation mark, or an opening curly single mark); each keeps the Source
span of its attribution. Scores:

- content P/R/F1 with overlap matching (a system quote and a gold quote share a word token) and with exact
  matching (same span once surrounding quotation marks, punctuation and spaces are trimmed);
- source accuracy: of the gold quotes matched by overlap that have a Source span, the share whose system
  speaker span (the subject phrase storyweave attributed the quote to) overlaps the gold Source span.

textacy's ``direct_quotations`` runs side by side on the same spaCy parses as the baseline. textacy gives up
on a whole document with an odd number of quotation-mark tokens; it is then run paragraph by paragraph, so
that one stray mark does not score the whole document zero.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_io import absent, bench_parser  # noqa: E402
from storyweave.analysis.entities import build_entities  # noqa: E402
from storyweave.analysis.quotes import article_quotes  # noqa: E402
from storyweave.model import Article  # noqa: E402
from storyweave.nlp.annotate import annotate  # noqa: E402

Spans = list[tuple[int, int]]
_QUOTED = re.compile(r"[“”\"]|(?:^|(?<=[\s(\[—–-]))‘")
_TRIM = " \t\r\n“”\"‘’'`.,;:!?—–-()[]…"


@dataclass
class Gold:
    content: Spans
    source: Spans


@dataclass
class Predicted:
    content: Spans
    source: Spans = field(default_factory=list)


@dataclass
class Doc:
    name: str
    text: str
    gold: list[Gold]
    indirect: list[Gold] = field(default_factory=list)  # Content spans without quoted text


def _spans(field_: str) -> Spans:
    """ "315 448;463 553" -> [(315, 448), (463, 553)]"""
    out: Spans = []
    for part in field_.split(";"):
        start, end = part.split()
        out.append((int(start), int(end)))
    return out


def load_ann(path: Path, text: str) -> tuple[list[Gold], list[Gold]]:
    """Gold quotes of one .ann file, each with its Source span: direct ones (Content spans with quoted text)
    and indirect ones (the other Content spans)."""
    spans: dict[str, tuple[str, Spans]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            kind, _, offsets = cols[1].partition(" ")
            spans[cols[0]] = (kind, _spans(offsets))
        elif line.startswith("E") and len(cols) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in cols[1].split() if ":" in arg))
    gold: list[Gold] = []
    indirect: list[Gold] = []
    seen: set[tuple[tuple[int, int], ...]] = set()
    for relation in relations:
        content = spans.get(relation.get("Content", ""))
        if content is None or tuple(content[1]) in seen:
            continue
        seen.add(tuple(content[1]))
        source = spans.get(relation.get("Source", ""), ("", []))[1]
        direct = any(_QUOTED.search(text[s:e]) for s, e in content[1])
        (gold if direct else indirect).append(Gold(content=content[1], source=source))
    return gold, indirect


def load(data: Path, limit: int | None) -> list[Doc]:
    docs: list[Doc] = []
    anns = sorted((data / "attributions").glob("*.ann"))
    for text_path in sorted((data / "text").glob("*.txt")):
        own = [a for a in anns if a.stem == text_path.stem or a.stem.rsplit("_", 1)[0] == text_path.stem]
        if not own:
            continue
        text = text_path.read_text(encoding="utf-8")
        direct, indirect = load_ann(own[0], text)
        docs.append(Doc(text_path.stem, text, direct, indirect))
        if limit and len(docs) >= limit:
            break
    return docs


# --------------------------------------------------------------------------------------------- scoring

_TOKEN = re.compile(r"\w+")


def _tokens(text: str, spans: Spans) -> set[int]:
    return {m.start() for s, e in spans for m in _TOKEN.finditer(text, s, e)}


def _trimmed(text: str, spans: Spans) -> tuple[int, int]:
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


@dataclass
class Counts:
    n_pred: int = 0
    n_gold: int = 0
    tp_pred_overlap: int = 0
    tp_gold_overlap: int = 0
    tp_pred_exact: int = 0
    tp_gold_exact: int = 0
    sourced: int = 0
    source_ok: int = 0

    def add(self, text: str, gold: list[Gold], pred: list[Predicted]) -> None:
        self.n_gold += len(gold)
        self.n_pred += len(pred)
        gold_tokens = [_tokens(text, g.content) for g in gold]
        pred_tokens = [_tokens(text, p.content) for p in pred]
        gold_exact = {_trimmed(text, g.content) for g in gold}
        pred_exact = {_trimmed(text, p.content) for p in pred}
        self.tp_pred_overlap += sum(1 for pt in pred_tokens if any(pt & gt for gt in gold_tokens))
        self.tp_pred_exact += sum(1 for p in pred if _trimmed(text, p.content) in gold_exact)
        self.tp_gold_exact += sum(1 for g in gold if _trimmed(text, g.content) in pred_exact)
        for g, gt in zip(gold, gold_tokens, strict=True):
            matched = [p for p, pt in zip(pred, pred_tokens, strict=True) if pt & gt]
            if not matched:
                continue
            self.tp_gold_overlap += 1
            if not g.source:
                continue
            self.sourced += 1
            best = max(matched, key=lambda p: len(_tokens(text, p.content) & gt))
            if _tokens(text, best.source) & _tokens(text, g.source):
                self.source_ok += 1

    @staticmethod
    def _f1(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
        p = tp_pred / n_pred if n_pred else 0.0
        r = tp_gold / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def scores(self) -> dict[str, float]:
        po, ro, fo = self._f1(self.tp_pred_overlap, self.n_pred, self.tp_gold_overlap, self.n_gold)
        pe, re_, fe = self._f1(self.tp_pred_exact, self.n_pred, self.tp_gold_exact, self.n_gold)
        return {
            "content_p_overlap": round(po, 3),
            "content_r_overlap": round(ro, 3),
            "content_f1_overlap": round(fo, 3),
            "content_p_exact": round(pe, 3),
            "content_r_exact": round(re_, 3),
            "content_f1_exact": round(fe, 3),
            "source_acc": round(self.source_ok / self.sourced if self.sourced else 0.0, 3),
            "n_pred": self.n_pred,
        }


# --------------------------------------------------------------------------------------------- systems


def storyweave_quotes(article: Article) -> tuple[list[Predicted], list[Predicted]]:
    """storyweave's direct quotes and its indirect ones ("he said that ..."), scored apart."""
    entities = build_entities([article])
    direct: list[Predicted] = []
    indirect: list[Predicted] = []
    for found in article_quotes(article, entities, indirect=True):
        source = [found.speaker_span] if found.speaker_span else []
        predicted = Predicted(content=[(found.variant.start, found.variant.end)], source=source)
        (indirect if found.variant.indirect else direct).append(predicted)
    return direct, indirect


def _textacy_triples(doc: object, offset: int) -> Iterable[Predicted]:
    from textacy.extract.triples import direct_quotations

    for speaker, _cue, content in direct_quotations(doc):  # type: ignore[arg-type]
        source = [(offset + t.idx, offset + t.idx + len(t)) for t in speaker]
        yield Predicted(content=[(offset + content.start_char, offset + content.end_char)], source=source)


def textacy_quotes(article: Article) -> list[Predicted]:
    doc = article.doc
    assert doc is not None
    try:
        return list(_textacy_triples(doc, 0))
    except ValueError:  # an odd number of quotation marks: textacy gives up on the document
        pass
    out: list[Predicted] = []
    for paragraph in re.finditer(r"[^\n]+", article.text):
        span = doc.char_span(paragraph.start(), paragraph.end(), alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        try:
            out.extend(_textacy_triples(span.as_doc(), span.start_char))
        except ValueError:
            continue
    return out


def main(argv: list[str] | None = None) -> int:
    ap = bench_parser(__doc__, Path("../shared/datasets/polnear/data/dev"))
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--errors", type=Path, help="write storyweave's misses and spurious quotes here")
    args = ap.parse_args(argv)
    if absent(args.data / "text", "PolNeAR's text/") or absent(
        args.data / "attributions", "PolNeAR's attributions/"
    ):
        return 0
    docs = load(args.data, args.limit)
    started = time.perf_counter()
    # Built by hand, not through analysis/texts.py: the gold offsets point into this exact text,
    # which cleaning would shift (the grouping bench, which scores no offsets, takes the product's path).
    articles = [Article(id=d.name, path=d.name, raw=d.text, text=d.text) for d in docs]
    annotate(articles, vectors=False)
    system, baseline, reported = Counts(), Counts(), Counts()
    errors: list[str] = []
    for doc, article in zip(docs, articles, strict=True):
        predicted, indirect = storyweave_quotes(article)
        system.add(doc.text, doc.gold, predicted)
        reported.add(doc.text, doc.indirect, indirect)
        baseline.add(doc.text, doc.gold, textacy_quotes(article))
        if args.errors:
            errors.extend(_errors(doc, predicted))
    elapsed = time.perf_counter() - started
    result = {
        "system": system.scores(),
        "baselines": {"textacy": baseline.scores()},
        "n_gold": system.n_gold,
        "indirect": {**reported.scores(), "n_gold": reported.n_gold},
        "n_docs": len(docs),
    }
    rows = [("storyweave", system.scores()), ("textacy direct_quotations", baseline.scores())]
    print(f"PolNeAR {args.data}: {len(docs)} articles, {system.n_gold} gold direct quotes, {elapsed:.1f} s")
    print(
        f"{'system':<28}{'P ovl':>7}{'R ovl':>7}{'F1 ovl':>8}{'P ex':>7}{'R ex':>7}{'F1 ex':>7}{'src acc':>9}"
    )
    for name, s in rows:
        print(
            f"{name:<28}{s['content_p_overlap']:>7.3f}{s['content_r_overlap']:>7.3f}"
            f"{s['content_f1_overlap']:>8.3f}{s['content_p_exact']:>7.3f}{s['content_r_exact']:>7.3f}"
            f"{s['content_f1_exact']:>7.3f}{s['source_acc']:>9.3f}"
        )
    s = {**reported.scores(), "n_gold": reported.n_gold}
    print(
        f"indirect (no quotation marks, {reported.n_gold} gold): P ovl {s['content_p_overlap']:.3f} "
        f"R ovl {s['content_r_overlap']:.3f} F1 ovl {s['content_f1_overlap']:.3f} "
        f"F1 ex {s['content_f1_exact']:.3f} src acc {s['source_acc']:.3f}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.errors:
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")
    return 0


def _errors(doc: Doc, predicted: list[Predicted]) -> list[str]:
    """Misses, spurious quotes and wrong sources, one line each, for reading while developing."""
    text = doc.text
    lines: list[str] = []
    gold_tokens = [_tokens(text, g.content) for g in doc.gold]
    pred_tokens = [_tokens(text, p.content) for p in predicted]

    def show(spans: Spans) -> str:
        return " | ".join(text[s:e] for s, e in spans).replace("\n", " ")[:160]

    for g, gt in zip(doc.gold, gold_tokens, strict=True):
        matched = [p for p, pt in zip(predicted, pred_tokens, strict=True) if pt & gt]
        if not matched:
            lines.append(f"MISS  {doc.name}: {show(g.content)}  <- {show(g.source)}")
        elif g.source and not any(_tokens(text, p.source) & _tokens(text, g.source) for p in matched):
            got = show(matched[0].source) or "-"
            lines.append(f"SRC   {doc.name}: {show(g.content)[:80]}  gold={show(g.source)} got={got}")
    for p, pt in zip(predicted, pred_tokens, strict=True):
        if not any(pt & gt for gt in gold_tokens):
            lines.append(f"SPUR  {doc.name}: {show(p.content)}  <- {show(p.source)}")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
