"""What docker-compose runs, run here: collectstatic with the production storage, and gunicorn."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "DEBUG", "DJANGO_SETTINGS_MODULE",
                                                          "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "legalaid.settings",
        "DEBUG": "0",
        "SECRET_KEY": "production-like-secret-for-this-test-only-4f8a9b2c7d1e",
        # As deployed: the real domain only; the compose healthcheck still asks http://127.0.0.1:8000/healthz.
        "ALLOWED_HOSTS": "legalaid.example.gov.cn",
        "STATIC_ROOT": str(tmp_path / "static"),
    })
    return env


def test_collectstatic_works_with_the_hashed_production_storage(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT,
                            env=production_env(tmp_path), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert "bootstrap-icons.woff2" in manifest


def test_gunicorn_serves_the_health_check_as_in_production(tmp_path, db):
    env = production_env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen([gunicorn, "legalaid.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body is not None, "gunicorn did not answer"
        assert '"status": "ok"' in body
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_image_can_back_up_the_database_compose_runs():
    """pg_dump refuses a server newer than itself: the image's client is the compose database's version, and
    every manage.py command the compose file runs exists."""
    import re

    from django.core.management import get_commands

    root = Path(__file__).resolve().parents[2]
    compose = (root / "docker-compose.yml").read_text(encoding="utf-8")
    dockerfile = (root / "Dockerfile").read_text(encoding="utf-8")
    server = re.search(r"image: postgres:(\d+)", compose).group(1)
    assert f"postgresql-client-{server}" in dockerfile
    assert "BACKUP_DIR: /data/backups" in compose and "backups:/data/backups" in compose
    commands = set(re.findall(r"python manage\.py (\w+)", compose))
    assert {"migrate", "backup"} <= commands and commands <= set(get_commands())
