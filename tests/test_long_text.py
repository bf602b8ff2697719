"""Long text (issue 17): an article past the length spaCy accepts never fails the batch; its tail is
cut at a paragraph with a line naming the file, and the files beside it are stored as usual."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, SEED_DATE
from generated import real_sentences
from storyweave import pipeline
from storyweave.clean import article as article_clean
from storyweave.model import Article, Skipped
from storyweave.store import open_store


def _long_text(chars: int) -> str:
    pool = real_sentences(EXAMPLES, "*.txt")
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        paragraph = " ".join(pool[(len(paragraphs) + k) % len(pool)] for k in range(4))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


def test_a_two_million_character_text_is_cut_at_a_paragraph_below_the_limit() -> None:
    text = _long_text(2_000_000)
    article = Article(id="a-long", path="long.txt", raw=text, text=text)
    reason = article_clean.cut_long(article)
    assert reason is not None and "2,000,000" in reason
    assert len(article.text) <= article_clean.MAX_TEXT_CHARS < 1_000_000  # below spaCy's max_length
    assert text.startswith(article.text) and text[len(article.text) : len(article.text) + 2] == "\n\n"


def test_a_long_article_beside_normal_files_is_stored_cut_and_the_batch_goes_on(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cut is the same at any limit; a lower one keeps this test quick (the full-size cut is above).
    monkeypatch.setattr(article_clean, "MAX_TEXT_CHARS", 8_000)
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(seeds_dir.glob("*.txt"))[:2]:
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "long.txt").write_text(_long_text(2_000_000), encoding="utf-8")
    lines: list[Skipped] = []
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    result = pipeline.ingest([str(folder)], published=SEED_DATE, db=db, on_skip=lines.append)
    assert len(result.added) == 3 and not result.failed
    assert [Path(s.path).name for s in lines] == ["long.txt"] and "the rest is skipped" in lines[0].reason
    store = open_store(db)
    long_id = next(i for i in result.added if Path(store.articles([i])[0].path).name == "long.txt")
    stored = store.articles([long_id])[0]
    assert 4_000 <= len(stored.text) <= 8_000 and len(stored.raw) >= 1_990_000
    assert not store.unanalysed()  # every story, the long article's included, has its report
    store.close()
