"""What the story page shows, resolved from the story's report dict alone (the contract is the interface).

Reads ``facts`` (report/2) where the report has them and falls back to ``claims`` (report/1), so the page
works on stores written by either. Every citation carries the id of the sentence it points to: the
page's script opens that sentence in place, and without script the link jumps to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from storyweave.render.chart import timeline_chart
from storyweave.render.view import (
    article_anchor,
    article_card,
    numbering,
    outlet_label,
    quote_segments,
    sentence_anchor,
    sorted_timeline,
)
from storyweave.store.queries import FACT_STATUSES, fact_status, facts_of

__all__ = ["STANCE_MARKS", "coverage_counts", "story_page"]

# Matrix marks by stance (report/2); a v1 claim's supporting article counts as "states".
STANCE_MARKS = {
    "states": ("●", "states it"),
    "contradicts": ("✕", "contradicts it"),
    "reports_claim": ("◐", "reports it as a claim"),
}


def coverage_counts(story: Mapping[str, Any]) -> dict[str, int]:
    counts = dict.fromkeys(FACT_STATUSES, 0)
    for fact in facts_of(story):
        counts[fact_status(fact.get("status"))] += 1
    return counts


def _linked_ids(item: Mapping[str, Any]) -> list[str]:
    """Fact ids an item points to: ``fact``/``facts`` (report/2) or ``claim``/``claims`` (report/1)."""
    ids: list[str] = []
    for key in ("fact", "facts", "claim", "claims"):
        value = item.get(key)
        if isinstance(value, str):
            ids.append(value)
        elif isinstance(value, list):
            ids.extend(str(v) for v in value)
    return ids


def story_page(story: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the story template shows: numbers, labels, anchors, marks and diffs, already decided."""
    article_rows: Sequence[Mapping[str, Any]] = story.get("articles", []) or []
    nums = numbering(story)
    labels = {a["id"]: outlet_label(a) for a in article_rows}
    known = {a["id"]: {int(s["index"]) for s in a.get("sentences", []) or []} for a in article_rows}
    facts = facts_of(story)
    by_id = {str(f.get("id")): f for f in facts}

    def ref(article_id: str, anchor: str | None = None) -> dict[str, Any]:
        target = anchor or article_anchor(article_id)
        return {
            "num": nums.get(article_id, "?"),
            "label": labels.get(article_id, article_id),
            "target": target,
        }

    def sentence_ref(article_id: str, sentence: Any) -> dict[str, Any]:
        if isinstance(sentence, int) and sentence in known.get(article_id, set()):
            return ref(article_id, sentence_anchor(article_id, sentence))
        return ref(article_id)

    def cite(article_id: str, fact_ids: Sequence[str]) -> dict[str, Any]:
        """A citation of an article for these facts: its first supporting sentence, else the article."""
        for fid in fact_ids:
            for sup in (by_id.get(fid) or {}).get("support", []) or []:
                if sup.get("article") == article_id and sup.get("sentence") in known.get(article_id, set()):
                    return ref(article_id, sentence_anchor(article_id, int(sup["sentence"])))
        return ref(article_id)

    def cites(article_ids: Sequence[str], fact_ids: Sequence[str]) -> list[dict[str, Any]]:
        ordered = sorted(set(article_ids), key=lambda i: nums.get(i, 10**9))
        return [cite(i, fact_ids) for i in ordered]

    cited: dict[str, set[int]] = {}
    for fact in facts:
        for sup in fact.get("support", []) or []:
            if isinstance(sup.get("sentence"), int):
                cited.setdefault(str(sup["article"]), set()).add(int(sup["sentence"]))

    fact_rows = []
    for fact in facts:
        fid = str(fact.get("id"))
        support: dict[str, Any] = {}
        for sup in fact.get("support", []) or []:
            support.setdefault(str(sup.get("article")), sup)
        stances = {str(s.get("article")): s for s in fact.get("stances", []) or []}
        cells: list[dict[str, Any] | None] = []
        for a in article_rows:
            aid = a["id"]
            stance = stances.get(aid)
            kind = str(stance.get("stance")) if stance else ("states" if aid in support else "silent")
            if kind not in STANCE_MARKS:
                cells.append(None)
                continue
            where = stance if stance and stance.get("sentence") is not None else support.get(aid, {})
            mark, words = STANCE_MARKS[kind]
            cells.append(dict(sentence_ref(aid, where.get("sentence")), mark=mark, stance=kind, words=words))
        fact_rows.append(
            {
                "id": fid,
                "text": str(fact.get("text", "")),
                "status": fact_status(fact.get("status")),
                "sources": int(fact.get("sources", 0) or 0),
                "independent": int(fact.get("independent_sources", 0) or 0),
                "details": [
                    {
                        "role": str(d.get("role", "")),
                        "text": str(d.get("text", "")),
                        "sources": int(d.get("sources", 0) or 0),
                    }
                    for d in fact.get("details", []) or []
                ],
                "refs": cites(list(support), [fid]),
                "cells": cells,
            }
        )

    articles = [
        article_card(a, nums[a["id"]], labels[a["id"]], ref, cited.get(a["id"], set())) for a in article_rows
    ]

    quotes = []
    for q in story.get("quotes", []) or []:
        variants = q.get("variants", []) or []
        quotes.append(
            {
                "id": str(q.get("id", "")),
                "speaker": (q.get("speaker") or {}).get("name") or "unknown speaker",
                "text": str(q.get("text", "")),
                "wording_differs": bool(q.get("wording_differs")),
                "variants": [
                    dict(
                        sentence_ref(str(v["article"]), v.get("sentence")),
                        cue=v.get("cue"),
                        channel=v.get("channel"),
                        segments=quote_segments(q, v),
                    )
                    for v in variants
                ],
            }
        )

    framing: dict[str, list[dict[str, Any]]] = {}
    for f in story.get("framing", []) or []:
        framing.setdefault(str(f["article"]), []).append(
            dict(
                sentence_ref(str(f["article"]), f.get("sentence")),
                text=str(f.get("text", "")),
                others=[
                    dict(ref(str(o["article"])), text=o.get("text", "")) for o in f.get("others", []) or []
                ],
            )
        )

    timeline = sorted_timeline(story)
    events = list(story.get("events", []) or [])
    dates = sorted(str(a["published"]) for a in article_rows if a.get("published"))
    counts = coverage_counts(story)
    return {
        "id": story["id"],
        "title": story.get("title") or story["id"],
        "schema_facts": "facts" in story,
        "first": dates[0] if dates else None,
        "last": dates[-1] if dates else None,
        "outlets": sorted({labels[a["id"]] for a in article_rows}),
        "counts": counts,
        "total_facts": sum(counts.values()),
        "articles": articles,
        "summary": [
            {"text": s.get("text", ""), "cites": cites(s.get("articles", []) or [], _linked_ids(s))}
            for s in story.get("summary", []) or []
        ],
        "facts": fact_rows,
        "contradictions": [
            {
                "kind": str(k.get("kind", "")),
                "explanation": str(k.get("explanation", "")),
                "detail": k.get("detail"),
                "sides": [
                    dict(
                        cite(str(s["article"]), _linked_ids(k)),
                        text=s.get("text", ""),
                        value=s.get("value", ""),
                    )
                    for s in k.get("sides", []) or []
                ],
            }
            for k in story.get("contradictions", []) or []
        ],
        "quotes": quotes,
        "timeline_chart": timeline_chart(timeline),
        "timeline": [
            dict(t, refs=cites(t.get("articles", []) or [], _linked_ids(t)), anchor=f"t-{i}")
            for i, t in enumerate(timeline)
        ],
        "events": [dict(e, refs=cites(e.get("articles", []) or [], _linked_ids(e))) for e in events],
        "dyads": [
            {"actors": d.get("actors", []), "events": len(d.get("events", []) or [])}
            for d in story.get("dyads", []) or []
        ],
        "entities": [
            dict(
                e,
                others=[x for x in e.get("aliases", []) or [] if x != e.get("name")],
                outlets=len(set(e.get("articles", []) or [])),
            )
            for e in story.get("entities", []) or []
        ],
        "framing": [
            {"outlet": ref(a["id"]), "terms": framing[a["id"]]} for a in article_rows if a["id"] in framing
        ],
    }
