"""Corpora for bench/grouping.py: ECB+ documents and NeuS (AllSides) reports as articles with a gold story.

ECB+: every ``ECB+/<topic>/<topic>_<n>ecb.xml`` / ``..ecbplus.xml`` is one article, rebuilt from all its
tokens (not only the annotated sentences: grouping reads whole reports), one token sentence per line. In
``*ecbplus.xml`` sentence 0 is the source URL, kept as the url and not as text; the first text sentence is
taken as the title (for ECB it is often the lead sentence instead). Gold story = the sub-topic (topic, ecb
or ecbplus). NeuS: every line of NAME.source is one story of three outlets' reports (title + lead).
"""

from __future__ import annotations

import random
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from summary import parse_story  # noqa: E402

# The standard ECB+ development split (the dataset's README); topics 36-45 are the test topics.
TRAIN_TOPICS = frozenset(
    {1, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 16, 19, 20, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33}
)
DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
SEED = 13

_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}”’]|'[sS]\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_SPACE_AFTER = re.compile(r"(?<=[(\[{$“‘]) ")
_URL_SPACES = re.compile(r"\s+")


@dataclass
class Doc:
    """One article of a benchmark corpus, with its gold story."""

    name: str
    text: str
    title: str | None
    url: str | None
    gold: str


def tidy(tokens: list[str]) -> str:
    """Tokens joined by spaces, without the spaces a tokenizer puts before punctuation and after openers."""
    text = " ".join(t for t in tokens if t).replace("``", "“").replace("''", "”")
    return _SPACE_AFTER.sub("", _SPACE_BEFORE.sub("", text))


def read_ecb(path: Path) -> Doc:
    """One ECB+ document as an article: title = first text sentence, url = sentence 0 of ``ecbplus``."""
    sentences: dict[int, list[str]] = defaultdict(list)
    for token in ET.parse(path).getroot().iter("token"):
        sentences[int(token.get("sentence", "0"))].append(token.text or "")
    name = path.stem
    plus = name.endswith("ecbplus")
    url = None
    numbers = sorted(sentences)
    if plus and numbers and numbers[0] == 0:
        url = _URL_SPACES.sub("", "".join(sentences[0])) or None
        numbers = numbers[1:]
    lines = [line for line in (tidy(sentences[n]) for n in numbers) if line]
    topic = name.split("_")[0]
    return Doc(
        name=name,
        text="\n".join(lines),
        title=lines[0] if lines else None,
        url=url,
        gold=f"{topic}_{'ecbplus' if plus else 'ecb'}",
    )


def topics_of(spec: str) -> frozenset[int]:
    """The topic set of ``--topics``: dev, train or all (both)."""
    return {"dev": DEV_TOPICS, "train": TRAIN_TOPICS, "all": DEV_TOPICS | TRAIN_TOPICS}[spec]


def load_ecb(data: Path, topics: frozenset[int]) -> list[Doc]:
    """The documents of ``topics``, in a fixed shuffled order (the grouping is order dependent)."""
    paths = sorted(
        (p for p in (data / "ECB+").glob("*/*.xml") if int(p.stem.split("_")[0]) in topics),
        key=lambda p: p.stem,
    )
    random.Random(SEED).shuffle(paths)
    return [read_ecb(p) for p in paths]


def load_neus(source: Path, limit: int | None = None) -> list[Doc]:
    """Each report of each story line (the first ``limit`` lines), in a fixed shuffled order."""
    docs: list[Doc] = []
    lines = source.read_text(encoding="utf-8").splitlines()[:limit]
    for number, line in enumerate(lines, start=1):
        for k, (title, body) in enumerate(parse_story(line), start=1):
            text = f"{title}\n{body}" if title else body
            docs.append(Doc(f"{source.stem}-{number}-{k}", text, title or None, None, f"line-{number}"))
    random.Random(SEED).shuffle(docs)
    return docs
