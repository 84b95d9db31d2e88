"""A page never offers a link its reader may not open (issue 16, item 10).

The demo is seeded, then for each demo account the pages reachable from the home page are opened breadth
first (one page per view and set of query parameters, so a list's 200 pages count once), and the links
they show to pages of the project are followed (up to six per view, so a list's 50 rows of the same detail
page are sampled, not all opened): none may answer 403 (forbidden) or 404 (a record of
another station). Links that are forms' targets (POST) are not links; the Django admin, logout and the
language switch are left aside, and so are downloads of files (they answer the same as their page).
"""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

ACCOUNTS = ["director", "clerk", "reviewer", "finance", "handler", "staff_a", "admin"]
HREF = re.compile(r'<a\b[^>]*?\bhref="([^"#][^"]*)"', re.I)
SKIP_PREFIXES = ("/admin/", "/accounts/logout", "/i18n/", "/static/", "/media/")
MAX_PAGES = 250
LINKS_PER_SHAPE = 6


def _internal(href: str) -> str | None:
    href = urldefrag(href.replace("&amp;", "&"))[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    return href


def _shape(url: str) -> tuple:
    """One page per view and query parameter names: the 37th page of a list tells nothing new."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("?", parts.path)
    keys = tuple(sorted({k.split("=")[0] for k in parts.query.split("&") if k}))
    return (match.view_name, keys)


def crawl(client: Client) -> dict[str, list[str]]:
    """Links that answer 403 or 404 → the pages that show them."""
    seen_shapes, status, bad, checked = set(), {}, {}, {}
    queue = deque(["/"])
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        shape = _shape(url)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = client.get(url)
        pages += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            link = _internal(href)
            if link is None:
                continue
            if link not in status:
                shape_of_link = _shape(link)
                if checked.get(shape_of_link, 0) >= LINKS_PER_SHAPE:
                    continue
                checked[shape_of_link] = checked.get(shape_of_link, 0) + 1
                status[link] = client.get(link).status_code
            if status[link] in (403, 404):
                bad.setdefault(link, []).append(url)
            elif status[link] == 200:
                queue.append(link)
    assert pages > 10, f"the crawl opened only {pages} pages: the home page did not lead anywhere"
    return bad


@pytest.mark.django_db
def test_no_page_links_to_what_its_reader_may_not_open():
    """One seeding for every account (the demo takes a while); the report names each account's bad links."""
    from accounts.models import User

    call_command("seed_demo", stdout=io.StringIO())
    report = []
    for username in ACCOUNTS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        bad = crawl(client)
        report += [f"{username}: {link} (on {', '.join(sorted(set(on))[:3])})" for link, on in sorted(bad.items())]
    assert report == [], f"{len(report)} links answer 403/404:\n" + "\n".join(report)
