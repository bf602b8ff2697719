"""Quote cues: the speech verb (or noun) a quote hangs off, and whose words the cue reports.

Read off the dependency parse: the verb the quote's tokens lead up to ("said", "wrote", "calling ... a
“sick man”"), else the nearest speech verb of the sentence, a trailing cue after the closing mark ("..., he
said"), a colon's introducer ("told reporters: “…”"); and the cue's subject, borrowed along clause
relations when the cue has none ("Trump escalated his rhetoric, accusing Petro ..."). Extraction
(``storyweave.analysis.quotes``) asks these questions; speakers are resolved by ``attribution``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from storyweave.analysis.lexicon import (
    AMBIGUOUS_SPEECH_VERBS,
    CLAUSE_SPEECH_VERBS,
    SPEECH_VERBS,
)
from storyweave.analysis.quote_patterns import OBJECT_DEPS, MarkSpan

if TYPE_CHECKING:  # pragma: no cover - typing only; spaCy is imported by nlp/ alone
    from spacy.tokens import Doc, Token

# Relations along which a cue verb without a subject of its own borrows the subject of its head
# ("Trump sharply escalated his rhetoric, accusing Petro ...": accusing -> escalated -> Trump).
_BORROW_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep", "acl", "relcl", "ccomp", "dep"})


# Phrasal verbs that report words though the verb alone is no cue: "“...,” Trump went on", "he points out".
_PHRASAL_CUES = {"go": "on", "point": "out"}


def _goes_on(node: Token) -> bool:
    """ "“...,” Trump went on", "“...,” he points out": a phrasal verb that reports the speaker's words."""
    particle = _PHRASAL_CUES.get(node.lemma_.lower())
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in node.children)


def spoken_cue(cue: Token) -> str:
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


def governing_cue(doc: Doc, text: str, parts: list[MarkSpan], quoted: list[tuple[int, int]]) -> Token | None:
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


def governing_verbs(doc: Doc, parts: list[MarkSpan], quoted: list[tuple[int, int]]) -> list[Token]:
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


def nearest_cue(
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


def cue_subject(cue: Token, quoted: Sequence[tuple[int, int]] = ()) -> Token | None:
    """Who the cue verb is about: its subject, the agent of a passive, or a subject borrowed from its head.
    A subject inside quotation marks is part of the quoted words ("“We were wrong,” Ramos told AFP")."""
    node = cue
    for _ in range(5):
        for child in node.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in node.children)
        borrowed_from_quote = node is not cue and inside_any(node, quoted)  # "X “had ...,” adding": not X
        subjects = [
            child
            for child in node.children
            if not (inside_any(child, quoted) or borrowed_from_quote)
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


def reporting_subject(cue: Token, quoted: Sequence[tuple[int, int]]) -> Token | None:
    """ "Kasich says he'd sit Putin down and tell him “no more nonsense”": a cue inside what another speech
    verb reports belongs to that verb's speaker, who is named where the embedded "he" is not."""
    child, node = cue, cue.head
    for _ in range(4):
        if node is child or child.dep_ not in _BORROW_DEPS:
            return None
        lemma = node.lemma_.lower()
        if lemma in SPEECH_VERBS and lemma not in AMBIGUOUS_SPEECH_VERBS and node.pos_ == "VERB":
            subject = cue_subject(node, quoted)
            return subject if subject is not None and subject.pos_ == "PROPN" else None
        child, node = node, node.head
    return None


def name_before_cue(doc: Doc, parts: list[MarkSpan], cue: Token) -> Token | None:
    """ "“Yes, I support Ted Cruz,” Brent Bozell III, founder of ..., tells Breitbart": the parser gives the
    cue no subject; the name between the closing mark and the cue is the speaker."""
    after = [t for t in doc if parts[-1].close <= t.idx < cue.idx and not t.is_punct]
    if not after or after[0].pos_ != "PROPN" or cue.i - after[0].i > 15:
        return None
    token = after[0]
    while token.dep_ in ("compound", "flat") and token.head.pos_ == "PROPN" and token.head.i < cue.i:
        token = token.head
    return token


def stray_subject(cue: Token) -> Token | None:
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


def colon_intro(doc: Doc, text: str, open_mark: int) -> Token | None:
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


def trailing_cue(doc: Doc, text: str, parts: list[MarkSpan], quoted: list[tuple[int, int]]) -> Token | None:
    """ "“...,” Bozell answers.", "“...!” he yelled": a quote that ends open (comma, ? or !) followed by a
    short clause of a subject and a speech verb, which the parse did not tie to the quote."""
    if text[parts[-1].start : parts[-1].end].rstrip()[-1:] not in (",", "?", "!", "—"):
        return None
    close = parts[-1].close
    # 8 tokens / 120 characters: the speaker clauses of PolNeAR train ("..., Gov. John Kasich (R-OH), said")
    # fit; chosen with `python bench/quotes.py --data ../shared/datasets/polnear/data/train --limit 150`.
    after = [t for t in doc if close <= t.idx < close + 120 and not inside_any(t, quoted)]
    for token in after[:8]:
        if token.text in (".", ";", "“", '"') or "\n" in token.text:
            return None
        speech = token.lemma_.lower() in SPEECH_VERBS or _goes_on(token)
        if (
            speech
            and token.pos_ == "VERB"
            and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.idx >= close and not inside_any(c, quoted)
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


def inside_any(token: Token, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether the token lies in one of the character ranges (a quote's marks)."""
    return any(s <= token.idx < e for s, e in ranges)
