"""The render stage: report.json keeps the contract byte for byte, and Markdown and HTML show it safely.

The report is built by hand from real sentences of the seed corpus (../shared/seeds/000, 001, 003),
with every section filled, plus one hostile article whose text carries markup that must never run.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from storyweave.model import (
    Article,
    Contradiction,
    Derivation,
    Entity,
    Event,
    Fact,
    Originality,
    Quality,
    Quote,
    QuoteVariant,
    Removed,
    Report,
    Sentence,
    Side,
    Skipped,
    Speaker,
    Story,
    SummarySentence,
    Support,
    TimelineItem,
)
from storyweave.render import write_report
from storyweave.render.html import render_html
from storyweave.render.json import ReportSchemaError, load_schema, report_to_dict, validate_report, write_json
from storyweave.render.markdown import md_escape, render_markdown

# Real sentences from the seed corpus.
S000_CALL = (
    "President Trump spoke by phone with Colombian President Gustavo Petro on Wednesday following tensions "
    "between the two leaders."
)
S000_QUOTE = (
    "In recent days, Mr Trump calling Colombia a “sick man” and suggesting military action in the country "
    "“looks good to me”."
)
S001_35MIN = (
    "The Colombian government separately confirmed that Petro spoke with Trump for about 35 minutes, "
    "describing the exchange as positive, according to a report by The Hill."
)
S001_ASKED = (
    "The rhetoric escalated further when Trump was asked by NewsNation’s Libbey Dean whether he intended to "
    "launch a military operation against Colombia."
)
S001_QUOTE = "He responded that such an action “sounds good.”"
S003_HEAD = "A Call to Mend Fences After Public Spat"
S003_35MIN = (
    "In a significant diplomatic development, US President Donald Trump and Colombian President "
    "Gustavo Petro "
    "have held their first direct telephone conversation, lasting 35 minutes."
)
HOSTILE = "Breaking | <script>alert(1)</script> and <img src=x onerror=alert(2)> *bold* _it_ `code`"


def make_article(aid: str, path: str, lines: list[list[str]], **kw: Any) -> Article:
    """An article whose text is the given paragraphs (lists of sentences), with exact sentence offsets."""
    text, pos = "", 0
    sentences: list[Sentence] = []
    for p, para in enumerate(lines):
        if p:
            text += "\n"
        for i, sent in enumerate(para):
            if i:
                text += " "
            start = len(text)
            text += sent
            sentences.append(Sentence(index=len(sentences), start=start, end=len(text), text=sent))
            pos = len(text)
    assert pos == len(text)
    return Article(id=aid, path=path, raw=text, text=text, sentences=sentences, **kw)


def support(article: Article, index: int) -> Support:
    s = article.sentences[index]
    return Support(article=article.id, sentence=index, text=s.text, start=s.start, end=s.end)


def build_report() -> Report:
    a0 = make_article(
        "art000",
        "seeds/000_c4c50d441dbacf31.txt",
        [[S000_CALL, S000_QUOTE]],
        published="2026-01-08",
        published_from="user",
        language="en",
        quality=Quality(score=0.4166666, flags=["garbled"], details={"stray_words": 3, "ratio": 0.123456}),
        originality=Originality(score=0.35, derived_from=[Derivation(article="art001", share=0.6543)]),
        removed=[Removed(text="cooked", reason="stray word")],
    )
    a1 = make_article(
        "art001",
        "seeds/001_9600e3c34549fab5.txt",
        [[S001_35MIN], [S001_ASKED, S001_QUOTE]],
        source="Colombia One",
        published="2026-01-08",
        published_from="text",
        language="en",
        removed=[Removed(text="Related posts", reason="boilerplate: related links")],
    )
    a3 = make_article(
        "art003",
        "seeds/003_f5ef61f8a6c81316.txt",
        [[S003_35MIN], [S003_HEAD]],
        title="Trump and Petro hold first call",
        published="2026-01-07",
        published_from="metadata",
        url="javascript:alert(3)",
        language="en",
    )
    a3.sentences[1].heading = True
    a3.sentences[0].truncated = False
    hostile = make_article(
        "art004",
        "evil/page.html",
        [[HOSTILE]],
        source="Evil|Outlet <b>",
        url="https://example.org/a?x=<b>",
        language="en",
        removed=[Removed(text="<script>alert(4)</script>", reason="boilerplate")],
    )
    hostile.sentences[0].truncated = True

    facts = [
        Fact(
            id="c-35min",
            text="Trump and Petro spoke by phone for 35 minutes.",
            status="corroborated",
            sources=2,
            independent_sources=2,
            support=[support(a1, 0), support(a3, 0)],
            participants=["e-trump", "e-petro"],
            date="2026-01-07",
            predicate="speak",
        ),
        Fact(
            id="c-asked",
            text="NewsNation’s Libbey Dean asked Trump about a military operation against Colombia.",
            status="single_source",
            sources=1,
            independent_sources=1,
            support=[support(a1, 1)],
            participants=["e-trump"],
            predicate="ask",
        ),
        Fact(
            id="c-hostile",
            text=HOSTILE,
            status="disputed",
            sources=1,
            independent_sources=1,
            support=[support(hostile, 0)],
            predicate="",
            participants=[],
        ),
        Fact(
            id="c-wednesday",
            text="Trump spoke with Petro on Wednesday.",
            status="disputed",
            sources=1,
            independent_sources=1,
            support=[support(a0, 0)],
            date="2026-01-07",
            predicate="speak",
            participants=[],
        ),
    ]
    story = Story(
        id="story-petro-call",
        title="Trump and Petro hold first phone call",
        articles=[a0, a1, a3, hostile],
        entities=[
            Entity(
                "e-trump",
                "Donald Trump",
                "PERSON",
                ["Trump", "Mr Trump", "Donald Trump"],
                ["art000", "art001"],
                5,
            ),
            Entity(
                "e-petro", "Gustavo Petro", "PERSON", ["Petro", "Peter"], ["art000", "art001", "art003"], 4
            ),
        ],
        facts=facts,
        contradictions=[
            Contradiction(
                id="x-quote",
                kind="quote_wording",
                fact="c-asked",
                detail=None,
                sides=[
                    Side(article="art001", text=S001_QUOTE, value="sounds good"),
                    Side(article="art000", text=S000_QUOTE, value="looks good to me"),
                ],
                explanation="The outlets word Trump's answer differently.",
            )
        ],
        quotes=[
            Quote(
                id="q-sounds-good",
                speaker=Speaker(entity="e-trump", name="Donald Trump"),
                text="sounds good",
                variants=[
                    QuoteVariant("art001", "sounds good", "responded", "interview", 0, 11, sentence=2),
                    QuoteVariant("art000", "looks good to me", "suggesting", None, 0, 16, sentence=1),
                ],
                wording_differs=True,
                diff=[
                    {"article": "art000", "variant": "1", "op": "replace", "a": "sounds", "b": "looks"},
                    {"article": "art000", "variant": "1", "op": "equal", "a": "good", "b": "good"},
                    {"article": "art000", "variant": "1", "op": "insert", "a": "", "b": "to me"},
                ],
            ),
            Quote(
                id="q-hostile",
                speaker=Speaker(entity=None, name=None),
                text=HOSTILE,
                variants=[QuoteVariant("art004", HOSTILE, "said", None, 0, len(HOSTILE), sentence=0)],
            ),
        ],
        timeline=[
            TimelineItem("2026-01-07", "day", "Wednesday", S000_CALL, ["art000"], "c-wednesday"),
            TimelineItem(
                "2025-10",
                "month",
                "In October of last year",
                "Trump named Petro a drug leader.",
                ["art000"],
                None,
            ),
        ],
        events=[
            Event(
                "Donald Trump",
                "spoke by phone with",
                "040",
                "Gustavo Petro",
                "2026-01-07",
                ["art000", "art001", "art003"],
                "c-35min",
            ),
        ],
        summary=[
            SummarySentence(
                "Trump and Petro held their first phone call, lasting 35 minutes.",
                ["c-35min"],
                ["art003", "art001"],
            ),
            SummarySentence(HOSTILE, ["c-hostile"], ["art004"]),
        ],
    )
    return Report(
        stories=[story],
        articles=5,
        skipped=[Skipped(path="seeds/broken|file.bin", reason="binary file, not text")],
    )


@pytest.fixture()
def data() -> dict:
    return report_to_dict(build_report())


# ----------------------------------------------------------------------------- JSON


def test_dict_follows_the_contract(data: dict) -> None:
    validate_report(data)
    assert list(data) == ["schema", "corpus", "stories"]
    assert data["schema"] == "storyweave.report/2"
    assert data["corpus"] == {
        "articles": 5,
        "stories": 1,
        "skipped": [{"path": "seeds/broken|file.bin", "reason": "binary file, not text"}],
    }
    story = data["stories"][0]
    for key in (
        "id",
        "title",
        "articles",
        "entities",
        "facts",
        "contradictions",
        "quotes",
        "timeline",
        "events",
        "summary",
    ):
        assert key in story
    art = story["articles"][0]
    for key in (
        "id",
        "path",
        "url",
        "source",
        "title",
        "published",
        "published_from",
        "language",
        "words",
        "removed",
        "quality",
        "originality",
        "author",
        "flags",
        "duplicate_of",
        "sentences",
        "text",
    ):
        assert key in art
    for private in ("doc", "vectors", "raw", "headings", "truncated_at", "mentions"):
        assert private not in art
    assert art["quality"] == {
        "score": 0.417,
        "flags": ["garbled"],
        "details": {"stray_words": 3, "ratio": 0.123},
    }
    assert art["originality"] == {"score": 0.35, "derived_from": [{"article": "art001", "share": 0.654}]}
    assert "details" not in story["articles"][1]["quality"]
    # Support offsets point into the cleaned text the report carries.
    for claim in story["facts"]:
        for sup in claim["support"]:
            text = next(a["text"] for a in story["articles"] if a["id"] == sup["article"])
            assert text[sup["start"] : sup["end"]] == sup["text"]
    assert story["facts"][0]["support"][0]["text"] == S001_35MIN


def test_json_is_byte_identical_and_readable(tmp_path: Path) -> None:
    first = write_json(build_report(), tmp_path / "one" / "report.json").read_bytes()
    second = write_json(build_report(), tmp_path / "two" / "report.json").read_bytes()
    assert first == second
    assert first.endswith(b"}\n")
    text = first.decode("utf-8")
    assert "“sounds good.”" in text  # ensure_ascii=False keeps the quotes readable
    assert json.loads(text)["stories"][0]["facts"][0]["id"] == "c-35min"
    assert not list((tmp_path / "one").glob(".report-*"))  # no temporary file left behind


def test_schema_rejects_missing_facts(data: dict) -> None:
    bad = copy.deepcopy(data)
    del bad["stories"][0]["facts"]
    with pytest.raises(ReportSchemaError, match="facts"):
        validate_report(bad)


def test_schema_rejects_bad_status_and_enums(data: dict) -> None:
    bad = copy.deepcopy(data)
    bad["stories"][0]["facts"][0]["status"] = "probably"
    with pytest.raises(ReportSchemaError, match=r"stories/0/facts/0/status"):
        validate_report(bad)
    for path, value in [
        (("contradictions", 0, "kind"), "vibes"),
        (("articles", 0, "published_from"), "guess"),
        (("timeline", 0, "precision"), "fortnight"),
    ]:
        bad = copy.deepcopy(data)
        node = bad["stories"][0]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        with pytest.raises(ReportSchemaError):
            validate_report(bad)
    bad = copy.deepcopy(data)
    bad["schema"] = "storyweave.report/1"
    with pytest.raises(ReportSchemaError):
        validate_report(bad)


def test_schema_allows_added_fields(data: dict) -> None:
    data["stories"][0]["facts"][0]["confidence"] = 0.9
    data["extra"] = {"anything": True}
    validate_report(data)


def test_write_json_refuses_invalid(tmp_path: Path, data: dict) -> None:
    del data["corpus"]["skipped"]
    with pytest.raises(ReportSchemaError):
        write_json(data, tmp_path / "report.json")
    assert not (tmp_path / "report.json").exists()


def test_published_schema_is_the_package_schema() -> None:
    published = Path(__file__).resolve().parents[1] / "schema" / "report.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == load_schema()
    assert load_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# ----------------------------------------------------------------------------- Markdown


def test_markdown_sections_outlets_and_citations(data: dict) -> None:
    md = render_markdown(data)
    for heading in (
        "# storyweave report",
        "## Trump and Petro hold first phone call",
        "### Sources",
        "### Summary",
        "### What the outlets agree on",
        "### Disputed",
        "### Only one outlet says",
        "### Quotes",
        "### Timeline",
        "### Events",
        "### Entities",
        "### Removed from the articles",
        "## Skipped inputs",
    ):
        assert heading in md, heading
    # Outlet labels: source, else title, else file name.
    assert "000\\_c4c50d441dbacf31.txt" in md
    assert "Colombia One" in md
    assert "Trump and Petro hold first call" in md
    # The summary cites [2][3] (numbered in article order) and the numbered list names them.
    assert "lasting 35 minutes. [2][3]" in md
    assert "2. Colombia One" in md
    assert "**2 outlets (2 independent)**: Colombia One [2], 003\\_f5ef61f8a6c81316.txt [3]" in md
    assert "NewsNation’s Libbey Dean" in md
    assert "**quote\\_wording**" in md and "**sounds good**" in md and "**looks good to me**" in md
    assert "0.42 — garbled" in md and "from Colombia One [2] 65%" in md
    assert "2026-01-08 (text)" in md
    # Timeline in date order.
    assert md.index("**2025-10** (month") < md.index("**2026-01-07** (day")
    assert "| Donald Trump | spoke by phone with | 040 | Gustavo Petro | 2026-01-07 | [1][2][3] |" in md
    assert "| Gustavo Petro | PERSON | Petro, Peter | 3 | 4 |" in md
    assert "- ~~cooked~~ — stray word" in md
    assert md.rstrip().endswith("seeds/broken\\|file.bin — binary file, not text")


def test_markdown_quote_diff_markers(data: dict) -> None:
    md = render_markdown(data)
    assert "~~sounds~~ **looks** good **to me**" in md
    assert "| Colombia One [2] | sounds good | responded |" in md


def test_markdown_quote_without_stage_diff_is_shown_as_written(data: dict) -> None:
    # Renderers read the report's diff and never compute one of their own.
    data["stories"][0]["quotes"][0]["diff"] = []
    md = render_markdown(data)
    assert "~~sounds~~" not in md and "**looks**" not in md
    assert "| looks good to me |" in md


def test_markdown_escapes_hostile_text(data: dict) -> None:
    md = render_markdown(data)
    assert "<script>" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md
    assert "Evil\\|Outlet &lt;b&gt;" in md
    assert "\\*bold\\* \\_it\\_ \\`code\\`" in md
    # Every table row keeps its column count despite the pipes in the text.
    for line in md.splitlines():
        if line.startswith("| ") and "Outlet" not in line and "Name" not in line and "Actor" not in line:
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) in (7, 8), line
    assert md_escape("a\nb|c") == "a b\\|c"


# ----------------------------------------------------------------------------- HTML


def test_html_escapes_hostile_text(data: dict) -> None:
    page = render_html(data)
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "javascript:" not in page  # an unsafe outlet link is dropped, not escaped
    assert 'href="https://example.org/a?x=&lt;b&gt;"' in page
    assert "Content-Security-Policy" in page


def test_html_is_self_contained(data: dict) -> None:
    page = render_html(data)
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r'src="https?:', page)


def test_html_anchors_exist_for_every_support_link(data: dict) -> None:
    page = render_html(data)
    ids = set(re.findall(r'id="([^"]+)"', page))
    hrefs = set(re.findall(r'href="#([^"]+)"', page))
    assert hrefs and hrefs <= ids, hrefs - ids
    story = data["stories"][0]
    for claim in story["facts"]:
        for sup in claim["support"]:
            anchor = f"a-{sup['article']}-s{sup['sentence']}"
            assert anchor in ids and anchor in hrefs
    # Each article's text is shown sentence by sentence.
    assert f'id="a-art001-s0">{S001_35MIN}</span>' in page
    assert 'id="a-art003-s1">A Call to Mend Fences After Public Spat</span>' in page
    assert '</span> <span class="s" id="a-art001-s2">' in page  # the space between sentences is kept
    # The summary cites the sentence the claim came from.
    assert 'href="#a-art003-s0" title="003_f5ef61f8a6c81316.txt">[3]</a>' in page


def test_html_sections_matrix_quotes_and_furniture(data: dict) -> None:
    page = render_html(data)
    for title in (
        "Summary",
        "What the outlets agree on",
        "Disputed",
        "Only one outlet says",
        "Facts by outlet",
        "Quotes",
        "Timeline",
        "Events",
        "Entities",
        "The articles",
        "Skipped inputs",
    ):
        assert f">{title}</h" in page, title
    matrix = page[
        page.index('<table class="matrix">') : page.index("</table>", page.index('<table class="matrix">'))
    ]
    row = matrix[matrix.index('id="fact-c-35min"') :].split("</tr>")[0]
    assert row.count("●") == 2
    assert "<del>sounds</del> <ins>looks</ins> good <ins>to me</ins>" in page
    assert "<s>cooked</s>" in page and "stray word" in page
    assert "<s>&lt;script&gt;alert(4)&lt;/script&gt;</s>" in page
    assert page.index("2025-10") < page.index("<strong>2026-01-07</strong>")


# ----------------------------------------------------------------------------- write_report


def test_write_report_formats(tmp_path: Path) -> None:
    paths = write_report(build_report(), tmp_path / "out", formats=("json", "md", "html"))
    assert [p.name for p in paths] == ["report.json", "report.md", "report.html"]
    assert all(p.read_text(encoding="utf-8") for p in paths)
    again = write_report(build_report(), tmp_path / "out2", formats=("json", "md", "html"))
    for a, b in zip(paths, again, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert [p.name for p in write_report(build_report(), tmp_path / "d")] == ["report.json", "report.md"]
    with pytest.raises(ValueError, match="pdf"):
        write_report(build_report(), tmp_path / "x", formats=("pdf",))
