"""No server error from a query string (issue 13), nor from a control character in a posted form.

- NUL and other control characters are taken out of every query parameter before any view or the admin
  sees them (PostgreSQL refuses a NUL in a string literal: that was a 500 on every search box).
- A GET whose parameters still make a view fail with a value error (a year of twenty digits, a date of
  month 13 that a view parsed by hand, a lookup the database refuses) answers 400 with a page that says
  the address holds an invalid value and links to the page without it; in the Django admin, the
  changelist's own "invalid filter" redirect (?e=1). Views validate their parameters through forms and
  filtersets first; this is the net under them, and it is logged so the view can be fixed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render

logger = logging.getLogger(__name__)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BAD_VALUES = (ValueError, OverflowError, ValidationError, DataError)


def clean_query(query: QueryDict) -> QueryDict | None:
    """The query without control characters, or None when it had none."""
    if not any(CONTROL.search(k) or any(CONTROL.search(v) for v in vs) for k, vs in query.lists()):
        return None
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(CONTROL.sub("", key), [CONTROL.sub("", v) for v in values])
    cleaned._mutable = False
    return cleaned


def body_limit(request: HttpRequest) -> int:
    """The largest request body read: REQUEST_MAX_BYTES (a few uploads at once), but only ANONYMOUS_MAX_BYTES
    without a session cookie (nobody can be signed in then: a login form, a language switch)."""
    from django.conf import settings

    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return settings.ANONYMOUS_MAX_BYTES
    return settings.REQUEST_MAX_BYTES


def body_too_large(request: HttpRequest) -> HttpResponse | None:
    """413 before a byte of an oversized body is read: Django reads a whole upload to its temporary files before
    any view or permission check can refuse it, so anyone could fill the server's disk. Nothing else limits
    the body when gunicorn runs without a proxy in front."""
    from django.utils.html import escape
    from django.utils.translation import gettext as _

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = body_limit(request)
    if length <= limit:
        return None
    logger.warning("request body of %s bytes refused on %s (limit %s)", length, request.path, limit)
    message = _("The request is too large (%(size)s MB; the limit is %(limit)s MB). Send fewer or smaller "
                "files at once.") % {"size": f"{length / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
    return HttpResponse(f"<!doctype html><meta charset=utf-8><title>413</title><p>{escape(message)}</p>",
                        status=413)


class QueryGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        too_large = body_too_large(request)
        if too_large:
            return too_large
        cleaned = clean_query(request.GET)
        if cleaned is not None:
            request.GET = cleaned
        # A posted form: the same control characters out of its fields (a NUL in a text field was a 500
        # wherever a view read request.POST itself); its files are left as they are. (The CSRF check reads the
        # body next anyway, with the same size limits; no view sets its own upload handlers.)
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data"):
            posted = clean_query(request.POST)
            if posted is not None:
                request.POST = posted
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or not request.GET or not isinstance(exc, BAD_VALUES):
            return None
        logger.warning("invalid query on %s (%s: %s): %s", request.path, type(exc).__name__, exc,
                       request.GET.urlencode()[:300])
        if request.path.startswith("/admin/"):
            return HttpResponseRedirect(f"{request.path}?e=1")
        return render(request, "core/bad_query.html", {"clean_url": request.path}, status=400)
