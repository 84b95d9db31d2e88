"""`make run`: everything a newcomer needs to see the system working, in one process tree.

Without DATABASE_URL an embedded PostgreSQL (the pgserver wheel) keeps its data in
.data/pg; without REDIS_URL Celery uses a filesystem broker in .data/broker, so the
worker and beat run exactly as in production with nothing else installed.
Ctrl-C stops the web server, the worker and the embedded database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
BIN = Path(sys.executable).parent


def start_embedded_postgres():
    import pgserver

    pgdata = DATA / "pg"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(pgdata), cleanup_mode="stop")
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'legalaid';")
    if "1 row" not in exists:
        server.psql("CREATE DATABASE legalaid;")
    os.environ["DATABASE_URL"] = f"postgres://postgres@{quote(str(pgdata), safe='')}/legalaid"
    print(f"embedded PostgreSQL in {pgdata}")
    return server


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def main() -> int:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-change-me")
    os.environ.setdefault("PRIVATE_FILES_ROOT", str(DATA / "files"))
    server = None
    if not os.environ.get("DATABASE_URL"):
        server = start_embedded_postgres()
    if not os.environ.get("REDIS_URL"):
        for sub in ("broker/processed", "broker/control", "results"):
            (DATA / sub).mkdir(parents=True, exist_ok=True)
        print("Celery broker: filesystem queue in .data/broker (set REDIS_URL to use Redis)")

    manage("migrate", "--noinput")
    manage("seed_demo")

    procs = [
        subprocess.Popen([sys.executable, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"], cwd=ROOT),
        subprocess.Popen([str(BIN / "celery"), "-A", "legalaid", "worker", "--beat", "--loglevel=INFO",
                          "--concurrency=2", "--schedule", str(DATA / "celerybeat-schedule")], cwd=ROOT),
    ]
    print("\n  legalaid is running on http://127.0.0.1:8000  (accounts: see README; password legalaid-demo)")
    print("  Ctrl-C stops the web server, the worker and the database.\n")

    def stop(*_args):
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        if server is not None:
            server.cleanup()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while all(p.poll() is None for p in procs):
        time.sleep(1)
    stop()
    return 1


if __name__ == "__main__":
    sys.exit(main())
