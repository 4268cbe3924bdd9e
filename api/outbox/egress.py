"""Where a webhook may be delivered: public addresses only (no SSRF into the service's own network).

A receiver's URL is checked when it is registered and again at every delivery, after DNS
resolution, and the delivery then connects to the very address that was checked (a name that
resolves to a public address at the check and to 127.0.0.1 a moment later gains nothing).

Refused: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with
the cloud metadata address, fe80::/10), shared (100.64/10), unspecified (0.0.0.0, ::), multicast,
reserved and documentation ranges: everything that is not a global unicast address. IPv4 written
as one number (2130706433) or in hex is normalised by the URL parser first; IPv4-mapped IPv6
(::ffff:127.0.0.1) is judged as the IPv4 address it maps.

Tests run receivers on loopback: `BUOCMOI_WEBHOOK_ALLOW_LOOPBACK=true` permits loopback (only
loopback, never private ranges). It is off by default, and production leaves it off.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeReceiver(ValueError):
    """The URL names, or resolves to, an address a webhook must never be sent to."""


class UnresolvedReceiver(OSError):
    """The receiver's name does not resolve (now): worth trying again later."""


@dataclass(frozen=True)
class Receiver:
    url: httpx.URL
    address: str  # the checked address the delivery connects to


def address_allowed(address: IPAddress, *, allow_loopback: bool = False) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return allow_loopback
    return address.is_global and not address.is_multicast


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _checked(addresses: list[str], host: str, allow_loopback: bool) -> str:
    if not addresses:
        raise UnresolvedReceiver(f"{host} has no address")
    for raw in addresses:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
        if not address_allowed(address, allow_loopback=allow_loopback):
            # One bad address refuses the name: which one a connection picks is not ours to choose.
            raise UnsafeReceiver(f"{host} resolves to {address}, which is not a public address")
    return addresses[0]


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as err:
        raise UnsafeReceiver("not a valid URL") from err
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UnsafeReceiver("only http:// and https:// URLs with a host")
    return parsed


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def _addresses(infos: list[tuple[object, ...]]) -> list[str]:
    seen: list[str] = []
    for info in infos:
        sockaddr = info[4]
        assert isinstance(sockaddr, tuple)
        if str(sockaddr[0]) not in seen:
            seen.append(str(sockaddr[0]))
    return seen


def check_receiver_url(url: str, *, allow_loopback: bool = False) -> None:
    """At registration: refuse a URL whose host is, or resolves to, a forbidden address. A name
    that does not resolve yet is let through: every delivery checks it again."""
    parsed = _parse(url)
    literal = _literal(parsed.host)
    if literal is not None:
        _checked([str(literal)], parsed.host, allow_loopback)
        return
    try:
        infos = socket.getaddrinfo(parsed.host, _port(parsed), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return
    _checked(_addresses(list(infos)), parsed.host, allow_loopback)


async def resolve_receiver(url: str, *, allow_loopback: bool = False) -> Receiver:
    """At delivery: the address to connect to, checked. Raises `UnsafeReceiver` (give up) or
    `UnresolvedReceiver` (retry later)."""
    parsed = _parse(url)
    literal = _literal(parsed.host)
    if literal is not None:
        return Receiver(parsed, _checked([str(literal)], parsed.host, allow_loopback))
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parsed.host, _port(parsed), type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as err:
        raise UnresolvedReceiver(f"{parsed.host} does not resolve") from err
    return Receiver(parsed, _checked(_addresses(list(infos)), parsed.host, allow_loopback))
