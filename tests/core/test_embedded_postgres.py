"""`make run` on a machine without PostgreSQL: the embedded server (the pgserver wheel, which has no contrib
extensions such as pg_trgm) takes every migration and the demo data. Real processes, a real server."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

pgserver = pytest.importorskip("pgserver")

ROOT = Path(__file__).resolve().parents[2]
# pgserver says "exiting …" from its exit handler, after pytest has closed the streams it would write to.
logging.getLogger("pgserver").setLevel(logging.WARNING)


def _number(pgdata: Path, sql: str) -> int:
    """One figure from the demo's database on the embedded server."""
    import psycopg

    with psycopg.connect(host=str(pgdata), user="postgres", dbname="legalaid") as conn:
        return conn.execute(sql).fetchone()[0]


def test_the_embedded_server_migrates_and_takes_the_demo(tmp_path):
    pgdata = tmp_path / "pg"
    server = pgserver.get_server(str(pgdata), cleanup_mode="stop")
    try:
        server.psql("CREATE DATABASE legalaid;")
        assert "pg_trgm" not in server.psql("SELECT name FROM pg_available_extensions;")  # why this test exists
        env = {**os.environ, "DATABASE_URL": f"postgres://postgres@{quote(str(pgdata), safe='')}/legalaid",
               "DJANGO_SETTINGS_MODULE": "legalaid.settings", "DEBUG": "1", "PLAIN_HTTP": "1",
               "SECRET_KEY": "embedded-test-only", "PRIVATE_FILES_ROOT": str(tmp_path / "files")}
        for key in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "TESTING"):
            env.pop(key, None)
        env["CELERY_TASK_ALWAYS_EAGER"] = "1"
        logs = {}
        for args in (["migrate", "--noinput"], ["seed_demo"], ["makemigrations", "--check", "--dry-run"]):
            done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=600)
            assert done.returncode == 0, (args, done.stdout[-3000:], done.stderr[-3000:])
            logs[args[0]] = done.stdout + done.stderr
        assert "pg_trgm is not installed: index person_name_trgm not made" in logs["migrate"]
        assert _number(pgdata, "SELECT count(*) FROM cases_case") > 0
        assert _number(pgdata, "SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%\\_trgm'") == 0
        assert _number(pgdata, "SELECT count(*) FROM pg_indexes WHERE indexname = 'case_status_idx' OR "
                               "indexname LIKE 'cases_case%'") > 0  # the other indexes are there
    finally:
        server.cleanup()
