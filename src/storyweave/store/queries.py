"""Read-side queries for the HTTP API and web UI: a filtered, sorted, paged story list, each story's
version (so an open page notices that the story grew), and full-text search over facts, quotes and entities.

The repository writes the stories; this module keeps a digest of each analysed report beside them (its
fact counts by status and its searchable lines) in tables of its own, rebuilt for a story whenever the
story's size differs from the digest's or its report does not yet cover every member (an analysis still
running). Search uses SQLite's FTS5 or PostgreSQL's full-text search, whichever the store runs on.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    type_coerce,
)
from sqlalchemy.exc import OperationalError

from storyweave.store.repository import Store
from storyweave.store.schema import stories

__all__ = ["FACT_STATUSES", "SORTS", "SearchHit", "StoryFilter", "StoryQueries", "facts_of", "fact_status"]

FACT_STATUSES = ("corroborated", "single_source", "disputed")
SORTS = ("newest", "size")
KINDS = ("fact", "quote", "entity")

_meta = MetaData()
story_digests = Table(
    "web_story_digests",
    _meta,
    Column("story_id", String(40), primary_key=True),
    Column("size", Integer, nullable=False),  # stories.size when digested
    Column("report_articles", Integer, nullable=False),  # articles the digested report covers
    Column("corroborated", Integer, nullable=False),
    Column("single_source", Integer, nullable=False),
    Column("disputed", Integer, nullable=False),
)
# PostgreSQL keeps the searchable lines in a plain table with a GIN index over their tsvector;
# SQLite keeps them in an FTS5 table made by raw DDL (SQLAlchemy has no type for it).
search_lines = Table(
    "web_search_lines",
    _meta,
    Column("rowid", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(40), nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("item_id", String(40), nullable=False),
    Column("text", Text, nullable=False),
)

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 12  # a search box query, not a document: longer ones are cut


def fact_status(status: Any) -> str:
    """A fact's (or v1 claim's) status as one of FACT_STATUSES; anything unknown counts as single-source."""
    value = str(status or "")
    return value if value in FACT_STATUSES else "single_source"


def facts_of(story: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The story's facts (report/2), or its claims (report/1) where the report has no facts."""
    facts = story.get("facts")
    if isinstance(facts, list):
        return facts
    claims = story.get("claims")
    return claims if isinstance(claims, list) else []


def _lines(story: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(kind, item id, text) for every searchable line: facts with their details, quotes, entities."""
    for fact in facts_of(story):
        details = " ".join(str(d.get("text", "")) for d in fact.get("details", []) or [])
        yield "fact", str(fact.get("id", "")), f"{fact.get('text', '')} {details}".strip()
    for quote in story.get("quotes", []) or []:
        speaker = (quote.get("speaker") or {}).get("name") or ""
        yield "quote", str(quote.get("id", "")), f"{speaker}: {quote.get('text', '')}"
    for entity in story.get("entities", []) or []:
        names = dict.fromkeys([str(entity.get("name", "")), *map(str, entity.get("aliases", []) or [])])
        yield "entity", str(entity.get("id", "")), " / ".join(n for n in names if n)


@dataclass(frozen=True)
class StoryFilter:
    """What the story list may be narrowed and ordered by (the API's and the list page's query)."""

    q: str | None = None  # words in the title or in the story's facts, quotes, entities
    outlet: str | None = None  # an outlet label, case-insensitive
    since: str | None = None  # YYYY-MM-DD: stories whose last report is on or after it
    until: str | None = None  # YYYY-MM-DD: stories whose first report is on or before it
    min_outlets: int = 0
    sort: str = "newest"  # newest (last report first) or size (most reports first)
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class SearchHit:
    story: str
    kind: str
    item: str
    text: str


def fts_query(q: str) -> list[str]:
    """The words of a user's query, each searched for as itself (no operators reach the engine)."""
    return _WORD.findall(q.casefold())[:MAX_QUERY_WORDS]


class StoryQueries:
    """Queries over one store; cheap to keep for a server's life (one digest refresh at a time)."""

    def __init__(self, store: Store, *, use_fts5: bool = True) -> None:
        self.store = store
        self.engine: Engine = store.engine
        self.postgres = self.engine.dialect.name == "postgresql"
        self.fts5 = False
        self._lock = threading.Lock()
        self._checked = 0.0
        lines_table = "web_search_lines" if self.postgres or not use_fts5 else "web_search_fts"
        had_lines = inspect(self.engine).has_table(lines_table)
        _meta.create_all(self.engine, tables=[story_digests])
        with self.engine.begin() as connection:
            if self.postgres:
                _meta.create_all(connection, tables=[search_lines])
                connection.execute(
                    text(
                        "CREATE INDEX IF NOT EXISTS web_search_lines_fts ON web_search_lines "
                        "USING GIN (to_tsvector('english', text))"
                    )
                )
        if not self.postgres and use_fts5:
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        text(
                            "CREATE VIRTUAL TABLE IF NOT EXISTS web_search_fts USING fts5("
                            "story_id UNINDEXED, kind UNINDEXED, item_id UNINDEXED, text, "
                            "tokenize='porter unicode61 remove_diacritics 2')"
                        )
                    )
                self.fts5 = True
            except OperationalError:  # an SQLite built without FTS5: plain lines, matched word by word
                self.fts5 = False
        if not self.postgres and not self.fts5:
            _meta.create_all(self.engine, tables=[search_lines])
        if not had_lines:  # a search table made just now: every story's lines must be written again
            with self.engine.begin() as connection:
                connection.execute(delete(story_digests))

    # ------------------------------------------------------------------ digests

    def refresh(self, story_ids: Iterable[str] | None = None, *, min_interval_s: float = 0.0) -> int:
        """Digest the stories whose digest is missing or stale (all, or just ``story_ids``); how many.

        ``min_interval_s`` lets frequent readers (the list page) skip the check when one ran just now.
        """
        wanted = None if story_ids is None else sorted(set(story_ids))
        with self._lock:
            now = time.monotonic()
            if wanted is None and now - self._checked < min_interval_s:
                return 0
            stale = self._stale(wanted)
            for story_id, size in stale:
                self._digest(story_id, size)
            if wanted is None:
                self._checked = time.monotonic()
                self._drop_gone()
            return len(stale)

    def _stale(self, wanted: Sequence[str] | None) -> list[tuple[str, int]]:
        d = story_digests
        query = (
            select(stories.c.id, stories.c.size)
            .select_from(stories.outerjoin(d, d.c.story_id == stories.c.id))
            .where(stories.c.report.is_not(None))
            .where((d.c.story_id.is_(None)) | (d.c.size != stories.c.size) | (d.c.report_articles < d.c.size))
            .order_by(stories.c.sequence)
        )
        if wanted is not None:
            query = query.where(stories.c.id.in_(wanted))
        with self.engine.connect() as connection:
            return [(str(r[0]), int(r[1])) for r in connection.execute(query)]

    def _digest(self, story_id: str, size: int) -> None:
        report = self.store.story_report(story_id)
        if report is None:
            return
        counts = dict.fromkeys(FACT_STATUSES, 0)
        for fact in facts_of(report):
            counts[fact_status(fact.get("status"))] += 1
        lines = [
            {"story_id": story_id, "kind": k, "item_id": i, "text": t} for k, i, t in _lines(report) if t
        ]
        with self.engine.begin() as connection:
            connection.execute(delete(story_digests).where(story_digests.c.story_id == story_id))
            connection.execute(
                insert(story_digests).values(
                    story_id=story_id, size=size, report_articles=len(report.get("articles", [])), **counts
                )
            )
            if not self.fts5:
                connection.execute(delete(search_lines).where(search_lines.c.story_id == story_id))
                if lines:
                    connection.execute(insert(search_lines), lines)
            else:
                connection.execute(text("DELETE FROM web_search_fts WHERE story_id = :s"), {"s": story_id})
                if lines:
                    connection.execute(
                        text(
                            "INSERT INTO web_search_fts (story_id, kind, item_id, text) "
                            "VALUES (:story_id, :kind, :item_id, :text)"
                        ),
                        lines,
                    )

    def _drop_gone(self) -> None:
        """Forget digests of stories that no longer exist (a story emptied by grouping's second look)."""
        gone = select(stories.c.id)
        with self.engine.begin() as connection:
            ids = [
                r[0]
                for r in connection.execute(
                    select(story_digests.c.story_id).where(story_digests.c.story_id.not_in(gone))
                )
            ]
            for story_id in ids:
                connection.execute(delete(story_digests).where(story_digests.c.story_id == story_id))
                if not self.fts5:
                    connection.execute(delete(search_lines).where(search_lines.c.story_id == story_id))
                else:
                    connection.execute(
                        text("DELETE FROM web_search_fts WHERE story_id = :s"), {"s": story_id}
                    )

    def coverage(self, story_ids: Sequence[str]) -> dict[str, dict[str, int]]:
        """Fact counts by status per story (stories not analysed yet are left out)."""
        d = story_digests
        found: dict[str, dict[str, int]] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(story_ids), 500):
                chunk = list(story_ids[start : start + 500])
                rows = connection.execute(
                    select(d.c.story_id, d.c.corroborated, d.c.single_source, d.c.disputed).where(
                        d.c.story_id.in_(chunk)
                    )
                )
                for story_id, corroborated, single, disputed in rows:
                    found[story_id] = {
                        "corroborated": int(corroborated),
                        "single_source": int(single),
                        "disputed": int(disputed),
                    }
        return found

    # ------------------------------------------------------------------ stories

    def report_json(self, story_id: str) -> str | None:
        """The stored report of a story as JSON text, exactly as stored: served without parsing it."""
        # PostgreSQL's driver would parse a JSON column: cast it to text in SQL. SQLite keeps JSON as text.
        raw = cast(stories.c.report, Text) if self.postgres else type_coerce(stories.c.report, Text)
        with self.engine.connect() as connection:
            row = connection.execute(select(raw).where(stories.c.id == story_id)).first()
        if row is None or row[0] is None or row[0] == "null":
            return None
        return str(row[0])

    def version(self, story_id: str) -> dict[str, Any] | None:
        """What changes when a story grows or is analysed again: its size and its report's length."""
        length = func.length(cast(stories.c.report, Text)) if self.postgres else func.length(stories.c.report)
        with self.engine.connect() as connection:
            row = connection.execute(select(stories.c.size, length).where(stories.c.id == story_id)).first()
        if row is None:
            return None
        size, report_length = int(row[0]), int(row[1] or 0)
        return {"story": story_id, "articles": size, "version": f"{size}.{report_length}"}

    def list_stories(self, query: StoryFilter) -> tuple[int, list[dict[str, Any]]]:
        """The stories ``query`` selects, sorted and paged: (how many matched, the page's entries)."""
        self.refresh(min_interval_s=2.0)
        rows = self.store.listing()
        order = {row["id"]: n for n, row in enumerate(rows)}
        if query.q:
            words = fts_query(query.q)
            hits = {h.story for h in self.search(query.q, limit=10_000)} if words else set()
            rows = [
                r
                for r in rows
                if r["id"] in hits or all(w in _WORD.findall(str(r["title"]).casefold()) for w in words)
            ]
        if query.outlet:
            wanted = query.outlet.casefold()
            rows = [r for r in rows if any(o.casefold() == wanted for o in r["outlets"])]
        if query.since:
            rows = [r for r in rows if r["last"] and r["last"] >= query.since]
        if query.until:
            rows = [r for r in rows if r["first"] and r["first"] <= query.until]
        if query.min_outlets:
            rows = [r for r in rows if len(r["outlets"]) >= query.min_outlets]
        if query.sort == "size":
            rows.sort(key=lambda r: (-int(r["reports"]), -order[r["id"]]))
        else:  # newest: the latest report first, then the story opened last
            rows.sort(key=lambda r: (r["last"] or "", order[r["id"]]), reverse=True)
        total = len(rows)
        page = rows[query.offset : query.offset + query.limit]
        covered = self.coverage([r["id"] for r in page])
        return total, [
            {
                "id": r["id"],
                "title": r["title"],
                "articles": r["reports"],
                "outlets": r["outlets"],
                "first": r["first"],
                "last": r["last"],
                "facts": covered.get(r["id"]),
            }
            for r in page
        ]

    # ------------------------------------------------------------------ search

    def search(self, q: str, *, kind: str | None = None, limit: int = 50) -> list[SearchHit]:
        """Facts, quotes and entities whose words match every word of ``q``, best match first."""
        words = fts_query(q)
        if not words:
            return []
        self.refresh(min_interval_s=2.0)
        params: dict[str, Any] = {"limit": limit}
        if not self.postgres and not self.fts5:
            return self._search_plain(words, kind, limit)
        if self.postgres:
            params["q"] = " & ".join(words)
            where = "to_tsvector('english', text) @@ to_tsquery('english', :q)"
            if kind:
                where += " AND kind = :kind"
                params["kind"] = kind
            sql = (
                "SELECT story_id, kind, item_id, text FROM web_search_lines WHERE "
                f"{where} ORDER BY ts_rank(to_tsvector('english', text), to_tsquery('english', :q)) DESC, "
                "story_id, kind, item_id LIMIT :limit"
            )
        else:
            params["q"] = " ".join(json.dumps(w) for w in words)  # each word a quoted FTS5 string
            where = "web_search_fts MATCH :q"
            if kind:
                where += " AND kind = :kind"
                params["kind"] = kind
            sql = (
                f"SELECT story_id, kind, item_id, text FROM web_search_fts WHERE {where} "
                "ORDER BY bm25(web_search_fts), story_id, kind, item_id LIMIT :limit"
            )
        with self.engine.connect() as connection:
            rows = connection.execute(text(sql), params).all()
        return [SearchHit(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]

    def _search_plain(self, words: Sequence[str], kind: str | None, limit: int) -> list[SearchHit]:
        """Lines holding every word (case-blind substrings), where the SQLite build has no FTS5."""
        lines = search_lines
        query = select(lines.c.story_id, lines.c.kind, lines.c.item_id, lines.c.text)
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(func.lower(lines.c.text).like(f"%{escaped}%", escape="\\"))
        if kind:
            query = query.where(lines.c.kind == kind)
        query = query.order_by(lines.c.story_id, lines.c.kind, lines.c.item_id).limit(limit)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [SearchHit(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]
