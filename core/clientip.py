"""The client's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind a reverse proxy REMOTE_ADDR is the proxy, and counting it would let anyone lock any user out.
X-Forwarded-For can be written by anybody, so it is believed only when the request comes from a proxy
named in settings.TRUSTED_PROXIES, and then read from the right: each trusted proxy appends the address
it saw, so the first address from the right that is not a trusted proxy is the client. Addresses a
client put at the left of the header itself are never reached.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:1234
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.5:1234
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))

    def is_trusted(addr) -> bool:
        return addr is not None and any(addr in net for net in trusted)

    if not trusted or not is_trusted(_address(remote or "")):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        addr = _address(hop)
        if addr is None:  # garbage in the header: stop at the last address we can vouch for
            break
        if not is_trusted(addr):
            return str(addr)
        remote = str(addr)
    return remote
