"""Benchmark time-expression recognition and normalisation against TimeML (TempEval-3 Task A style).

    python bench/timex.py --data ../shared/datasets/tempeval3/Training [--split heldout] [--json FILE]

Held-out protocol: the rules are developed on TimeBank (``--split dev``) and reported on AQUAINT
(``--split heldout``); a split keeps only the files under a folder of that corpus's name (TBAQ-cleaned
layout). ``--split all`` (the default) reads every file under DATA.

For every .tml file under DATA: the TEXT element's content is the input, the CREATION_TIME TIMEX3 the
reference date, the TIMEX3 inside TEXT the gold. Scores, re-implemented after the TempEval-3 scorer: strict
extent P/R/F1 (same span), relaxed extent P/R/F1 (any overlap, one-to-one), and value F1 (a relaxed match
counts only when the normalised values agree). A dateparser-only baseline runs side by side.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_io import absent, bench_parser  # noqa: E402
from storyweave.analysis.details import NUMBER_WORDS  # noqa: E402
from storyweave.analysis.timex import find_time_expressions  # noqa: E402
from storyweave.analysis.timex_tense import clause_tense, parse_tense  # noqa: E402


@dataclass
class Doc:
    name: str
    text: str
    dct: dt.date
    gold: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, value


def load_tml(path: Path) -> Doc | None:
    """TEXT content with the offsets of its TIMEX3, and the creation date; None if the file lacks either."""
    root = ET.parse(path).getroot()
    dct_el = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    text_el = root.find("TEXT")
    if dct_el is None or text_el is None:
        return None
    dct = dt.date.fromisoformat((dct_el.get("value") or "")[:10])
    parts: list[str] = []
    gold: list[tuple[int, int, str]] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el is not text_el:
            gold.append((start, pos, el.get("value") or ""))

    walk(text_el)
    return Doc(path.name, "".join(parts), dct, gold)


def norm_value(v: str | None) -> str:
    """Compare values modulo zero-padding of week numbers (2000-W8 = 2000-W08) and case."""
    v = (v or "").upper()
    return re.sub(r"-W0(\d)\b", r"-W\1", v)


# Value mismatches where the two values name the same time in different TimeML notations, or the gold
# leaves out a part of the day the text states. Counted apart so that the error analysis is reproducible;
# the scores above never use them.
NOTATION_KINDS = ("year_as_YYYY-XX", "decade_as_DDDX", "part_of_day_not_in_gold")


def mismatch_kind(gold: str, system: str) -> str | None:
    """The notation difference between a gold and a system value that name the same time, if any."""
    gold, system = norm_value(gold), norm_value(system)
    if re.fullmatch(r"\d{4}(?:-XX)+", gold) and system == gold[:4]:
        return "year_as_YYYY-XX"  # "in 1968": AQUAINT writes 1968-XX, TimeBank 1968
    if re.fullmatch(r"\d{3}X", gold) and system == gold[:3]:
        return "decade_as_DDDX"  # "the 1990s": AQUAINT writes 199X, TimeBank and the guidelines 199
    if re.fullmatch(r"\d{4}-\d\d-\d\d", gold) and re.fullmatch(re.escape(gold) + r"T(?:MO|AF|EV|NI)", system):
        return "part_of_day_not_in_gold"  # "Thursday night": AQUAINT mostly writes the day alone
    return None


def match(sys_spans: list[tuple[int, int, str]], gold: list[tuple[int, int, str]]) -> dict[str, int]:
    """Counts for strict, relaxed and value scoring with one-to-one greedy matching (best overlap first)."""
    strict = len({(s, e) for s, e, _ in sys_spans} & {(s, e) for s, e, _ in gold})
    pairs = []
    for i, (s1, e1, _) in enumerate(sys_spans):
        for j, (s2, e2, _) in enumerate(gold):
            ov = min(e1, e2) - max(s1, s2)
            if ov > 0:
                pairs.append((-ov, i, j))
    pairs.sort()
    used_s: set[int] = set()
    used_g: set[int] = set()
    relaxed = value = 0
    kinds = dict.fromkeys(NOTATION_KINDS, 0)
    for _, i, j in pairs:
        if i in used_s or j in used_g:
            continue
        used_s.add(i)
        used_g.add(j)
        relaxed += 1
        if norm_value(sys_spans[i][2]) == norm_value(gold[j][2]):
            value += 1
        elif kind := mismatch_kind(gold[j][2], sys_spans[i][2]):
            kinds[kind] += 1
    return {
        "strict": strict,
        "relaxed": relaxed,
        "value": value,
        "n_sys": len(sys_spans),
        "n_gold": len(gold),
        **kinds,
    }


def prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def scores(counts: dict[str, int]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in ("strict", "relaxed", "value"):
        p, r, f = prf(counts[key], counts["n_sys"], counts["n_gold"])
        out[f"{key}_p"], out[f"{key}_r"], out[f"{key}_f1"] = round(p, 4), round(r, 4), round(f, 4)
    return out


_DURATION = re.compile(
    r"^(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(second|minute|hour|day|week"
    r"|month|year)s?$",
    re.IGNORECASE,
)
# The duration words _DURATION knows: the analysis's number words up to ten, and "a"/"an" for one.
_WORDS = {"a": 1, "an": 1} | {word: n for word, n in NUMBER_WORDS.items() if n <= 10}


def run_dateparser(doc: Doc) -> list[tuple[int, int, str]]:
    """Baseline: dateparser.search.search_dates; value YYYY-MM-DD, "N units" mapped naively to a duration."""
    from dateparser.search import search_dates

    ref = dt.datetime(doc.dct.year, doc.dct.month, doc.dct.day)
    found = search_dates(
        doc.text, languages=["en"], settings={"RELATIVE_BASE": ref, "PREFER_DATES_FROM": "past"}
    )
    out: list[tuple[int, int, str]] = []
    pos = 0
    for surface, when in found or []:
        start = doc.text.find(surface, pos)
        if start < 0:
            continue
        pos = start + len(surface)
        m = _DURATION.match(surface.strip())
        if m:
            n = m.group(1).lower()
            num = _WORDS.get(n, n)
            unit = m.group(2).lower()
            code = {"second": "TS", "minute": "TM", "hour": "TH"}.get(unit, unit[0].upper())
            value = f"PT{num}{code[1]}" if code.startswith("T") else f"P{num}{code}"
        else:
            value = when.date().isoformat()
        out.append((start, pos, value))
    return out


def run_system(doc: Doc, tense_source: str = "words") -> list[tuple[int, int, str]]:
    """The product's time expressions; ``tense_source`` "parse" reads a clause's tense from spaCy's parse
    (the product's model), "parse+words" falls back to the word lists where the parse shows none."""
    tense = None
    if tense_source != "words":
        from storyweave.nlp.pipeline import get_nlp

        parsed = get_nlp()(doc.text)

        def tense(start: int, end: int) -> str | None:
            found = parse_tense(parsed, start, end)
            if found is None and tense_source == "parse+words":
                lo, hi = _sentence_bounds(doc.text, start, end)
                found = clause_tense(doc.text[lo:start], doc.text[end:hi])
            return found

    found = find_time_expressions(doc.text, doc.dct, tense=tense)
    return [(t.start, t.end, t.value or "") for t in found]


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    hits = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return lo, min(hits) if hits else len(text)


# Held-out protocol: develop on TimeBank, report on AQUAINT. The folder names are those of
# TempEval-3's TBAQ-cleaned release.
SPLITS = {"dev": "TimeBank", "heldout": "AQUAINT", "all": ""}


def split_files(data: Path, split: str) -> list[Path]:
    """The .tml files of one split: those with a path part named after the split's corpus."""
    folder = SPLITS[split]
    files = sorted(data.rglob("*.tml"))
    if not folder:
        return files
    return [f for f in files if folder in f.relative_to(data).parts[:-1]]


def main(argv: list[str] | None = None) -> int:
    ap = bench_parser(__doc__)
    ap.add_argument(
        "--data", required=True, type=Path, help="folder of TimeML .tml files (searched recursively)"
    )
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument(
        "--split",
        choices=sorted(SPLITS),
        default="all",
        help="dev = TimeBank (rules developed here), heldout = AQUAINT (figures reported), all = every file",
    )
    ap.add_argument("--no-baseline", action="store_true", help="skip dateparser (slow)")
    ap.add_argument(
        "--tense",
        choices=("words", "parse", "parse+words"),
        default="words",
        help="where a clause's tense comes from: the word lists (the product's), spaCy's parse, or both",
    )
    ap.add_argument("--errors", type=Path, help="write system errors (misses, spurious, wrong values) here")
    args = ap.parse_args(argv)
    if absent(args.data, "TempEval-3"):
        return 0
    files = split_files(args.data, args.split)[: args.limit]
    docs = [d for d in (load_tml(f) for f in files) if d is not None]
    if not docs:
        print(f"timex bench: no TimeML documents with a creation time under {args.data}.")
        return 0

    def system(doc: Doc) -> list[tuple[int, int, str]]:
        return run_system(doc, args.tense)

    systems = {"system": system} if args.no_baseline else {"system": system, "dateparser": run_dateparser}
    totals = {
        name: {
            "strict": 0,
            "relaxed": 0,
            "value": 0,
            "n_sys": 0,
            "n_gold": 0,
            **dict.fromkeys(NOTATION_KINDS, 0),
        }
        for name in systems
    }
    seconds = dict.fromkeys(systems, 0.0)
    errors: list[str] = []
    for doc in docs:
        for name, fn in systems.items():
            t0 = time.perf_counter()
            spans = fn(doc)
            seconds[name] += time.perf_counter() - t0
            for k, v in match(spans, doc.gold).items():
                totals[name][k] += v
            if name == "system" and args.errors:
                errors.extend(explain(doc, spans))
    table = {n: scores(totals[n]) for n in systems}
    result: dict[str, object] = {
        "system": table["system"],
        "baselines": {n: sc for n, sc in table.items() if n != "system"},
        "n_gold": totals["system"]["n_gold"],
        "n_docs": len(docs),
        "seconds": {n: round(s, 3) for n, s in seconds.items()},
    }
    result["split"] = args.split
    result["tense"] = args.tense
    print(
        f"TempEval-3 Task A on {len(docs)} documents, {result['n_gold']} gold TIMEX3 "
        f"({args.data}, split {args.split})"
    )
    header = f"{'':14}" + "".join(
        f"{k:>11}" for k in ("strict_f1", "relaxed_p", "relaxed_r", "relaxed_f1", "value_f1", "seconds")
    )
    print(header)
    for name in systems:
        sc = table[name]
        row = [
            sc["strict_f1"],
            sc["relaxed_p"],
            sc["relaxed_r"],
            sc["relaxed_f1"],
            sc["value_f1"],
            seconds[name],
        ]
        print(f"{name:14}" + "".join(f"{x:>11.3f}" for x in row))
    notation = {name: {k: totals[name][k] for k in NOTATION_KINDS} for name in systems}
    result["value_mismatches_in_notation"] = notation
    for name, kinds in notation.items():
        print(
            f"{name}: value mismatches that differ only in notation: "
            + ", ".join(f"{k} {v}" for k, v in kinds.items())
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if args.errors:
        args.errors.write_text("\n".join(errors) + "\n")
    return 0


def explain(doc: Doc, spans: list[tuple[int, int, str]]) -> list[str]:
    """One line per miss, spurious hit, extent difference or wrong value, for error analysis."""
    out = []
    for s, e, v in doc.gold:
        hits = [x for x in spans if x[0] < e and s < x[1]]
        ctx = doc.text[max(0, s - 40) : e + 30].replace("\n", " ")
        if not hits:
            out.append(f"MISS\t{doc.text[s:e]!r}\t{v}\t{doc.dct}\t{ctx}")
        else:
            h = hits[0]
            if norm_value(h[2]) != norm_value(v):
                out.append(
                    f"VALUE\t{doc.text[s:e]!r}\tgold={v}\tsys={h[2]}\t{doc.text[h[0] : h[1]]!r}"
                    f"\t{doc.dct}\t{ctx}"
                )
            elif (h[0], h[1]) != (s, e):
                out.append(f"EXTENT\t{doc.text[s:e]!r}\t{doc.text[h[0] : h[1]]!r}")
    for s, e, v in spans:
        if not any(g[0] < e and s < g[1] for g in doc.gold):
            ctx = doc.text[max(0, s - 40) : e + 30].replace("\n", " ")
            out.append(f"SPURIOUS\t{doc.text[s:e]!r}\t{v}\t{ctx}")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
