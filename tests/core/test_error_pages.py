"""Friendly Chinese error pages where a newcomer first meets them: `make run` serves with DEBUG off (issue 16:
it showed Django's English technical 404 listing every URL pattern), over plain http, with the static files
served by WhiteNoise; the 500 page renders with neither a request context nor the database."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def make_run_env() -> dict[str, str]:
    """The variables `make run` sets on the command that starts scripts/dev.py."""
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in out.splitlines() if "scripts/dev.py" in ln)
    words = shlex.split(line)
    return dict(w.split("=", 1) for w in words[:words.index(next(w for w in words if "=" not in w))])


def test_make_run_serves_with_debug_off_over_plain_http():
    assert make_run_env() == {"DEBUG": "0", "PLAIN_HTTP": "1"}
    out = subprocess.run(["make", "-n", "run", "DEBUG=1"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "DEBUG=1 PLAIN_HTTP=1" in out  # the technical pages, for whoever asks


def _get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


@pytest.mark.django_db
def test_the_server_as_make_run_starts_it_answers_a_missing_page_in_chinese(tmp_path):
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items()
           if k not in {"TESTING", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(make_run_env())
    env.update({
        "DJANGO_SETTINGS_MODULE": "legalaid.settings",
        "SECRET_KEY": "make-run-like-secret-for-this-test-only-000000000000",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                        f"{db['NAME']}",
        "PRIVATE_FILES_ROOT": str(tmp_path),
    })
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("runserver exited: " + proc.stdout.read())
                time.sleep(0.5)
        status, body, _headers = _get(f"{base}/no-such-page/")
        assert status == 404
        assert "页面或记录不存在" in body and "URLconf" not in body and "Page not found" not in body
        status, body, _headers = _get(f"{base}/static/css/app.css")
        assert status == 200 and body
        status, body, _headers = _get(f"{base}/accounts/login/")  # plain http: no redirect to https
        assert status == 200 and "<form" in body
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_500_page_is_chinese_and_needs_neither_context_nor_database():
    from django.views.defaults import server_error

    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/"))  # no django_db mark: a query would fail the test
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in body and "返回工作台" in body and "Server Error" not in body


@pytest.mark.django_db
def test_a_page_the_role_may_not_open_answers_the_chinese_403(client_for):
    r = client_for("staff_a").get("/intake/notices/new/")
    assert r.status_code == 403 and "无权操作" in r.content.decode()


@pytest.mark.django_db
def test_a_missing_page_answers_the_chinese_404(client_for):
    r = client_for("clerk").get("/no-such-page/")
    assert r.status_code == 404 and "页面或记录不存在" in r.content.decode()
