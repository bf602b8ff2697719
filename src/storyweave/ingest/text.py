"""Plain text (.txt, .md): bytes to text, and the shared decoding every reader uses.

Web text arrives in whatever encoding its scraper wrote. We accept the encodings that are
unambiguous (UTF-8, UTF-8 with BOM, UTF-16 with BOM) and fall back to cp1252 only when the
result still reads as Western text, so a file in an unknown encoding is reported rather than
turned into mojibake that every later stage would trust.
"""

from __future__ import annotations

import re
from pathlib import Path

from storyweave.ingest.errors import InputError
from storyweave.model import Article, stable_id

# A cp1252 decoding is accepted only if at most this share of its characters is outside ASCII:
# English/Western European news text is far below it, text in Cyrillic or CJK encodings read as
# cp1252 is far above it. Chosen by hand on the test files in tests/test_ingest.py.
MAX_NON_ASCII_SHARE_CP1252 = 0.3

# Text keeps up to this share of stray control characters (removed) and of broken UTF-8 sequences
# (replaced by U+FFFD) before it is called binary or of unknown encoding: 7 of the 990 pages of
# trafilatura's eval corpus carry a few and were refused (bench/extraction.py); binary data has far more.
MAX_STRAY_CONTROL_SHARE = 0.001
MAX_BROKEN_UTF8_SHARE = 0.001

# A first line is taken for a headline when it is this short and ends without punctuation.
HEADLINE_MAX_WORDS = 25
HEADLINE_MAX_CHARS = 200
HEADLINE_MIN_WORDS = 3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WS = re.compile(r"\s+")
_TERMINAL = ".!?:;,"
_CLOSING = "\"'”’)]»"


def normalise_for_id(raw: str) -> str:
    """Whitespace-collapsed, lowercased text: the content an article id depends on."""
    return _WS.sub(" ", raw).strip().lower()


def article_id(raw: str) -> str:
    """The stable content id: the same article read twice, from any file, gets the same id."""
    return stable_id("a-", normalise_for_id(raw))


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    if _CONTROL.search(text):
        return False
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return non_ascii / len(text) <= MAX_NON_ASCII_SHARE_CP1252


# Text with NUL bytes is UTF-16 or UTF-32 without a byte-order mark, or not text at all. charset-normalizer
# names the encoding; the result is kept only if it reads as text: no control characters, and at most
# this share of unprintable characters (unassigned code points, lone surrogates: what binary data decoded
# as UTF-16 is full of). Chosen by hand on the files of tests/test_ingest.py and tests/test_fuzz_readers.py.
_WIDE_ENCODINGS = ("utf_16", "utf_32")
MAX_ODD_SHARE_WIDE = 0.05


def _detected_wide_text(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is None or not best.encoding.startswith(_WIDE_ENCODINGS):
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if not text.strip() or _CONTROL.search(text):
        return None
    odd = sum(1 for ch in text if not (ch.isprintable() or ch.isspace()))
    if odd / len(text) > MAX_ODD_SHARE_WIDE:
        return None
    return text


def decode(data: bytes, path: str, declared: str | None = None) -> str:
    """Decode file bytes to text with ``\\n`` line ends, or raise :class:`InputError` saying why not.

    ``declared`` is an encoding the file names for itself (an HTML meta charset); it is tried
    after the byte-order marks, before the guesses.
    """
    return _decode(data, path, declared).replace("\r\n", "\n").replace("\r", "\n")


def _tolerate(text: str, path: str) -> str:
    """``text`` without stray control characters, or InputError when there are too many for text.

    Web pages and scraped text often carry a few (a form feed, a vertical tab, an ESC from a copied
    terminal line); a binary file decoded as text is full of them."""
    found = _CONTROL.findall(text)
    if not found:
        return text
    if len(found) > MAX_STRAY_CONTROL_SHARE * len(text):
        raise InputError(path, "binary file (not text)")
    return _CONTROL.sub("", text)


def _decode(data: bytes, path: str, declared: str | None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _tolerate(data.decode("utf-8-sig"), path)
        except UnicodeDecodeError:
            raise InputError(path, "unknown text encoding") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(path, "unknown text encoding") from None
        return _tolerate(text, path)
    if b"\x00" in data:
        wide = _detected_wide_text(data)
        if wide is None:
            raise InputError(path, "binary file (not text)")
        return wide
    candidates = ["utf-8"]
    if declared:
        candidates.insert(0, declared)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return _tolerate(text, path)
    # UTF-8 with a few broken sequences (a page cut and pasted together): kept, the bytes replaced.
    text = data.decode("utf-8", errors="replace")
    if 0 < text.count("\ufffd") <= MAX_BROKEN_UTF8_SHARE * len(text):
        return _tolerate(text, path)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(path, "unknown text encoding") from None
    if not _looks_like_text(text):
        raise InputError(path, "unknown text encoding")
    return text


def guess_title(raw: str) -> str | None:
    """The first line, when it looks like a headline: short, no terminal punctuation, more text after."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    first = lines[0].lstrip("#").strip()
    words = first.split()
    if not HEADLINE_MIN_WORDS <= len(words) <= HEADLINE_MAX_WORDS or len(first) > HEADLINE_MAX_CHARS:
        return None
    if first.rstrip(_CLOSING)[-1:] in _TERMINAL or first[-1] in _TERMINAL:
        return None
    if not first[0].isupper() and not first[0].isdigit() and first[0] not in "\"“‘'":
        return None
    return first


def check_text(text: str, path: str) -> str:
    """Refuse empty text: an article with no words is no article."""
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def read_text(path: Path, shown: str) -> Article:
    """Read a .txt/.md file as one article; the whole text stays in ``raw`` (title included)."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(shown, "empty file")
    raw = check_text(decode(data, shown), shown)
    return Article(id=article_id(raw), path=shown, raw=raw)
