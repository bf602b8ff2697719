"""The SQL schema: what each stage leaves behind, keyed by the stable ids of the data model.

SQLAlchemy Core keeps one schema for SQLite (the default file) and PostgreSQL (any URL).
Structured parts (removed lines, sentences, quality) are JSON columns: they are read back whole,
never queried piecewise, and JSON keeps them in the report contract's own shape.

A story row carries its grouping state (centroid sum, names, publication days, size) beside its
report, so a later ``storyweave ingest`` resumes grouping exactly where the last run stopped.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

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
    Column("text_hash", String(40), nullable=False, index=True),  # exact copies across runs
    Column("duplicate_of", String(40)),
    Column("cleaning", JSON, nullable=False),  # removed, flags, headings, truncated_at
    Column("sentences", JSON, nullable=False),
    # The order articles were grouped in (0, 1, 2, ...): the word statistics count articles in this
    # order, so statistics saved up to N are completed on resume from the articles numbered N and on.
    Column("grouped", Integer, index=True),
    Column("doc", LargeBinary),  # the spaCy parse as a zlib'd DocBin, so analysis never parses twice
    Column("vectors", LargeBinary),  # float16 sentence vectors, one row per sentence; NULL until needed
    # float16 vectors of clauses and event words (analysis/article_vectors.py): int32 count, (start, end)
    # pairs, then the rows; NULL until needed
    Column("span_vectors", LargeBinary),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("sequence", Integer, nullable=False, unique=True),  # the order stories were opened in
    Column("title", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("first_day", Integer, nullable=False, index=True),  # date ordinals, -1 when undated
    Column("last_day", Integer, nullable=False, index=True),
    Column("centroid", LargeBinary, nullable=False),  # float32 sum of the members' lead vectors
    Column("names", JSON, nullable=False),  # casefolded name -> number of member articles naming it
    Column("terms", LargeBinary, nullable=False),  # word profile: int32 buckets, then float32 weights
    Column("report", JSON),  # the story's object of report.json; NULL until analysed
    Column("report_size", Integer),  # the size the report was made at: older than ``size`` = stale
    # An article that opened this story alone and still waits for its second look (grouping's rule):
    # its full word weights, so a resumed run gives that look exactly as the killed run would have.
    Column("pending", LargeBinary),
)

grouping_state = Table(
    "grouping_state",
    metadata,
    Column("id", Integer, primary_key=True),  # one row
    Column("next_sequence", Integer, nullable=False),  # a story moved away keeps its number used
)

term_statistics = Table(
    "term_statistics",
    metadata,
    Column("id", Integer, primary_key=True),  # one row: the document frequencies grouping weighs words by
    Column("documents", Integer, nullable=False),
    Column("frequencies", LargeBinary, nullable=False),  # int32 per hashed word bucket
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(40), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id"), primary_key=True),
    Column("position", Integer, nullable=False),
)
Index("story_articles_by_article", story_articles.c.article_id)
