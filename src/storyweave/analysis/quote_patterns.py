"""Surface patterns for quotes: quotation-mark spans, cue words, channels and text normalisation.

Kept apart from :mod:`storyweave.analysis.quotes` so that the parts that need no parse (finding the
spans between quotation marks, naming the channel of a post) can be read and tested on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyweave.analysis.lexicon import fold_words


def _lexicon(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Dependency relations by which a quote hangs off an ambiguous cue as its object or complement.
OBJECT_DEPS = frozenset({"dobj", "obj", "oprd", "attr", "npadvmod", "appos", "acomp", "pobj", "nsubj"})

# Social platforms named in text; longest first so "Truth Social" wins over a bare word.
PLATFORMS = (
    "Truth Social",
    "Twitter",
    "Facebook",
    "Instagram",
    "Telegram",
    "TikTok",
    "YouTube",
    "Bluesky",
    "Threads",
    "WhatsApp",
    "Weibo",
    "LinkedIn",
)
_PLATFORM_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in PLATFORMS) + r")\b")
_X_RE = re.compile(r"\b(?:on|in|via|to)\s+(?:the\s+platform\s+)?X\b(?![-\w])")
_CHANNEL_WORDS = (
    (re.compile(r"\bsocial[- ]media\b|\bsocial network\b", re.I), "social media"),
    (re.compile(r"\bstatements?\b|\bcommuniqu[eé]\b|\bpress release\b", re.I), "statement"),
    (re.compile(r"\bpress conference\b|\bnews conference\b|\bbriefing\b", re.I), "press conference"),
    (re.compile(r"\binterview\b", re.I), "interview"),
    (re.compile(r"\breporters\b|\bjournalists\b", re.I), "reporters"),
    (re.compile(r"\bspeech\b|\baddress(?:ed)?\b", re.I), "speech"),
    (re.compile(r"\b(?:a|his|her|their|the) post\b|\bposted\b|\btweet(?:ed)?\b", re.I), "social media"),
    (re.compile(r"\bletter\b", re.I), "letter"),
)

# Words a headline or a title of a work leaves lower-case when the rest is Title Case.
_TITLE_SMALL = _lexicon("a an and as at but by for from in into of on or over the to up via with vs")


@dataclass(frozen=True)
class MarkSpan:
    """The text between a pair of quotation marks: ``start``/``end`` exclude the marks themselves."""

    start: int
    end: int
    kind: str  # "double" (curly or straight) or "single"

    @property
    def open(self) -> int:
        return self.start - 1

    @property
    def close(self) -> int:
        return self.end + 1


def words(text: str) -> list[str]:
    return fold_words(text).split()


# An opening mark left unclosed at the end of a paragraph opens a quote that runs on into the next paragraph
# (the news convention: the closing mark comes only after the last paragraph); it counts when at least this
# many words follow it, so a stray mark is not a quote. Chosen with
# `python bench/quotes.py --data ../shared/datasets/polnear/data/train --limit 200`.
UNCLOSED_MIN_WORDS = 4


def _double_spans(text: str) -> list[MarkSpan]:
    """Spans in curly “…” and straight "…" marks. A span ends with its paragraph, except that a curly quote
    cut by a single line break (“... participate personally\nin caucuses.”) runs on to its closing mark, and a
    paragraph that opens a quote without closing it, followed by a paragraph that opens with a mark again,
    continues there (the news convention for a quote of several paragraphs). A paragraph left open otherwise
    gives a span to its end."""
    spans: list[MarkSpan] = []
    lines = list(re.finditer(r"[^\n]+", text))
    carried: int | None = None  # absolute offset of an opening mark still open from the line before
    carried_kind = ""
    for number, paragraph in enumerate(lines):
        offset = paragraph.start()
        line = paragraph.group()
        opened: int | None = carried if carried_kind == "curly" else None
        straight_open: int | None = carried if carried_kind == "straight" else None
        skip = 0 if carried is None or carried_kind == "curly_broken" else 1  # the continuation's mark
        if carried_kind == "curly_broken":
            opened = carried
        carried, carried_kind = None, ""
        for i, char in enumerate(line):
            if i < skip:
                continue
            if char == "“":
                opened = offset + i
            elif char == "”" and opened is not None:
                spans.append(MarkSpan(opened + 1, offset + i, "double"))
                opened = None
            elif char == '"' and opened is None:
                if straight_open is None:
                    straight_open = offset + i
                else:
                    spans.append(MarkSpan(straight_open + 1, offset + i, "double"))
                    straight_open = None
        following = lines[number + 1] if number + 1 < len(lines) else None
        rest = following.group() if following is not None else ""
        adjacent = following is not None and following.start() == paragraph.end() + 1
        continues = following is not None and not text[paragraph.end() : following.start()].strip()
        if opened is not None:
            close, reopen = rest.find("”"), rest.find("“")
            if adjacent and close >= 0 and (reopen < 0 or close < reopen):
                carried, carried_kind = opened, "curly_broken"
            elif continues and rest.startswith("“") and opened >= offset and line.lstrip().startswith("“"):
                carried, carried_kind = opened, "curly"
            elif len(text[opened + 1 : paragraph.end()].split()) >= UNCLOSED_MIN_WORDS:
                spans.append(MarkSpan(opened + 1, paragraph.end(), "double"))
        elif straight_open is not None and (straight_open == offset or skip):
            if continues and rest.startswith('"'):
                carried, carried_kind = straight_open, "straight"
            elif len(text[straight_open + 1 : paragraph.end()].split()) >= UNCLOSED_MIN_WORDS:
                spans.append(MarkSpan(straight_open + 1, paragraph.end(), "double"))
    return spans


_SINGLE_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[:—–-]))[‘'](?=[^\W\d_])(?P<body>[^‘’'\n“”\"]{1,400}?[^\s‘’'])[’'](?![^\W_])"
)


def _single_spans(text: str, taken: list[MarkSpan]) -> list[MarkSpan]:
    """Spans in ‘…’ (or '…') whose marks cannot be apostrophes: a mark opens after a space and closes
    before a non-letter. Whether one is a quote at all is decided later, by its cue and speaker."""
    spans: list[MarkSpan] = []
    for match in _SINGLE_RE.finditer(text):
        start, end = match.start("body"), match.end("body")
        if any(span.start - 1 <= start and end <= span.end + 1 for span in taken):
            continue  # a quote inside a quote, or an apostrophe inside one
        spans.append(MarkSpan(start, end, "single"))
    return spans


def mark_spans(text: str) -> list[MarkSpan]:
    """Every span between quotation marks in a text, in order of position."""
    doubles = [
        span for span in _double_spans(text) if text[span.open - 1 : span.open] != "="
    ]  # markup: a="b"
    spans = doubles + _single_spans(text, doubles)
    return sorted(spans, key=lambda span: span.start)


# Words right before the marks of a programme's or a work's name: 'said on ABC’s “This Week”', 'told “Good
# Morning America”', 'in “Parks and Recreation”'.
_SHOW_BEFORE = re.compile(r"(?:\b(?:on|to|told|tells|in|at|from)|[’']s)\s*$", re.I)


def names_a_show(text: str, open_mark: int, quoted: str) -> bool:
    """A quoted title after "on", "told" or a possessive: the name of a programme or work, not words said."""
    return looks_like_title(quoted.rstrip(".")) and bool(
        _SHOW_BEFORE.search(text[max(0, open_mark - 12) : open_mark])
    )


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of a quote without surrounding spaces and the trailing comma American style puts inside."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def looks_like_title(text: str) -> bool:
    """A title of a work or a headline: two or more words, every long word capitalised."""
    tokens = re.findall(r"[^\W\d_][\w’'-]*", text)
    if len(tokens) < 2:
        return False
    long_words = [t for t in tokens if t.casefold() not in _TITLE_SMALL]
    sentence_end = text.rstrip().endswith((".", "?", "!"))
    return bool(long_words) and all(t[0].isupper() for t in long_words) and not sentence_end


def platform_of(context: str) -> str | None:
    """A social platform named in a text ("Truth Social", "X" in "on X"), or None."""
    platform = _PLATFORM_RE.search(context)
    if platform:
        return platform.group(1)
    return "X" if _X_RE.search(context) else None


def channel_of(context: str) -> str | None:
    """The channel words came through, from the text around a quote: a named platform, "X", or a kind."""
    platform = platform_of(context)
    if platform:
        return platform
    for pattern, name in _CHANNEL_WORDS:
        if pattern.search(context):
            return name
    return None


# Between the two parts of one quote: “A,” he said, “B.” -> the speaker clause alone, with a cue word.
_MIDDLE_RE = re.compile(r"^\s*[,—–-]?\s*[”\"’']?\s*(?P<clause>[^“”\"]{2,80}?)\s*[,:.—–-]\s*[“\"‘']?\s*$")


def middle_clause(between: str) -> str | None:
    """The speaker clause between two parts of one quote, or None when the gap is something else."""
    match = _MIDDLE_RE.match(between)
    if match is None:
        return None
    clause = match.group("clause")
    if re.search(r"[.!?;]", clause.replace("Mr.", "Mr").replace("Ms.", "Ms").replace("Dr.", "Dr")):
        return None
    return clause if len(clause.split()) <= 10 else None
