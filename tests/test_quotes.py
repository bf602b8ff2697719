"""Quotes: extraction shapes, speakers, channels and cross-outlet grouping, on the seeds and short texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyweave.analysis.article_vectors import encode_articles
from storyweave.analysis.entities import build_entities
from storyweave.analysis.lexicon import fold_words
from storyweave.analysis.quote_grouping import word_diff
from storyweave.analysis.quote_patterns import channel_of, looks_like_title, mark_spans
from storyweave.analysis.quotes import find_quotes
from storyweave.model import Article, Quote, QuoteVariant, stable_id
from storyweave.nlp.annotate import annotate

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _articles(*texts: str) -> list[Article]:
    articles = [Article(id=f"a{i}", path=f"a{i}.txt", raw=text, text=text) for i, text in enumerate(texts)]
    annotate(articles)
    encode_articles(articles)  # as analyze_story does before find_quotes
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
    encode_articles(articles)  # as analyze_story does before find_quotes
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
    same = fold_words(snippet)
    hits = [
        (q, v)
        for q in quotes
        for v in q.variants
        if v.article == article and (v.text.startswith(snippet) or fold_words(v.text) == same)
    ]
    if len(hits) > 1:  # "sick man" is also the start of a longer quote: take the exact one
        hits = [(q, v) for q, v in hits if fold_words(v.text) == same]
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
    assert {(v.article, fold_words(v.text)) for v in good.variants} == {
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
        assert quote.id == stable_id("q-", quote.speaker.entity or "", fold_words(quote.text))


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
    assert fold_words("“Sounds GOOD,”") == fold_words("sounds good.") == "sounds good"
    assert fold_words("people’s") == fold_words("peoples")


def test_word_diff_shape() -> None:
    ops = word_diff("better watch his a–.", "watch his ass", "a1", 2)
    assert ops == [
        {"article": "a1", "variant": "2", "op": "delete", "a": "better", "b": ""},
        {"article": "a1", "variant": "2", "op": "equal", "a": "watch his", "b": "watch his"},
        {"article": "a1", "variant": "2", "op": "replace", "a": "a–.", "b": "ass"},
    ]


# --------------------------------------------------------------------------------------------- PolNeAR shapes


def test_quote_of_several_paragraphs_is_one_quote() -> None:
    """A paragraph that opens a quote and leaves it open continues in the next one that opens with a mark."""
    text = (
        "Senator Maria Lopez told reporters on Tuesday:\n\n"
        "“The bill is not perfect and nobody in this building believes it is.\n\n"
        "“But it is the best deal we are going to get this year.”\n"
    )
    quotes = _quotes(text)
    quote, variant = _one(quotes, "The bill is not perfect")
    assert "best deal we are going to get" in variant.text
    assert quote.speaker.name == "Maria Lopez"
    assert variant.cue == "tell" and variant.channel == "reporters"


def test_quote_cut_by_a_line_break_and_unclosed_paragraph() -> None:
    spans = mark_spans(
        "He said “the vote is\nset for Friday.” Then:\n\n“An open paragraph that runs on and on\n"
    )
    assert [s.kind for s in spans] == ["double", "double"]
    text = "He said “the vote is\nset for Friday.” Then:\n\n“An open paragraph that runs on and on\n"
    assert text[spans[0].start : spans[0].end] == "the vote is\nset for Friday."
    assert text[spans[1].start : spans[1].end] == "An open paragraph that runs on and on"
    assert mark_spans("a stray “ mark\n\nnext") == []  # fewer than UNCLOSED_MIN_WORDS words: not a quote


def test_two_part_quote_across_a_full_stop() -> None:
    """“A,” X said. “B.” is one quote of two parts; a third part after another speaker clause is not
    joined."""
    quotes = _quotes(
        "“It is the party that has disdain for conservatives,” Richard Viguerie said. “They never listened.” "
        "“It will not change,” he added."
    )
    _, first = _one(quotes, "disdain for conservatives")
    assert "never listened" in first.text
    _, third = _one(quotes, "It will not change")
    assert "never listened" not in third.text and third.cue == "add"


def test_colon_intro_and_continuation_paragraphs() -> None:
    """A quote paragraph after "X said:" is X's; so is a paragraph that is all quote right after X's
    quote."""
    text = (
        "Ted Cruz turned to the moderators and called them on it:\n\n"
        "“The questions asked in this debate illustrate why the American people don’t trust the media.”\n\n"
        "“Nobody at home believes these moderators will vote in a Republican primary.”\n"
    )
    quotes = _quotes(text)
    for snippet in ("questions asked in this debate", "Nobody at home believes"):
        quote, _ = _one(quotes, snippet)
        assert quote.speaker.name == "Ted Cruz", snippet


def test_subject_inside_the_quote_is_not_the_speaker() -> None:
    quotes = _quotes(
        "“We were tremendously wrong to not have confronted him from the beginning,” Jorge Ramos, 58, told "
        "AFP in an interview."
    )
    quote, variant = _one(quotes, "tremendously wrong")
    assert quote.speaker.name == "Jorge Ramos" and variant.cue == "tell"


def test_went_on_is_a_cue() -> None:
    quotes = _quotes(
        "Megyn Kelly asked about the remark. “You know, it happens, right?” Donald Trump went on, as if he "
        "did not hear her."
    )
    quote, _ = _one(quotes, "it happens, right")
    assert quote.speaker.name == "Donald Trump"


def test_indirect_quotes_are_flagged_and_kept_apart() -> None:
    """ "He said that ..." is an attribution without quotation marks: found only when asked for, flagged
    indirect, never joined to a direct quote, and absent from the default (direct) quotes."""
    text = (
        "Gustavo Petro said on Wednesday that he would travel to Washington next month. "
        "“We are ready,” Petro said. The Colombian embassy denied that any deal had been reached."
    )
    articles = _articles(text)
    entities = build_entities(articles)
    assert all(not q.indirect for q in find_quotes(articles, entities))
    quotes = find_quotes(articles, entities, indirect=True)
    quote, variant = _one(quotes, "travel to Washington")
    assert quote.indirect and variant.indirect and variant.cue == "say"
    assert variant.text == "he would travel to Washington next month"
    assert quote.speaker.name == "Gustavo Petro"
    embassy, denied = _one(quotes, "any deal had been reached")
    assert denied.indirect and denied.cue == "deny" and embassy.speaker.name == "Colombian embassy"
    direct, _ = _one(quotes, "We are ready")
    assert not direct.indirect


def test_each_paragraph_with_its_own_speaker_clause_is_its_own_quote() -> None:
    """“A,” Bozell says.\n\n“B,” he adds.: two quotes, each with the speaker clause after it (PolNeAR train
    shape); "points out", "concludes" and "answers" report words like "says"."""
    text = (
        "Brent Bozell spoke to reporters.\n\n"
        "“It is clear cut that you are either with the establishment or with Ted Cruz,” Bozell says.\n\n"
        "“It is the Republican party that has disdain for conservatives,” he adds.\n\n"
        "“Voters consistently reject establishment Republicans,” he points out.\n\n"
        "“Cruz is the real conservative and the rest are not,” Bozell concludes.\n"
    )
    quotes = _quotes(text)
    _, first = _one(quotes, "clear cut")
    assert "disdain" not in first.text
    for snippet, cue in (
        ("disdain for conservatives", "add"),
        ("consistently reject", "point out"),
        ("real conservative", "conclude"),
    ):
        quote, variant = _one(quotes, snippet)
        assert variant.cue == cue and quote.speaker.name == "Brent Bozell", snippet


def test_headline_name_colon_quote() -> None:
    """A headline "Issa: Hillary Clinton’s ‘Honesty Is In Question.’" attributes its words to the name."""
    text = (
        "Issa: Hillary Clinton’s ‘Honesty Is In Question.’\n\n"
        "On Sunday Rep. Darrell Issa said that Hillary Clinton’s judgment is in question.\n"
    )
    quote, variant = _one(_quotes(text), "Honesty Is In Question")
    assert variant.text.startswith("Hillary Clinton’s ‘Honesty")
    assert quote.speaker.name is not None and "Issa" in quote.speaker.name
    assert _quotes("Exclusive: The ‘Peace Plan’ Nobody Read\n\nThe plan was published.\n") == []


def test_programme_names_and_markup_are_not_quotes() -> None:
    """'said on NBC’s “Meet the Press.”' names a programme; datetime="2016-06-29" is markup."""
    quotes = _quotes(
        "Ben Carson said on NBC’s “Meet the Press.” that he would stay in the race. "
        "Carson told “Good Morning America” that “we tell the truth, we deal with the issues.” "
        '<tweet id="7479" datetime="2016-06-29">Ben Carson will speak tonight.</tweet>'
    )
    texts = {v.text for q in quotes for v in q.variants}
    assert not texts & {"Meet the Press.", "Good Morning America", "2016-06-29", "7479"}
    quote, _ = _one(quotes, "we tell the truth")
    assert quote.speaker.name == "Ben Carson"


def test_subject_of_a_verb_inside_the_quote_is_not_the_speaker() -> None:
    """'Trump told Newsmax that Mitt Romney “had a crazy policy,” adding, ...': Trump's words, on Romney."""
    quotes = _quotes(
        "Donald Trump told Newsmax that Mitt Romney “had a crazy policy of self-deportation which was "
        "maniacal,” adding, “He lost all of the Latino vote.”"
    )
    quote, _ = _one(quotes, "crazy policy")
    assert quote.speaker.name == "Donald Trump"


def test_according_to_without_marks_is_an_indirect_quote() -> None:
    """ "..., according to X." without quotation marks: the rest of the sentence, flagged indirect, X's."""
    articles = _articles(
        "Gustavo Petro spoke on Wednesday. The two leaders agreed to meet in Washington next month, "
        "according to Gustavo Petro."
    )
    quotes = find_quotes(articles, build_entities(articles), indirect=True)
    quote, variant = _one(quotes, "agreed to meet")
    assert variant.text == "The two leaders agreed to meet in Washington next month"
    assert variant.indirect and variant.cue == "according to" and quote.speaker.name == "Gustavo Petro"
