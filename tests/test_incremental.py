"""Incremental ingest into one store: stories grow across runs, ids never change, nothing is added twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, SEED_DATE
from storyweave.cli import app
from storyweave.model import stable_id
from storyweave.pipeline import ingest
from storyweave.store import open_store


def _seed_files(seeds_dir: Path) -> list[str]:
    return [str(p) for p in sorted(seeds_dir.glob("*.txt"))]


@pytest.mark.slow
def test_a_story_grows_across_runs_and_keeps_its_id(tmp_path: Path, seeds_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    seeds = _seed_files(seeds_dir)
    first = ingest(seeds[:3], published=SEED_DATE, db=db)
    assert len(first.added) == 3 and len(first.stories) == 1
    seed_story = first.stories[0]

    other = ingest([str(EXAMPLES)], db=db)
    assert len(other.added) == 5 and len(other.stories) == 1
    example_story = other.stories[0]
    assert example_story != seed_story  # the flood reports did not join the seed story

    store = open_store(db)
    example_report = store.story_report(example_story)
    listed = {row["id"]: row for row in store.listing()}
    store.close()
    assert listed[example_story]["reports"] == 5 and listed[seed_story]["reports"] == 3
    assert "Millbrook Courier" in listed[example_story]["outlets"]
    assert (listed[example_story]["first"], listed[example_story]["last"]) == ("2026-03-11", "2026-03-12")

    third = ingest(seeds[3:], published=SEED_DATE, db=db)
    assert third.stories == [seed_story]  # the two later reports joined the stored story

    store = open_store(db)
    members = store.members(seed_story)
    assert members[:3] == first.added and len(members) == 5
    report = store.story_report(seed_story)
    assert report is not None and len(report["articles"]) == 5  # the grown story was re-analysed
    assert store.story_report(example_story) == example_report  # the untouched one was not
    counts = store.counts()
    store.close()

    # A story is named after its first article in publication order, then by id: the first batch's
    # first for the story built in two runs, the first of all five for the one built in one run.
    assert seed_story == stable_id("s-", min(first.added), length=12)
    one_shot = ingest(seeds, published=SEED_DATE, db=f"sqlite:///{tmp_path / 'once.db'}")
    assert one_shot.stories == [stable_id("s-", min(members), length=12)]

    again = ingest([str(seeds_dir), str(EXAMPLES)], published=SEED_DATE, db=db)
    assert again.added == [] and again.stories == [] and again.already_stored == 10
    store = open_store(db)
    assert store.counts() == counts
    store.close()


def test_a_copy_arriving_in_a_later_run_is_linked_to_the_stored_original(
    tmp_path: Path, seeds_dir: Path
) -> None:
    original = next(seeds_dir.glob("003_*.txt")).read_text(encoding="utf-8")
    lines = original.splitlines()
    (tmp_path / "run1").mkdir()
    (tmp_path / "run2").mkdir()
    (tmp_path / "run1" / "a.txt").write_text(original, encoding="utf-8")
    # A wire copy with a credit line and one sentence dropped, and one differing only in punctuation.
    (tmp_path / "run2" / "b.txt").write_text(
        "\n".join(["By Staff Writer, Wire Service", *lines[:-2], lines[-1]]), encoding="utf-8"
    )
    (tmp_path / "run2" / "c.txt").write_text(original.replace(",", ""), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    first = ingest([str(tmp_path / "run1")], published=SEED_DATE, db=db)
    second = ingest([str(tmp_path / "run2")], published=SEED_DATE, db=db)
    assert len(second.added) == 2
    assert second.stories == first.stories  # both copies went into the original's story
    store = open_store(db)
    copies = store.articles(second.added)
    assert [a.duplicate_of for a in copies] == [first.added[0], first.added[0]]
    report = store.story_report(first.stories[0])
    store.close()
    assert report is not None
    assert {a["duplicate_of"] for a in report["articles"]} == {None, first.added[0]}


@pytest.mark.slow
def test_cli_ingest_then_list_and_render(tmp_path: Path, seeds_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--published", SEED_DATE, "--db", db])
    assert result.exit_code == 0, result.output
    assert "5 article(s) read: 5 new, 0 already stored" in result.output
    assert "1 story(ies) opened or grown" in result.output
    again = runner.invoke(app, ["ingest", str(seeds_dir), "--published", SEED_DATE, "--db", db])
    assert "0 new, 5 already stored" in again.output and "0 story(ies)" in again.output
    listing = runner.invoke(app, ["stories", "--db", db])
    assert listing.exit_code == 0
    row = next(line.strip() for line in listing.output.splitlines() if line.strip().startswith("s-"))
    story_id = row.split()[0]
    assert " 5 " in row and "2026-01" in row
    assert "004_" in row and "Trump and Colombia" in row  # piped: the whole story on one line
    rendered = runner.invoke(app, ["report", story_id[:6], "--db", db, "--out", str(tmp_path / "out")])
    assert rendered.exit_code == 0, rendered.output
    assert (tmp_path / "out" / "report.json").is_file()


def test_cli_ingest_names_a_bad_database_in_one_line(tmp_path: Path, seeds_dir: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(seeds_dir), "--db", "nosuchdialect://x"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "nosuchdialect://x" in result.output


@pytest.mark.slow
def test_a_story_analysed_again_reads_its_vectors_from_the_store(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an analysis encodes of a report is stored with it: analysing the story again encodes none of
    its sentences again and gives the same report."""
    from storyweave.nlp import encoder
    from storyweave.pipeline import analyse_stored

    db = f"sqlite:///{tmp_path / 'sw.db'}"
    story = ingest(_seed_files(seeds_dir), published=SEED_DATE, db=db).stories[0]
    store = open_store(db)
    try:
        first = store.story_report(story)
        articles = store.articles(store.members(story))
        for article in articles:
            assert article.vectors is not None and len(article.vectors) > 10  # one row per sentence
            assert article.span_vectors  # clauses and event words
        kept = {(a.id, key) for a in articles for key in a.span_vectors or {}}
        assert len(kept) > 50

        encoded: list[str] = []
        real = encoder.OnnxSentenceEncoder.encode_with_spans

        def recorded(self: encoder.OnnxSentenceEncoder, texts: list[str], *args: object) -> object:
            encoded.extend(texts)
            return real(self, texts, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(encoder.OnnxSentenceEncoder, "encode_with_spans", recorded)
        assert analyse_stored(store, [story]) == []
        assert store.story_report(story) == first
        # Only event lemmas, whose vectors a process keeps in memory; no sentence, clause or event word.
        assert all(len(text.split()) == 1 for text in encoded)
    finally:
        store.close()
