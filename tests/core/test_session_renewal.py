"""The idle timeout: a session used keeps living, written at most once a minute (core.middleware)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

AGE = timedelta(seconds=settings.SESSION_COOKIE_AGE)


def _writes(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries
            if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.fixture(autouse=True)
def every_minute(settings):
    settings.SESSION_RENEW_SECONDS = 60  # the production interval (the test settings renew once a day)


def test_a_page_within_the_minute_writes_no_session_and_one_later_moves_the_expiry_on(client_for):
    with freeze_time("2026-12-01 09:00:00") as clock:
        c = client_for("clerk")  # signing in saved the session: its first renewal
        first = _expiry(c)
        clock.tick(30)
        for _page in range(3):
            with CaptureQueriesContext(connection) as ctx:
                assert c.get("/").status_code == 200
            assert _writes(ctx) == []
        assert _expiry(c) == first
        clock.tick(31)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/").status_code == 200
        assert len(_writes(ctx)) == 1
        assert _expiry(c) == first + timedelta(seconds=61)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/").status_code == 200
        assert _writes(ctx) == []


def test_signing_in_through_the_form_starts_the_minute(org, client):
    from django.contrib.auth import SESSION_KEY

    with freeze_time("2026-12-01 09:00:00"):
        response = client.post(reverse("login"), {"username": "clerk", "password": "legalaid-demo"})
        assert response.status_code == 302
        session = client.session
        assert session[SESSION_KEY] and session["_renewed"] == int(time.time())


def test_a_session_left_alone_past_the_idle_time_is_signed_out(client_for):
    with freeze_time("2026-12-01 09:00:00") as clock:
        c = client_for("clerk")
        assert c.get("/").status_code == 200
        clock.tick(AGE.total_seconds() - 30)
        assert c.get("/").status_code == 200  # still signed in, and renewed by this page
        clock.tick(AGE.total_seconds() - 30)
        assert c.get("/").status_code == 200
        clock.tick(AGE.total_seconds() + 1)
        response = c.get("/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_anonymous_visit_makes_no_session(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert _writes(ctx) == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies
