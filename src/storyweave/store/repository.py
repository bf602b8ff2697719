"""Reading and writing the store: one transaction per article, so a failure never half-writes one.

Writes are idempotent: an article that is already stored (same content id) is left as it is, and a
story is replaced whole by its new analysis, so running twice on the same input changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select

from storyweave.model import Article
from storyweave.store.schema import articles, metadata, stories, story_articles

DEFAULT_URL = "sqlite:///storyweave.db"


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


class Store:
    """The database behind a run: SQLite by default, any SQLAlchemy URL otherwise."""

    def __init__(self, url: str = DEFAULT_URL) -> None:
        self.url = url
        self.engine = create_engine(url)
        _enable_sqlite_foreign_keys(self.engine)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def add_article(self, article: Article) -> bool:
        """Store a cleaned, annotated article; False when it was already there."""
        row = {
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
            "cleaning": {
                "removed": [asdict(r) for r in article.removed],
                "flags": list(article.flags),
                "headings": [list(h) for h in article.headings],
                "truncated_at": list(article.truncated_at),
            },
            "sentences": [asdict(s) for s in article.sentences],
        }
        with self.engine.begin() as connection:
            exists = connection.execute(select(articles.c.id).where(articles.c.id == article.id)).first()
            if exists:
                return False
            connection.execute(insert(articles).values(**row))
        return True

    def save_story(
        self, story_id: str, title: str, article_ids: Sequence[str], report: dict[str, Any]
    ) -> None:
        """Replace a story's stored analysis with a new one, in one transaction."""
        with self.engine.begin() as connection:
            connection.execute(delete(story_articles).where(story_articles.c.story_id == story_id))
            connection.execute(delete(stories).where(stories.c.id == story_id))
            connection.execute(insert(stories).values(id=story_id, title=title, report=report))
            for position, article_id in enumerate(article_ids):
                connection.execute(
                    insert(story_articles).values(story_id=story_id, article_id=article_id, position=position)
                )

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
                for table in (articles, stories, story_articles)
            }

    def stories(self) -> list[dict[str, Any]]:
        """Stored stories with their article ids, ordered by id."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(stories.c.id, stories.c.title).order_by(stories.c.id)).all()
            members = connection.execute(
                select(story_articles.c.story_id, story_articles.c.article_id).order_by(
                    story_articles.c.story_id, story_articles.c.position
                )
            ).all()
        by_story: dict[str, list[str]] = {}
        for story_id, article_id in members:
            by_story.setdefault(story_id, []).append(article_id)
        return [{"id": r[0], "title": r[1], "articles": by_story.get(r[0], [])} for r in rows]

    def story_report(self, story_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(stories.c.report).where(stories.c.id == story_id)).first()
        return None if row is None else dict(row[0])


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
