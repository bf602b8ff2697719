"""Which URLs storyweave may fetch: http(s) only, and only public addresses unless the user allows others.

A URL given on the command line, a feed's item link, a redirect's target and a URL posted to the web API
(``storyweave serve``) could all point inside the user's network: a router's admin page, a cloud metadata
service (169.254.169.254), a database on localhost. Every address a host name resolves to is checked, and
all must be public: loopback, private, link-local, multicast, reserved, unspecified and other non-global
addresses (an IPv4-mapped IPv6 address counts as its IPv4 one) are refused unless ``allow_private`` is set
(``--allow-private-urls``) or the address lies in one of the ``allowed`` networks (an intranet, a test's
own loopback site).

This is the one policy for the CLI and the server: the fetcher (ingest/url.py) calls :func:`check_url`
before each request and after each redirect, and :func:`check_host` again on the host it actually
connects to, so a host that resolves to a public address first and a private one next (DNS rebinding) is
still refused. :func:`resolve` is the one name lookup both use (tests replace it to stand in for DNS).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RefusedURL(Exception):
    """A URL or address the policy refuses; ``reason`` is one line a user understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def address_kind(address: IPAddress) -> str | None:
    """Why ``address`` is not public ("loopback", "private", ...), or None when it is a global address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if not address.is_global:  # e.g. 100.64.0.0/10 (carrier-grade NAT), documentation ranges
        return "non-public"
    return None


def _in(address: IPAddress, allowed: Sequence[Network]) -> bool:
    """Whether ``address`` (or the IPv4 address an IPv4-mapped one stands for) is in an allowed network."""
    forms: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        forms.append(address.ipv4_mapped)
    return any(form in net for form in forms for net in allowed if form.version == net.version)


def check_address(address: str, allow_private: bool = False, allowed: Sequence[Network] = ()) -> str | None:
    """The reason an IP address (text) may not be connected to, or None when it may."""
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"not an IP address: {address!r}"
    if allow_private or _in(parsed, allowed):
        return None
    kind = address_kind(parsed)
    return f"refused {kind} address {parsed} (use --allow-private-urls to fetch it)" if kind else None


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IP literals resolve to themselves); RefusedURL when none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise RefusedURL(f"cannot resolve host {host!r}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise RefusedURL(f"cannot resolve host {host!r}")
    return addresses


def check_host(
    host: str, port: int, allow_private: bool = False, allowed: Sequence[Network] = ()
) -> list[str]:
    """The addresses of ``host`` if all may be fetched; else RefusedURL naming the first that may not."""
    addresses = resolve(host, port)
    for address in addresses:
        reason = check_address(address, allow_private, allowed)
        if reason:
            raise RefusedURL(reason if host.strip("[]") == address else f"{host}: {reason}")
    return addresses


def check_url(url: str, allow_private: bool = False, allowed: Sequence[Network] = ()) -> str | None:
    """None when ``url`` may be fetched, else the one-line reason it may not (scheme, host, port, address).

    With ``allow_private`` the host is not looked up here: any address it has may be fetched, and the
    connection resolves it anyway.
    """
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        return f"malformed URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return f"only http and https URLs are fetched, not {scheme or 'a URL without scheme'}"
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        return "URL has an invalid port"
    if not host:
        return "URL has no host"
    if allow_private:
        return None
    try:
        check_host(host, port or (443 if scheme == "https" else 80), allow_private, allowed)
    except RefusedURL as refused:
        return refused.reason
    return None
