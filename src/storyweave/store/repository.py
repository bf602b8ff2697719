"""Reading and writing the store: one transaction per article, so a failure never half-writes one.

Writes are idempotent: an article that is already stored (same content id) is left as it is and
keeps its story, so ingesting the same archive twice adds nothing. A story's report is replaced
whole by its new analysis.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Row,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)

from storyweave.group.index import NO_DAY, StoryState
from storyweave.group.terms import TermStatistics, term_counts
from storyweave.model import ARTICLE_METADATA, Article, Removed
from storyweave.store.schema import (
    articles,
    grouping_state,
    metadata,
    stories,
    story_articles,
    term_statistics,
)

DEFAULT_URL = "sqlite:///storyweave.db"
_CHUNK = 500  # ids per IN (...) query: well under every backend's parameter limit
# How long a writer waits for another process's write transaction before giving up (SQLite).
BUSY_TIMEOUT_MS = 600_000
# The PostgreSQL advisory lock a run holds while it groups: any fixed 64-bit number ("storywea").
_PG_LOCK_KEY = 0x73746F72797765
_IMMEDIATE = "storyweave_immediate"
# The PostgreSQL advisory lock held while the tables are made ("storysch").
_PG_SCHEMA_LOCK_KEY = 0x73746F7279736368


def _wal(cursor: Any) -> None:
    """Switch to WAL. Two processes opening a new file at once can find it locked while the other one
    switches: SQLite does not wait on its busy time-out for that, so wait here (up to the same time-out)."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys, WAL (readers never wait for the writer), a busy time-out, and write transactions
    that take the write lock when they begin (``BEGIN IMMEDIATE``): a transaction that read first and
    wrote later could otherwise fail at once when another process wrote in between."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            _wal(cursor)
            # In WAL mode NORMAL loses nothing when a process is killed (only on power loss, the
            # last commits), and saves an fsync per article.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.info.pop(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _vectors_to_bytes(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def _vectors_from_bytes(data: bytes | None, rows: int) -> np.ndarray | None:
    if data is None:
        return None
    matrix = np.frombuffer(data, dtype=np.float16)
    if rows == 0 or matrix.size % rows:
        return None
    return matrix.reshape(rows, -1).astype(np.float32)


def _span_vectors_to_bytes(vectors: dict[tuple[int, int], np.ndarray]) -> bytes:
    keys = sorted(vectors)
    rows = [vectors[k] for k in keys]
    return (
        np.asarray([len(keys)], dtype=np.int32).tobytes()
        + np.asarray(keys, dtype=np.int32).reshape(-1, 2).tobytes()
        + (np.asarray(rows, dtype=np.float16).tobytes() if rows else b"")
    )


def _span_vectors_from_bytes(data: bytes | None) -> dict[tuple[int, int], np.ndarray] | None:
    if data is None:
        return None
    count = int(np.frombuffer(data[:4], dtype=np.int32)[0])
    keys = np.frombuffer(data[4 : 4 + 8 * count], dtype=np.int32).reshape(count, 2)
    if not count:
        return {}
    matrix = np.frombuffer(data[4 + 8 * count :], dtype=np.float16).reshape(count, -1).astype(np.float32)
    return {(int(a), int(b)): row for (a, b), row in zip(keys, matrix, strict=True)}


def _vector_columns(article: Article) -> dict[str, bytes | None]:
    """The article's vector columns as stored (NULL where not made yet)."""
    spans = article.span_vectors
    return {
        "vectors": None if article.vectors is None else _vectors_to_bytes(article.vectors),
        "span_vectors": None if spans is None else _span_vectors_to_bytes(spans),
    }


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _article_row(article: Article, text_hash: str) -> dict[str, Any]:
    return {
        **_vector_columns(article),
        "id": article.id,
        **{name: getattr(article, name) for name in ARTICLE_METADATA},
        "raw": article.raw,
        "text": article.text,
        "text_hash": text_hash,
        "duplicate_of": article.duplicate_of,
        "cleaning": {
            "removed": [asdict(r) for r in article.removed],
            "flags": list(article.flags),
            "headings": [list(h) for h in article.headings],
            "truncated_at": list(article.truncated_at),
        },
        "sentences": [asdict(s) for s in article.sentences],
    }


def _article_from_row(row: Any) -> Article:
    """An article as ingest and clean left it; annotation is redone by whoever needs it."""
    cleaning = row.cleaning or {}
    return Article(
        id=row.id,
        raw=row.raw,
        text=row.text,
        **{name: getattr(row, name) for name in ARTICLE_METADATA},
        removed=[Removed(**r) for r in cleaning.get("removed", [])],
        flags=list(cleaning.get("flags", [])),
        headings=[(int(a), int(b)) for a, b in cleaning.get("headings", [])],
        truncated_at=[int(n) for n in cleaning.get("truncated_at", [])],
        duplicate_of=row.duplicate_of,
        vectors=_vectors_from_bytes(row.vectors, len(row.sentences or [])),
        span_vectors=_span_vectors_from_bytes(row.span_vectors),
    )


def _terms_to_bytes(terms: dict[int, float]) -> bytes:
    buckets = sorted(terms)
    return (
        np.asarray(buckets, dtype=np.int32).tobytes()
        + np.asarray([terms[b] for b in buckets], dtype=np.float32).tobytes()
    )


def _terms_from_bytes(data: bytes) -> dict[int, float]:
    half = len(data) // 2
    buckets = np.frombuffer(data[:half], dtype=np.int32)
    weights = np.frombuffer(data[half:], dtype=np.float32)
    return {int(b): float(w) for b, w in zip(buckets, weights, strict=True)}


def _state_from_row(row: Any) -> StoryState:
    return StoryState(
        id=row.id,
        total=np.frombuffer(row.centroid, dtype=np.float32).copy(),
        names=Counter({str(k): int(v) for k, v in (row.names or {}).items()}),
        size=row.size,
        first_day=row.first_day,
        last_day=row.last_day,
        sequence=row.sequence,
        terms=_terms_from_bytes(row.terms),
    )


def _terms_or_none(terms: dict[int, float] | None) -> bytes | None:
    return None if terms is None else _terms_to_bytes(terms)


def _state_values(state: StoryState) -> dict[str, Any]:
    return {
        "size": state.size,
        "first_day": state.first_day,
        "last_day": state.last_day,
        "centroid": np.asarray(state.total, dtype=np.float32).tobytes(),
        "names": dict(sorted(state.names.items())),
        "terms": _terms_to_bytes(state.terms),
    }


class Store:
    """The database behind a run: SQLite by default, any SQLAlchemy URL otherwise."""

    def __init__(self, url: str = DEFAULT_URL) -> None:
        self.url = url
        self.engine = create_engine(url)
        _configure_sqlite(self.engine)
        self._refuse_old_layout()
        if not all(inspect(self.engine).has_table(t.name) for t in metadata.sorted_tables):
            # The tables made under the write lock taken at BEGIN: two processes opening a new file at
            # once would otherwise both read the schema, then deadlock upgrading to write.
            with self._write() as connection:
                if connection.dialect.name == "postgresql":  # two processes creating one schema queue
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_SCHEMA_LOCK_KEY}
                    )
                metadata.create_all(connection)
        self._add_missing_columns()

    def _refuse_old_layout(self) -> None:
        tables = inspect(self.engine)
        if tables.has_table("stories"):
            columns = {c["name"] for c in tables.get_columns("stories")}
            if not {"sequence", "terms"} <= columns:
                raise StoreError(
                    f"{self.url} was written by an older storyweave (no grouping state): use a new database"
                )

    def _add_missing_columns(self) -> None:
        """Columns added since a store was made are nullable: add them in place (NULL = not known)."""
        tables = inspect(self.engine)
        missing = [
            (table.name, column)
            for table in (articles, stories)
            for column in table.columns
            if column.nullable and column.name not in {c["name"] for c in tables.get_columns(table.name)}
        ]
        if not missing:
            return  # the usual case: no write, so read-only commands never take the write lock
        with self._write() as connection:
            for table_name, column in missing:
                kind = column.type.compile(dialect=self.engine.dialect)
                connection.execute(text(f"ALTER TABLE {table_name} ADD COLUMN {column.name} {kind}"))

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction; on SQLite it holds the write lock from its first statement."""
        with self.engine.connect() as connection:
            connection.info[_IMMEDIATE] = True
            with connection.begin():
                yield connection

    @contextlib.contextmanager
    def grouping_lock(self) -> Iterator[None]:
        """Held by a run from reading the grouping state to its last grouped article.

        Two runs on one database then queue: the second reads the state the first one left, so the
        store ends as if they had run one after the other, never with one's updates lost. SQLite:
        an exclusive lock on ``<database>.lock`` beside the file (each article still commits on its
        own, so a killed run keeps what it stored); PostgreSQL: a session advisory lock.
        """
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            database = self.engine.url.database
            if not database or database == ":memory:":
                yield
                return
            import fcntl

            with open(f"{os.path.abspath(database)}.lock", "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        elif dialect == "postgresql":
            with self.engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK_KEY})
                connection.commit()
                try:
                    yield
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK_KEY})
                    connection.commit()
        else:
            yield

    # ------------------------------------------------------------------ articles

    def add_to_story(
        self,
        article: Article,
        text_hash: str,
        state: StoryState,
        *,
        grouped: int | None = None,
        doc: bytes | None = None,
        pending: dict[int, float] | None = None,
        next_sequence: int | None = None,
    ) -> bool:
        """Store an article, its place in ``state``'s story and the story's new state, all or nothing.

        ``grouped`` is the article's number in grouping order, ``doc`` its serialised parse,
        ``pending`` the word weights of an article that opened its story alone (None clears it),
        ``next_sequence`` the grouping counter after it: all in the same transaction, so a run
        killed at any point leaves a store that a later run resumes exactly.
        """
        with self._write() as connection:
            if connection.execute(select(articles.c.id).where(articles.c.id == article.id)).first():
                return False
            row = _article_row(article, text_hash)
            connection.execute(insert(articles).values(grouped=grouped, doc=doc, **row))
            values = {**_state_values(state), "pending": _terms_or_none(pending)}
            changed = connection.execute(update(stories).where(stories.c.id == state.id).values(**values))
            if changed.rowcount == 0:
                title = article.title or article.text[:120]
                connection.execute(
                    insert(stories).values(id=state.id, sequence=state.sequence, title=title, **values)
                )
            connection.execute(
                insert(story_articles).values(
                    story_id=state.id, article_id=article.id, position=state.size - 1
                )
            )
            if next_sequence is not None:
                self._save_next_sequence(connection, next_sequence)
        return True

    @staticmethod
    def _save_next_sequence(connection: Connection, value: int) -> None:
        changed = connection.execute(
            update(grouping_state).where(grouping_state.c.id == 1).values(next_sequence=value)
        )
        if changed.rowcount == 0:
            connection.execute(insert(grouping_state).values(id=1, next_sequence=value))

    def clear_pending(self, story_id: str) -> None:
        """The story's lone article had its second look and stays: nothing is pending any more."""
        with self._write() as connection:
            connection.execute(update(stories).where(stories.c.id == story_id).values(pending=None))

    def pending_weights(self, story_ids: Sequence[str]) -> dict[str, dict[int, float]]:
        """Story id -> the word weights of its lone article still waiting for its second look."""
        rows = self._values_set(stories.c.id, stories.c.pending, story_ids)
        return {story_id: _terms_from_bytes(data) for story_id, data in rows}

    def move_article(
        self, article_id: str, from_story: str, to_state: StoryState, position: int | None = None
    ) -> None:
        """Move the only article of a story opened in this run to another story; the first goes."""
        with self._write() as connection:
            connection.execute(
                delete(story_articles).where(
                    story_articles.c.story_id == from_story, story_articles.c.article_id == article_id
                )
            )
            connection.execute(delete(stories).where(stories.c.id == from_story))
            connection.execute(
                update(stories)
                .where(stories.c.id == to_state.id)
                .values(pending=None, **_state_values(to_state))
            )
            connection.execute(
                insert(story_articles).values(
                    story_id=to_state.id,
                    article_id=article_id,
                    position=to_state.size - 1 if position is None or position < 0 else position,
                )
            )

    def known(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are stored already."""
        found: set[str] = set()
        with self.engine.connect() as connection:
            for chunk in _chunks(list(ids)):
                found.update(connection.scalars(select(articles.c.id).where(articles.c.id.in_(chunk))))
        return found

    def originals_by_hash(self, hashes: Sequence[str]) -> dict[str, str]:
        """Text hash -> id of the first stored article with that text (never itself a duplicate)."""
        found: dict[str, str] = {}
        with self.engine.connect() as connection:
            for chunk in _chunks(list(hashes)):
                rows = connection.execute(
                    select(articles.c.text_hash, articles.c.id)
                    .where(articles.c.text_hash.in_(chunk), articles.c.duplicate_of.is_(None))
                    .order_by(articles.c.id)
                )
                for text_hash, article_id in rows:
                    found.setdefault(text_hash, article_id)
        return found

    def articles(self, ids: Sequence[str]) -> list[Article]:
        """Stored articles in the order of ``ids`` (unknown ids are left out)."""
        by_id: dict[str, Article] = {}
        with self.engine.connect() as connection:
            for chunk in _chunks(list(ids)):
                for row in connection.execute(select(articles).where(articles.c.id.in_(chunk))):
                    by_id[row.id] = _article_from_row(row)
        return [by_id[i] for i in ids if i in by_id]

    def docs(self, ids: Sequence[str]) -> dict[str, bytes]:
        """Article id -> its serialised parse, for the stored articles that have one."""
        rows = self._values_set(articles.c.id, articles.c.doc, ids)
        return {article_id: bytes(doc) for article_id, doc in rows}

    def _values_set(
        self, key: Column[Any], value: Column[Any], keys: Sequence[str]
    ) -> Iterator[Row[Any, Any]]:
        """(key, value) of the rows with one of ``keys`` whose ``value`` is set, ``_CHUNK`` keys a query."""
        with self.engine.connect() as connection:
            for chunk in _chunks(list(keys)):
                yield from connection.execute(select(key, value).where(key.in_(chunk), value.is_not(None)))

    def text_of(self, article_id: str) -> str | None:
        """One stored article's cleaned text (None when unknown)."""
        with self.engine.connect() as connection:
            return connection.scalar(select(articles.c.text).where(articles.c.id == article_id))

    def save_vectors(self, encoded: Sequence[Article]) -> None:
        """Keep articles' sentence and span vectors (float16), so no later analysis encodes them again."""
        if not encoded:
            return
        with self._write() as connection:
            for article in sorted(encoded, key=lambda a: a.id):
                connection.execute(
                    update(articles).where(articles.c.id == article.id).values(**_vector_columns(article))
                )

    def story_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Article id -> the id of the story it is in."""
        found: dict[str, str] = {}
        with self.engine.connect() as connection:
            for chunk in _chunks(list(article_ids)):
                rows = connection.execute(
                    select(story_articles.c.article_id, story_articles.c.story_id).where(
                        story_articles.c.article_id.in_(chunk)
                    )
                )
                found.update({a: s for a, s in rows})
        return found

    # ------------------------------------------------------------------ stories

    def story_states(self, first_day: int, last_day: int, quiet_days: int) -> list[StoryState]:
        """Stories a batch published between the two days could join: near in time, or undated.

        A batch with no dates at all is compared with what was open at the newest stored day.
        """
        if first_day == NO_DAY:
            with self.engine.connect() as connection:
                newest = connection.execute(select(func.max(stories.c.last_day))).scalar_one()
            first_day = last_day = NO_DAY if newest is None else int(newest)
        condition = stories.c.last_day == NO_DAY
        if first_day != NO_DAY:
            near = and_(
                stories.c.last_day >= first_day - quiet_days, stories.c.first_day <= last_day + quiet_days
            )
            condition = or_(condition, near)
        with self.engine.connect() as connection:
            rows = connection.execute(select(stories).where(condition).order_by(stories.c.sequence)).all()
        return [_state_from_row(row) for row in rows]

    def in_opening_order(self, story_ids: Iterable[str]) -> list[str]:
        """The given stories, in the order they were opened (unknown ids are left out)."""
        wanted = sorted(set(story_ids))
        ordered: list[tuple[int, str]] = []
        with self.engine.connect() as connection:
            for chunk in _chunks(wanted):
                rows = connection.execute(
                    select(stories.c.sequence, stories.c.id).where(stories.c.id.in_(chunk))
                )
                ordered.extend((int(sequence), story_id) for sequence, story_id in rows)
        return [story_id for _, story_id in sorted(ordered)]

    def story_state(self, story_id: str) -> StoryState | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(stories).where(stories.c.id == story_id)).first()
        return None if row is None else _state_from_row(row)

    def next_sequence(self) -> int:
        with self.engine.connect() as connection:
            highest = connection.execute(select(func.max(stories.c.sequence))).scalar_one()
            counter = connection.execute(
                select(grouping_state.c.next_sequence).where(grouping_state.c.id == 1)
            ).scalar_one_or_none()
        after_highest = 0 if highest is None else int(highest) + 1
        return max(after_highest, int(counter or 0))

    def term_statistics(self, save_if_behind: bool = False) -> TermStatistics:
        """The word document frequencies of everything grouped so far (empty for a new store).

        The saved row may lag behind the articles (it is written once per chunk, and a run can be
        killed between): the articles grouped after it are counted in again from their text.
        """
        with self.engine.connect() as connection:
            row = connection.execute(select(term_statistics).where(term_statistics.c.id == 1)).first()
            statistics = (
                TermStatistics() if row is None else TermStatistics.from_bytes(row.frequencies, row.documents)
            )
            behind = connection.execute(
                select(articles.c.text)
                .where(articles.c.grouped >= statistics.documents)
                .order_by(articles.c.grouped)
            )
            saved = statistics.documents
            for (article_text,) in behind:
                statistics.count(term_counts(article_text))
        if save_if_behind and statistics.documents != saved:
            self.save_term_statistics(statistics)
        return statistics

    def grouped_count(self) -> int:
        """How many articles grouping has numbered: the next article's number."""
        with self.engine.connect() as connection:
            highest = connection.execute(select(func.max(articles.c.grouped))).scalar_one()
        return 0 if highest is None else int(highest) + 1

    def save_term_statistics(self, statistics: TermStatistics) -> None:
        values = {"documents": statistics.documents, "frequencies": statistics.to_bytes()}
        with self._write() as connection:
            changed = connection.execute(
                update(term_statistics).where(term_statistics.c.id == 1).values(**values)
            )
            if changed.rowcount == 0:
                connection.execute(insert(term_statistics).values(id=1, **values))

    def members(self, story_id: str) -> list[str]:
        """The story's article ids in the order they joined it."""
        with self.engine.connect() as connection:
            return list(
                connection.scalars(
                    select(story_articles.c.article_id)
                    .where(story_articles.c.story_id == story_id)
                    .order_by(story_articles.c.position, story_articles.c.article_id)
                )
            )

    def unanalysed(self) -> list[str]:
        """Stories whose analysis is missing or older than their membership (a run failed or was
        stopped after grouping them, or before it analysed a story it grew)."""
        report, size = stories.c.report_size, stories.c.size
        stale = or_(stories.c.report.is_(None), report.is_(None), report != size)
        with self.engine.connect() as connection:
            return list(connection.scalars(select(stories.c.id).where(stale).order_by(stories.c.sequence)))

    def save_report(self, story_id: str, title: str, report: dict[str, Any], size: int | None = None) -> bool:
        """Replace a story's stored analysis with a new one made from its first ``size`` members.

        When another process grew the story meanwhile, the report is already stale: it is not
        saved (False), and the run that grew the story analyses it.
        """
        condition = stories.c.id == story_id
        if size is not None:
            condition = and_(condition, stories.c.size == size)
        with self._write() as connection:
            changed = connection.execute(
                update(stories)
                .where(condition)
                .values(title=title, report=report, report_size=stories.c.size)
            )
        return bool(changed.rowcount)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
                for table in (articles, stories, story_articles)
            }

    def stories(self) -> list[dict[str, Any]]:
        """Stored stories in the order they were opened, with their article ids."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(stories.c.id, stories.c.title, stories.c.first_day, stories.c.last_day).order_by(
                    stories.c.sequence
                )
            ).all()
            members = connection.execute(
                select(story_articles.c.story_id, story_articles.c.article_id).order_by(
                    story_articles.c.story_id, story_articles.c.position
                )
            ).all()
        by_story: dict[str, list[str]] = {}
        for story_id, article_id in members:
            by_story.setdefault(story_id, []).append(article_id)
        return [
            {
                "id": r[0],
                "title": r[1],
                "articles": by_story.get(r[0], []),
                "first_day": r[2],
                "last_day": r[3],
            }
            for r in rows
        ]

    def listing(self) -> list[dict[str, Any]]:
        """Per story, in opening order: id, title, reports, outlets and first/last publication date.

        Read from the article rows, not the reports, so listing a store of thousands of stories
        does not parse thousands of JSON documents.
        """
        with self.engine.connect() as connection:
            heads = connection.execute(
                select(stories.c.id, stories.c.title).order_by(stories.c.sequence)
            ).all()
            rows = connection.execute(
                select(
                    story_articles.c.story_id,
                    articles.c.path,
                    articles.c.url,
                    articles.c.source,
                    articles.c.published,
                ).join(articles, articles.c.id == story_articles.c.article_id)
            ).all()
        outlets: dict[str, set[str]] = {}
        dates: dict[str, list[str]] = {}
        sizes: Counter[str] = Counter()
        for story_id, path, url, source, published in rows:
            sizes[story_id] += 1
            label = Article(id="", path=path, raw="", url=url, source=source).label
            outlets.setdefault(story_id, set()).add(label)
            if published:
                dates.setdefault(story_id, []).append(str(published)[:10])
        listing = []
        for story_id, title in heads:
            days = sorted(dates.get(story_id, []))
            listing.append(
                {
                    "id": story_id,
                    "title": title,
                    "reports": sizes[story_id],
                    "outlets": sorted(outlets.get(story_id, set())),
                    "first": days[0] if days else None,
                    "last": days[-1] if days else None,
                }
            )
        return listing

    def story_report(self, story_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(stories.c.report).where(stories.c.id == story_id)).first()
        return None if row is None or row[0] is None else dict(row[0])


class StoreError(RuntimeError):
    """The database cannot be opened or written: the message names the URL and the cause."""


def open_store(url: str | None) -> Store:
    """Open (and create the tables of) the database at ``url``; a clear StoreError when that fails."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    target = url or DEFAULT_URL
    try:
        return Store(target)
    except (ArgumentError, NoSuchModuleError) as error:
        raise StoreError(f"not a usable database URL {target!r}: {error}") from error
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        raise StoreError(f"cannot open database {target!r}: {cause}") from error
