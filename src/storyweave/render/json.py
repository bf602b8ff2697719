"""report.json: the public contract ``storyweave.report/2``, built from the data model and checked.

Every other renderer (Markdown, HTML, the HTTP API, the web UI) reads the dict made here, never the
dataclasses, so what a user sees is always what the JSON says. Output is deterministic: floats are
rounded to 3 decimals and order follows the report, so the same report gives a byte-identical file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import fields, is_dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from storyweave.model import SCHEMA_ID, Article, Report, Story

__all__ = ["ReportSchemaError", "load_schema", "report_to_dict", "validate_report", "write_json", "dumps"]

#: Decimal places kept for every float: enough for scores and shares, few enough to be byte-stable.
FLOAT_DIGITS = 3


class ReportSchemaError(ValueError):
    """The report dict does not match ``storyweave.report/2``; the message names where and why."""


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def _clean(value: Any) -> Any:
    """Make values JSON-safe and stable, in one pass: dataclasses become dicts of their fields in order
    (what ``dataclasses.asdict`` gives, without its deep copy: a fifth of a story's analysis time on
    bench/throughput.py), floats are rounded."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return round(value, FLOAT_DIGITS)
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _clean(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_clean(v) for v in value)
    return str(value)


def _num(value: float) -> float:
    return round(float(value), FLOAT_DIGITS)


def _article(a: Article) -> dict[str, Any]:
    quality: dict[str, Any] = {"score": _num(a.quality.score), "flags": list(a.quality.flags)}
    if a.quality.details:
        quality["details"] = _clean(a.quality.details)
    return {
        "id": a.id,
        "path": a.path,
        "label": a.label,
        "url": a.url,
        "source": a.source,
        "title": a.title,
        "published": a.published,
        "published_from": a.published_from,
        "language": a.language,
        "words": a.words,
        "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
        "quality": quality,
        "originality": {
            "score": _num(a.originality.score),
            "derived_from": [
                {"article": d.article, "share": _num(d.share)} for d in a.originality.derived_from
            ],
        },
        "author": a.author,
        "flags": list(a.flags),
        "duplicate_of": a.duplicate_of,
        "sentences": [
            {
                "index": s.index,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "truncated": s.truncated,
                "heading": s.heading,
            }
            for s in a.sentences
        ],
        "text": a.text,
    }


def _part(value: Any) -> Any:
    """A story part (entity, fact, quote, ...): its dataclass fields are the contract's names, in order."""
    return _clean(value)


def story_to_dict(s: Story) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "articles": [_article(a) for a in s.articles],
        "entities": [_part(e) for e in s.entities],
        "facts": [_part(f) for f in s.facts],
        "contradictions": [_part(c) for c in s.contradictions],
        "quotes": [_part(q) for q in s.quotes],
        "timeline": [_part(t) for t in s.timeline],
        "events": [_part(e) for e in s.events],
        "dyads": [_part(d) for d in s.dyads],
        "summary": [_part(x) for x in s.summary],
        "framing": [_part(f) for f in s.framing],
        "coverage": _part(s.coverage),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as the ``storyweave.report/2`` dict: contract names only, no doc or vectors."""
    return {
        "schema": SCHEMA_ID,
        "corpus": {
            "articles": report.articles,
            "stories": len(report.stories),
            "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
        },
        "stories": [story_to_dict(s) for s in report.stories],
    }


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The published JSON Schema, read once from the installed package (works from a wheel or a checkout)."""
    text = resources.files("storyweave").joinpath("schema", "report.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # imported here: only commands that write or check a report pay for it

    cls = jsonschema.Draft202012Validator
    cls.check_schema(load_schema())
    return cls(load_schema())


@lru_cache(maxsize=1)
def _compiled_check() -> Any:
    import copy

    import fastjsonschema

    return fastjsonschema.compile(copy.deepcopy(load_schema()))  # compile() rewrites the $refs it is given


def validate_report(data: dict[str, Any]) -> None:
    """Check a report dict against the schema; raise :class:`ReportSchemaError` naming each place.

    The schema's compiled check (fastjsonschema) decides; jsonschema lists every problem of a report that
    fails it. The schema uses only keywords both read alike (tests/test_render.py: broken reports fail)."""
    import fastjsonschema

    try:
        _compiled_check()(data)
        return
    except fastjsonschema.JsonSchemaValueException as failure:
        found = failure.message
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:  # the two disagree: name what the compiled check found
        raise ReportSchemaError(f"report does not match {SCHEMA_ID}: {found}")
    lines = []
    for err in errors[:10]:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        lines.append(f"  at {where}: {err.message}")
    more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
    raise ReportSchemaError(
        f"report does not match {SCHEMA_ID} ({len(errors)} problem(s)):\n" + "\n".join(lines) + more
    )


def dumps(data: dict[str, Any]) -> str:
    """The exact text written to report.json (UTF-8 kept readable, 2-space indent, trailing newline)."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_json(report: Report | dict[str, Any], path: Path | str, *, validated: bool = False) -> Path:
    """Validate (unless the caller just did), then write report.json atomically, so a failed run never
    leaves a half-written file."""
    data = report if isinstance(report, dict) else report_to_dict(report)
    if not validated:
        validate_report(data)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".json.tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(dumps(data))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
