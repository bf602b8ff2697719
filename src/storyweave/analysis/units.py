"""Statement units: the sentences, or clauses of sentences, that claims are made of.

A sentence that joins two facts with "and later" or "but" states two things that outlets report
separately ("Trump warned Petro to “watch his ass” and later described him as a “sick man”"), so
a coordinated main verb with a subject or object of its own starts a new unit. Offsets stay
offsets into the article's cleaned text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from storyweave.analysis.lexicon import REPORTING_VERBS
from storyweave.model import Article, Sentence, TimeExpression, Unit

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.tokens import Span, Token

# A clause shorter than this many tokens stays with its neighbour: short tails are fragments.
MIN_CLAUSE_TOKENS = 5


def _coordinated_verbs(root: Token) -> list[Token]:
    """The verbs coordinated with the sentence's main verb, each with the head it hangs on.

    spaCy chains a list of verbs ("revoked …, imposed …, and decertified …": decertified hangs on
    imposed) and, under a trailing reporting verb ("He threatened … and suggested …, The Hill
    reported"), coordinates them inside the reported clause; both are one statement per verb.
    """
    heads = [root]
    if root.lemma_.lower() in REPORTING_VERBS:
        heads += [
            c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") and c.i < root.i
        ]
    found: list[Token] = []
    while heads:
        head = heads.pop(0)
        for child in head.children:
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                found.append(child)
                heads.append(child)
    return sorted(found, key=lambda t: t.i)


def _split_points(article: Article, start: int, end: int) -> list[int]:
    doc = article.doc
    if doc is None:
        return []
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    points: list[int] = []
    for child in _coordinated_verbs(span.root):
        has_args = any(
            c.dep_ in ("dobj", "nsubj", "attr", "ccomp", "xcomp", "prep", "dative") for c in child.children
        )
        if not has_args:
            continue
        cc = [c for c in child.head.children if c.dep_ == "cc" and c.i < child.i]
        first = cc[-1] if cc else child
        # Move the cut before a comma that precedes the conjunction.
        cut_token = first
        if cut_token.i > span.start and doc[cut_token.i - 1].text == ",":
            cut_token = doc[cut_token.i - 1]
        before = cut_token.i - span.start
        after = span.end - cut_token.i
        if before >= MIN_CLAUSE_TOKENS and after >= MIN_CLAUSE_TOKENS:
            points.append(cut_token.idx)
    points.extend(_relative_clause_points(span))
    return sorted(set(points))


def _relative_clause_points(span: Span) -> list[int]:
    """Cut before a trailing non-restrictive relative clause that states a fact of its own.

    "Trump said he spoke with Petro by phone, during which the Colombian leader explained …" reports
    the call and what Petro explained; outlets report the two separately. Only a clause set off by a
    comma that runs to the end of the sentence is cut, so every unit stays one stretch of text and a
    clause in the middle ("Petro, who called, said …") keeps its attribution attached.
    """
    doc = span.doc
    points: list[int] = []
    last = span.end - 1
    while last > span.start and doc[last].is_punct:
        last -= 1
    for token in span:
        if token.dep_ not in ("relcl", "advcl") or token.pos_ not in ("VERB", "AUX"):
            continue
        left = token.left_edge.i
        # spaCy parses "…, during which X explained" as advcl: a wh-word opening it makes it relative.
        if token.dep_ == "advcl" and not any(doc[k].tag_ in ("WDT", "WP", "WRB") for k in (left, left + 1)):
            continue
        if left <= span.start or doc[left - 1].text != "," or token.right_edge.i < last:
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
            continue
        if left - span.start >= MIN_CLAUSE_TOKENS and span.end - left >= MIN_CLAUSE_TOKENS:
            points.append(doc[left - 1].idx)
    return points


def body_sentences(article: Article) -> list[Sentence]:
    """The sentences the analyses read: all but the headings; a report that is all headings (a one-line
    brief, a headline with no body) is its own body, so it still states what it says."""
    body = [s for s in article.sentences if not s.heading]
    return body or list(article.sentences)


def statement_units(articles: Sequence[Article]) -> list[Unit]:
    """Every body sentence of every article, split into clauses where it joins two facts."""
    units: list[Unit] = []
    for article in articles:
        for sentence in body_sentences(article):
            if len(sentence.text.split()) < 4:
                continue
            bounds = [sentence.start, *_split_points(article, sentence.start, sentence.end), sentence.end]
            for left, right in zip(bounds, bounds[1:], strict=False):
                text = article.text[left:right]
                stripped_left = left + (len(text) - len(text.lstrip(" ,;")))
                stripped_right = right - (len(text) - len(text.rstrip()))
                clause = article.text[stripped_left:stripped_right]
                if clause:
                    units.append(Unit(article, sentence.index, stripped_left, stripped_right, clause))
    return units


def time_expressions_in(unit: Unit, dates: Mapping[str, Sequence[TimeExpression]]) -> list[TimeExpression]:
    """The time expressions of the unit's article that start inside the unit."""
    return [e for e in dates.get(unit.article.id, []) if unit.start <= e.start < unit.end]
