"""Where a `next` parameter may send the user: back into this site, never elsewhere."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The `next` of the request (POST first, then GET) when it stays on this site, else `default`.

    Off-site addresses (https://evil.example/, //evil.example, a backslash trick), other schemes
    (javascript:, data:) and, on an https request, plain-http addresses are refused: a link or a form
    that carries `next` must not become a way to send a logged-in user somewhere else.
    """
    url = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return default
