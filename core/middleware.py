"""Middleware of the project's own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEALTHZ_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer /healthz before anything reads the Host header.

    The container's probe asks http://127.0.0.1:8000/healthz while ALLOWED_HOSTS names the real domain;
    CommonMiddleware (and any view) would answer that with 400 DisallowedHost, and SecurityMiddleware
    would redirect a plain-http probe to https. The answer carries nothing but the state of the database
    and the broker, so it is safe whatever the Host says. It comes first in MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTHZ_PATH:
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


class SessionRenewalMiddleware:
    """Keep a signed-in session alive while it is used, at most one write a minute.

    The idle timeout is the session's age (SESSION_COOKIE_AGE, the cookie itself ends with the browser):
    each save moves the expiry on. Django's SESSION_SAVE_EVERY_REQUEST would write the session row on
    every page (three round trips); here it is written when it changed or when the last renewal (or the
    sign-in, `signed_in`) is more than SESSION_RENEW_SECONDS (60) old, so a session expires between
    AGE − SESSION_RENEW_SECONDS and AGE after its last use. Comes right after SessionMiddleware, so that its
    answer is seen first.
    """

    KEY = "_renewed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.is_empty():
            return response  # no session: nothing to keep alive, and none is made here
        import time

        from django.conf import settings

        now = int(time.time())
        renew = int(getattr(settings, "SESSION_RENEW_SECONDS", 60))
        if session.modified or now - int(session.get(self.KEY, 0)) >= renew:
            session[self.KEY] = now
        return response


def signed_in(sender, request, user, **kwargs) -> None:
    """A sign-in saves the session: that is its first renewal (user_logged_in, connected in core.apps)."""
    import time

    if request is not None and hasattr(request, "session"):
        request.session[SessionRenewalMiddleware.KEY] = int(time.time())
