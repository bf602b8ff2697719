"""A generated news archive for run-loop tests: real sentences of the seed and example reports,
recombined into many short reports by several outlets over several weeks (seeded, so every test
run gets the same files)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, SEEDS

_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")
OUTLETS = ("Harbour Post", "Daily Ledger", "Wire Service", "Evening Star", "Metro Radio", "Valley Times")


def real_sentences(folder: Path, pattern: str) -> list[str]:
    found: list[str] = []
    for path in sorted(folder.glob(pattern)):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[-1]
        for paragraph in body.split("\n\n"):
            found.extend(
                s.strip() for s in _SENTENCE.split(paragraph.replace("\n", " ")) if len(s.split()) >= 6
            )
    return found


def write_archive(path: Path, n: int = 150, seed: int = 7, undated: int = 3) -> list[dict[str, Any]]:
    """Write ``n`` reports as JSONL: episodes of one of two real stories, 12 days apart, a few copies."""
    rng = random.Random(seed)
    pools = [real_sentences(SEEDS, "*.txt"), real_sentences(EXAMPLES, "*.txt")]
    start = dt.date(2026, 1, 1)
    rows: list[dict[str, Any]] = []
    for number in range(n):
        episode = number // 10
        pool = pools[episode % 2]
        picked = rng.sample(pool, k=min(len(pool), rng.randint(3, 6)))
        day = start + dt.timedelta(days=12 * episode + rng.randint(0, 2))
        row: dict[str, Any] = {
            "title": f"{picked[0][:60]} ({episode})",
            "text": "\n\n".join(picked),
            "source": OUTLETS[number % len(OUTLETS)],
            "url": f"https://news.example/{episode}/{number}",
        }
        if number % 17 == 5 and rows:  # a wire copy of the report before it, with its credit line
            row["text"] = rows[-1]["text"] + "\n\nDistributed by Wire Service."
        if number >= undated:
            row["published"] = day.isoformat()
        rows.append(row)
    rng.shuffle(rows)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def storyweave_command(*args: str) -> list[str]:
    """``storyweave ARGS`` as a user runs it, with this checkout's code."""
    return [sys.executable, "-c", "from storyweave.cli import main; main()", *args]


def dump_store(db: Path | str) -> dict[str, Any]:
    """Everything a run leaves in a store (a SQLite file or any URL), in a comparable form."""
    from sqlalchemy import create_engine, text

    url = db if isinstance(db, str) else f"sqlite:///{db}"
    engine = create_engine(url)

    def plain(value: Any) -> Any:
        if isinstance(value, memoryview):
            return bytes(value)
        if isinstance(value, str) and value[:1] in "[{":
            return json.loads(value)
        return value

    try:
        with engine.connect() as connection:

            def rows(query: str) -> list[dict[str, Any]]:
                return [{k: plain(v) for k, v in r._mapping.items()} for r in connection.execute(text(query))]

            articles = rows(
                "SELECT id, text_hash, duplicate_of, grouped, sentences, vectors IS NOT NULL AS has_vectors"
                " FROM articles ORDER BY id"
            )
            stories = rows(
                "SELECT id, sequence, title, size, first_day, last_day, names, terms, centroid, report,"
                " report_size, pending FROM stories ORDER BY sequence"
            )
            members = rows(
                "SELECT story_id, article_id, position FROM story_articles ORDER BY story_id, position"
            )
            statistics = rows("SELECT documents, frequencies FROM term_statistics")
    finally:
        engine.dispose()
    for article in articles:
        article["has_vectors"] = bool(article["has_vectors"])
    # sorted here, not in SQL: PostgreSQL's collation orders strings otherwise than SQLite
    articles.sort(key=lambda a: a["id"])
    members.sort(key=lambda m: (m["story_id"], m["position"]))
    return {"articles": articles, "stories": stories, "members": members, "statistics": statistics}
