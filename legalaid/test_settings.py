"""Settings for the test suite: the real settings module with test defaults in the environment.

`make test` provides DATABASE_URL and REDIS_URL for the services it starts.
"""

import os

for key, value in {
    "TESTING": "1",
    "DEBUG": "0",
    "SECRET_KEY": "test-only-secret-key-not-for-production-000000000000000000",
    "DATABASE_URL": "postgres://legalaid:legalaid@127.0.0.1:5432/legalaid",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "CELERY_TASK_ALWAYS_EAGER": "1",
    "ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
}.items():
    os.environ.setdefault(key, value)

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A replica alias that mirrors the test database, used only by the tests that switch READ_FROM_REPLICA on
# (tests/core/test_replica.py): elsewhere a test's uncommitted rows would be invisible to it.
DATABASES["replica"] = {**DATABASES["default"], "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}  # noqa: F405
READ_FROM_REPLICA = False

# The navigation's counts: a cache of this process (tests run one process; a shared Redis would carry counts
# from one test, or one test run, into another).
CACHES = {**CACHES, "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}}  # noqa: F405
# Figures are made afresh after every change in tests (core.counts.cached(settle=True); tested on its own).
FIGURES_SETTLE_SECONDS = 0
# A session is not renewed within a test (a page's query count does not depend on the minute it falls in);
# tests/core/test_session_renewal.py sets the real interval.
SESSION_RENEW_SECONDS = 24 * 60 * 60
