"""Order (issue 17): within a batch, articles are grouped in publication order, then by id, so the
same inputs in any order give the same stories, ids and a byte-identical report.json, and a story is
named after its earliest article."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES, SEED_DATE
from storyweave import analyze
from storyweave.model import stable_id


def _files(seeds_dir: Path) -> list[str]:
    return [str(p) for p in sorted(seeds_dir.glob("*.txt"))] + [
        str(p) for p in sorted(EXAMPLES.glob("*.txt"))
    ]


def test_reversed_inputs_give_a_byte_identical_report(seeds_dir: Path, tmp_path: Path) -> None:
    files = _files(seeds_dir)
    reports = []
    for name, order in (("forward", files), ("reversed", files[::-1])):
        analyze(
            order,
            published=SEED_DATE,
            db=f"sqlite:///{tmp_path / name}.db",
            out=tmp_path / name,
            formats=("json",),
        )
        reports.append((tmp_path / name / "report.json").read_bytes())
    assert reports[0] == reports[1]


def test_a_story_is_named_after_its_earliest_article(tmp_path: Path) -> None:
    report = analyze([str(EXAMPLES)], db=f"sqlite:///{tmp_path / 'sw.db'}")
    story = report.stories[0]
    earliest = min(story.articles, key=lambda a: (a.published is None, a.published or "", a.id))
    assert story.id == stable_id("s-", earliest.id, length=12)
