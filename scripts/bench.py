"""`make bench`: performance figures on generated data. Never part of `make test`.

Each app that has figures to report provides `<app>/bench.py` with `run(report)`,
where `report(name, value, unit)` prints one figure. The benchmarks run against a
throw-away database `legalaid_bench` on the same PostgreSQL server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.test_settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from core.registry import modules

    settings.DATABASES["default"]["TEST"]["NAME"] = "legalaid_bench"
    old = setup_databases(verbosity=0, interactive=False)
    figures = []

    def report(name: str, value: float, unit: str) -> None:
        figures.append((name, value, unit))
        print(f"{name:<55} {value:>14,.1f} {unit}", flush=True)

    try:
        print(f"benchmarks on {connection.settings_dict['NAME']} ({os.cpu_count()} cores)")
        from django.core.management import call_command

        for module in modules("bench"):
            # Each app's benchmark starts from an empty database, as its own data generator assumes.
            call_command("flush", interactive=False, verbosity=0)
            module.run(report)
    finally:
        teardown_databases(old, verbosity=0)
    if not figures:
        print("no benchmarks found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
