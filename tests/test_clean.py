"""The clean stage: furniture removal, repairs, headings and truncation, on the seeds and on small texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyweave.clean import FLAGS, REASONS, REPAIRS, CleanResult, clean_text
from storyweave.clean.repair import fix_doubled_words

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS} (expected ../shared/seeds beside the repo)")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix}_*.txt not found in {SEEDS}")
    return matches[0].read_text(encoding="utf-8")


def _removed(result: CleanResult) -> list[tuple[str, str]]:
    return [(r.text, r.reason) for r in result.removed]


def _heading_texts(result: CleanResult) -> list[str]:
    return [result.text[s:e] for s, e in result.headings]


def _lines(result: CleanResult) -> list[str]:
    return result.text.split("\n")


# --------------------------------------------------------------------------- seeds


def test_seed_002_caption_credit_related_removed_and_truncation_flagged() -> None:
    result = clean_text(_seed("002"))
    assert ("Donald Trump", "caption") in _removed(result)
    assert ("Reuters", "credit") in _removed(result)
    assert ("Related Posts", "related_links") in _removed(result)
    assert len(result.removed) == 3
    lines = _lines(result)
    assert "Donald Trump" not in lines and "Reuters" not in lines and "Related Posts" not in lines
    # the caption's words stay where they are part of a sentence
    assert "U.S. President Donald Trump and Colombian President Gustavo Petro spoke by phone" in result.text
    # the paragraph cut off after "noting he" is kept and marked at its end
    assert "truncated" in result.flags
    assert len(result.truncated_at) == 1
    end = result.truncated_at[0]
    assert result.text[:end].endswith("Trump wrote on his social media platform, noting he")
    assert result.text[end] == "\n"
    # the headline is a heading, the body sentences are intact, one newline between paragraphs
    assert _heading_texts(result) == [lines[0]]
    assert lines[0].startswith("Trump and Colombia’s Petro Hold Surprise Call")
    assert "\n\n" not in result.text
    assert lines[-1].endswith("even as diplomatic channels reopen.")
    assert len(lines) == 8  # headline + 7 paragraphs


def test_seed_004_comments_header_removed_subheads_kept_as_headings() -> None:
    result = clean_text(_seed("004"))
    assert _removed(result) == [
        ("One thought on “Trump to Meet Colombian President at White House”", "comments_header")
    ]
    headings = _heading_texts(result)
    assert headings == [
        "Talks Follow Venezuela Operation",
        "Drug Trade Central to Dispute",
        "Petro Responds With Warning",
        "Sanctions and Oil Tensions",
        "Regional Stakes High",
    ]
    assert "Regional Stakes High" in _lines(result)
    assert result.text.endswith("military engagement in Latin America.")
    assert result.flags == [] and result.truncated_at == []


def test_seed_000_doubled_word_repaired_and_listed() -> None:
    raw = _seed("000")
    result = clean_text(raw)
    assert "He He wrote" in raw
    assert "He He" not in result.text
    assert "responded forcefully early Monday morning. He wrote in X “He swore" in result.text
    assert ("He He", "doubled_word") in _removed(result)
    assert _removed(result) == [("He He", "doubled_word")]  # nothing else in 000 is furniture
    assert "doubled_words_repaired" in result.flags
    # body sentences intact (the garbled words are the analysis stages' business, not clean's)
    assert "Asked if that meant there could be a US operation in Colombia, Mr Trump said: “I think so.”" in (
        result.text
    )


def test_seed_003_subheads_and_001_untouched() -> None:
    result = clean_text(_seed("003"))
    assert _heading_texts(result) == [
        "A Call to Mend Fences After Public Spat",
        "Background of Escalating Tensions",
        "Broader Context of Trump's Latin America Policy",
    ]
    assert result.removed == [] and result.truncated_at == []
    raw = _seed("001")
    clean = clean_text(raw)
    assert clean.removed == [] and clean.headings == [] and clean.truncated_at == []
    assert clean.text == raw.strip()


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seeds_clean_is_idempotent(prefix: str) -> None:
    once = clean_text(_seed(prefix))
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.removed == []
    assert twice.headings == once.headings and twice.truncated_at == once.truncated_at


# --------------------------------------------------------------------------- furniture, small texts

PARA_A = "The minister said the talks would resume on Monday."
PARA_B = "Officials in Bogota declined to comment on the report."


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Reuters", "credit"),
        ("AP Photo/Evan Vucci", "credit"),
        ("Getty Images", "credit"),
        ("AFP via Getty Images", "credit"),
        ("Photo: Luisa Gonzalez/Reuters", "credit"),
        ("Image credit: White House", "credit"),
        ("(Reporting by Luis Jaime Acosta; Editing by Sandra Maler)", "credit"),
        ("By Jane Doe", "credit"),
        ("© 2026 Reuters", "credit"),
        ("Petro speaks in Bogota on Jan. 5, 2026. REUTERS/Luisa Gonzalez", "caption"),
        ("Trump at the White House on Monday. (AP Photo/Evan Vucci)", "caption"),
        ("Related Posts", "related_links"),
        ("Related Articles", "related_links"),
        ("Read more: Trump threatens Colombia", "related_links"),
        ("Also read", "related_links"),
        ("Also read: Petro deploys troops", "related_links"),
        ("One thought on “Trump to Meet Colombian President”", "comments_header"),
        ("3 thoughts on “Trump to Meet Colombian President”", "comments_header"),
        ("Leave a comment", "comments_header"),
        ("Share this article", "share_prompt"),
        ("Follow us on Twitter and Facebook", "share_prompt"),
        ("Click here to read the full statement.", "share_prompt"),
        ("Facebook Twitter WhatsApp Email", "share_prompt"),
        ("Subscribe to our newsletter", "subscribe_prompt"),
        ("Sign up for our daily briefing", "subscribe_prompt"),
        (
            "We use cookies to improve your experience on our website. By continuing you accept them.",
            "cookie_notice",
        ),
        ("Accept all cookies", "cookie_notice"),
        ("Advertisement", "advertisement"),
        ("ADVERTISEMENT", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
    ],
)
def test_furniture_line_removed_between_paragraphs(line: str, reason: str) -> None:
    assert reason in REASONS
    result = clean_text(f"{PARA_A}\n\n{line}\n\n{PARA_B}\n")
    assert _removed(result) == [(line, reason)]
    assert result.text == f"{PARA_A}\n{PARA_B}"


def test_bare_name_caption_needs_the_name_in_the_body() -> None:
    body = "Colombian President Gustavo Petro spoke with Trump on Wednesday."
    result = clean_text(f"Headline About The Call\n\nGustavo Petro\n\n{body}")
    assert _removed(result) == [("Gustavo Petro", "caption")]
    # a subhead whose words are not written elsewhere stays, as a heading
    kept = clean_text(f"{PARA_A}\n\nRegional Stakes High\n\n{PARA_B}")
    assert kept.removed == []
    assert _heading_texts(kept) == ["Regional Stakes High"]


def test_related_block_takes_its_link_titles_but_not_the_text_after() -> None:
    raw = f"{PARA_A}\nRelated Articles\nTrump threatens Colombia\nPetro answers on X\n{PARA_B}"
    result = clean_text(raw)
    assert [r.reason for r in result.removed] == ["related_links"] * 3
    assert result.text == f"{PARA_A}\n{PARA_B}"


def test_comments_at_the_end_go_with_their_header() -> None:
    body = "\n".join([PARA_A, PARA_B] * 4)
    raw = f"{body}\n3 thoughts on “Trump and Petro”\nJohn Smith\nGreat article, thanks.\nReply"
    result = clean_text(raw)
    assert [r.reason for r in result.removed] == ["comments_header", "comments", "comments", "comments"]
    assert result.text == body


def test_sentences_mentioning_furniture_words_are_kept() -> None:
    text = "\n".join(
        [
            "Reuters reported that the call lasted 35 minutes, according to two officials.",
            "Regulators said the company uses cookies to track users without consent.",
            "The ministry's newsletter said the talks would resume.",
            "Share prices in Bogota rose after the call.",
            "WASHINGTON (Reuters) - Trump said he would meet Petro.",
        ]
    )
    result = clean_text(text)
    assert result.removed == []
    assert result.text == text


# --------------------------------------------------------------------------- repairs


def test_mojibake_repaired_and_listed() -> None:
    result = clean_text("Petro said he donâ€™t want a war in Bogotá, officials said.")
    assert result.text == "Petro said he don’t want a war in Bogotá, officials said."
    assert ("donâ€™t", "mojibake") in _removed(result)
    assert "mojibake_repaired" in result.flags
    assert all(r.reason in REPAIRS for r in result.removed)


def test_curly_quotes_and_accents_are_not_repairs() -> None:
    text = "Trump called it a “Great Honor,” said Nicolás Maduro’s successor."
    result = clean_text(text)
    assert result.text == text and result.removed == []


def test_html_entity_and_control_chars() -> None:
    result = clean_text("AT&amp;T said\x00 the deal was off.")
    assert result.text == "AT&T said the deal was off."
    assert _removed(result) == [("AT&amp;T", "html_entity"), ("said\x00", "control_chars")]


@pytest.mark.parametrize(
    ("text", "fixed", "broken"),
    [
        ("He He wrote on X.", "He wrote on X.", "He He"),
        ("the the report said", "the report said", "the the"),
        ("Petro wrote wrote on X.", "Petro wrote on X.", "wrote wrote"),
        ("It was the the the end.", "It was the end.", "the the the"),
    ],
)
def test_doubled_words_repaired(text: str, fixed: str, broken: str) -> None:
    out, found = fix_doubled_words(text)
    assert out == fixed
    assert [(r.text, r.reason) for r in found] == [(broken, "doubled_word")]


@pytest.mark.parametrize(
    "text",
    [
        "He said that that was the plan.",
        "She had had enough of the talks.",
        "What it is is a warning.",
        "He gave her her passport back.",
        "I told you you were wrong.",
        "Sirhan Sirhan was convicted in 1969.",
        "They flew to Bora Bora and Walla Walla.",
        "Boutros Boutros-Ghali led the UN.",
        "It was very very cold, she said.",
        "The vote was 10 10 in committee.",
    ],
)
def test_doubled_word_false_positive_guard(text: str) -> None:
    out, found = fix_doubled_words(text)
    assert out == text and found == []
    assert clean_text(text).removed == []


def test_blank_lines_and_trailing_spaces_collapsed_silently() -> None:
    result = clean_text(f"  {PARA_A}   \r\n\r\n\n\n\t{PARA_B}  \n\n\n")
    assert result.text == f"{PARA_A}\n{PARA_B}"
    assert result.removed == []


# --------------------------------------------------------------------------- headings and truncation


def test_truncated_paragraph_kept_and_marked() -> None:
    cut = "Trump wrote on his platform that the call went well, noting he"
    result = clean_text(f"{PARA_A}\n{cut}\n{PARA_B}")
    assert cut in result.text
    assert result.truncated_at == [len(PARA_A) + 1 + len(cut)]
    assert result.flags == ["truncated"]
    assert set(FLAGS) >= set(result.flags)


def test_headline_first_line_and_title_argument() -> None:
    result = clean_text(f"Trump and Petro hold first call after weeks of threats\n{PARA_A}")
    assert _heading_texts(result) == ["Trump and Petro hold first call after weeks of threats"]
    titled = clean_text(f"Trump, Petro talk.\n{PARA_A}", title="Trump, Petro talk")
    assert _heading_texts(titled) == ["Trump, Petro talk."]
    assert titled.truncated_at == []


def test_ending_in_quote_colon_or_symbols_is_not_truncation() -> None:
    text = "\n".join(["He called Petro a “sick man”", "Trump said:", "“It went well.”", "***", PARA_B])
    result = clean_text(text)
    assert result.truncated_at == []


def test_empty_and_blank_input() -> None:
    for raw in ["", "\n\n  \n", "Advertisement"]:
        result = clean_text(raw)
        assert result.text == "" and result.headings == [] and result.truncated_at == []


# --------------------------------------------------------------------------- properties

_WORDS = st.sampled_from(
    [
        "Trump",
        "Petro",
        "the",
        "The",
        "He",
        "he",
        "said",
        "had",
        "that",
        "call",
        "Colombia",
        "Reuters",
        "Donald",
        "Photo:",
        "Related",
        "Posts",
        "Advertisement",
        "cookies",
        "we",
        "use",
        "donâ€™t",
        "“Great",
        "Honor,”",
        "noting",
        "Bogotá",
        "&amp;",
        "35",
        "minutes",
        "Share",
        "this",
        "article",
        "thoughts",
        "on",
        "3",
        "wrote",
        "wrote",
        "By",
        "Jane",
        "Doe",
        "AP",
        "Photo/Evan",
        "Vucci",
    ]
)
_LINE = st.tuples(
    st.lists(_WORDS, min_size=0, max_size=12), st.sampled_from(["", ".", "?", ",", ":", "”", "  "])
).map(lambda t: " ".join(t[0]) + t[1])
_TEXT = st.lists(_LINE, min_size=0, max_size=12).map("\n".join)


def _check_offsets(result: CleanResult) -> None:
    n = len(result.text)
    for start, end in result.headings:
        assert 0 <= start < end <= n
        assert start == 0 or result.text[start - 1] == "\n"
        assert end == n or result.text[end] == "\n"
    for end in result.truncated_at:
        assert 0 < end <= n
        assert end == n or result.text[end] == "\n"
    assert not set(result.truncated_at) & {e for _, e in result.headings}


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_clean_is_idempotent_and_offsets_valid(raw: str) -> None:
    once = clean_text(raw)
    _check_offsets(once)
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.removed == []
    assert twice.headings == once.headings
    assert twice.truncated_at == once.truncated_at


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_clean_never_fails_on_any_text(raw: str) -> None:
    result = clean_text(raw)
    _check_offsets(result)
    assert "\n\n" not in result.text
    assert result.text == result.text.strip()
    assert all(r.reason in REASONS or r.reason in REPAIRS for r in result.removed)
