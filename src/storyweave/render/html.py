"""report.html: one self-contained page a reader opens offline, every citation a link to its sentence.

Reads the report dict (the JSON is the interface). The page loads nothing from the network: styles are
inline, there is no script, and a Content-Security-Policy forbids scripts anyway. Jinja2 autoescapes
everything, so article text scraped from hostile HTML is shown, never run; links to outlets are kept
only when they are http(s).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2

from storyweave.render.chart import timeline_chart
from storyweave.render.view import (
    STANCE_SYMBOLS,
    article_anchor,
    article_card,
    fact_anchor,
    numbering,
    outlet_label,
    quote_segments,
    sentence_anchor,
    sorted_timeline,
)

__all__ = ["render_html", "story_view"]

#: Single-source facts listed per story in the text sections (all of them stay in the matrix and the JSON).
SINGLE_SOURCE_CAP = 25


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    """One environment per process; autoescape is on for every template, whatever its file name."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("storyweave", "render/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def story_view(story: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the template shows for one story, already resolved: numbers, labels, anchors, diffs."""
    nums = numbering(story)
    labels = {a["id"]: outlet_label(a) for a in story.get("articles", [])}

    def ref(article_id: str, anchor: str | None = None) -> dict[str, Any]:
        return {
            "num": nums.get(article_id, "?"),
            "label": labels.get(article_id, article_id),
            "href": "#" + (anchor or article_anchor(article_id)),
        }

    def refs(ids: list[str], fact_ids: list[str] | None = None) -> list[dict[str, Any]]:
        seen = sorted(set(ids), key=lambda i: nums.get(i, 10**9))
        return [ref(i, fact_anchor(story, fact_ids or [], i)) for i in seen]

    facts = story.get("facts", [])
    cited: dict[str, set[int]] = {}
    for c in facts:
        for sup in c.get("support", []):
            cited.setdefault(sup["article"], set()).add(sup["sentence"])

    def fact_refs(c: Mapping[str, Any]) -> list[dict[str, Any]]:
        return refs([s["article"] for s in c.get("support", [])], [c["id"]])

    articles = [
        article_card(a, nums[a["id"]], labels[a["id"]], ref, cited.get(a["id"], set()))
        for a in story.get("articles", [])
    ]

    def stance_cell(stance: Mapping[str, Any] | None, article_id: str) -> dict[str, Any]:
        kind = stance["stance"] if stance else "silent"
        symbol, words = STANCE_SYMBOLS[kind]
        sentence = stance.get("sentence", -1) if stance else -1
        href = "#" + sentence_anchor(article_id, sentence) if sentence >= 0 else None
        title = f"{labels[article_id]} {words}"
        if stance and stance.get("claimant"):
            title += f" (claimed by {stance['claimant']})"
        return {"stance": kind, "symbol": symbol, "href": href, "label": title}

    matrix = []
    for c in facts:
        by_article: dict[str, str] = {}
        for sup in c.get("support", []):
            by_article.setdefault(sup["article"], sentence_anchor(sup["article"], sup["sentence"]))
        stances = {s["article"]: s for s in c.get("stances", [])}
        matrix.append(
            {
                "id": c["id"],
                "text": c["text"],
                "status": c["status"],
                "sources": c["sources"],
                "independent": c["independent_sources"],
                "cells": [
                    stance_cell(stances.get(a["id"]), a["id"])
                    if stances
                    else (
                        {
                            "stance": "states",
                            "symbol": "●",
                            "href": "#" + by_article[a["id"]],
                            "label": labels[a["id"]],
                        }
                        if a["id"] in by_article
                        else {"stance": "silent", "symbol": "·", "href": None, "label": labels[a["id"]]}
                    )
                    for a in story.get("articles", [])
                ],
            }
        )

    single = [c for c in facts if c.get("status") == "single_source"]
    quotes = []
    for q in story.get("quotes", []):
        quotes.append(
            {
                "speaker": (q.get("speaker") or {}).get("name") or "unknown speaker",
                "text": q["text"],
                "indirect": bool(q.get("indirect")),
                "wording_differs": bool(q.get("wording_differs")),
                "outlets": refs([v["article"] for v in q.get("variants", [])]),
                "variants": [
                    {
                        "outlet": ref(
                            v["article"],
                            sentence_anchor(v["article"], v["sentence"])
                            if v.get("sentence", -1) >= 0
                            else None,
                        ),
                        "cue": v.get("cue"),
                        "channel": v.get("channel"),
                        "segments": quote_segments(q, v),
                    }
                    for v in q.get("variants", [])
                ],
            }
        )

    framing: dict[str, list[dict[str, Any]]] = {}
    for f in story.get("framing", []):
        framing.setdefault(f["article"], []).append(
            {
                "text": f["text"],
                "href": "#" + sentence_anchor(f["article"], f["sentence"]),
                "others": [dict(ref(o["article"]), text=o["text"]) for o in f.get("others", [])],
            }
        )
    coverage = story.get("coverage") or {}
    fact_text = {c["id"]: c["text"] for c in facts}
    timeline = sorted_timeline(story)
    return {
        "id": story["id"],
        "title": story.get("title") or story["id"],
        "timeline_chart": timeline_chart(timeline),
        "framing": [
            {"outlet": ref(a["id"]), "terms": framing[a["id"]]}
            for a in story.get("articles", [])
            if a["id"] in framing
        ],
        "coverage": {
            "shared": [fact_text[c] for c in coverage.get("shared", []) if c in fact_text],
            "unique": [
                dict(ref(a["id"]), count=len(coverage.get("unique", {}).get(a["id"], [])))
                for a in story.get("articles", [])
                if a["id"] in coverage.get("outlets", [])
            ],
            "adds_nothing": [ref(a) for a in coverage.get("adds_nothing", [])],
        },
        "articles": articles,
        "summary": [
            {"text": s["text"], "cites": refs(s.get("articles", []), s.get("facts", []))}
            for s in story.get("summary", [])
        ],
        "agreed": [
            {
                "text": c["text"],
                "sources": c["sources"],
                "independent": c["independent_sources"],
                "refs": fact_refs(c),
                "details": [
                    {
                        "role": d["role"],
                        "text": d["text"],
                        "sources": d["sources"],
                        "refs": [
                            ref(sup["article"], sentence_anchor(sup["article"], sup["sentence"]))
                            for sup in d.get("support", [])
                        ],
                    }
                    for d in c.get("details", [])
                    if d["role"] != "said" and d["sources"] < c["sources"]
                ],
            }
            for c in facts
            if c.get("independent_sources", 0) >= 2
        ],
        "legend": [{"stance": k, "symbol": v[0], "words": v[1]} for k, v in STANCE_SYMBOLS.items()],
        "left_out": [
            {"text": fact_text[f], "outlet": ref(a)}
            for a, fact_ids in (coverage.get("left_out") or {}).items()
            for f in fact_ids
            if f in fact_text
        ],
        "single": [{"text": c["text"], "refs": fact_refs(c)} for c in single[:SINGLE_SOURCE_CAP]],
        "single_more": max(0, len(single) - SINGLE_SOURCE_CAP),
        "contradictions": [
            {
                "kind": k["kind"],
                "explanation": k["explanation"],
                "sides": [
                    dict(ref(s["article"]), text=s["text"], value=s["value"]) for s in k.get("sides", [])
                ],
            }
            for k in story.get("contradictions", [])
        ],
        "matrix": matrix,
        "quotes": quotes,
        "timeline": [
            dict(t, refs=refs(t.get("articles", [])), anchor=f"t-{i}") for i, t in enumerate(timeline)
        ],
        "events": [dict(e, refs=refs(e.get("articles", []))) for e in story.get("events", [])],
        "entities": [
            dict(
                e,
                others=[x for x in e.get("aliases", []) if x != e["name"]],
                outlets=len(set(e.get("articles", []))),
            )
            for e in story.get("entities", [])
        ],
    }


def render_html(data: Mapping[str, Any]) -> str:
    """The whole report as one HTML page: styles inline, no script, no network, every source text escaped."""
    corpus = data.get("corpus", {})
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            schema=data.get("schema", ""),
            corpus={
                "articles": corpus.get("articles", 0),
                "stories": corpus.get("stories", 0),
                "skipped": corpus.get("skipped", []),
            },
            stories=[story_view(s) for s in data.get("stories", [])],
        )
    )
