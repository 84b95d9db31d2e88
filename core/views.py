from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .registry import home_panels

log = logging.getLogger(__name__)


@login_required
def home(request):
    """工作台: each role's to-dos and figures, contributed by the apps."""
    return render(request, "home.html", {"panels": home_panels(request)})


def _check_broker() -> tuple[bool, str]:
    from celery import current_app as app  # the project's app (legalaid/celery.py), without importing it

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, app.conf.broker_url.split("://")[0]
    except Exception as exc:  # noqa: BLE001 - any failure means "not ok"
        return False, str(exc)[:200]


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and monitors: database and broker, as JSON."""
    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        checks["database"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001
        checks["database"] = {"ok": False, "error": str(exc)[:200]}
    ok, detail = _check_broker()
    checks["broker"] = {"ok": ok, ("transport" if ok else "error"): detail}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
