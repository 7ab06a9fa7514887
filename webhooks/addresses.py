"""Which addresses a webhook may be sent to: server-side request forgery rules.

An endpoint is a URL a partner gives us, and Navigator's servers call it. Left
open, that would let anyone with a key make Navigator call into its own network
(the database, a cloud's metadata service at 169.254.169.254, an admin page on
localhost). So an endpoint must be ``https`` and its host must resolve only to
public addresses: never loopback, private, link-local, multicast, reserved or
unspecified ones. The address is checked when the endpoint is saved, and again at
every delivery, and the delivery connects to the very address that was checked (a
name that resolved to a public address yesterday may resolve to 10.0.0.1 today:
DNS rebinding).

``WEBHOOK_ALLOW_HTTP_LOOPBACK`` (development and tests only; refused with DEBUG
off) allows ``http`` and the loopback addresses, and nothing else besides.
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class AddressRefused(Exception):
    """The URL may not be called; the message says why, in words for the partner."""


def why_not(address: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why ``address`` may not be called, or None if it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    for is_it, words in (
        (address.is_unspecified, "an unspecified address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
    ):
        if is_it:
            return words
    if not address.is_global:
        return "not a public address"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system's resolver)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


@dataclass(frozen=True)
class Target:
    """Where a URL's request goes: its host (for the Host header and TLS) and the one
    checked address to connect to."""

    scheme: str
    host: str
    port: int
    address: str


def check_url(url: str, *, allow_http_loopback: bool, resolver: Resolver | None = None) -> Target:
    """The address to call for ``url``, if every address its host resolves to may be
    called; otherwise ``AddressRefused`` saying why."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused("Give a full URL, such as https://example.org/webhooks.") from None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("https", "http") or not host:
        raise AddressRefused("Give a full URL, such as https://example.org/webhooks.")
    if parts.username or parts.password:
        raise AddressRefused("Put no user name or password in the URL.")
    if scheme == "http" and not allow_http_loopback:
        raise AddressRefused("Use https: webhooks are sent over https only.")
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a) for a in (resolver or resolve)(host, port)]
        except (OSError, UnicodeError, ValueError):
            raise AddressRefused(f"{host} could not be found (it does not resolve).") from None
    if not addresses:
        raise AddressRefused(f"{host} could not be found (it does not resolve).")
    for address in addresses:
        reason = why_not(address, allow_loopback=allow_http_loopback)
        if reason is not None:
            raise AddressRefused(
                f"{host} resolves to {reason}: webhooks go only to public addresses."
            )
    if scheme == "http" and not all(a.is_loopback for a in addresses):
        raise AddressRefused("Use https: http is allowed only to this machine, for testing.")
    return Target(scheme=scheme, host=host, port=port, address=str(addresses[0]))
