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
without a cue. Grouping across outlets then joins the same remark of the same speaker (see ``_same_remark``).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from storyweave.analysis.attribution import SpeakerResolver, according_to
from storyweave.analysis.entities import EntityIndex
from storyweave.analysis.lexicon import (
    AMBIGUOUS_SPEECH_VERBS,
    BELIEF_VERBS,
    CLAUSE_SPEECH_VERBS,
    FUNCTION_WORDS,
    PERSON_PRONOUNS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    fold,
    fold_words,
)
from storyweave.analysis.quote_patterns import (
    OBJECT_DEPS,
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
from storyweave.model import Article, Quote, QuoteVariant, Speaker, stable_id

if TYPE_CHECKING:  # pragma: no cover - typing only; spaCy is imported by nlp/ alone
    from spacy.tokens import Doc, Token

# Two wordings of one speaker are one remark when they share a run of this many words in order. 4 keeps
# stock phrases of 2-3 words ("the United States", "and other disagreements") from joining different remarks;
# the seed pairs it joins ("... who likes making cocaine ...") share 5 or more. Chosen on the seeds with
# `pytest tests/test_quotes.py`, which pins the seed grouping.
SHARED_RUN_WORDS = 4
# ... or when the shorter (3+ words) matches part of the longer at this rapidfuzz partial_ratio (0-100).
# On the seeds the same remark scores 83-88 ("unleash the popular jaguar" in "... unleash the people's
# jaguar": 88; "to explain the drug situation ..." in Trump's post: 83) and different remarks of one
# speaker at most 60. Chosen with `pytest tests/test_quotes.py`; moving it changes the seed grouping.
PARTIAL_RATIO = 80.0
# A short quote (at most SHORT_QUOTE_WORDS words) joins another short one of the same speaker when they
# share a content word, their wordings are somewhat alike (rapidfuzz ratio >= CONTEXT_WORDING) and the
# sentences around them state the same fact (cosine of the all-MiniLM-L6-v2 sentence vectors >=
# CONTEXT_COSINE). On the seeds "looks good to me" (000) and "sounds good" (004) score 0.64 / ratio 52;
# unrelated short Trump quotes reach cosine 0.68 too ("I think so" / "sounds good"), which is why a shared
# content word is required and the cosine alone never decides. Chosen with `pytest tests/test_quotes.py`.
SHORT_QUOTE_WORDS = 6
CONTEXT_COSINE = 0.5
CONTEXT_WORDING = 40.0
# Relations along which a cue verb without a subject of its own borrows the subject of its head
# ("Trump sharply escalated his rhetoric, accusing Petro ...": accusing -> escalated -> Trump).
_BORROW_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep", "acl", "relcl", "ccomp", "dep"})


@dataclass
class FoundQuote:
    """One quote in one article, before grouping."""

    order: tuple[int, int]  # (article position, start offset): first appearance
    variant: QuoteVariant
    speaker: Speaker
    vector: np.ndarray | None
    # Offsets of the phrase the quote is attributed to in this article ("he", "the US president",
    # "Sen. Ted Cruz"), whether or not it resolves to a named speaker; None when no subject was found.
    speaker_span: tuple[int, int] | None = None

    @property
    def key(self) -> str:
        """Who said it, for grouping: the entity, else the name as written, else nobody ("")."""
        if self.speaker.entity:
            return self.speaker.entity
        return f"name:{fold(self.speaker.name)}" if self.speaker.name else ""


# --------------------------------------------------------------------------------------------- extraction


# Phrasal verbs that report words though the verb alone is no cue: "“...,” Trump went on", "he points out".
_PHRASAL_CUES = {"go": "on", "point": "out"}


def _goes_on(node: Token) -> bool:
    """ "“...,” Trump went on", "“...,” he points out": a phrasal verb that reports the speaker's words."""
    particle = _PHRASAL_CUES.get(node.lemma_.lower())
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in node.children)


def _cue_word(cue: Token) -> str:
    return (
        f"{cue.lemma_.lower()} {_PHRASAL_CUES[cue.lemma_.lower()]}" if _goes_on(cue) else cue.lemma_.lower()
    )


def _is_cue(node: Token, child: Token) -> bool:
    """A speech verb governing the quote; an ambiguous one only with the quote as its object."""
    if _goes_on(node):
        return child.dep_ in ("ccomp", "parataxis") or child.dep_ in OBJECT_DEPS
    if node.lemma_.lower() not in SPEECH_VERBS or (node.pos_ not in ("VERB", "AUX") and node.dep_ != "ROOT"):
        return False
    if node.lemma_.lower() not in AMBIGUOUS_SPEECH_VERBS:
        return True
    # "calling Colombia a “sick man”", "referring to Petro as a “sick man”": the quote is what X is called.
    if node.lemma_.lower() in CLAUSE_SPEECH_VERBS and child.dep_ in ("ccomp", "parataxis"):
        return True
    return child.dep_ in OBJECT_DEPS or (child.dep_ == "prep" and child.lower_ == "as")


def _other_paragraph(text: str, offset: int, parts: list[MarkSpan]) -> bool:
    """A verb in another paragraph than the quote, unless that ends in a colon ("X said:\n\n“…”"), does not
    report it: the parser sometimes hangs a paragraph's quote off the last verb of the paragraph before."""
    if offset < parts[0].open:
        between = text[offset : parts[0].open]
        return "\n" in between and not between.rstrip().endswith(":")
    return "\n" in text[parts[-1].close : offset]


def _tokens_starting_in(doc: Doc, parts: list[MarkSpan]) -> list[Token]:
    """The tokens that start inside the parts, in document order, found through each part's span
    (spaCy's offset lookup) instead of a scan of every token of the document per quote."""
    found: set[int] = set()
    for part in parts:
        span = doc.char_span(part.start, part.end, alignment_mode="expand") if part.end > part.start else None
        if span is not None:
            found.update(t.i for t in span if part.start <= t.idx < part.end)
    return [doc[i] for i in sorted(found)]


def _governing_cue(doc: Doc, text: str, parts: list[MarkSpan], quoted: list[tuple[int, int]]) -> Token | None:
    """The speech verb the quote hangs off in the parse, walking up from its tokens (``text`` is the
    article's, which ``doc.text`` equals but rebuilds from every token on each access)."""

    def inside(token: Token) -> bool:
        return any(p.open <= token.idx < p.close for p in parts)

    for token in _tokens_starting_in(doc, parts):
        if inside(token.head) and token.head is not token:
            continue
        child, node = token, token.head
        for _ in range(6):
            if node is child:
                break
            if (
                not inside(node)
                and not any(s <= node.idx < e for s, e in quoted)
                and _is_cue(node, child)
                and not _other_paragraph(text, node.idx, parts)
            ):
                return node
            child, node = node, node.head
    return None


def _governing_verbs(doc: Doc, parts: list[MarkSpan], quoted: list[tuple[int, int]]) -> list[Token]:
    """The verbs outside any quote that the quote hangs off, nearest first ("believing that his actions
    are “…”" -> are, believing, revoked)."""
    verbs: list[Token] = []
    for token in _tokens_starting_in(doc, parts):
        node = token.head
        for _ in range(6):
            outside = not any(s <= node.idx < e for s, e in quoted)
            if outside and node.pos_ in ("VERB", "AUX") and node not in verbs:
                verbs.append(node)
            if node.head is node:
                break
            node = node.head
        if verbs:
            break
    return verbs


def _nearest_cue(
    tokens: list[Token], text: str, parts: list[MarkSpan], quoted: list[tuple[int, int]]
) -> Token | None:
    """The speech verb (not an ambiguous one) closest to the quote marks, outside any quote."""
    best: tuple[int, Token] | None = None
    for token in tokens:
        if any(s <= token.idx < e for s, e in quoted):
            continue
        lemma = token.lemma_.lower()
        speech = lemma in SPEECH_VERBS and lemma not in AMBIGUOUS_SPEECH_VERBS
        if not (speech or _goes_on(token)) or token.pos_ not in ("VERB", "AUX"):
            continue
        if _other_paragraph(text, token.idx, parts):
            continue
        distance = min(abs(token.idx - parts[0].open), abs(token.idx - parts[-1].close))
        if best is None or distance < best[0]:
            best = (distance, token)
    return best[1] if best else None


def _subject(cue: Token, quoted: Sequence[tuple[int, int]] = ()) -> Token | None:
    """Who the cue verb is about: its subject, the agent of a passive, or a subject borrowed from its head.
    A subject inside quotation marks is part of the quoted words ("“We were wrong,” Ramos told AFP")."""
    node = cue
    for _ in range(5):
        for child in node.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in node.children)
        borrowed_from_quote = node is not cue and _inside_any(node, quoted)  # "X “had ...,” adding": not X
        subjects = [
            child
            for child in node.children
            if not (_inside_any(child, quoted) or borrowed_from_quote)
            and (child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and node is not cue))
        ]
        if subjects:  # "Berea, OH, ..., Gov. John Kasich said": two subjects parsed, the nearer is right
            return min(subjects, key=lambda child: abs(child.i - node.i))
        if passive and node is cue:
            return None  # "Trump was asked ...": the subject is the one spoken to
        if node.dep_ not in _BORROW_DEPS or node.head is node:
            return None
        node = node.head
    return None


def _reporting_subject(cue: Token, quoted: Sequence[tuple[int, int]]) -> Token | None:
    """ "Kasich says he'd sit Putin down and tell him “no more nonsense”": a cue inside what another speech
    verb reports belongs to that verb's speaker, who is named where the embedded "he" is not."""
    child, node = cue, cue.head
    for _ in range(4):
        if node is child or child.dep_ not in _BORROW_DEPS:
            return None
        lemma = node.lemma_.lower()
        if lemma in SPEECH_VERBS and lemma not in AMBIGUOUS_SPEECH_VERBS and node.pos_ == "VERB":
            subject = _subject(node, quoted)
            return subject if subject is not None and subject.pos_ == "PROPN" else None
        child, node = node, node.head
    return None


def _name_before_cue(doc: Doc, parts: list[MarkSpan], cue: Token) -> Token | None:
    """ "“Yes, I support Ted Cruz,” Brent Bozell III, founder of ..., tells Breitbart": the parser gives the
    cue no subject; the name between the closing mark and the cue is the speaker."""
    after = [t for t in doc if parts[-1].close <= t.idx < cue.idx and not t.is_punct]
    if not after or after[0].pos_ != "PROPN" or cue.i - after[0].i > 15:
        return None
    token = after[0]
    while token.dep_ in ("compound", "flat") and token.head.pos_ == "PROPN" and token.head.i < cue.i:
        token = token.head
    return token


def _stray_subject(cue: Token) -> Token | None:
    """ "... Maduro overnight, Petro. denounce as an “offensive” act": a rewrite that cut a sentence between
    a name and its verb. Only a sentence-initial cue right after "Name." gets that name as its subject."""
    doc, i = cue.doc, cue.i
    if (
        i >= 2
        and cue.is_sent_start
        and doc[i - 1].text == "."
        and doc[i - 2].pos_ == "PROPN"
        and cue.text[:1].islower()
    ):
        return doc[i - 2]
    return None


def _colon_intro(doc: Doc, text: str, open_mark: int) -> Token | None:
    """ "Cruz called them on it:" then the quote: the verb of the sentence the colon ends introduces it."""
    before = text[:open_mark].rstrip()
    if not before.endswith(":"):
        return None
    colon = len(before) - 1
    for sent in doc.sents:
        if sent.start_char <= colon < sent.end_char:
            root = sent.root
            if root.pos_ in ("VERB", "AUX") and root.idx < colon:
                return root
            return None
    return None


def _trailing_cue(doc: Doc, text: str, parts: list[MarkSpan], quoted: list[tuple[int, int]]) -> Token | None:
    """ "“...,” Bozell answers.", "“...!” he yelled": a quote that ends open (comma, ? or !) followed by a
    short clause of a subject and a speech verb, which the parse did not tie to the quote."""
    if text[parts[-1].start : parts[-1].end].rstrip()[-1:] not in (",", "?", "!", "—"):
        return None
    close = parts[-1].close
    # 8 tokens / 120 characters: the speaker clauses of PolNeAR train ("..., Gov. John Kasich (R-OH), said")
    # fit; chosen with `python bench/quotes.py --data ../shared/datasets/polnear/data/train --limit 150`.
    after = [t for t in doc if close <= t.idx < close + 120 and not _inside_any(t, quoted)]
    for token in after[:8]:
        if token.text in (".", ";", "“", '"') or "\n" in token.text:
            return None
        speech = token.lemma_.lower() in SPEECH_VERBS or _goes_on(token)
        if (
            speech
            and token.pos_ == "VERB"
            and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.idx >= close and not _inside_any(c, quoted)
                for c in token.children
            )
        ):
            return token
        names = [t for t in after if t.i < token.i and not t.is_punct]
        if names and all(t.pos_ == "PROPN" for t in names) and _verb_form(token.lower_):
            return token  # "“...,” Bozell answers.": the small model tags "answers" a noun
    return None


def _verb_form(word: str) -> bool:
    """A third-person or past form of a cue verb ("answers", "replied"), whatever the tagger made of it."""
    stems = (word[:-1], word[:-2], word[:-3] + "y") if word.endswith("s") else ()
    if word.endswith("ed"):
        stems = (word[:-1], word[:-2], word[:-3] + "y")
    return any(stem in SPEECH_VERBS for stem in stems)


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
        cue = middle_cue or _governing_cue(doc, text, parts, quoted_ranges)
        governed = cue is not None
        subject = according_to(tokens) if cue is None else None
        according = subject is not None
        trailing = (
            None if cue is not None or subject is not None else _trailing_cue(doc, text, parts, quoted_ranges)
        )
        cue = cue or trailing
        if cue is None and subject is None:
            cue = _nearest_cue(tokens, text, parts, quoted_ranges)
        if cue is None and subject is None:
            cue = _colon_intro(doc, text, lo)
        if cue is not None:
            subject = _subject(cue, quoted_ranges) or _stray_subject(cue) or _name_before_cue(doc, parts, cue)
            if subject is not None and subject.lower_ in PERSON_PRONOUNS:
                subject = _reporting_subject(cue, quoted_ranges) or subject
        speaker = resolver.speaker(subject) if subject is not None else Speaker(None, None)
        if subject is None and cue is None and n_words >= 3 and not looks_like_title(quoted):
            # No speech verb: the first named subject up the parse ("X revoked ..., believing that ... “…”").
            for verb in _governing_verbs(doc, parts, quoted_ranges):
                candidate = _subject(verb)
                if candidate is not None and not _inside_any(candidate, quoted_ranges):
                    speaker = resolver.speaker(candidate)
                    if speaker.name is not None:
                        subject = candidate
                        break
        outside = _outside(text, tokens, parts)
        cue_word = _cue_word(cue) if cue is not None else ("according to" if according else None)
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
        if lemma not in SPEECH_VERBS | BELIEF_VERBS or cue.pos_ != "VERB" or _inside_any(cue, quoted):
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
            subject = _subject(cue, quoted)
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
        if source is None or _inside_any(token, quoted) or re.search(r"[“”\"]", sent.text):
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


def _inside_any(token: Token, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s <= token.idx < e for s, e in ranges)


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


# --------------------------------------------------------------------------------------------- grouping


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _longest_run(a: list[str], b: list[str]) -> int:
    match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size


def _same_remark(a: FoundQuote, b: FoundQuote) -> bool:
    """Two quotes of one speaker that report the same remark, worded alike or in the same context."""
    if a.key != b.key or a.variant.indirect != b.variant.indirect:
        return False
    wa, wb = words(a.variant.text), words(b.variant.text)
    if wa == wb:
        return True
    if not a.key:
        return False  # nobody's words: only identical ones are the same quote
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) >= 2 and _contiguous(short, long):
        return True
    if _longest_run(wa, wb) >= SHARED_RUN_WORDS:
        return True
    fa, fb = " ".join(wa), " ".join(wb)
    if len(short) >= 3 and fuzz.partial_ratio(fa, fb) >= PARTIAL_RATIO:
        return True
    shared = (set(wa) & set(wb)) - FUNCTION_WORDS
    if (
        shared
        and len(wa) <= SHORT_QUOTE_WORDS
        and len(wb) <= SHORT_QUOTE_WORDS
        and a.vector is not None
        and b.vector is not None
        and fuzz.ratio(fa, fb) >= CONTEXT_WORDING
    ):
        return float(np.dot(a.vector, b.vector)) >= CONTEXT_COSINE
    return False


def _cluster(found: list[FoundQuote]) -> list[list[FoundQuote]]:
    """Union of same-remark pairs; two quotes of one sentence of one article never join."""
    parent = list(range(len(found)))
    members: dict[int, set[tuple[str, int, int]]] = {
        i: {(f.variant.article, f.variant.sentence, f.variant.start)} for i, f in enumerate(found)
    }

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            ri, rj = root(i), root(j)
            if ri == rj or not _same_remark(found[i], found[j]):
                continue
            sentences_i = {(a, s) for a, s, _ in members[ri]}
            if any((a, s) in sentences_i for a, s, _ in members[rj]):
                continue
            low, high = min(ri, rj), max(ri, rj)
            parent[high] = low
            members[low] |= members.pop(high)
    groups: dict[int, list[FoundQuote]] = {}
    for i, f in enumerate(found):
        groups.setdefault(root(i), []).append(f)
    return list(groups.values())


def _is_excerpt(a: list[str], b: list[str]) -> bool:
    """One wording is the other cut short: an outlet quoting less, not wording it differently."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return _contiguous(short, long)


def word_diff(canonical: str, other: str, article: str, variant: int) -> list[dict[str, str]]:
    """Word-level diff of one variant against the canonical wording, for showing them side by side.

    One entry per run of words, in reading order: ``{"article", "variant", "op", "a", "b"}`` where ``op`` is
    ``equal``, ``insert``, ``delete`` or ``replace`` (difflib's opcodes), ``a`` the reference words of the run
    and ``b`` the variant's words ("" for a side that has none). Words compare case-, accent- and
    punctuation-insensitively but are shown as written. ``variant`` is the index in ``Quote.variants``.
    A renderer prints ``a`` for equal runs and ``a`` struck out / ``b`` marked for the others.
    """
    ta, tb = canonical.split(), other.split()
    ka, kb = [fold_words(t) for t in ta], [fold_words(t) for t in tb]
    ops: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        ops.append(
            {
                "article": article,
                "variant": str(variant),
                "op": tag,
                "a": " ".join(ta[i1:i2]),
                "b": " ".join(tb[j1:j2]),
            }
        )
    return ops


def _quote(group: list[FoundQuote]) -> Quote:
    group = sorted(group, key=lambda f: f.order)
    wordings = Counter(fold_words(f.variant.text) for f in group)
    canonical_key = sorted(wordings, key=lambda w: (-wordings[w], -len(w), w))[0]
    text = next(f.variant.text for f in group if fold_words(f.variant.text) == canonical_key)
    canonical_words = canonical_key.split()
    # Diffs read against the fullest wording that contains the canonical one: "Great Honor" is compared
    # through the whole sentence an outlet quoted around it.
    fuller = [f.variant.text for f in group if _contiguous(canonical_words, words(f.variant.text))]
    reference = max(fuller, key=lambda t: (len(words(t)), t)) if fuller else text
    names = Counter(f.speaker.name for f in group if f.speaker.name)
    speaker = Speaker(
        entity=group[0].speaker.entity, name=sorted(names, key=lambda n: (-names[n], n))[0] if names else None
    )
    variants = [f.variant for f in group]
    diff: list[dict[str, str]] = []
    differs = False
    for index, variant in enumerate(variants):
        other = words(variant.text)
        if _is_excerpt(other, canonical_words) or _is_excerpt(other, words(reference)):
            continue
        differs = True
        diff.extend(word_diff(reference, variant.text, variant.article, index))
    return Quote(
        id=stable_id("q-", speaker.entity or "", canonical_key),
        speaker=speaker,
        text=text,
        variants=variants,
        wording_differs=differs,
        diff=diff,
        indirect=all(v.indirect for v in variants),
    )


def find_quotes(articles: Sequence[Article], entities: EntityIndex, indirect: bool = False) -> list[Quote]:
    """The direct quotes of a story's annotated articles, one per remark, with a variant per occurrence.

    ``Quote.text`` is the most common wording (ties: the longest, then alphabetical); ``wording_differs``
    is True when some variant words the remark differently beyond case and punctuation (a variant that is
    only a shorter excerpt of the same words does not count); ``diff`` holds :func:`word_diff` entries for
    each such variant, read against the canonical wording (or the fullest variant that contains it). A
    two-part quote (“A,” he said, “B.”) has the parts joined by a space as its text,
    and ``start``/``end`` spanning both parts. Quotes come most widely reported first, then in order of
    first appearance. With ``indirect``, reported speech without quotation marks ("he said that ...") comes
    too, as quotes flagged ``indirect`` that never join a direct quote.
    """
    found: list[FoundQuote] = []
    for position, article in enumerate(articles):
        found.extend(_article_quotes(position, article, entities, indirect))
    groups = _cluster(found)
    quotes = [(_quote(group), min(f.order for f in group)) for group in groups]
    quotes.sort(key=lambda pair: (-len({v.article for v in pair[0].variants}), pair[1]))
    return [quote for quote, _ in quotes]
