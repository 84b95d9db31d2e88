"""What tests share besides fixtures (those are in tests/conftest.py): the one way to count a page's queries,
a browser page of its own, running work at once in threads, and putting back the default eligibility policies.

Every list test measures its page with `queries_for` (the same number of queries for few rows as for many),
or bounds it with `assert_max_queries`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import connection, connections
from django.test.utils import CaptureQueriesContext


def _fresh_counts() -> None:
    """Forget the navigation's counts (core.counts caches them between page views and clears them on writes: a
    measure after writes would otherwise count them and one before not)."""
    from django.core.cache import caches

    caches["shared"].clear()


def queries_for(client, url: str, data: dict | None = None, *, status: int = 200) -> int:
    """The number of queries of one GET of the page, its navigation's counts made afresh; the page must answer
    `status`."""
    _fresh_counts()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == status, (url, response.status_code)
    return len(ctx.captured_queries)


@contextmanager
def assert_max_queries(limit: int, using=connection):
    """`with assert_max_queries(40): …`: the block makes at most `limit` queries (each one listed if not)."""
    with CaptureQueriesContext(using) as ctx:
        yield ctx
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) <= limit, f"{len(sql)} queries, at most {limit} expected:\n" + "\n".join(sql)


@contextmanager
def browser_page(browser, *, width: int = 1366, height: int = 900, **options):
    """`with browser_page(browser) as pg: …`: a page of a browser context of its own, as the center's users have
    it (Chinese, Shanghai time, a desktop screen unless said), closed afterwards."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                  timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15000)
    try:
        yield context.new_page()
    finally:
        context.close()


def fill_form(pg, **fields: str) -> None:
    """Fill a page's form field by field (`name="value"` for the field `#id_name`): a select gets the option of
    that value, any other field the text."""
    for name, value in fields.items():
        field = pg.locator(f"#id_{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def at_once(work: Callable, calls: Iterable[tuple]) -> tuple[list, list]:
    """Run `work(*args)` for each `args` of `calls`, each in a thread of its own with its own database
    connection, all let go together; → (their results, the exceptions raised), once every thread is done."""
    calls = list(calls)
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(*args):
        try:
            barrier.wait(timeout=30)
            results.append(work(*args))
        except Exception as exc:  # noqa: BLE001 - collected and returned
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def restore_default_policies(request) -> None:
    """For the autouse fixtures of tests/applicants and tests/intake: transactional tests flush the data
    migration's default eligibility policies, so a database test puts them back."""
    names = set(request.fixturenames)
    if not ({"db", "transactional_db", "org", "live_server"} & names) and not request.node.get_closest_marker(
            "django_db"):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db" if {"transactional_db", "live_server"} & names else "db")
    importlib.import_module("applicants.migrations.0002_default_eligibility_policy").seed(apps, None)
