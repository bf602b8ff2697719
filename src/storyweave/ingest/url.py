"""URLs: a page or a feed fetched over HTTP(S) under the address policy, with a deadline and a size cap.

One :class:`Fetcher` (one ``httpx.Client``, so connections are reused) serves a whole run. Each URL gets:
the address policy of :mod:`.netpolicy` before every request, after every redirect and on the socket it
connects to; at most ``MAX_REDIRECTS`` redirects, a loop named as such; a total deadline (``DEADLINE_S``)
on top of the per-read time-out, so a server that trickles bytes cannot hold a run; a cap on the body
counted after decompression, decoded here in bounded steps, so a gzip bomb stops at the cap. A response
that is a feed is read item by item, its teaser items' pages fetched concurrently (``FEED_WORKERS``).
Every failure is one ``InputError`` with a reason, never a traceback, and never the end of the batch.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from storyweave.ingest import netpolicy
from storyweave.ingest.errors import InputError
from storyweave.ingest.feeds import extract_linked_page, parse_feed
from storyweave.model import Article, Skipped

if TYPE_CHECKING:  # pragma: no cover
    import httpx

READ_TIMEOUT_S = 15.0  # per read or connect
DEADLINE_S = 30.0  # per URL, redirects and retries included
MAX_REDIRECTS = 5
RETRIES = 2  # further tries after a refused connection or a 5xx answer (never after a time-out)
RETRY_PAUSE_S = 0.5
FEED_WORKERS = 4  # linked pages of one feed fetched at once; a few, to be polite to one site
USER_AGENT = "storyweave/0.1 (+https://pypi.org/project/storyweave)"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchSettings:
    """What a run allows: private addresses (``--allow-private-urls``) or only some private networks
    (``allowed_networks``: an intranet, a test's loopback site), its deadline and read time-out."""

    allow_private: bool = False
    allowed_networks: tuple[netpolicy.Network, ...] = ()
    deadline_s: float = DEADLINE_S
    read_timeout_s: float = READ_TIMEOUT_S
    feed_workers: int = FEED_WORKERS


_SETTINGS: contextvars.ContextVar[FetchSettings | None] = contextvars.ContextVar(
    "storyweave_fetch_settings", default=None
)


def current_settings() -> FetchSettings:
    return _SETTINGS.get() or FetchSettings()


@contextlib.contextmanager
def fetch_settings(**changes: Any) -> Iterator[FetchSettings]:
    """Within the block, runs fetch with these settings (the CLI's ``--allow-private-urls`` sets one)."""
    settings = replace(current_settings(), **changes)
    token = _SETTINGS.set(settings)
    try:
        yield settings
    finally:
        _SETTINGS.reset(token)


# ------------------------------------------------------------------------------- the guarded connection


class _Deadline(threading.local):
    """The deadline of the fetch this thread is doing (monotonic seconds), read by every socket call."""

    at: float = math.inf


def _clamp(deadline: _Deadline, timeout: float | None) -> float:
    remaining = deadline.at - time.monotonic()
    if remaining <= 0:
        import httpcore

        raise httpcore.ReadTimeout("deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


def _guarded_backend(settings: FetchSettings, deadline: _Deadline) -> Any:
    """An httpcore network backend that connects only to allowed addresses and keeps every socket call
    within the current fetch's deadline."""
    import httpcore

    class GuardedStream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream) -> None:
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self._inner.read(max_bytes, _clamp(deadline, timeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, _clamp(deadline, timeout))

        def close(self) -> None:
            self._inner.close()

        def start_tls(
            self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
        ) -> Any:
            inner = self._inner.start_tls(ssl_context, server_hostname, _clamp(deadline, timeout))
            return GuardedStream(inner)

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class GuardedBackend(httpcore.SyncBackend):
        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore.NetworkStream:
            try:  # every address, as check_url does: the connection may take any
                addresses = netpolicy.check_host(
                    host, port, settings.allow_private, settings.allowed_networks
                )
            except netpolicy.RefusedURL as refused:
                raise httpcore.ConnectError(refused.reason) from None
            stream = super().connect_tcp(
                addresses[0], port, _clamp(deadline, timeout), local_address, socket_options
            )
            return GuardedStream(stream)

    return GuardedBackend()


class Fetcher:
    """One HTTP client for a run: connection reuse, the address policy, deadlines, caps, feed fan-out."""

    def __init__(self, settings: FetchSettings | None = None, max_bytes: int = 20 * 2**20) -> None:
        import httpcore
        import httpx

        self.settings = settings or current_settings()
        self.max_bytes = max_bytes
        self._deadline = _Deadline()
        transport = httpx.HTTPTransport(trust_env=False)
        # httpx 0.28 has no public hook for the network backend: give the transport a pool built as its
        # own is (same SSL context), with the guarded backend. A proxy from the environment is not used:
        # through a proxy, the address checked would not be the one fetched.
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max(10, self.settings.feed_workers * 2),
            max_keepalive_connections=max(10, self.settings.feed_workers * 2),
            network_backend=_guarded_backend(self.settings, self._deadline),
        )
        timeout = httpx.Timeout(self.settings.read_timeout_s)
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fetch(self, url: str, shown: str) -> tuple[bytes, str, str]:
        """The body, content type and final URL of ``url``; InputError with a short reason otherwise."""
        import httpx

        deadline = time.monotonic() + self.settings.deadline_s
        self._deadline.at = deadline
        try:
            last = ""
            for attempt in range(RETRIES + 1):
                if attempt:
                    pause = RETRY_PAUSE_S * attempt
                    if time.monotonic() + pause >= deadline:
                        break
                    time.sleep(pause)
                try:
                    return self._follow(url, shown)
                except _Retry as retry:
                    last = retry.reason
                except httpx.TimeoutException:
                    if time.monotonic() >= deadline - 0.01:
                        raise InputError(
                            shown, f"took longer than the {self.settings.deadline_s:g} s deadline"
                        ) from None
                    raise InputError(shown, "timed out") from None
                except httpx.TransportError as exc:
                    reason = str(exc).splitlines()[0] if str(exc) else ""
                    if reason.startswith(("refused ", "cannot resolve")) or ": refused " in reason:
                        raise InputError(shown, reason) from None
                    last = f"cannot connect ({type(exc).__name__})"
                except httpx.InvalidURL as exc:  # let through unresolved (private allowed), unusable to httpx
                    raise InputError(shown, f"malformed URL ({exc})") from None
                except httpx.HTTPError as exc:  # e.g. a malformed answer
                    raise InputError(shown, f"bad HTTP answer ({type(exc).__name__})") from None
            raise InputError(shown, last or "no response")
        finally:
            self._deadline.at = math.inf

    def _follow(self, url: str, shown: str) -> tuple[bytes, str, str]:
        """One try: the request and its redirects, each target checked against the policy."""
        seen = {_canonical(url)}
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            reason = netpolicy.check_url(current, self.settings.allow_private, self.settings.allowed_networks)
            if reason:
                where = "" if current == url else f"redirect to {current}: "
                raise InputError(shown, where + reason)
            with self._client.stream("GET", current) as response:
                status = response.status_code
                if status in _REDIRECTS and response.headers.get("location"):
                    location = response.headers["location"]
                    try:
                        target = urljoin(current, location)
                    except ValueError:  # e.g. an unclosed IPv6 bracket
                        raise InputError(shown, f"malformed redirect location {location!r}") from None
                    key = _canonical(target)
                    if key in seen:
                        raise InputError(shown, f"redirect loop (back to {target})")
                    seen.add(key)
                    current = target
                    continue
                if status >= 500:
                    raise _Retry(f"server error {status}")
                if status >= 400:
                    raise InputError(shown, f"HTTP {status}")
                body = self._body(response, shown)
                return body, response.headers.get("content-type", "").lower(), current
        raise InputError(shown, f"more than {MAX_REDIRECTS} redirects")

    def _body(self, response: httpx.Response, shown: str) -> bytes:
        """The decoded body, refused once it passes max_bytes (before or after decompression)."""
        limit = self.max_bytes
        too_large = f"response larger than {limit // 2**20} MB"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise InputError(shown, too_large)
        encoding = response.headers.get("content-encoding", "identity").lower().strip()
        if encoding in ("", "identity"):
            decoder = None
        elif encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        else:
            raise InputError(shown, f"unsupported content encoding {encoding!r}")
        body = bytearray()
        raw = 0
        for chunk in response.iter_raw(_CHUNK):
            raw += len(chunk)
            if raw > limit:
                raise InputError(shown, too_large)
            if decoder is None:
                body.extend(chunk)
            else:
                try:
                    data = chunk
                    while data:
                        # Never inflate more than the cap leaves (+1 tells "full" from "over").
                        body.extend(decoder.decompress(data, limit - len(body) + 1))
                        if len(body) > limit:
                            raise InputError(shown, too_large + " once decompressed")
                        data = decoder.unconsumed_tail
                except zlib.error:
                    raise InputError(shown, f"corrupt {encoding} body") from None
            if len(body) > limit:
                raise InputError(shown, too_large)
        return bytes(body)

    def page(self, link: str, shown: str) -> Article:
        """The article of a linked page (a feed item's link)."""
        body, _, final = self.fetch(link, shown)
        return extract_linked_page(body, final, shown)


class _Retry(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _canonical(url: str) -> str:
    """A URL as redirect-loop detection compares it: scheme and host lower case, no fragment.

    A URL that does not split (the policy refuses it next, naming why) is compared as it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def read_url(url: str, max_bytes: int, fetcher: Fetcher | None = None) -> Iterator[Article | Skipped]:
    """The article at ``url``, or the articles of the feed there (teasers' pages fetched concurrently)."""
    own = fetcher is None
    active = fetcher if fetcher is not None else Fetcher(max_bytes=max_bytes)
    try:
        body, content_type, final = active.fetch(url, url)
        head = body[:512].lstrip().lower()
        if content_type.startswith(FEED_TYPES) or head.startswith((b"<rss", b"<feed")) or b"<rss" in head:
            yield from parse_feed(body, url, fetch=active.page, workers=active.settings.feed_workers)
            return
        yield extract_linked_page(body, final, url)
    finally:
        if own:
            active.close()
