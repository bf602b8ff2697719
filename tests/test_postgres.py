"""The same run against a real PostgreSQL server (started by .ci/run; see scripts/postgres.sh)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import SEED_DATE

PG_URL = os.environ.get("STORYWEAVE_TEST_PG_URL")

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="no PostgreSQL server: set STORYWEAVE_TEST_PG_URL (scripts/postgres.sh start DIR prints one)",
)


@pytest.mark.slow
def test_seed_run_on_postgresql_is_idempotent(seeds_dir: Path, tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from storyweave import analyze
    from storyweave.store import open_store
    from storyweave.store.schema import metadata

    assert PG_URL is not None
    engine = create_engine(PG_URL)
    metadata.drop_all(engine)  # a clean database for this test
    engine.dispose()
    analyze([str(seeds_dir)], published=SEED_DATE, db=PG_URL, out=tmp_path / "one", formats=("json",))
    analyze([str(seeds_dir)], published=SEED_DATE, db=PG_URL, out=tmp_path / "two", formats=("json",))
    store = open_store(PG_URL)
    assert store.engine.dialect.name == "postgresql"
    assert store.counts() == {"articles": 5, "stories": 1, "story_articles": 5}
    first = (tmp_path / "one" / "report.json").read_bytes()
    assert first == (tmp_path / "two" / "report.json").read_bytes()
    story = json.loads(first)["stories"][0]
    assert store.story_report(story["id"]) == story
    with store.engine.connect() as connection:
        removed = connection.execute(
            text("SELECT cleaning FROM articles WHERE path LIKE '%002_%'")
        ).scalar_one()
    assert {"text": "Reuters", "reason": "credit"} in removed["removed"]
    store.close()
