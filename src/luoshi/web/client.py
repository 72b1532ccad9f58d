"""The client's address: ONE helper, used by login throttling and session records.

``X-Forwarded-For`` is believed only when the connection comes from a configured reverse proxy
(``settings.trusted_proxies``, ``LUOSHI_TRUSTED_PROXIES``: addresses or networks, comma-separated;
empty by default, so no one can pick their own address by sending the header). Behind trusted
proxies the client is the right-most hop that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import Request

__all__ = ["client_address", "trusted_networks"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def trusted_networks(spec: str) -> tuple[_Network, ...]:
    """Parse ``trusted_proxies``; raises ValueError naming a bad entry."""
    out: list[_Network] = []
    for part in spec.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"LUOSHI_TRUSTED_PROXIES: {part!r} 不是 IP 地址或网段") from exc
    return tuple(out)


def _trusted(address: str, networks: tuple[_Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: Request) -> str:
    """The address of the client that sent ``request`` (``""`` when unknown)."""
    peer = request.client.host if request.client else ""
    networks = trusted_networks(getattr(request.app.state.settings, "trusted_proxies", "") or "")
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for value in request.headers.getlist("x-forwarded-for") for h in value.split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _valid(hop):
            return peer  # a mangled header: fall back on what the connection says
        if not _trusted(hop, networks):
            return hop
    return peer
