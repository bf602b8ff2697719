"""URL fetches for the server: http(s) only, and never to the server's own network unless allowed.

A server that fetches any URL it is given can be made to read its own loopback, the private network
behind it or a cloud metadata address (server-side request forgery). So every host is resolved first
and refused when any of its addresses is loopback, private, link-local, multicast, reserved or
unspecified; redirects are followed one hop at a time and each new location is checked the same way.
Time-outs, retries and the size cap are the CLI's (``storyweave.ingest.url``).

The check runs before the connection, which resolves the name again: a name that changes its answer
between the two (DNS rebinding) is not caught. # The CLI's fetcher (ingest/url.py) is being hardened
apart from this; the two are meant to be unified so both use one guarded fetch.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from storyweave.ingest import date_from_url, normalise_date
from storyweave.ingest.errors import InputError
from storyweave.ingest.feeds import extract_linked_page, parse_feed
from storyweave.ingest.url import FEED_TYPES, RETRIES, RETRY_PAUSE_S, USER_AGENT
from storyweave.ingest.url import READ_TIMEOUT_S as TIMEOUT_S
from storyweave.model import Article, Skipped

__all__ = ["AddressPolicy", "guarded_fetch", "read_url_guarded"]

MAX_REDIRECTS = 5
Resolver = Callable[..., Sequence[tuple[Any, ...]]]  # socket.getaddrinfo's shape
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _blocked(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return _blocked(address.ipv4_mapped)
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


@dataclass(frozen=True)
class AddressPolicy:
    """Which hosts a fetch may reach: public addresses and ``allowed`` networks (any: ``allow_private``)."""

    allow_private: bool = False
    allowed: tuple[Network, ...] = ()
    resolve: Resolver = field(default=socket.getaddrinfo)

    def check(self, url: str, shown: str) -> None:
        """Raise InputError naming ``shown`` when ``url`` is not http(s) or its host is off limits."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError as error:  # e.g. an unclosed IPv6 bracket
            raise InputError(shown, f"malformed URL ({error})") from None
        if parts.scheme not in ("http", "https"):
            raise InputError(shown, f"only http and https URLs can be fetched, not {parts.scheme or 'none'}")
        if not host:
            raise InputError(shown, "URL has no host")
        try:
            port = parts.port
        except ValueError:
            raise InputError(shown, "URL has an invalid port") from None
        if self.allow_private:
            return
        try:  # an address written in the URL is checked as it is
            addresses = {ipaddress.ip_address(host.split("%", 1)[0])}
        except ValueError:
            addresses = self._resolved(host, port or (443 if parts.scheme == "https" else 80), shown)
        for address in sorted(addresses, key=str):
            if _blocked(address) and not any(address in net for net in self.allowed):
                raise InputError(
                    shown,
                    f"refused: {host} resolves to a non-public address ({address}); "
                    "start the server with --allow-private-urls to allow it",
                )

    def _resolved(self, host: str, port: int, shown: str) -> set[Address]:
        try:
            infos = self.resolve(host, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise InputError(shown, f"cannot resolve host {host}") from None
        addresses = {ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos}
        if not addresses:
            raise InputError(shown, f"cannot resolve host {host}")
        return addresses


def guarded_fetch(url: str, shown: str, max_bytes: int, policy: AddressPolicy) -> tuple[bytes, str, str]:
    """The body, content type and final URL of ``url``, every hop checked by ``policy``."""
    import httpx

    last = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            time.sleep(RETRY_PAUSE_S * attempt)
        current = url
        try:
            with httpx.Client(
                timeout=TIMEOUT_S, follow_redirects=False, headers={"User-Agent": USER_AGENT}
            ) as client:
                for _hop in range(MAX_REDIRECTS + 1):
                    policy.check(current, shown)
                    with client.stream("GET", current) as response:
                        if response.is_redirect and "location" in response.headers:
                            current = urljoin(current, response.headers["location"])
                            continue
                        if response.status_code >= 500:
                            last = f"server error {response.status_code}"
                            break
                        if response.status_code >= 400:
                            raise InputError(shown, f"HTTP {response.status_code}")
                        body = bytearray()
                        for chunk in response.iter_bytes():
                            body.extend(chunk)
                            if len(body) > max_bytes:
                                raise InputError(shown, f"response larger than {max_bytes // 2**20} MB")
                        return bytes(body), response.headers.get("content-type", "").lower(), current
                else:
                    raise InputError(shown, f"more than {MAX_REDIRECTS} redirects")
        except httpx.TimeoutException:
            last = "timed out"
        except httpx.TransportError as exc:
            last = f"cannot connect ({type(exc).__name__})"
    raise InputError(shown, last or "no response")


def _dated(article: Article, user_date: str | None) -> Article:
    """Publication date in the CLI's order of trust: the page's metadata, its URL, the user's date."""
    normalised = normalise_date(article.published) if article.published else None
    if normalised:
        article.published, article.published_from = normalised, "metadata"
    elif article.url and (from_url := date_from_url(article.url)):
        article.published, article.published_from = from_url, "url"
    elif user_date:
        article.published, article.published_from = user_date, "user"
    else:
        article.published, article.published_from = None, "unknown"
    return article


def read_url_guarded(
    url: str, max_bytes: int, policy: AddressPolicy, published: str | None = None
) -> Iterator[Article | Skipped]:
    """The article at ``url`` or the articles of the feed there; a bad URL is one Skipped, never an error."""
    try:
        body, content_type, final = guarded_fetch(url, url, max_bytes, policy)
        head = body[:512].lstrip().lower()
        if content_type.startswith(FEED_TYPES) or head.startswith((b"<rss", b"<feed")) or b"<rss" in head:

            def page(link: str, shown: str) -> Article:
                linked, _, landed = guarded_fetch(link, shown, max_bytes, policy)
                return extract_linked_page(linked, landed, shown)

            for item in parse_feed(body, url, fetch=page):
                yield _dated(item, published) if isinstance(item, Article) else item
            return
        yield _dated(extract_linked_page(body, final, url), published)
    except InputError as err:
        yield Skipped(err.path, err.reason)
