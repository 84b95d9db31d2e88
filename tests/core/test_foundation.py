import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_json_with_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_speaks_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_english_is_available_by_switching_language(client, clerk):
    client.force_login(clerk)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Workbench" in client.get(reverse("home")).content.decode()


def test_five_failed_logins_lock_the_account(client, clerk):
    for _ in range(5):
        client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "clerk", "password": "legalaid-demo"})
    assert response.status_code == 429
    assert "locked-out" in response.content.decode()
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_four_failed_logins_still_allow_the_right_password(client, clerk):
    for _ in range(4):
        client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "clerk", "password": "legalaid-demo"})
    assert response.status_code == 302


def test_sessions_expire_after_two_hours_of_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE == 7200
    # renewed while in use, at most once a minute (tests/core/test_session_renewal.py drills it)
    assert "core.middleware.SessionRenewalMiddleware" in settings.MIDDLEWARE
    from legalaid import settings as production

    assert production.SESSION_RENEW_SECONDS == 60


def test_deploy_check_has_no_warnings_under_production_settings():
    skip = {"TESTING", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update({
        "DJANGO_SETTINGS_MODULE": "legalaid.settings",
        "DEBUG": "0",
        "SECRET_KEY": "p" * 20 + "roduction-secret-with-enough-entropy-8f3k2j5h7g9d0s",
        "ALLOWED_HOSTS": "legalaid.example.gov.cn",
    })
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_migrations_are_complete():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=dict(os.environ, DJANGO_SETTINGS_MODULE="legalaid.test_settings"),
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.celery_worker
def test_a_task_goes_through_redis_to_a_real_worker_and_back(celery_worker_process, settings):
    from legalaid.celery import app, ping

    app.conf.task_always_eager = False
    try:
        result = ping.delay(41)
        value = result.get(timeout=60)
    finally:
        app.conf.task_always_eager = True
    assert value["pong"] == 41
    assert value["pid"] != os.getpid()
