"""Login (with the optional second factor), the own account, and user management for the director and
administrators. Thin: a selector finds the account (403 without `user_manage`), a form validates, a
service writes."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import capability_required
from core.flow import act, errors_to_form, submit
from core.paging import paginate

from . import roles, selectors, services
from .forms import LoginForm, OTPTokenForm, PasswordResetChoiceForm, UserCreateForm, UserForm

PENDING = "accounts_otp_pending"  # the user who gave the right password and still owes the code
PENDING_SECONDS = 300
SHOWN_PASSWORD = "accounts_one_time_password"


# --- Login and own account ------------------------------------------------------

class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if not user.otp_enrolled:
            return super().form_valid(form)
        self.request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": time.time(),
                                         "next": self.get_success_url()}
        return redirect("login_code")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_reset_enabled": settings.PASSWORD_RESET_BY_EMAIL}


def login_code(request):
    """The second step of a login for a user with an authenticator app: the 6-digit code."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return redirect("login")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
    if device is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # verify_token throttles: each wrong code doubles the wait before the next one is checked.
        if device.verify_token(form.cleaned_data["token"]):
            request.session.pop(PENDING)
            user.otp_device = device  # django_otp's login signal stores the verified device in the session
            auth_login(request, user, backend=pending["backend"])
            target = pending["next"]
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = reverse(settings.LOGIN_REDIRECT_URL)
            return redirect(target)
        form.add_error("token", _("This code is not right, or came too late. Try the newest code."))
    return render(request, "accounts/login_code.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user)
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "forced": self.request.user.must_change_password}


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {
        "account": request.user, "otp_required": _otp_required(request.user),
    })


def _otp_required(user) -> bool:
    from .middleware import otp_required

    return otp_required(user)


@login_required
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code, type one code to prove it works."""
    if request.user.otp_enrolled:
        return render(request, "accounts/otp_setup.html", {"enrolled": True})
    device = services.user_otp_device(user=request.user)
    form = OTPTokenForm(request.POST or None)

    def confirm(data):
        if not device.verify_token(data["token"]):
            raise ValidationError({"token": _("This code is not right. Check the phone's clock and type the "
                                              "newest code.")})
        services.user_otp_confirm(user=request.user, device=device)
        from django_otp import login as otp_login

        otp_login(request, device)

    enrolled = submit(request, form, confirm, to="profile",
                      done=_("Two-step login is on: from now on you log in with a code from the app."))
    if enrolled:
        return enrolled
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "secret": _secret_text(device),
        "required": _otp_required(request.user),
    })


def _qr_svg(data: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg[svg.index("<svg"):])  # our own markup; the XML declaration cannot stand inside HTML


def _secret_text(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


# --- Password reset by e-mail ---------------------------------------------------

def _email_reset_on(view):
    def wrapped(request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_EMAIL:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


password_reset = _email_reset_on(auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html", success_url=reverse_lazy("password_reset_done"),
    **services.EMAIL_TEMPLATES))
password_reset_done = _email_reset_on(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = _email_reset_on(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("password_reset_complete")))
password_reset_complete = _email_reset_on(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))


# --- User management --------------------------------------------------------------

def _users_crumb() -> tuple:
    return (_("Users"), reverse("user_list"))


@login_required
def user_list(request):
    filters = {key: request.GET.get(key, "") for key in ("q", "role", "station")}
    filters["active"] = request.GET.get("active", "active")
    page = paginate(request, selectors.users_for_management(request.user, **filters))
    selectors.role_labels(page.object_list)
    return render(request, "accounts/user_list.html", {
        "page_obj": page, "users": page.object_list, "filters": filters,
        "role_choices": list(roles.ROLE_LABELS.items()), "station_choices": selectors.station_choices(),
        "breadcrumbs": [(_("Users"), None)],
    })


def _form_page(request, *, form, title, cancel_url, crumbs, submit=None, danger=False, extra=None):
    return render(request, "accounts/user_form.html", {
        "form": form, "title": title, "cancel_url": cancel_url, "submit_label": submit or _("Save"),
        "danger": danger, "breadcrumbs": crumbs + [(title, None)], **(extra or {}),
    })


@capability_required("user_manage")
def user_create(request):
    """Not `submit`: the new account's one-time password page says what was done, with no message."""
    form = UserCreateForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(
                username=data["username"], full_name=data["full_name"], phone=data["phone"], email=data["email"],
                role_codes=data["roles"], station=data["station"], by=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            request.session[SHOWN_PASSWORD] = {"user": user.pk, "password": password, "new": True}
            return redirect("user_password_shown", pk=user.pk)
    return _form_page(request, form=form, title=_("New user"), cancel_url=reverse("user_list"),
                      crumbs=[_users_crumb()], submit=_("Create"))


@login_required
def user_detail(request, pk):
    account = selectors.user_for_management(request.user, pk)
    return render(request, "accounts/user_detail.html", {
        "account": account, "is_self": account.pk == request.user.pk,
        "breadcrumbs": [_users_crumb(), (account.display_name, None)],
    })


@login_required
def user_edit(request, pk):
    account = selectors.user_for_management(request.user, pk)
    initial = {"full_name": account.full_name, "phone": account.phone, "email": account.email,
               "roles": sorted(account.role_codes), "station": account.station}
    form = UserForm(request.POST or None, initial=initial, by=request.user)
    saved = submit(request, form, lambda data: services.user_update(
        user=account, full_name=data["full_name"], phone=data["phone"], email=data["email"],
        role_codes=data["roles"], station=data["station"], by=request.user),
        done=_("Changes saved."), to="user_detail", args=(account.pk,))
    if saved:
        return saved
    detail = reverse("user_detail", args=[account.pk])
    return _form_page(request, form=form, title=_("Edit user"), cancel_url=detail,
                      crumbs=[_users_crumb(), (account.display_name, detail)], extra={"object": account})


def _button(action, done):
    """A button on a user's page (a POST): `action(user=, by=)` is the service, `done` the message (lazy, with
    the user's %(name)s)."""

    @login_required
    @require_POST
    def view(request, pk):
        account = selectors.user_for_management(request.user, pk)
        return act(request, lambda: action(user=account, by=request.user),
                   done=str(done) % {"name": account.display_name}, to="user_detail", args=(account.pk,))

    return view


user_deactivate = _button(services.user_deactivate,
                          gettext_lazy("%(name)s can no longer log in. The account and its history are kept."))
user_reactivate = _button(services.user_reactivate, gettext_lazy("%(name)s can log in again."))
user_otp_reset = _button(services.user_otp_reset, gettext_lazy(
    "The second factor of %(name)s is reset: they log in with the password alone."))


@login_required
def user_password_reset(request, pk):
    """Not `submit`: a one-time password goes to its own page (shown once), not to a message."""
    account = selectors.user_for_management(request.user, pk)
    form = PasswordResetChoiceForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["method"] == PasswordResetChoiceForm.EMAIL:
                services.user_password_reset_email(user=account, by=request.user, domain=request.get_host(),
                                                   use_https=request.is_secure())
            else:
                password = services.user_password_reset(user=account, by=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            if form.cleaned_data["method"] == PasswordResetChoiceForm.EMAIL:
                messages.success(request, _("A password reset link was sent to %(email)s.") % {"email": account.email})
                return redirect("user_detail", pk=account.pk)
            request.session[SHOWN_PASSWORD] = {"user": account.pk, "password": password, "new": False}
            return redirect("user_password_shown", pk=account.pk)
    detail = reverse("user_detail", args=[account.pk])
    return _form_page(request, form=form, title=_("Reset password"), cancel_url=detail,
                      crumbs=[_users_crumb(), (account.display_name, detail)], submit=_("Reset password"),
                      danger=True, extra={"object": account})


@login_required
def user_password_shown(request, pk):
    """The one-time password, once: it leaves the session as it is shown; a reload shows it no more."""
    account = selectors.user_for_management(request.user, pk)
    shown = request.session.get(SHOWN_PASSWORD)
    if shown and shown["user"] == account.pk:
        del request.session[SHOWN_PASSWORD]
    else:
        shown = None
    response = render(request, "accounts/user_password_shown.html", {
        "account": account, "shown": shown,
        "breadcrumbs": [_users_crumb(), (account.display_name, reverse("user_detail", args=[account.pk])),
                        (_("One-time password"), None)],
    })
    response["Cache-Control"] = "no-store"
    return response

