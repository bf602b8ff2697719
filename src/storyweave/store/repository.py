"""Reading and writing the store: one transaction per article, so a failure never half-writes one.

Writes are idempotent: an article that is already stored (same content id) is left as it is and
keeps its story, so ingesting the same archive twice adds nothing. A story's report is replaced
whole by its new analysis.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
from sqlalchemy import Engine, and_, create_engine, delete, event, func, insert, inspect, or_, select, update

from storyweave.group.index import NO_DAY, StoryState
from storyweave.group.terms import TermStatistics
from storyweave.model import Article, Removed
from storyweave.store.schema import articles, metadata, stories, story_articles, term_statistics

DEFAULT_URL = "sqlite:///storyweave.db"
_CHUNK = 500  # ids per IN (...) query: well under every backend's parameter limit


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _article_row(article: Article, text_hash: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "published_from": article.published_from,
        "language": article.language,
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
        path=row.path,
        raw=row.raw,
        url=row.url,
        source=row.source,
        title=row.title,
        author=row.author,
        published=row.published,
        published_from=row.published_from,
        text=row.text,
        language=row.language,
        removed=[Removed(**r) for r in cleaning.get("removed", [])],
        flags=list(cleaning.get("flags", [])),
        headings=[(int(a), int(b)) for a, b in cleaning.get("headings", [])],
        truncated_at=[int(n) for n in cleaning.get("truncated_at", [])],
        duplicate_of=row.duplicate_of,
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
        _enable_sqlite_foreign_keys(self.engine)
        self._refuse_old_layout()
        metadata.create_all(self.engine)

    def _refuse_old_layout(self) -> None:
        tables = inspect(self.engine)
        if tables.has_table("stories"):
            columns = {c["name"] for c in tables.get_columns("stories")}
            if not {"sequence", "terms"} <= columns:
                raise StoreError(
                    f"{self.url} was written by an older storyweave (no grouping state): use a new database"
                )

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ articles

    def add_to_story(self, article: Article, text_hash: str, state: StoryState) -> bool:
        """Store an article, its place in ``state``'s story and the story's new state, all or nothing."""
        with self.engine.begin() as connection:
            if connection.execute(select(articles.c.id).where(articles.c.id == article.id)).first():
                return False
            connection.execute(insert(articles).values(**_article_row(article, text_hash)))
            values = _state_values(state)
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
        return True

    def move_article(self, article_id: str, from_story: str, to_state: StoryState) -> None:
        """Move the only article of a story opened in this run to another story; the first goes."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(story_articles).where(
                    story_articles.c.story_id == from_story, story_articles.c.article_id == article_id
                )
            )
            connection.execute(delete(stories).where(stories.c.id == from_story))
            connection.execute(
                update(stories).where(stories.c.id == to_state.id).values(**_state_values(to_state))
            )
            connection.execute(
                insert(story_articles).values(
                    story_id=to_state.id, article_id=article_id, position=to_state.size - 1
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
        return 0 if highest is None else int(highest) + 1

    def term_statistics(self) -> TermStatistics:
        """The word document frequencies of everything grouped so far (empty for a new store)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(term_statistics).where(term_statistics.c.id == 1)).first()
        return TermStatistics() if row is None else TermStatistics.from_bytes(row.frequencies, row.documents)

    def save_term_statistics(self, statistics: TermStatistics) -> None:
        values = {"documents": statistics.documents, "frequencies": statistics.to_bytes()}
        with self.engine.begin() as connection:
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
        """Stories whose analysis is missing (a run failed or stopped after grouping them)."""
        with self.engine.connect() as connection:
            return list(
                connection.scalars(
                    select(stories.c.id).where(stories.c.report.is_(None)).order_by(stories.c.sequence)
                )
            )

    def save_report(self, story_id: str, title: str, report: dict[str, Any]) -> None:
        """Replace a story's stored analysis with a new one."""
        with self.engine.begin() as connection:
            connection.execute(
                update(stories).where(stories.c.id == story_id).values(title=title, report=report)
            )

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
