"""Shared fixtures: named personas (STYLE.md), a browser, a real Celery worker.

Personas come from the same `seed_organisation` the demo uses, so tests and the
demo agree on who is who: director, clerk, reviewer, finance, handler (张伟),
staff_a (station A), staff_b (station B), admin (the administrator role with the Django admin's access, not a
superuser), and `outsider` (no role); `superuser` is IT's account as `createsuperuser` makes it (every
permission, Django's convention), for tests of what not even a superuser may do. The list of personas a permission
table walks is tests/permission_table.PERSONAS; counting a page's queries is tests/helpers.queries_for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import browser_page

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True)
def _private_files(tmp_path, settings):
    """Uploaded and generated files go to a throw-away folder per test."""
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _fresh_counts():
    """Each test starts without cached navigation counts (core.counts)."""
    from django.core.cache import caches

    caches["shared"].clear()


@pytest.fixture(autouse=True)
def _fresh_holidays():
    """A test that changed the holiday calendar leaves no copy of it behind: its rows are rolled back or
    flushed, but core.holidays keeps what it read for the whole process."""
    from core import holidays

    before = holidays.changes
    yield
    if holidays.changes != before:
        holidays.forget()


@pytest.fixture
def org(db):
    from stations.demo_base import seed_organisation

    return seed_organisation()


@pytest.fixture
def station_a(org):
    return org["stations"]["station-a"]


@pytest.fixture
def station_b(org):
    return org["stations"]["station-b"]


def _persona(name):
    @pytest.fixture
    def fixture(org):
        return org["users"][name]

    fixture.__name__ = name
    return fixture


director = _persona("director")
clerk = _persona("clerk")
reviewer = _persona("reviewer")
finance = _persona("finance")
handler = _persona("handler")
staff_a = _persona("staff_a")
staff_b = _persona("staff_b")
admin_user = _persona("admin")


def _superuser():
    from accounts.models import User

    return (User.objects.filter(username="it").first()
            or User.objects.create_superuser(username="it", password="legalaid-demo", full_name="信息科"))


@pytest.fixture
def superuser(org):
    return _superuser()


@pytest.fixture
def outsider(org):
    from accounts.models import User

    return User.objects.create_user(username="outsider", password="legalaid-demo", full_name="路人")


@pytest.fixture
def handler_profile(org):
    return org["handlers"]["张伟"]


@pytest.fixture
def other_handler(org):
    return org["handlers"]["李娜"]


@pytest.fixture
def client_for(client, org):
    """client_for("clerk") → a test client logged in as that persona (anonymous: logged out)."""
    from django.test import Client

    def make(persona: str) -> Client:
        c = Client()
        if persona == "outsider":  # logged in, active, no role and no station: may open nearly nothing
            from accounts.models import User

            c.force_login(User.objects.get_or_create(username="no_role", defaults={"full_name": "无角色"})[0])
        elif persona == "superuser":
            c.force_login(_superuser())
        elif persona != "anonymous":
            c.force_login(org["users"][persona])
        return c

    return make


# --- Browser -----------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make test`, which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    with browser_page(browser) as pg:
        yield pg


@pytest.fixture
def phone_page(browser):
    with browser_page(browser, width=390, height=844, is_mobile=True, has_touch=True) as pg:
        yield pg


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves test-artifacts/screenshots/name.png and returns its path."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(pg, name: str) -> Path:
        path = folder / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path

    return take


@pytest.fixture
def page_for(browser, login):
    """page_for("clerk") → a desktop page of its own browser context, logged in as that demo account (None: not
    logged in); every context is closed after the test."""
    with ExitStack() as pages:

        def make(username: str | None, password: str = "legalaid-demo"):
            pg = pages.enter_context(browser_page(browser))
            if username:
                login(pg, username, password)
            return pg

        yield make


@pytest.fixture
def login(live_server):
    """login(page, "clerk") logs in through the real form."""

    def do(pg, username: str, password: str = "legalaid-demo"):
        pg.goto(f"{live_server.url}/accounts/login/")
        pg.fill("input[name=username]", username)
        pg.fill("input[name=password]", password)
        pg.click("button[type=submit]")
        pg.wait_for_load_state("networkidle")

    return do


# --- Celery ------------------------------------------------------------------

@pytest.fixture
def celery_worker_process(transactional_db):
    """A real `celery worker` process on Redis, using the test database, for the test's duration."""
    broker = os.environ.get("REDIS_URL") or settings.CELERY_BROKER_URL
    if not broker.startswith("redis"):
        pytest.fail("REDIS_URL must point to a Redis server for worker tests (make test starts one)")
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "PRIVATE_FILES_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    })
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    proc = subprocess.Popen(
        [celery, "-A", "legalaid", "worker", "--pool=solo", "--loglevel=WARNING", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    from legalaid.celery import app

    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail("celery worker exited: " + (proc.stdout.read() if proc.stdout else ""))
        replies = app.control.ping(timeout=1.0)
        if any(f"test-{os.getpid()}@" in name for reply in replies for name in reply):
            break
    else:
        proc.terminate()
        pytest.fail("celery worker did not answer a ping within 60 s")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- Rows that data migrations ship ---------------------------------------------

@pytest.fixture(autouse=True)
def _shipped_defaults(request):
    """Transactional (browser, worker) tests end with a flush that also empties the rows data
    migrations ship: role groups, deadline rules, eligibility policies, grading scale, subsidy
    standards. Any later database test gets them back here, by re-running every RunPython of
    the project's migrations (each is written to be idempotent)."""
    names = set(request.fixturenames)
    if {"transactional_db", "live_server", "celery_worker_process"} & names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from core.models import DeadlineRule

    if DeadlineRule.objects.exists():
        return
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    project_apps = {"accounts", "core", "stations", "applicants", "intake", "cases", "funding", "publicity",
                    "reports", "ledger"}
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan: list[tuple[str, str]] = []
    for app_label in sorted(project_apps):
        for node in loader.graph.leaf_nodes(app_label):
            plan += [key for key in loader.graph.forwards_plan(node) if key[0] in project_apps and key not in plan]
    with connection.schema_editor(atomic=False) as editor:
        for key in plan:
            for op in loader.graph.nodes[key].operations:
                if isinstance(op, RunPython):
                    op.code(global_apps, editor)


@pytest.fixture(autouse=True)
def _vocabularies_read(request, _shipped_defaults):
    """Database tests start with the vocabularies of core.choices read (core.VocabularyTerm), so that reading
    them is never counted in a page's queries; a test that saved a term leaves no copy of it behind."""
    from core import choices

    names = set(request.fixturenames)
    if {"db", "transactional_db", "live_server", "celery_worker_process"} & names or request.node.get_closest_marker(
            "django_db"):
        choices.CAUSE.terms()
    before = choices.changes
    yield
    if choices.changes != before:
        choices.forget()
