"""What the Markdown and HTML renderers share, computed from the report dict alone.

Both renderers read the JSON contract, not the dataclasses; the small decisions a reader sees in both
(an outlet's name, its citation number, the words that differ between two wordings of a quote, where a
citation points) are made once here so the two formats never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = [
    "article_anchor",
    "article_card",
    "fact_anchor",
    "STANCE_SYMBOLS",
    "numbering",
    "outlet_label",
    "quote_segments",
    "safe_url",
    "sentence_anchor",
    "sorted_timeline",
]

Segment = tuple[str, str]  # (op, text): op is "equal", "delete" or "insert"


def outlet_label(article: Mapping[str, Any]) -> str:
    """The article's ``label`` from the report (outlet, site or file name: ``Article.label``)."""
    if article.get("label"):
        return str(article["label"])
    if article.get("source"):
        return str(article["source"])
    path = str(article.get("path") or article.get("id") or "?")
    return path.replace("\\", "/").rsplit("/", 1)[-1] or path


def numbering(story: Mapping[str, Any]) -> dict[str, int]:
    """Citation numbers [1], [2], ... for a story's articles, in the order the report lists them."""
    return {a["id"]: i for i, a in enumerate(story.get("articles", []), start=1)}


def article_anchor(article_id: str) -> str:
    return f"a-{article_id}"


def sentence_anchor(article_id: str, index: int) -> str:
    """The HTML id of a sentence shown in place: ``a-<article id>-s<index>``."""
    return f"a-{article_id}-s{index}"


def _sentence_indexes(story: Mapping[str, Any]) -> dict[str, set[int]]:
    return {a["id"]: {s["index"] for s in a.get("sentences", [])} for a in story.get("articles", [])}


def fact_anchor(story: Mapping[str, Any], fact_ids: Iterable[str], article_id: str) -> str:
    """Where a citation of an article for these facts points: its first supporting sentence, or the article.

    A citation that lands on the sentence it came from is what lets a reader trust a summary line.
    """
    wanted = set(fact_ids)
    known = _sentence_indexes(story).get(article_id, set())
    for claim in story.get("facts", []):
        if claim["id"] not in wanted:
            continue
        for sup in claim.get("support", []):
            if sup["article"] == article_id and sup["sentence"] in known:
                return sentence_anchor(article_id, sup["sentence"])
    return article_anchor(article_id)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for op, text in segments:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def quote_segments(quote: Mapping[str, Any], variant: Mapping[str, Any]) -> list[Segment]:
    """How one outlet's wording differs from the quote's canonical text.

    Reads ``quote["diff"]`` entries ``{"article", "op", "a", "b"}`` for this variant's article, in order:
    ``a`` is the canonical wording, ``b`` this outlet's; op is equal, delete, insert or replace. Where the
    quote stage left no entries for the variant (its words are the canonical ones, or a run of them: an
    outlet quoting less), the variant is shown as written: the renderer never diffs wordings itself.
    """
    index = next((str(i) for i, v in enumerate(quote.get("variants", [])) if v is variant), None)
    entries = [
        d
        for d in quote.get("diff", [])
        if d.get("article") == variant.get("article")
        and (index is None or d.get("variant") is None or str(d.get("variant")) == index)
    ]
    if not entries:
        return [("equal", str(variant.get("text", "")))]
    return _segments(entries)


def _segments(entries: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """Diff entries (runs of words) as display segments, a space between runs."""
    out: list[Segment] = []
    for d in entries:
        if out:
            out.append(("equal", " "))  # entries are runs of words: a space stands between runs
        op = str(d.get("op", "equal"))
        a, b = str(d.get("a", "") or ""), str(d.get("b", "") or "")
        if op == "equal":
            out.append(("equal", a or b))
        elif op == "delete":
            out.append(("delete", a))
        elif op == "insert":
            out.append(("insert", b))
        else:  # replace, or anything unknown: show both sides
            out.append(("delete", a))
            out.append(("equal", " "))
            out.append(("insert", b))
    return _merge(out)


def sorted_timeline(story: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Timeline items in order of the first day each covers (a week value such as 2026-W01-WE does not sort
    as text among days); values with no calendar period (FUTURE_REF: what is planned) go last; ties keep
    the report's order."""
    from storyweave.render.chart import period

    def key(t: Mapping[str, Any]) -> str:
        value = str(t.get("date", ""))
        span = period(value)
        return span[0].isoformat() if span else "9999-" + value

    return sorted(story.get("timeline", []), key=key)


#: How each outlet's position on a fact is shown in the facts × outlets matrix (symbol, words).
STANCE_SYMBOLS: dict[str, tuple[str, str]] = {
    "states": ("●", "states it"),
    "contradicts": ("✕", "contradicts it"),
    "reports_claim": ("◐", "only reports someone's claim"),
    "silent": ("·", "does not mention it"),
}


def safe_url(url: Any) -> str | None:
    """An outlet link only when it is plain http(s): ``javascript:`` survives escaping, so it is dropped."""
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _paragraphs(article: Mapping[str, Any], cited: set[int]) -> list[list[dict[str, Any]]]:
    """The cleaned text cut into paragraphs of sentence spans (each with its anchor) and the text between."""
    text = str(article.get("text", "") or "")
    sentences = sorted(article.get("sentences", []) or [], key=lambda s: (s["start"], s["index"]))
    paras: list[list[dict[str, Any]]] = [[]]

    def gap(chunk: str) -> None:
        for i, part in enumerate(chunk.split("\n")):
            if i and paras[-1]:
                paras.append([])
            if part:
                paras[-1].append({"kind": "text", "text": part})

    pos = 0
    for s in sentences:
        start, end = int(s["start"]), int(s["end"])
        valid = 0 <= pos <= start <= end <= len(text)
        if valid:
            gap(text[pos:start])
            pos = end
        paras[-1].append(
            {
                "kind": "sentence",
                "text": text[start:end] if valid else str(s.get("text", "")),
                "anchor": sentence_anchor(str(article["id"]), int(s["index"])),
                "heading": bool(s.get("heading")),
                "truncated": bool(s.get("truncated")),
                "cited": int(s["index"]) in cited,
            }
        )
    gap(text[pos:] if sentences else text)
    return [p for p in paras if p]


def article_card(
    article: Mapping[str, Any],
    num: int,
    label: str,
    ref: Callable[[str], dict[str, Any]],
    cited: set[int],
) -> dict[str, Any]:
    """One article as both story pages show it (metadata, quality, where it was copied from, its text).

    ``ref`` makes the citation of another article in the page's own link style; ``cited`` holds the
    indexes of this article's sentences that support a fact, so the page can mark them.
    """
    orig = article.get("originality", {}) or {}
    quality = article.get("quality", {}) or {}
    return {
        "id": article["id"],
        "num": num,
        "label": label,
        "anchor": article_anchor(article["id"]),
        "title": article.get("title"),
        "url": safe_url(article.get("url")),
        "path": article.get("path"),
        "author": article.get("author"),
        "published": article.get("published") or "unknown",
        "published_from": article.get("published_from", "unknown"),
        "language": article.get("language"),
        "words": article.get("words", 0),
        "quality": float(quality.get("score", 1.0)),
        "flags": quality.get("flags", []) or [],
        "originality": float(orig.get("score", 1.0)),
        "derived_from": [
            dict(ref(str(d["article"])), share=round(float(d.get("share", 0)) * 100))
            for d in orig.get("derived_from", []) or []
        ],
        "duplicate_of": ref(str(article["duplicate_of"])) if article.get("duplicate_of") else None,
        "removed": article.get("removed", []) or [],
        "paragraphs": _paragraphs(article, cited),
    }
