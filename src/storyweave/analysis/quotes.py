"""Direct quotes of a story: who said what, through which channel, and how each outlet worded it.

Extraction works per article on the cleaned text and its spaCy parse:

1. every span between quotation marks is a candidate (curly and straight double marks; single marks only
   when the marks cannot be apostrophes and a cue verb governs the span); “A,” he said, “B.” is one quote;
2. the cue is the speech verb the span hangs off in the dependency parse ("said", "wrote", "calling ... a
   “sick man”"), else the nearest speech verb of the sentence (this also covers "told reporters: “…”",
   which the parser splits into two sentences), else a speech noun ("in a statement", "chants of");
3. the speaker is the cue's subject (or the agent of a passive cue, or X in "according to X"); "he"/"she"
   become the latest person named as a subject before it, descriptions ("the Colombian leader") and titled
   names ("Mr Trump") go through the entity index, institutions ("the Colombian embassy") are named as
   written and tied to their country. What cannot be resolved stays ``Speaker(None, None)``.

A span with neither a cue nor a speaker is not a quote (scare quotes, nicknames), nor is a title of a work
without a cue. Grouping across outlets then joins the same remark of the same speaker
(``storyweave.analysis.quote_grouping``); the cues and their subjects are read by
``storyweave.analysis.quote_cues``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from storyweave.analysis.attribution import SpeakerResolver, according_to
from storyweave.analysis.entities import EntityIndex
from storyweave.analysis.lexicon import (
    AMBIGUOUS_SPEECH_VERBS,
    BELIEF_VERBS,
    CLAUSE_SPEECH_VERBS,
    PERSON_PRONOUNS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    fold,
)
from storyweave.analysis.quote_cues import (
    colon_intro,
    cue_subject,
    governing_cue,
    governing_verbs,
    inside_any,
    name_before_cue,
    nearest_cue,
    reporting_subject,
    spoken_cue,
    stray_subject,
    trailing_cue,
)
from storyweave.analysis.quote_grouping import FoundQuote, group_quotes
from storyweave.analysis.quote_patterns import (
    MarkSpan,
    channel_of,
    looks_like_title,
    mark_spans,
    middle_clause,
    names_a_show,
    platform_of,
    trim,
    words,
)
from storyweave.model import Article, Quote, QuoteVariant, Speaker

if TYPE_CHECKING:  # pragma: no cover - typing only; spaCy is imported by nlp/ alone
    from spacy.tokens import Token


# --------------------------------------------------------------------------------------------- extraction


def _next_paragraph(text: str, previous_close: int, open_mark: int) -> bool:
    """The quote opens the paragraph right after the one where the previous quote closed."""
    if text[:open_mark].rfind("\n") < previous_close:
        return False  # same paragraph
    line_start = text.rfind("\n", 0, open_mark) + 1
    if text[line_start:open_mark].strip():
        return False  # something other than the quote opens the paragraph
    between = text[previous_close:line_start]
    return between.count("\n") >= 1 and between.rstrip("\n").count("\n") == 0


def _groups_of_marks(article: Article, spans: list[MarkSpan]) -> list[tuple[list[MarkSpan], Token | None]]:
    """Join “A,” he said, “B.” into one quote of two parts; the middle clause's cue comes with it."""
    doc = article.doc
    assert doc is not None
    text = article.text
    groups: list[tuple[list[MarkSpan], Token | None]] = []
    i = 0
    while i < len(spans):
        parts, cue = [spans[i]], None
        while i + 1 < len(spans) and spans[i].kind == spans[i + 1].kind == "double":
            first, second = parts[-1], spans[i + 1]
            between = text[first.close : second.open]
            clause = middle_clause(between)
            if clause is None or not text[first.start : first.end].rstrip().endswith(","):
                break
            if "\n" in between:
                break  # a new paragraph is a new quote, with its own speaker clause or none
            if "." in between and text[second.start : second.end].rstrip().endswith(","):
                break  # “A,” X said. “B,” he added.: B has a speaker clause of its own
            cues = [t for t in doc if first.close <= t.idx < second.open and t.lemma_.lower() in SPEECH_VERBS]
            if not cues:
                break
            parts.append(second)
            cue = cues[0]
            i += 1
            break  # “A,” X said. “B,” he added. “C.”: each speaker clause joins only the parts around it
        groups.append((parts, cue))
        i += 1
    return groups


def _sentence_index(article: Article, offset: int) -> int:
    for sentence in article.sentences:
        if sentence.start <= offset < sentence.end + 1:
            return sentence.index
    return max((s.index for s in article.sentences if s.start <= offset), default=-1)


def _variant(
    article: Article,
    span: tuple[int, int],
    cue: str | None,
    channel: str | None,
    *,
    text: str | None = None,
    sentence: int | None = None,
    indirect: bool = False,
) -> QuoteVariant:
    """The article's wording at ``span`` as every finder records it: the text there unless ``text`` gives
    the words (a quote in parts), in the sentence that holds its start unless ``sentence`` is known."""
    start, end = span
    words = article.text[start:end] if text is None else text
    at = _sentence_index(article, start) if sentence is None else sentence
    return QuoteVariant(article.id, words, cue, channel, start, end, at, indirect)


# "Kasich: ‘We Are Going To Go All The Way ...’": a headline that gives a name, a colon and words with
# quotation marks in them attributes those words to the name (1-4 capitalised words before the colon).
_HEADLINE_RE = re.compile(r"(?P<name>[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}):\s+(?P<words>.*[‘“\"].*\S)")

# Headline labels that are no speaker ("Exclusive: ...", "Watch: ...").
_HEADLINE_LABELS = frozenset(
    ("exclusive", "watch", "update", "video", "photos", "photo", "breaking", "poll", "analysis", "opinion")
    + (
        "live",
        "report",
        "review",
        "editorial",
        "fact check",
        "factcheck",
        "quiz",
        "listen",
        "read",
        "podcast",
    )
)


def _headline_quotes(
    position: int, article: Article, entities: EntityIndex, spans: list[MarkSpan]
) -> list[FoundQuote]:
    """Quotes of a headline "Name: words with ‘a quote’": the whole of the words is the quote, the name its
    speaker (the story's entity when it knows the name, else named as written)."""
    text = article.text
    first = re.search(r"\S[^\n]*", text)
    lines = [first.span()] if first else []
    lines += [h for h in article.headings if h not in lines]
    found: list[FoundQuote] = []
    for line_start, line_end in lines:
        match = _HEADLINE_RE.fullmatch(text, line_start, line_end)
        # 200 characters: longer lines are body text, not headlines (bench/quotes.py on train, --limit 150).
        if match is None or len(text[line_start:line_end]) > 200:
            continue
        if not any(match.start("words") <= s.start < line_end for s in spans):
            continue
        start, end = trim(text, match.start("words"), line_end)
        name = match.group("name")
        if fold(name) in _HEADLINE_LABELS:
            continue
        entity = entities.resolve(name)
        speaker = Speaker(entity.id, entity.name) if entity is not None else Speaker(None, name)
        variant = _variant(article, (start, end), None, None)
        found.append(
            FoundQuote((position, start), variant, speaker, None, (match.start("name"), match.end("name")))
        )
    return found


def _article_quotes(
    position: int, article: Article, entities: EntityIndex, indirect: bool = False
) -> list[FoundQuote]:
    """Every quote of one article, with cue, channel and speaker."""
    doc = article.doc
    if doc is None:
        return []
    text = article.text
    spans = mark_spans(text)
    quoted_ranges = [(s.open, s.close) for s in spans]
    resolver = SpeakerResolver(article, entities, quoted_ranges)
    found = _headline_quotes(position, article, entities, spans)
    headlines = [(f.variant.start, f.variant.end) for f in found]
    previous: tuple[int, FoundQuote] | None = None  # (close offset, quote) of the last quote kept
    sents = list(doc.sents)
    for parts, middle_cue in _groups_of_marks(article, spans):
        if any(s <= parts[0].start < e for s, e in headlines):
            continue
        start, end = trim(text, parts[0].start, parts[-1].end)
        quoted = " ".join(text[p.start : p.end].strip() for p in parts[:-1])
        quoted = f"{quoted} {text[slice(*trim(text, parts[-1].start, parts[-1].end))]}".strip()
        n_words = len(words(quoted))
        if n_words == 0:
            continue
        # Context: the parser's sentences touching the marks, plus the one just before a colon intro.
        lo, hi = parts[0].open, parts[-1].close
        touching = [i for i, s in enumerate(sents) if s.start_char < hi and s.end_char > lo]
        if touching and touching[0] > 0 and sents[touching[0]].start_char >= lo:
            # The parser split "told reporters: “…”" or "He wrote in X “…”" at the mark: the intro belongs.
            intro = text[sents[touching[0] - 1].start_char : lo].rstrip()
            if intro and not re.search(r"[.!?][”\"’']?$", intro):
                touching.insert(0, touching[0] - 1)
        if touching and touching[-1] + 1 < len(sents):
            after = sents[touching[-1] + 1]
            ends_open = text[parts[-1].start : parts[-1].end].rstrip()[-1:] in (",", "?", "!")
            if ends_open and not text[hi : after.start_char].strip():
                touching.append(touching[-1] + 1)  # “..., right?” Trump went on: the parser split them
        tokens = [t for i in touching for t in sents[i]]
        cue = middle_cue or governing_cue(doc, text, parts, quoted_ranges)
        governed = cue is not None
        subject = according_to(tokens) if cue is None else None
        according = subject is not None
        trailing = (
            None if cue is not None or subject is not None else trailing_cue(doc, text, parts, quoted_ranges)
        )
        cue = cue or trailing
        if cue is None and subject is None:
            cue = nearest_cue(tokens, text, parts, quoted_ranges)
        if cue is None and subject is None:
            cue = colon_intro(doc, text, lo)
        if cue is not None:
            subject = (
                cue_subject(cue, quoted_ranges) or stray_subject(cue) or name_before_cue(doc, parts, cue)
            )
            if subject is not None and subject.lower_ in PERSON_PRONOUNS:
                subject = reporting_subject(cue, quoted_ranges) or subject
        speaker = resolver.speaker(subject) if subject is not None else Speaker(None, None)
        if subject is None and cue is None and n_words >= 3 and not looks_like_title(quoted):
            # No speech verb: the first named subject up the parse ("X revoked ..., believing that ... “…”").
            for verb in governing_verbs(doc, parts, quoted_ranges):
                candidate = cue_subject(verb)
                if candidate is not None and not inside_any(candidate, quoted_ranges):
                    speaker = resolver.speaker(candidate)
                    if speaker.name is not None:
                        subject = candidate
                        break
        outside = _outside(text, tokens, parts)
        cue_word = spoken_cue(cue) if cue is not None else ("according to" if according else None)
        if cue_word is None:
            nouns = [t for t in tokens if t.lemma_.lower() in SPEECH_NOUNS and not _inside(t, parts)]
            cue_word = nouns[0].lemma_.lower() if nouns else None
        channel = channel_of(outside)
        sentence = _sentence_index(article, start)
        if channel is None and subject is not None and subject.lower_ in PERSON_PRONOUNS and sentence > 0:
            channel = platform_of(article.sentences[sentence - 1].text)
        if (
            cue_word is None
            and speaker.name is None
            and previous is not None
            and (
                re.fullmatch(r"[ ,;]*(?:but|and|or)?[ ,]*", text[previous[0] : parts[0].open])
                or (
                    _next_paragraph(text, previous[0], parts[0].open)
                    and not text[parts[-1].close :].split("\n", 1)[0].strip()
                )
            )
        ):
            # “A,” but “B.”, or a paragraph that is all quote after the speaker's quote in the paragraph
            # before: the same speaker's, through the same cue.
            cue_word, speaker = previous[1].variant.cue, previous[1].speaker
            channel = previous[1].variant.channel
        has_speaker = speaker.name is not None
        if cue_word is None and not has_speaker:
            continue  # scare quotes, nicknames, labels: no one is said to have said them
        if n_words <= 2 and not has_speaker and trailing is None:
            continue  # "critics dismissed the “peace plan”": a label in marks is a quote only with its author
        if parts[0].kind == "single" and not governed:
            continue  # single marks count only where a speech verb clearly governs them
        if names_a_show(text, parts[0].open, quoted) and len(parts) == 1:
            continue  # 'Carson said on NBC’s “Meet the Press.”': a programme's name
        if looks_like_title(quoted) and not governed and not has_speaker and cue_word not in SPEECH_NOUNS:
            continue  # "One thought on “Trump to Meet ...”": a title, near a cue by chance
        vector = None
        if article.vectors is not None and 0 <= sentence < len(article.vectors):
            vector = np.asarray(article.vectors[sentence], dtype=np.float32)
        variant = _variant(article, (start, end), cue_word, channel, text=quoted, sentence=sentence)
        speaker_span = resolver.span(subject) if subject is not None else None
        if subject is None and previous is not None and speaker is previous[1].speaker:
            speaker_span = previous[1].speaker_span
        found.append(FoundQuote((position, start), variant, speaker, vector, speaker_span))
        previous = (parts[-1].close, found[-1])
    if indirect:
        found.extend(_indirect_quotes(position, article, resolver, quoted_ranges))
    return found


def _indirect_quotes(
    position: int, article: Article, resolver: SpeakerResolver, quoted: list[tuple[int, int]]
) -> list[FoundQuote]:
    """Reported speech without quotation marks: a speech verb's clausal complement ("Petro said that he would
    travel to Washington"), with the verb's subject as speaker. A clause with quotation marks in it is a
    mixed quote, already found as a direct one; a subject nobody can name keeps the quote unattributed."""
    doc = article.doc
    assert doc is not None
    text = article.text
    found: list[FoundQuote] = []
    for cue in doc:
        lemma = cue.lemma_.lower()
        if lemma not in SPEECH_VERBS | BELIEF_VERBS or cue.pos_ != "VERB" or inside_any(cue, quoted):
            continue
        if lemma in AMBIGUOUS_SPEECH_VERBS and lemma not in CLAUSE_SPEECH_VERBS:
            continue
        for clause in cue.children:
            if clause.dep_ != "ccomp":
                continue
            tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.i == clause.left_edge.i)]
            if len(tokens) < 3:
                continue
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            if any(s < end and e > start for s, e in quoted) or re.search(r"[“”\"]", text[start:end]):
                continue
            start, end = trim(text, start, end)
            while end > start and text[end - 1] in ".!?":
                end -= 1
            subject = cue_subject(cue, quoted)
            if subject is None:
                continue
            speaker = resolver.speaker(subject)
            variant = _variant(article, (start, end), lemma, channel_of(cue.sent.text), indirect=True)
            found.append(FoundQuote((position, start), variant, speaker, None, resolver.span(subject)))
    found.extend(_according_to_quotes(position, article, resolver, quoted))
    return found


def _according_to_quotes(
    position: int, article: Article, resolver: SpeakerResolver, quoted: list[tuple[int, int]]
) -> list[FoundQuote]:
    """ "The talks failed, according to two officials": the rest of the sentence is what the source says."""
    doc = article.doc
    assert doc is not None
    text = article.text
    found: list[FoundQuote] = []
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        source = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
        sent = token.sent
        if source is None or inside_any(token, quoted) or re.search(r"[“”\"]", sent.text):
            continue
        phrase_start = token.idx
        phrase_end = max(t.idx + len(t.text) for t in source.subtree)
        before = trim(text, sent.start_char, phrase_start)
        after = trim(text, phrase_end, sent.end_char)
        start, end = max((before, after), key=lambda span: span[1] - span[0])
        while end > start and text[end - 1] in ".!?":
            end -= 1
        if len(text[start:end].split()) < 3:
            continue
        speaker = resolver.speaker(source)
        variant = _variant(article, (start, end), "according to", channel_of(sent.text), indirect=True)
        found.append(FoundQuote((position, start), variant, speaker, None, resolver.span(source)))
    return found


def article_quotes(
    article: Article, entities: EntityIndex, position: int = 0, indirect: bool = False
) -> list[FoundQuote]:
    """The quotes of one annotated article, before grouping across outlets, each with the offsets of the
    phrase it is attributed to (what ``bench/quotes.py`` scores against PolNeAR's Source spans); with
    ``indirect``, reported speech without quotation marks too, flagged ``variant.indirect``."""
    return _article_quotes(position, article, entities, indirect)


def _inside(token: Token, parts: list[MarkSpan]) -> bool:
    return any(p.open <= token.idx < p.close for p in parts)


def _outside(text: str, tokens: list[Token], parts: list[MarkSpan]) -> str:
    """The context's text with the quote blanked out, so channel words inside the quote do not count."""
    if not tokens:
        return ""
    lo, hi = min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)
    chars = list(text[lo:hi])
    for p in parts:
        for i in range(max(p.open, lo), min(p.close, hi)):
            chars[i - lo] = " "
    return "".join(chars)


def find_quotes(articles: Sequence[Article], entities: EntityIndex, indirect: bool = False) -> list[Quote]:
    """The direct quotes of a story's annotated articles, one per remark, with a variant per occurrence.

    ``Quote.text`` is the most common wording (ties: the longest, then alphabetical); ``wording_differs``
    is True when some variant words the remark differently beyond case and punctuation (a variant that is
    only a shorter excerpt of the same words does not count); ``diff`` holds ``quote_grouping.word_diff``
    entries for each such variant, read against the canonical wording (or the fullest variant that
    contains it). A two-part quote (“A,” he said, “B.”) has the parts joined by a space as its text,
    and ``start``/``end`` spanning both parts. Quotes come most widely reported first, then in order of
    first appearance. With ``indirect``, reported speech without quotation marks ("he said that ...") comes
    too, as quotes flagged ``indirect`` that never join a direct quote.
    """
    found: list[FoundQuote] = []
    for position, article in enumerate(articles):
        found.extend(_article_quotes(position, article, entities, indirect))
    return group_quotes(found)
