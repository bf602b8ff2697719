"""Quotes: extraction shapes, speakers, channels and cross-outlet grouping, on the seeds and short texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyweave.analysis.entities import build_entities
from storyweave.analysis.quote_patterns import channel_of, fold_text, looks_like_title, mark_spans
from storyweave.analysis.quotes import find_quotes, word_diff
from storyweave.model import Article, Quote, QuoteVariant, stable_id
from storyweave.nlp.annotate import annotate, encode_sentences

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _articles(*texts: str) -> list[Article]:
    articles = [Article(id=f"a{i}", path=f"a{i}.txt", raw=text, text=text) for i, text in enumerate(texts)]
    annotate(articles)
    encode_sentences(articles)  # as analyze_story does before find_quotes
    return articles


def _quotes(*texts: str) -> list[Quote]:
    articles = _articles(*texts)
    return find_quotes(articles, build_entities(articles))


def _one(quotes: list[Quote], snippet: str) -> tuple[Quote, QuoteVariant]:
    hits = [(q, v) for q in quotes for v in q.variants if snippet in v.text]
    assert len(hits) == 1, f"{snippet!r}: {len(hits)} variants in {[q.text for q in quotes]}"
    return hits[0]


# --------------------------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed() -> tuple[list[Article], list[Quote]]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}: the shared/ checkout is absent")
    articles = [
        Article(
            id=p.stem[:3], path=str(p), raw=p.read_text(encoding="utf-8"), text=p.read_text(encoding="utf-8")
        )
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    annotate(articles)
    encode_sentences(articles)  # as analyze_story does before find_quotes
    return articles, find_quotes(articles, build_entities(articles))


TRUMP, PETRO = "Donald Trump", "Gustavo Petro"
# Every quotation in the five reports, read off the texts: (article, words of the quote, speaker).
SEED_QUOTES = [
    ("000", "sick man", TRUMP),  # Mr Trump calling Colombia a “sick man”
    ("000", "looks good to me", TRUMP),  # ... and suggesting military action ... “looks good to me”
    ("000", "He appreciated (Petro’s) call", TRUMP),  # Mr Trump he said on Truth Social “...”
    ("000", "to explain the drug situation", TRUMP),  # The US president said Petro called “...”
    ("000", "welcomes the constructive tone", "Colombian embassy"),
    ("000", "remains committed to open dialogue", "Colombian embassy"),
    ("000", "Illegal drug leader", TRUMP),  # Mr. Trump named Peter “Illegal drug leader”
    ("000", "let the drug cartels flourish", "Scott Bessent"),  # Secretary Scott Bessent He announced
    ("000", "disobey Trump’s orders", PETRO),  # Petro, on the other hand ... he said ... should “...”
    ("000", "irresponsible and passionate", "Department of State"),  # Department of State He revoked ...
    ("000", "offensive", PETRO),  # garbled: "..., Petro. denounce as an “offensive” act."
    ("000", "Colombia is also very sick", TRUMP),  # telling reporters: “...”
    ("000", "I think so.", TRUMP),  # Mr Trump said: “I think so.”
    ("000", "He swore he would never touch", PETRO),  # He He wrote in X “...,”
    ("000", "I would take weapons", PETRO),  # ... but “...”
    ("001", "sick", TRUMP),  # Trump accused the Colombian leader of being “sick”
    ("001", "sick man", TRUMP),  # Trump ... referring to Petro as a “sick man”
    ("001", "sounds good.", TRUMP),  # He responded that such an action “sounds good.”
    ("001", "better watch his a–", TRUMP),  # he warned that Petro “better watch his a–.”
    ("002", "It was a Great Honor", TRUMP),  # “...,” Trump wrote on his social media platform
    ("002", "very sick", TRUMP),  # Trump ... accusing Petro of presiding over a country “very sick”
    ("002", "Out with the Yanks", None),  # chants of protesters: nobody named
    ("003", "good and positive", "Colombian government"),  # described by the Colombian government as "..."
    ("003", "Great Honor", TRUMP),  # He stated it was a "Great Honor"
    ("003", "sick man who likes making cocaine", TRUMP),
    ("003", "If you bomb peasants", PETRO),
    ("003", "unleash the popular jaguar", PETRO),
    ("004", "near future", TRUMP),
    ("004", "sounds good", TRUMP),
    ("004", "the situation of drugs and other disagreements", PETRO),  # the Colombian leader explained “...”
    ("004", "tone", TRUMP),  # Trump said he appreciated Petro’s “tone”
    ("004", "watch his ass", TRUMP),
    ("004", "sick man who likes making cocaine", TRUMP),
    ("004", "take up arms", PETRO),
    ("004", "If you detain a president", PETRO),
    ("004", "Great Honor", TRUMP),
    ("004", "where all parties benefit", "Delcy Rodríguez"),  # she said, after "president Delcy Rodríguez"
]


def _seed_variant(quotes: list[Quote], article: str, snippet: str) -> tuple[Quote, QuoteVariant]:
    same = fold_text(snippet)
    hits = [
        (q, v)
        for q in quotes
        for v in q.variants
        if v.article == article and (v.text.startswith(snippet) or fold_text(v.text) == same)
    ]
    if len(hits) > 1:  # "sick man" is also the start of a longer quote: take the exact one
        hits = [(q, v) for q, v in hits if fold_text(v.text) == same]
    assert len(hits) == 1, f"{article} {snippet!r}: {[(q.text, v.text) for q, v in hits]}"
    return hits[0]


def test_seed_every_quotation_found_with_its_speaker(seed: tuple[list[Article], list[Quote]]) -> None:
    articles, quotes = seed
    texts = {a.id: a.text for a in articles}
    seen = set()
    for article, snippet, speaker in SEED_QUOTES:
        quote, variant = _seed_variant(quotes, article, snippet)
        assert quote.speaker.name == speaker, (article, snippet, quote.speaker)
        if speaker is None:
            assert quote.speaker.entity is None
        assert texts[article][variant.start : variant.end] == variant.text
        seen.add((variant.article, variant.start))
    # Nothing else: no title ("One thought on “Trump to Meet ...”"), no scare quote.
    extra = [(v.article, v.text) for q in quotes for v in q.variants if (v.article, v.start) not in seen]
    assert extra == []


def test_seed_groups(seed: tuple[list[Article], list[Quote]]) -> None:
    _, quotes = seed
    good, _ = _seed_variant(quotes, "000", "looks good to me")
    assert {(v.article, fold_text(v.text)) for v in good.variants} == {
        ("000", "looks good to me"),
        ("001", "sounds good"),
        ("004", "sounds good"),
    }
    assert good.wording_differs and good.text == "sounds good."
    assert {d["op"] for d in good.diff} >= {"replace", "equal"}
    assert all(d["article"] == "000" for d in good.diff)

    honor, _ = _seed_variant(quotes, "003", "Great Honor")
    assert honor.speaker.name == TRUMP and honor.text == "Great Honor"
    assert {"002", "003", "004"} <= {v.article for v in honor.variants}
    assert _seed_variant(quotes, "002", "It was a Great Honor")[0] is honor

    jaguar, _ = _seed_variant(quotes, "003", "unleash the popular jaguar")
    assert jaguar.speaker.name == PETRO and {v.article for v in jaguar.variants} == {"003", "004"}
    assert jaguar.wording_differs

    ass, _ = _seed_variant(quotes, "004", "watch his ass")
    assert {v.article for v in ass.variants} == {"001", "004"} and ass.wording_differs

    sick, _ = _seed_variant(quotes, "003", "sick man who likes making cocaine")
    assert {v.article for v in sick.variants} == {"000", "001", "002", "003", "004"}
    # Widest-reported first, then by first appearance.
    counts = [len({v.article for v in q.variants}) for q in quotes]
    assert counts == sorted(counts, reverse=True) and quotes[0] is sick


def test_seed_shapes_and_channels(seed: tuple[list[Article], list[Quote]]) -> None:
    _, quotes = seed
    # Pronoun: "He responded that such an action “sounds good.”" after "Trump was asked by ... Libbey Dean".
    assert _seed_variant(quotes, "001", "sounds good.")[0].speaker.name == TRUMP
    # Description: "the Colombian leader explained “...”".
    quote, variant = _seed_variant(quotes, "004", "the situation of drugs and other disagreements")
    assert quote.speaker.name == PETRO and variant.cue == "explain"
    # Colon intro, parsed as a sentence of its own.
    quote, variant = _seed_variant(quotes, "000", "Colombia is also very sick")
    assert quote.speaker.name == TRUMP and variant.cue == "tell" and variant.channel == "reporters"
    assert variant.text.endswith("he won’t be doing it for much longer.")
    # Posts.
    assert _seed_variant(quotes, "000", "He appreciated (Petro’s) call")[1].channel == "Truth Social"
    assert _seed_variant(quotes, "004", "If you detain a president")[1].channel == "X"
    variant = _seed_variant(quotes, "002", "It was a Great Honor")[1]
    assert (variant.cue, variant.channel) == ("write", "social media")
    assert _seed_variant(quotes, "000", "welcomes the constructive tone")[1].channel == "statement"
    # Unresolvable: protesters' chant.
    assert _seed_variant(quotes, "002", "Out with the Yanks")[0].speaker.entity is None


def test_seed_deterministic(seed: tuple[list[Article], list[Quote]]) -> None:
    articles, quotes = seed
    again = find_quotes(articles, build_entities(articles))
    assert again == quotes
    for quote in quotes:
        assert quote.id == stable_id("q-", quote.speaker.entity or "", fold_text(quote.text))


# --------------------------------------------------------------------------------------------- shapes


@pytest.fixture(scope="module")
def shapes() -> list[Quote]:
    return _quotes(
        "Defence Minister Anna Berg spoke on Monday. "
        "“We will not back down,” the minister said, “not this week and not next.” "
        "Emmanuel Macron arrived in Paris. He said the plan was “dead on arrival”. "
        "Angela Merkel called the plan a “total disaster”. "
        "Macron told reporters: “We came. We saw. We won.” "
        "“The talks failed,” according to Angela Merkel. "
        "Merkel said the treaty was ‘a historic mistake’. "
        "Critics dismissed the ‘peace plan’ on Monday. "
        "The so-called “peace plan” was published. She read “War and Peace” last year. "
        "Boris Johnson, known as “Bojo”, arrived. "
        "“Nothing will change,” said Olaf Scholz. "
        'Olaf Scholz said "we are ready to talk".'
    )


def test_speaker_in_the_middle_is_one_quote(shapes: list[Quote]) -> None:
    quote, variant = _one(shapes, "back down")
    assert variant.text == "We will not back down, not this week and not next."
    assert quote.speaker.name == "Anna Berg" and variant.cue == "say"


def test_speaker_in_the_middle_unresolved_stays_none() -> None:
    quotes = _quotes("“We will not back down,” the minister said, “not this week and not next.”")
    assert len(quotes) == 1 and len(quotes[0].variants) == 1
    assert quotes[0].speaker.entity is None and quotes[0].speaker.name is None


def test_speaker_before_after_pronoun_and_partial(shapes: list[Quote]) -> None:
    assert _one(shapes, "dead on arrival")[0].speaker.name == "Emmanuel Macron"
    quote, variant = _one(shapes, "total disaster")
    assert quote.speaker.name == "Angela Merkel" and variant.cue == "call"
    quote, variant = _one(shapes, "We came")
    assert variant.text == "We came. We saw. We won." and quote.speaker.name == "Emmanuel Macron"
    assert (variant.cue, variant.channel) == ("tell", "reporters")
    quote, variant = _one(shapes, "The talks failed")
    assert quote.speaker.name == "Angela Merkel" and variant.cue == "according to"
    assert _one(shapes, "Nothing will change")[0].speaker.name == "Olaf Scholz"
    assert _one(shapes, "we are ready to talk")[0].speaker.name == "Olaf Scholz"


def test_single_marks_only_when_clearly_quoted(shapes: list[Quote]) -> None:
    assert _one(shapes, "a historic mistake")[0].speaker.name == "Angela Merkel"
    assert not [v for q in shapes for v in q.variants if "peace plan" in v.text]


def test_scare_quotes_titles_and_nicknames_are_not_quotes(shapes: list[Quote]) -> None:
    texts = {v.text for q in shapes for v in q.variants}
    assert not texts & {"peace plan", "War and Peace", "Bojo"}


def test_channels_of_posts() -> None:
    quotes = _quotes(
        "Donald Trump wrote on X: “We will win.” "
        "Trump said on Truth Social that the call went “very well”. "
        "Trump confirmed the call in a post on his social media platform, saying it was “a great honor”. "
        "The Colombian embassy said in a statement that it “welcomes the tone”."
    )
    assert _one(quotes, "We will win")[1].channel == "X"
    assert _one(quotes, "very well")[1].channel == "Truth Social"
    assert _one(quotes, "a great honor")[1].channel == "social media"
    quote, variant = _one(quotes, "welcomes the tone")
    assert variant.channel == "statement" and quote.speaker.name == "Colombian embassy"


def test_grouping_across_articles() -> None:
    quotes = _quotes(
        "Angela Merkel spoke in Berlin. Merkel said: “We will never accept this treaty in its current form.”",
        "Angela Merkel was in Berlin. Merkel said “we shall never accept this treaty in its present form”.",
        "Angela Merkel spoke in Berlin. Merkel said: “We will never accept this treaty in its current form!”",
        "Olaf Scholz spoke in Berlin. Scholz said: “We will never accept this treaty in its current form.”",
    )
    merkel = [q for q in quotes if q.speaker.name == "Angela Merkel"]
    assert len(merkel) == 1 and len(quotes) == 2  # Scholz's identical words stay his own quote
    quote = merkel[0]
    assert [v.article for v in quote.variants] == ["a0", "a1", "a2"]
    assert quote.text == "We will never accept this treaty in its current form."  # most common wording
    assert quote.wording_differs
    assert quotes[0] is quote  # three articles before one
    ops = [(d["op"], d["a"], d["b"]) for d in quote.diff]
    assert all(d["article"] == "a1" and d["variant"] == "1" for d in quote.diff)
    assert ("replace", "will", "shall") in ops and ("replace", "current", "present") in ops


def test_punctuation_and_case_are_not_a_wording_difference() -> None:
    quotes = _quotes("Emmanuel Macron said: “The plan is dead.”", "Emmanuel Macron said the plan “is dead”.")
    assert len(quotes) == 1 and not quotes[0].wording_differs and quotes[0].diff == []


# --------------------------------------------------------------------------------------------- helpers


def test_mark_spans_and_apostrophes() -> None:
    text = "He said “yes” and 'maybe' but don’t ‘quote’ the Yanks’ chant \"now\"."
    found = [text[s.start : s.end] for s in mark_spans(text)]
    assert found == ["yes", "maybe", "quote", "now"]
    assert mark_spans("It’s Petro’s call, isn’t it?") == []


def test_channel_title_and_fold() -> None:
    assert channel_of("Petro wrote on X that") == "X"
    assert channel_of("Trump wrote on his social media platform, Truth Social,") == "Truth Social"
    assert channel_of("an X-ray of the plan") is None
    assert looks_like_title("Trump to Meet Colombian President at White House")
    assert not looks_like_title("sick man") and not looks_like_title("It was a Great Honor.")
    assert fold_text("“Sounds GOOD,”") == fold_text("sounds good.") == "sounds good"
    assert fold_text("people’s") == fold_text("peoples")


def test_word_diff_shape() -> None:
    ops = word_diff("better watch his a–.", "watch his ass", "a1", 2)
    assert ops == [
        {"article": "a1", "variant": "2", "op": "delete", "a": "better", "b": ""},
        {"article": "a1", "variant": "2", "op": "equal", "a": "watch his", "b": "watch his"},
        {"article": "a1", "variant": "2", "op": "replace", "a": "a–.", "b": "ass"},
    ]
