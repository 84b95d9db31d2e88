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


class QueryGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
