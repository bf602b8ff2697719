"""report.md: the report contract as Markdown a person reads in any viewer.

Reads the report dict (the JSON is the interface), never the dataclasses. Everything taken from an
article is escaped, so hostile text cannot break a table, open a link or inject HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from storyweave.render.view import STANCE_SYMBOLS, numbering, outlet_label, quote_segments, sorted_timeline

__all__ = ["md_escape", "render_markdown"]

#: Single-source facts listed per story before "... and N more": the rest stay in report.json.
SINGLE_SOURCE_CAP = 25

_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def md_escape(text: Any) -> str:
    """Text from an article made inert in Markdown: one line, specials backslashed, < > & as entities."""
    s = "" if text is None else str(text)
    s = " ".join(s.split())
    s = _ENTITY.sub("&amp;", s)
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", s)


def _wrap(text: str, mark: str) -> str:
    """``~~x~~``/``**x**`` (or nothing) around escaped text, spaces kept outside as CommonMark requires."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{md_escape(core)}{mark}{trail}"


def _cite(ids: Sequence[str], nums: Mapping[str, int]) -> str:
    return "".join(f"[{nums[i]}]" for i in sorted(set(ids), key=lambda i: nums.get(i, 10**9)) if i in nums)


def _outlets(ids: Sequence[str], labels: Mapping[str, str], nums: Mapping[str, int]) -> str:
    seen = sorted(set(ids), key=lambda i: nums.get(i, 10**9))
    return ", ".join(
        f"{md_escape(labels.get(i, i))} [{nums[i]}]" if i in nums else md_escape(i) for i in seen
    )


def _who(article_id: str, labels: Mapping[str, str], nums: Mapping[str, int]) -> str:
    """An outlet named with its citation number, e.g. ``BBC [2]``."""
    return f"{md_escape(labels.get(article_id, article_id))} [{nums.get(article_id, '?')}]"


def _support_ids(claim: Mapping[str, Any]) -> list[str]:
    return [s["article"] for s in claim.get("support", [])]


def _score(value: Any) -> str:
    return f"{float(value):.2f}" if isinstance(value, (int, float)) else "–"


def _sources_table(story: Mapping[str, Any], labels: Mapping[str, str], nums: Mapping[str, int]) -> list[str]:
    out = [
        "| # | Outlet | Published | Words | Quality | Originality |",
        "|---:|---|---|---:|---|---|",
    ]
    for a in story.get("articles", []):
        pub = md_escape(a.get("published") or "unknown")
        pub += f" ({md_escape(a.get('published_from', 'unknown'))})"
        quality = a.get("quality", {})
        qual = _score(quality.get("score"))
        if quality.get("flags"):
            qual += " — " + ", ".join(md_escape(f) for f in quality["flags"])
        orig = a.get("originality", {})
        origin = _score(orig.get("score"))
        derived = [
            f"{md_escape(labels.get(d['article'], d['article']))} [{nums.get(d['article'], '?')}] "
            f"{round(float(d['share']) * 100)}%"
            for d in orig.get("derived_from", [])
        ]
        if derived:
            origin += " — from " + ", ".join(derived)
        if a.get("duplicate_of"):
            origin += f" — duplicate of [{nums.get(a['duplicate_of'], '?')}]"
        out.append(
            f"| {nums[a['id']]} | {md_escape(labels[a['id']])} | {pub} | {a.get('words', 0)} | {qual} "
            f"| {origin} |"
        )
    return out


def _coverage_and_framing(
    story: Mapping[str, Any], labels: Mapping[str, str], nums: Mapping[str, int]
) -> list[str]:
    """Coverage (what each outlet adds) and framing (its loaded words): why a reader picks one outlet."""
    out: list[str] = []
    coverage = story.get("coverage") or {}
    if coverage.get("outlets"):
        out += ["", "### Coverage", ""]
        unique = coverage.get("unique", {})
        for a in coverage["outlets"]:
            count = sum(1 for row in coverage.get("matrix", []) if row[coverage["outlets"].index(a)])
            alone = len(unique.get(a, []))
            out.append(f"- {_who(a, labels, nums)}: states {count} fact(s), {alone} no other outlet has")
        out.append(f"- Facts most outlets share: {len(coverage.get('shared', []))}")
        nothing = coverage.get("adds_nothing", [])
        names = _outlets(nothing, labels, nums) if nothing else "none"
        out.append(f"- Outlets that add nothing new: {names}")
    if story.get("framing"):
        out += ["", "### Framing: loaded words", ""]
        for f in story["framing"]:
            others = "; ".join(
                f"{_who(o['article'], labels, nums)} “{md_escape(o['text'])}”" for o in f.get("others", [])
            )
            line = f"- {_who(f['article'], labels, nums)}: **{md_escape(f['text'])}**"
            out.append(line + (f" — where {others}" if others else ""))
    return out


def _details(fact: Mapping[str, Any], nums: Mapping[str, int]) -> list[str]:
    """The fact's details that not every supporting outlet gives, each with exactly the outlets that do."""
    lines = []
    for d in fact.get("details", []):
        if d["role"] == "said" or d["sources"] >= fact["sources"]:
            continue
        lines.append(
            f"  - {md_escape(d['role'])}: {md_escape(d['text'])} — "
            f"{d['sources']} outlet{'s' if d['sources'] != 1 else ''}: {_cite(_support_ids(d), nums)}"
        )
    return lines


def _stance_matrix(story: Mapping[str, Any], nums: Mapping[str, int]) -> list[str]:
    """Facts stated by two or more outlets × outlets, each cell the outlet's position."""
    facts = [f for f in story.get("facts", []) if f.get("sources", 0) >= 2 and f.get("stances")]
    if not facts:
        return []
    ids = list(nums)
    out = ["", "### Facts × outlets", ""]
    out.append("| Fact | " + " | ".join(f"[{nums[i]}]" for i in ids) + " |")
    out.append("|---|" + "---|" * len(ids))
    for f in facts:
        by_article = {s["article"]: s["stance"] for s in f["stances"]}
        cells = [STANCE_SYMBOLS[by_article.get(i, "silent")][0] for i in ids]
        out.append(f"| {md_escape(f['text'])} | " + " | ".join(cells) + " |")
    legend = " · ".join(f"{symbol} {words}" for symbol, words in STANCE_SYMBOLS.values())
    out += ["", f"_{legend}_"]
    left_out = (story.get("coverage") or {}).get("left_out", {})
    texts = {f["id"]: f["text"] for f in story.get("facts", [])}
    if left_out:
        out += ["", "Only one outlet leaves it out:", ""]
        for article, fact_ids in left_out.items():
            for fact_id in fact_ids:
                out.append(f"- {md_escape(texts.get(fact_id, fact_id))} — not in [{nums.get(article, '?')}]")
    return out


def _story(story: Mapping[str, Any]) -> list[str]:
    nums = numbering(story)
    labels = {a["id"]: outlet_label(a) for a in story.get("articles", [])}
    facts = story.get("facts", [])
    out: list[str] = [f"## {md_escape(story.get('title') or story['id'])}", ""]
    out.append(f"Story {md_escape(story['id'])} · {len(nums)} reports · {len(facts)} facts")
    out += ["", "### Sources", ""]
    out += _sources_table(story, labels, nums)

    out += ["", "### Summary", ""]
    for s in story.get("summary", []):
        out.append(f"- {md_escape(s['text'])} {_cite(s.get('articles', []), nums)}".rstrip())
    if not story.get("summary"):
        out.append("_No summary._")
    out += [""] + [
        f"{n}. {md_escape(labels[i])}"
        + (f" — {md_escape(a['title'])}" if a.get("title") and a["title"] != labels[i] else "")
        for (i, n), a in zip(nums.items(), story.get("articles", []), strict=True)
    ]

    out += ["", "### What the outlets agree on", ""]
    agreed = [c for c in facts if c.get("independent_sources", 0) >= 2]
    for c in agreed:
        out.append(
            f"- {md_escape(c['text'])} — "
            f"**{c['sources']} outlets ({c['independent_sources']} independent)**: "
            f"{_outlets(_support_ids(c), labels, nums)}"
        )
        out += _details(c, nums)
    if not agreed:
        out.append("_No fact is stated by more than one outlet._")

    out += ["", "### Disputed", ""]
    for k in story.get("contradictions", []):
        out.append(f"- **{md_escape(k['kind'])}**: {md_escape(k['explanation'])}")
        for side in k.get("sides", []):
            who = _who(side["article"], labels, nums)
            out.append(f"  - {who}: **{md_escape(side['value'])}** — “{md_escape(side['text'])}”")
    if not story.get("contradictions"):
        out.append("_No contradictions found._")

    out += ["", "### Only one outlet says", ""]
    single = [c for c in facts if c.get("status") == "single_source"]
    for c in single[:SINGLE_SOURCE_CAP]:
        out.append(f"- {md_escape(c['text'])} — {_outlets(_support_ids(c), labels, nums)}")
    if len(single) > SINGLE_SOURCE_CAP:
        out.append(f"- … and {len(single) - SINGLE_SOURCE_CAP} more (see report.json)")
    if not single:
        out.append("_None._")

    out += _stance_matrix(story, nums)
    out += _coverage_and_framing(story, labels, nums)

    out += ["", "### Quotes", ""]
    for q in story.get("quotes", []):
        speaker = q.get("speaker", {}).get("name") or "unknown speaker"
        ids = [v["article"] for v in q.get("variants", [])]
        text = md_escape(q["text"])
        said = f"reported speech: {text}" if q.get("indirect") else f"“{text}”"
        out.append(f"- **{md_escape(speaker)}** — {said} — {_outlets(ids, labels, nums)}")
        if q.get("wording_differs"):
            head = "  | Outlet | Wording (~~not in this outlet~~ / **only in this outlet**) | Cue |"
            out += ["", head, "  |---|---|---|"]
            for v in q.get("variants", []):
                diff = "".join(
                    _wrap(t, {"delete": "~~", "insert": "**"}.get(op, "")) for op, t in quote_segments(q, v)
                )
                who = _who(v["article"], labels, nums)
                out.append(f"  | {who} | {diff} | {md_escape(v.get('cue') or '')} |")
            out.append("")
    if not story.get("quotes"):
        out.append("_No quotes._")

    out += ["", "### Timeline", ""]
    for t in sorted_timeline(story):
        out.append(
            f"- **{md_escape(t['date'])}** ({md_escape(t['precision'])}, “{md_escape(t['expression'])}”): "
            f"{md_escape(t['text'])} — {_outlets(t.get('articles', []), labels, nums)}"
        )
    if not story.get("timeline"):
        out.append("_No dated events._")

    out += ["", "### Events", ""]
    if story.get("events"):
        out += ["| Actor | Action | Code | Target | Date | Outlets |", "|---|---|---|---|---|---|"]
        for e in story["events"]:
            out.append(
                f"| {md_escape(e.get('actor') or '–')} | {md_escape(e['action'])} | {md_escape(e['code'])} | "
                f"{md_escape(e.get('target') or '–')} | {md_escape(e.get('date') or '–')} | "
                f"{_cite(e.get('articles', []), nums)} |"
            )
    else:
        out.append("_No coded events._")
    if story.get("dyads"):
        out += ["", "#### Who did what to whom", ""]
        events = story.get("events", [])
        for d in story["dyads"]:
            steps = [
                f"{md_escape(events[i].get('actor') or '–')} {md_escape(events[i]['action'])} "
                f"({md_escape(events[i]['code'])}, {md_escape(events[i].get('date') or 'undated')})"
                for i in d["events"]
                if i < len(events)
            ]
            out.append(f"- **{md_escape(' – '.join(d['actors']))}**: " + " → ".join(steps))

    out += ["", "### Entities", ""]
    if story.get("entities"):
        out += ["| Name | Type | Also written | Outlets | Mentions |", "|---|---|---|---:|---:|"]
        for ent in story["entities"]:
            aliases = ", ".join(md_escape(x) for x in ent.get("aliases", []) if x != ent["name"])
            out.append(
                f"| {md_escape(ent['name'])} | {md_escape(ent['type'])} | {aliases or '–'} | "
                f"{len(set(ent.get('articles', [])))} | {ent.get('mentions', 0)} |"
            )
    else:
        out.append("_No entities._")

    out += ["", "### Removed from the articles", ""]
    any_removed = False
    for a in story.get("articles", []):
        if not a.get("removed"):
            continue
        any_removed = True
        out += [f"#### {md_escape(labels[a['id']])} [{nums[a['id']]}]", ""]
        out += [f"- ~~{md_escape(r['text'])}~~ — {md_escape(r['reason'])}" for r in a["removed"]]
        out.append("")
    if not any_removed:
        out.append("_Nothing removed._")
    out.append("")
    return out


def render_markdown(data: Mapping[str, Any]) -> str:
    """The whole report as Markdown: one section per story, then the inputs that could not be read."""
    corpus = data.get("corpus", {})
    out = [
        "# storyweave report",
        "",
        f"{corpus.get('articles', 0)} articles · {corpus.get('stories', 0)} stories · "
        f"{len(corpus.get('skipped', []))} skipped · schema {md_escape(data.get('schema', ''))}",
        "",
    ]
    for story in data.get("stories", []):
        out += _story(story)
    out += ["## Skipped inputs", ""]
    skipped = corpus.get("skipped", [])
    out += [f"- {md_escape(s['path'])} — {md_escape(s['reason'])}" for s in skipped] or ["_None._"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip("\n") + "\n"
