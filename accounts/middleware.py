"""Gates an account passes before any page: a reset password is changed first; a role that needs a second
factor enrols first; a session opened without the code (the admin's login form) of an enrolled user ends.

Reads only the user row the request loads anyway, so a page costs no extra query."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

OTP_CHECKED = "accounts_otp_checked"


@cache
def _open_paths() -> dict[str, set[str]]:
    always = {reverse("logout"), reverse("set_language")}
    return {
        "password_change": always | {reverse("password_change")},
        "otp_setup": always | {reverse("otp_setup")},
    }


def otp_required(user) -> bool:
    return bool(set(settings.OTP_REQUIRED_ROLES) & user.role_codes)


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.otp_enrolled and not getattr(user, "is_verified", lambda: True)():
                logout(request)
                return redirect_to_login(request.get_full_path())
            gate = self._gate(request, user)
            if gate and request.path_info not in _open_paths()[gate]:
                return redirect(gate)
        return self.get_response(request)

    @staticmethod
    def _gate(request, user) -> str | None:
        if user.must_change_password:
            return "password_change"
        if settings.OTP_REQUIRED_ROLES and not user.otp_enrolled and request.session.get(OTP_CHECKED) != user.pk:
            # The roles cost a query: asked once per session, remembered when enrolment is not required.
            if otp_required(user):
                return "otp_setup"
            request.session[OTP_CHECKED] = user.pk
        return None
