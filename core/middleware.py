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
