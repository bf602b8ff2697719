"""Ingest: files and folders in, :class:`~storyweave.model.Article` or :class:`~storyweave.model.Skipped` out.

One module per input kind (:mod:`.text`, :mod:`.html`, :mod:`.jsonl`), the sidecar
:mod:`.manifest`, and :func:`read_inputs`, the entry point, which walks folders in a fixed order,
applies metadata, gives each article its content id and drops repeats. Bad input never raises:
it comes out as a ``Skipped(path, reason)`` and the rest of the batch goes on.
"""

from __future__ import annotations

import dataclasses
import email.utils
import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from storyweave.ingest.errors import InputError
from storyweave.ingest.feeds import read_feed
from storyweave.ingest.html import read_html
from storyweave.ingest.jsonl import read_json, read_jsonl
from storyweave.ingest.manifest import MANIFEST_NAME, ManifestEntry, read_manifest
from storyweave.ingest.text import guess_title, read_text
from storyweave.ingest.url import Fetcher, FetchSettings, current_settings, is_url, read_url
from storyweave.ingest.warc import read_warc
from storyweave.model import Article, Skipped

__all__ = [
    "MAX_FILE_BYTES",
    "READERS",
    "InputError",
    "input_files",
    "normalise_date",
    "read_inputs",
    "read_urls",
]

# Larger files are skipped unread: no news report comes near it, and reading a stray multi-GB file
# into memory would stall the batch. Tests lower it with monkeypatch.
MAX_FILE_BYTES = 20 * 1024 * 1024

Reader = Callable[[Path, str], "Article | Iterable[Article | Skipped]"]

# Input kinds by file suffix; other ingest modules (warc, feeds) register here too.
READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".warc": read_warc,
    ".warc.gz": read_warc,
    ".rss": read_feed,
    ".atom": read_feed,
}
# Kinds whose title is guessed from the first line when no metadata gives one.
_GUESS_TITLE = {".txt", ".md"}
# Documentation that sits beside a corpus, not part of it (ignored inside folders).
_DOCS = {"readme.md", "readme.txt"}

# Metadata dates are parsed in English month and day names only: with no language given, dateparser tries
# every locale it knows and compiles their patterns, 2-8 s for one odd string (tests/test_fuzz_readers.py
# found it). A date string longer than this is no date (the longest written form is ~40 characters).
DATE_LANGUAGES = ["en"]
MAX_DATE_CHARS = 80

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/._-]|$)")


def _valid(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def normalise_date(value: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from a metadata date string, or None when it names no full day.

    Datetimes keep their date as written (no time-zone shift). Relative phrases ("yesterday") are
    refused: they would make the result depend on the day the tool runs.
    """
    text = value.strip()
    if not text or len(text) > MAX_DATE_CHARS:
        return None
    match = _ISO_DATE.match(text)
    if match:
        return _valid(*match.groups())
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # lazy: only odd date formats need it

    parsed = dateparser.parse(
        text,
        languages=DATE_LANGUAGES,
        settings={
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date().isoformat() if parsed else None


def date_from_url(url: str) -> str | None:
    """The date in a URL path such as ``/2026/01/08/`` or ``/2026-01-08-``, if any."""
    match = _URL_DATE.search(url)
    return _valid(*match.groups()) if match else None


class _Manifests:
    """Manifests by folder, each read once; reading errors are queued to be reported once."""

    def __init__(self) -> None:
        self._by_dir: dict[Path, dict[Path, ManifestEntry]] = {}
        self.errors: list[Skipped] = []

    def _load(self, folder: Path, shown_folder: str) -> dict[Path, ManifestEntry]:
        key = folder.resolve()
        if key not in self._by_dir:
            entries: dict[Path, ManifestEntry] = {}
            manifest = folder / MANIFEST_NAME
            if manifest.is_file():
                try:
                    entries = read_manifest(manifest, os.path.join(shown_folder, MANIFEST_NAME))
                except InputError as err:
                    self.errors.append(Skipped(err.path, err.reason))
                except OSError as exc:
                    self.errors.append(Skipped(str(manifest), _os_reason(exc)))
            self._by_dir[key] = entries
        return self._by_dir[key]

    def lookup(self, file: Path, folders: Sequence[tuple[Path, str]]) -> ManifestEntry | None:
        """The entry for ``file`` from the nearest of ``folders`` (innermost last) that lists it."""
        resolved = file.resolve()
        for folder, shown in reversed(folders):
            entry = self._load(folder, shown).get(resolved)
            if entry is not None:
                return entry
        return None


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.1f} KB"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or type(exc).__name__).lower()


def _finish(article: Article, entry: ManifestEntry | None, guess: bool, user_date: str | None) -> None:
    """Fill metadata in order of trust: the file's own, the manifest, the URL, the user's date."""
    if entry is not None:
        for name in ("url", "source", "title", "author"):
            if getattr(article, name) is None and getattr(entry, name) is not None:
                setattr(article, name, getattr(entry, name))
    if guess and article.title is None:
        article.title = guess_title(article.raw)
    # A date the page's own text gave (html._date_in_page) ranks below the manifest and the URL.
    from_text = article.published if article.published_from == "text" else None
    own = None if from_text else article.published
    candidates = [own, entry.published if entry else None]
    article.published, article.published_from = None, "unknown"
    for candidate in candidates:
        normalised = normalise_date(candidate) if candidate else None
        if normalised:
            article.published, article.published_from = normalised, "metadata"
            return
    from_url = date_from_url(article.url) if article.url else None
    text_date = normalise_date(from_text) if from_text else None
    if from_url:
        article.published, article.published_from = from_url, "url"
    elif text_date:
        article.published, article.published_from = text_date, "text"
    elif user_date:
        article.published, article.published_from = user_date, "user"


def _kind(path: Path) -> str:
    """The reader key of a file: its suffix, or ".warc.gz" for compressed archives."""
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def _read_file(
    file: Path, shown: str, folders: Sequence[tuple[Path, str]], manifests: _Manifests, user_date: str | None
) -> Iterator[Article | Skipped]:
    suffix = _kind(file)
    reader = READERS.get(suffix)
    if reader is None:
        yield Skipped(shown, f"unsupported file type {suffix or '(no extension)'}")
        return
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Skipped(shown, f"file too large ({_size(size)}, limit {_size(MAX_FILE_BYTES)})")
            return
        result = reader(file, shown)
        items: Iterable[Article | Skipped] = [result] if isinstance(result, Article) else result
        entry: ManifestEntry | None = None
        for item in items:
            if isinstance(item, Article):
                if entry is None:
                    entry = manifests.lookup(file, folders)
                    yield from _drain(manifests)
                _finish(item, entry, suffix in _GUESS_TITLE, user_date)
            yield item
    except InputError as err:
        yield Skipped(err.path, err.reason)
    except OSError as exc:
        yield Skipped(shown, _os_reason(exc))


def _read_url(url: str, user_date: str | None, fetcher: Fetcher) -> Iterator[Article | Skipped]:
    try:
        for item in read_url(url, MAX_FILE_BYTES, fetcher):
            if isinstance(item, Article):
                _finish(item, None, False, user_date)
            yield item
    except InputError as err:
        yield Skipped(err.path, err.reason)


def _drain(manifests: _Manifests) -> Iterator[Skipped]:
    while manifests.errors:
        yield manifests.errors.pop(0)


def _walk(
    folder: Path, shown: str, chain: tuple[tuple[Path, str], ...], visited: set[Path]
) -> Iterator[tuple[Path, str, tuple[tuple[Path, str], ...]] | Skipped]:
    """Files under ``folder`` in sorted order, each with the folders from the given root down to it.

    Files of unknown kinds, hidden files and README files are ignored: a folder holds more than articles.
    """
    try:
        real = folder.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on Python 3.11
        yield Skipped(shown, "symlink loop" if isinstance(exc, RuntimeError) else _os_reason(exc))
        return
    if real in visited:  # a link back to a folder on the way down, or to one already read
        yield Skipped(shown, "symlink loop (folder already read)")
        return
    visited.add(real)
    chain = (*chain, (folder, shown))
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield Skipped(shown, _os_reason(exc))
        return
    for entry in entries:
        name = entry.name
        entry_shown = os.path.join(shown, name)
        if name.startswith("."):
            continue
        try:
            mode = entry.stat().st_mode
        except OSError as exc:  # a dangling symlink, a link loop, an entry gone or unreadable
            if not entry.is_symlink():
                yield Skipped(entry_shown, _os_reason(exc))
            elif _kind(entry) in READERS or not entry.suffix:  # it named an input or maybe a folder
                loop = exc.errno == errno.ELOOP
                yield Skipped(entry_shown, "symlink loop" if loop else "broken symlink")
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(entry, entry_shown, chain, visited)
        elif _kind(entry) in READERS and name.lower() not in _DOCS:
            if stat.S_ISREG(mode):
                yield entry, entry_shown, chain
            else:
                yield Skipped(entry_shown, "not a regular file")


def read_inputs(
    paths: Sequence[str | Path], *, published: str | None = None, allow_private_urls: bool | None = None
) -> Iterator[Article | Skipped]:
    """Read files and folders into articles, in a fixed order, each distinct article once.

    ``published`` is the user's date for articles whose metadata and URL give none. A repeated
    article (same content, whitespace and case aside) comes out as ``Skipped(path, "duplicate of
    <first path>")`` so the user sees it was read. URLs share one HTTP client for the run; they may reach
    private addresses only with ``allow_private_urls`` (None: as :func:`.url.fetch_settings` says).
    """
    settings = current_settings()  # read now: the caller's block may end before the generator does
    if allow_private_urls is not None:
        settings = dataclasses.replace(settings, allow_private=allow_private_urls)
    return _read_inputs(paths, published, settings)


def read_urls(
    urls: Sequence[str], *, published: str | None = None, settings: FetchSettings | None = None
) -> Iterator[Article | Skipped]:
    """Fetch pages and feeds as :func:`read_inputs` does, but read every entry as a URL, never as a path.

    For the web API: what a client posts must not name a file on the server, so an entry that is not
    an http(s) URL is one ``Skipped`` from the address policy. ``settings`` default to the current ones.
    """
    return _read_inputs(urls, published, settings or current_settings(), urls_only=True)


def _read_inputs(
    paths: Sequence[str | Path], published: str | None, settings: FetchSettings, urls_only: bool = False
) -> Iterator[Article | Skipped]:
    user_date: str | None = None
    if published is not None:
        user_date = normalise_date(published)
        if user_date is None:
            yield Skipped("--published", f"not a date: {published!r}")
    manifests = _Manifests()
    first_path: dict[str, str] = {}
    fetcher: Fetcher | None = None

    def unique(items: Iterable[Article | Skipped]) -> Iterator[Article | Skipped]:
        for item in items:
            if isinstance(item, Article):
                if item.id in first_path:
                    yield Skipped(item.path, f"duplicate of {first_path[item.id]}")
                    continue
                first_path[item.id] = item.path
            yield item

    try:
        for given in paths:
            path, shown = Path(given), str(given)
            if urls_only or is_url(shown):
                if fetcher is None:
                    fetcher = Fetcher(settings, max_bytes=MAX_FILE_BYTES)
                yield from unique(_read_url(shown, user_date, fetcher))
            elif path.is_dir():
                for found in _walk(path, shown, (), set()):
                    if isinstance(found, Skipped):
                        yield found
                        continue
                    file, file_shown, chain = found
                    yield from unique(_read_file(file, file_shown, chain, manifests, user_date))
            elif path.is_file():
                parent = path.parent
                yield from unique(_read_file(path, shown, [(parent, str(parent))], manifests, user_date))
            elif path.exists():
                yield Skipped(shown, "not a regular file")
            else:
                yield Skipped(shown, "no such file or directory")
    finally:
        if fetcher is not None:
            fetcher.close()


def input_files(paths: Sequence[str | Path]) -> Iterator[str | Skipped]:
    """The inputs one by one, folders walked as :func:`read_inputs` walks them: the units an engine
    can read apart (``read_inputs([unit])``) and put back in this order.

    Files, URLs and missing paths come out as given (``read_inputs`` names their problems); a folder
    comes out as its files, in read order, and the folders it cannot list as ``Skipped``.
    """
    for given in paths:
        path, shown = Path(given), str(given)
        if is_url(shown) or not path.is_dir():
            yield shown
            continue
        for found in _walk(path, shown, (), set()):
            yield found if isinstance(found, Skipped) else found[1]
