"""Nothing read is lost in silence: cut WARC records, symlink loops, odd folder entries and text in UTF-16
without a byte-order mark each get their line (a Skipped with a reason) or are read."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

from conftest import EXAMPLES
from storyweave.ingest import read_inputs
from storyweave.model import Article, Skipped


def _story(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def _warc_bytes(bodies: list[str]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n, body in enumerate(bodies):
        html = f"<html><head><title>Report {n}</title></head><body><article>{body}</article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://news.example/{n}", "response", payload=io.BytesIO(html.encode()), http_headers=headers
        )
        writer.write_record(record)
    return out.getvalue()


def _paragraphs(name: str, seed: int) -> str:
    """A real report plus shuffled real words (so gzip cannot shrink a record to a few bytes)."""
    rng = random.Random(seed)
    words = _story(name).split()
    noise = " ".join(rng.choice(words) for _ in range(2500))
    return "".join(f"<p>{p}</p>" for p in _story(name).split("\n") if p.strip()) + f"<p>{noise}</p>"


def test_a_truncated_warc_gz_names_its_cut_record(tmp_path: Path) -> None:
    names = ["courier.txt", "northern_wire.txt", "valley_daily.txt"]
    whole = _warc_bytes([_paragraphs(n, i) for i, n in enumerate(names)])
    first = len(_warc_bytes([_paragraphs(names[0], 0)]))
    (tmp_path / "cut.warc.gz").write_bytes(whole[: first + (len(whole) - first) // 4])  # inside record 2
    (tmp_path / "good.txt").write_text(_story("regional_ledger.txt"), encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    articles = [i for i in items if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [a.url for a in articles if a.url] == ["https://news.example/0"]
    assert len(articles) == 2  # the whole first record and the text file beside the archive
    assert len(skipped) == 1 and skipped[0].path.endswith("cut.warc.gz#2")
    assert "truncated archive" in skipped[0].reason and "bytes missing" in skipped[0].reason


def test_symlink_loops_and_broken_links_in_folders_get_a_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "inner").mkdir(parents=True)
    (corpus / "inner" / "a.txt").write_text(_story("courier.txt"), encoding="utf-8")
    (corpus / "inner" / "back").symlink_to(corpus)  # a loop
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # dangling
    (corpus / "self").symlink_to(corpus / "self")  # a link to itself
    os.mkfifo(corpus / "pipe.txt")
    items = list(read_inputs([corpus]))
    skipped = {Path(i.path).name: i.reason for i in items if isinstance(i, Skipped)}
    assert len([i for i in items if isinstance(i, Article)]) == 1
    assert skipped == {
        "back": "symlink loop (folder already read)",
        "gone.txt": "broken symlink",
        "self": "symlink loop",
        "pipe.txt": "not a regular file",
    }


def test_utf16_without_bom_is_read_as_text(tmp_path: Path) -> None:
    text = _story("courier.txt")
    for encoding in ("utf-16-le", "utf-16-be"):
        (tmp_path / f"{encoding}.txt").write_bytes(text.encode(encoding))
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    items = list(read_inputs([tmp_path]))
    by_name = {Path(i.path).name: i for i in items}
    assert isinstance(by_name["utf-16-be.txt"], Article) and by_name["utf-16-be.txt"].raw == text
    assert isinstance(by_name["utf-16-le.txt"], Skipped) and "duplicate" in by_name["utf-16-le.txt"].reason
    assert isinstance(by_name["image.txt"], Skipped) and "binary" in by_name["image.txt"].reason
