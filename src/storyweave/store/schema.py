"""The SQL schema: what each stage leaves behind, keyed by the stable ids of the data model.

SQLAlchemy Core keeps one schema for SQLite (the default file) and PostgreSQL (any URL).
Structured parts (removed lines, sentences, quality) are JSON columns: they are read back whole,
never queried piecewise, and JSON keeps them in the report contract's own shape.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("path", Text, nullable=False),
    Column("url", Text),
    Column("source", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", String(32)),
    Column("published_from", String(16), nullable=False),
    Column("language", String(8)),
    Column("raw", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("cleaning", JSON, nullable=False),  # removed, flags, headings, truncated_at
    Column("sentences", JSON, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text, nullable=False),
    Column("report", JSON, nullable=False),  # the story's object of report.json
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(40), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id"), primary_key=True),
    Column("position", Integer, nullable=False),
)
