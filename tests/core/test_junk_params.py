"""No server error from any query parameter (issue 13): every page of the site and every changelist of the
Django admin, with every parameter its GET forms declare (filters, search boxes, periods, pages) and the
common ones, each set to junk — a NUL byte, control characters, negative and twenty-digit numbers, a date of
month 13, quotes, markup, a very long value. Nothing may answer 5xx."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client

from tests.core.test_every_page_clock import admin_urls_of, build_records, urls_of

pytestmark = pytest.mark.django_db

# Each parameter a page's GET forms declare gets every junk value; the common names the page does not declare
# get the two that broke pages before (a NUL byte, a number too large for anything).
JUNK = ["a\x00b\x01", "-1", "99999999999999999999", "2025-13-45", "'\"<script>１２" + "x" * 2000]
COMMON = {"q": JUNK[:1], "page": JUNK[1:3], "year": JUNK[:3], "date": JUNK[3:4], "date_from": JUNK[3:4],
          "period": JUNK[:3], "as_of": JUNK[3:4], "station": JUNK[:3], "status": JUNK[:1], "person": JUNK[:3],
          "next": JUNK[4:], "o": JUNK[1:3], "e": JUNK[:1]}
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""", re.I)


def get_params(html: str) -> set[str]:
    """The names of the fields of the page's GET forms (filters, search boxes)."""
    names: set[str] = set()
    for attrs, body in FORM.findall(html):
        if re.search(r"method=[\"']?post", attrs, re.I):
            continue
        names |= {n for n in NAME.findall(body) if n != "csrfmiddlewaretoken"}
    return names


def with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return f"{parts.path}?{urlencode([*query, (name, value)])}"


def test_no_parameter_value_gives_a_server_error(org):
    records = build_records(org)
    clients = {}
    for persona in ("director", "admin"):
        clients[persona] = Client(raise_request_exception=False)
        clients[persona].force_login(org["users"][persona])
    pages = urls_of(records) + [u for u in admin_urls_of(records) if u[0].endswith("_changelist")]
    failures, requests = [], 0
    for name, persona, url in pages:
        client = clients.get(persona) or clients["director"]
        first = client.get(url)
        if first.status_code >= 500:
            failures.append(f"{name} {url}: {first.status_code} without junk")
            continue
        content_type = first.get("Content-Type", "")
        declared = get_params(first.content.decode("utf-8", "replace")) if "html" in content_type else set()
        for param in sorted(declared | set(COMMON)):
            for value in (JUNK if param in declared else COMMON[param]):
                requests += 1
                response = client.get(with_param(url, param, value))
                if response.status_code >= 500:
                    failures.append(f"{name} {param}={value[:20]!r}: {response.status_code}")
    assert requests > 1500  # the walk really walked
    assert not failures, f"{len(failures)} server errors of {requests} requests:\n" + "\n".join(failures[:200])


def test_a_nul_byte_in_a_search_is_taken_out_not_a_server_error(org):
    from tests.factories import PersonFactory

    PersonFactory(name="胡家豪")
    client = Client()
    client.force_login(org["users"]["clerk"])
    response = client.get("/applicants/?q=%E8%83%A1%00")
    assert response.status_code == 200 and "胡家豪" in response.content.decode()


def test_a_year_out_of_range_is_left_out_with_a_message(org):
    client = Client()
    client.force_login(org["users"]["director"])
    for year in ("-1", "0", "99999999999999999999"):
        response = client.get(f"/funding/?year={year}")
        assert response.status_code == 200 and "不是 year 的有效值" in response.content.decode()


def test_a_value_a_view_still_cannot_read_answers_400_with_a_way_back(rf, org):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from core.input_guard import QueryGuardMiddleware

    def view(request):
        return int(request.GET["n"])  # a view that trusts its parameter

    request = rf.get("/cases/?n=abc")
    request.user = org["users"]["director"]
    request.session = {}
    request._messages = FallbackStorage(request)
    guard = QueryGuardMiddleware(view)
    try:
        view(request)
    except ValueError as exc:
        response = guard.process_exception(request, exc)
    assert response.status_code == 400 and 'data-testid="bad-query"' in response.content.decode()
    assert 'href="/cases/"' in response.content.decode()
    admin = guard.process_exception(rf.get("/admin/intake/consultation/?occurred_at__gte=99999999999999999999"),
                                    OverflowError())
    assert admin.status_code == 302 and admin["Location"].endswith("?e=1")
