"""The store as Parquet tables: articles, stories, claims (or facts), quotes, timeline, events.

One file per table (``DIR/<table>.parquet``), with the schemas below, documented column by column
in docs/parquet.md; pyarrow, DuckDB (``SELECT * FROM 'DIR/articles.parquet'``), pandas and Spark read
them. Rows come in the store's order (stories in the order they were opened, a story's articles in
the order they joined it), so the same store always gives the same rows. The tables are written in
row groups as stories are read, so a large store is never held in memory whole. Both engines'
stores export the same way; ``storyweave ingest --engine ray --parquet DIR`` writes them at the end
of its run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyweave.model import ARTICLE_METADATA

if TYPE_CHECKING:
    import pyarrow as pa

    from storyweave.store import Store

PARQUET_SCHEMA_VERSION = 1
ROW_GROUP = 2000  # rows buffered per table before a row group is written


# Each table's columns in order, as ``name`` (a string) or ``name:type``, one line a table: the column
# list is the one thing that differs between tables, so it is all that is written per table.
_STATEMENT = (
    "story_id id text predicate status sources:int32 independent_sources:int32 entities:ids date"
    " support:support"
)
_COLUMNS = {
    "articles": f"story_id position:int32 id {' '.join(ARTICLE_METADATA)} words:int32 duplicate_of"
    " removed_lines:int32 quality_score:float64 quality_flags:ids originality_score:float64 text",
    "stories": "id position:int32 title articles:int32 outlets:ids first_published last_published"
    " analysed:bool entities:int32 statements:int32 contradictions:int32 quotes:int32",
    "claims": _STATEMENT,
    "facts": _STATEMENT,
    "quotes": "story_id id speaker_entity speaker_name text wording_differs:bool indirect:bool"
    " variants:variants",
    "timeline": "story_id position:int32 date precision expression text articles:ids statement",
    "events": "story_id position:int32 actor action code target date articles:ids statement scale:float64",
}


def _schemas() -> dict[str, pa.Schema]:
    import pyarrow as pa

    kinds: dict[str, pa.DataType] = {
        "string": pa.string(),
        "int32": pa.int32(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "ids": pa.list_(pa.string()),
    }

    def fields(columns: str) -> list[tuple[str, pa.DataType]]:
        named = (column.partition(":") for column in columns.split())
        return [(name, kinds[kind or "string"]) for name, _, kind in named]

    kinds["support"] = pa.list_(pa.struct(fields("article sentence:int32 text start:int32 end:int32")))
    kinds["variants"] = pa.list_(pa.struct(fields("article text cue channel start:int32 end:int32")))
    return {table: pa.schema(fields(columns)) for table, columns in _COLUMNS.items()}


class _Table:
    """Rows of one table, written to its file a row group at a time."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        import pyarrow.parquet as pq

        self.schema = schema
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self.writer = pq.ParquetWriter(str(path), schema, compression="zstd")

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


def _statement_rows(story_id: str, items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Claims (report/1) or facts (report/2): the same columns, participants as entity ids."""
    for item in items:
        yield {
            "story_id": story_id,
            "id": item.get("id"),
            "text": item.get("text"),
            "predicate": item.get("predicate"),
            "status": item.get("status"),
            "sources": item.get("sources"),
            "independent_sources": item.get("independent_sources"),
            "entities": list(item.get("participants", item.get("entities", [])) or []),
            "date": item.get("date"),
            "support": [
                {k: s.get(k) for k in ("article", "sentence", "text", "start", "end")}
                for s in item.get("support", [])
            ],
        }


def _story_rows(tables: dict[str, _Table], story: dict[str, Any], position: int, store: Store) -> None:
    story_id = story["id"]
    report = store.story_report(story_id) or {}
    in_report = {a["id"]: a for a in report.get("articles", [])}
    members = store.articles(story["articles"])
    days = sorted(a.published[:10] for a in members if a.published)
    outlets = sorted({a.label for a in members})
    for place, article in enumerate(members):
        shown = in_report.get(article.id, {})
        quality = shown.get("quality") or {}
        originality = shown.get("originality") or {}
        tables["articles"].add(
            {
                "story_id": story_id,
                "position": place,
                "id": article.id,
                **{name: getattr(article, name) for name in ARTICLE_METADATA},
                "words": article.words,
                "duplicate_of": article.duplicate_of,
                "removed_lines": len(article.removed),
                "quality_score": quality.get("score"),
                "quality_flags": list(quality.get("flags", [])),
                "originality_score": originality.get("score"),
                "text": article.text,
            }
        )
    statements = report.get("facts", report.get("claims", []))
    tables["stories"].add(
        {
            "id": story_id,
            "position": position,
            "title": story["title"],
            "articles": len(members),
            "outlets": outlets,
            "first_published": days[0] if days else None,
            "last_published": days[-1] if days else None,
            "analysed": bool(report),
            "entities": len(report.get("entities", [])),
            "statements": len(statements),
            "contradictions": len(report.get("contradictions", [])),
            "quotes": len(report.get("quotes", [])),
        }
    )
    for row in _statement_rows(story_id, report.get("claims", [])):
        tables["claims"].add(row)
    for row in _statement_rows(story_id, report.get("facts", [])):
        tables["facts"].add(row)
    for quote in report.get("quotes", []):
        speaker = quote.get("speaker") or {}
        tables["quotes"].add(
            {
                "story_id": story_id,
                "id": quote.get("id"),
                "speaker_entity": speaker.get("entity"),
                "speaker_name": speaker.get("name"),
                "text": quote.get("text"),
                "wording_differs": bool(quote.get("wording_differs")),
                "indirect": bool(quote.get("indirect")),
                "variants": [
                    {k: v.get(k) for k in ("article", "text", "cue", "channel", "start", "end")}
                    for v in quote.get("variants", [])
                ],
            }
        )
    for table, fields in (
        ("timeline", ("date", "precision", "expression", "text")),
        ("events", ("actor", "action", "code", "target", "date", "scale")),
    ):
        for place, item in enumerate(report.get(table, [])):
            tables[table].add(
                {
                    "story_id": story_id,
                    "position": place,
                    **{k: item.get(k) for k in fields},
                    "articles": list(item.get("articles", [])),
                    "statement": item.get("fact", item.get("claim")),
                }
            )


def export_parquet(store: Store, out: str | Path) -> dict[str, int]:
    """Write every table of the store into ``out`` (created if missing); the rows written per table.

    The statements go to ``facts.parquet`` when the stored reports hold facts (report schema 2),
    else to ``claims.parquet`` (schema 1); the other file is not left behind.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    schemas = _schemas()
    tables = {name: _Table(folder / f"{name}.parquet", schema) for name, schema in schemas.items()}
    try:
        for position, story in enumerate(store.stories()):
            _story_rows(tables, story, position, store)
    finally:
        for table in tables.values():
            table.close()
    counts = {name: table.count for name, table in tables.items()}
    # One statements table: facts where the reports hold them, else claims (the current schema).
    dropped = "claims" if counts["facts"] > 0 and counts["claims"] == 0 else "facts"
    (folder / f"{dropped}.parquet").unlink()
    del counts[dropped]
    return counts
