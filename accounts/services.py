"""Writes for user accounts. Accounts are never deleted: a leaver is deactivated, so their name stays on
what they did. Every change is one history row (roles included), carrying who made it and why."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.access import require
from core.stored import site_language

from . import roles
from .models import User

# No 0/O, 1/l/I: the password is read off a screen and typed in by someone else.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_PASSWORD_LENGTH = 10


@transaction.atomic
def roles_sync() -> None:
    """Make sure every role group exists with at least its default capabilities.

    The data migration does this on a new database; this runs again from seed_demo
    (and test set-ups that flush tables) so the roles can never be missing.
    Capabilities an administrator added stay; none are removed.
    """
    ct, _ = ContentType.objects.get_or_create(app_label="accounts", model="capability")
    perms = {}
    for codename, name in roles.CAPABILITIES:
        perms[codename], _ = Permission.objects.get_or_create(content_type=ct, codename=codename,
                                                              defaults={"name": name})
    for role, caps in roles.ROLE_CAPABILITIES.items():
        group, created = Group.objects.get_or_create(name=role)
        if created:
            group.permissions.add(*[perms[c] for c in caps])


# --- Rules ----------------------------------------------------------------------

def _require(by) -> None:
    if by is None:
        raise PermissionDenied
    require(by, "user_manage")


def _is_director_or_super(user) -> bool:
    return user.is_superuser or user.has_role(roles.DIRECTOR)


def may_give_director_role(by) -> bool:
    """Only a director (or a superuser) gives or takes the director role; the form offers it to them alone."""
    return by is not None and _is_director_or_super(by)


def _guard_target(user: User, by) -> None:
    """Whoever could reset a director's or a superuser's password could act as them: only their peers may.
    A refusal, not a mistake in the form: 403 (issue 15.4)."""
    if user.is_superuser and not by.is_superuser:
        raise PermissionDenied(_("Only a superuser may change a superuser's account."))
    if user.pk and user.has_role(roles.DIRECTOR) and not _is_director_or_super(by):
        raise PermissionDenied(_("Only a director may change a director's account."))


def _check_roles(role_codes: list[str], station, *, by, before: set[str]) -> list[Group]:
    unknown = set(role_codes) - set(roles.ROLE_LABELS)
    if unknown or not role_codes:
        raise ValidationError({"roles": _("Choose at least one role.")})
    if roles.STATION_STAFF in role_codes and station is None:
        raise ValidationError({"station": _("Station staff belong to a station: choose it.")})
    if station is not None and not station.active:
        raise ValidationError({"station": _("This station is inactive.")})
    if (roles.DIRECTOR in set(role_codes) ^ before) and not may_give_director_role(by):
        raise PermissionDenied(_("Only a director may give or take the director role."))
    return list(Group.objects.filter(name__in=role_codes))


def _lock_active_directors() -> list[int]:
    """Ids of the active directors, locked so two directors cannot switch each other off at once."""
    return list(User.objects.select_for_update().filter(is_active=True, groups__name=roles.DIRECTOR)
                .order_by("pk").values_list("pk", flat=True))


def _keep_a_director(user: User, message: str) -> None:
    if _lock_active_directors() == [user.pk]:
        raise ValidationError(message)


def _roles_text(codes) -> str:
    return "、".join(str(roles.ROLE_LABELS.get(c, c)) for c in sorted(codes)) or "—"


def _save(user: User, by, reason: str = "") -> None:
    """Save with its history row. A `reason` the service words itself is built under `site_language()`
    (core.stored): the history is read in the center's language, whoever clicked."""
    user._history_user = by
    user._change_reason = reason[:100] if reason else None
    user.save()


def _set_roles(user: User, groups: list[Group]) -> None:
    # One history row for the whole change: the m2m signal would add one per add and remove.
    user.skip_history_when_saving = True
    try:
        user.groups.set(groups)
    finally:
        del user.skip_history_when_saving
    user.__dict__.pop("role_codes", None)


def one_time_password() -> str:
    return "".join(secrets.choice(_OTP_ALPHABET) for _ in range(ONE_TIME_PASSWORD_LENGTH))


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


# --- Accounts -------------------------------------------------------------------

@transaction.atomic
def user_create(*, username: str, full_name: str, role_codes: list[str], station=None, phone: str = "",
                email: str = "", by) -> tuple[User, str]:
    """A new account with a one-time password, returned to be shown once; it must be changed at first login."""
    _require(by)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with that username already exists.")})
    groups = _check_roles(role_codes, station, by=by, before=set())
    user = User(username=username, full_name=full_name.strip(), phone=phone.strip(), email=email.strip(),
                station=station, must_change_password=True)
    user.full_clean(exclude=["password"])
    password = one_time_password()
    user.set_password(password)
    with site_language():
        created, given = _("account created"), _("roles: %(roles)s") % {"roles": _roles_text(role_codes)}
    try:
        with transaction.atomic():
            _save(user, by, created)
    except IntegrityError:
        # the same username taken at the same moment (a double click on 保存, two administrators): a message
        if not User.objects.filter(username__iexact=username).exists():
            raise
        raise ValidationError({"username": _("A user with that username already exists.")}) from None
    user._history_user = by
    user._change_reason = given
    user.groups.set(groups)  # the history row of the roles given
    return user, password


@transaction.atomic
def user_update(*, user: User, full_name: str, role_codes: list[str], station=None, phone: str = "",
                email: str = "", by) -> User:
    _require(by)
    user = _locked(user)
    _guard_target(user, by)
    before = user.role_codes
    groups = _check_roles(role_codes, station, by=by, before=before)
    if roles.DIRECTOR in before and roles.DIRECTOR not in role_codes and user.is_active:
        _keep_a_director(user, _("The last active director keeps the director role."))
    user.full_name, user.phone, user.email, user.station = full_name.strip(), phone.strip(), email.strip(), station
    user.full_clean(exclude=["password"])
    reason = ""
    if set(role_codes) != before:
        _set_roles(user, groups)
        with site_language():
            reason = _("roles: %(old)s → %(new)s") % {"old": _roles_text(before), "new": _roles_text(role_codes)}
    _save(user, by, reason)
    return user


@transaction.atomic
def user_deactivate(*, user: User, by) -> User:
    _require(by)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user = _locked(user)
    _guard_target(user, by)
    if not user.is_active:
        raise ValidationError(_("This account is already inactive."))
    if user.has_role(roles.DIRECTOR):
        _keep_a_director(user, _("The last active director cannot be deactivated."))
    user.is_active = False
    with site_language():
        reason = _("deactivated")
    _save(user, by, reason)
    return user


@transaction.atomic
def user_reactivate(*, user: User, by) -> User:
    _require(by)
    user = _locked(user)
    _guard_target(user, by)
    if user.is_active:
        raise ValidationError(_("This account is already active."))
    user.is_active = True
    with site_language():
        reason = _("reactivated")
    _save(user, by, reason)
    return user


def _clear_lockout(user: User) -> None:
    from axes.utils import reset

    reset(username=user.username)


@transaction.atomic
def user_password_reset(*, user: User, by) -> str:
    """A new one-time password, returned to be shown once; the user must choose their own at next login.
    Their open sessions end (Django ties a session to the password) and a login lockout is lifted."""
    _require(by)
    user = _locked(user)
    _guard_target(user, by)
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    with site_language():
        reason = _("password reset")
    _save(user, by, reason)
    _clear_lockout(user)
    return password


def user_password_reset_email(*, user: User, by, domain: str, use_https: bool) -> None:
    """Send the user Django's password reset link (mail must be configured: PASSWORD_RESET_BY_EMAIL)."""
    _require(by)
    _guard_target(user, by)
    if not user.email:
        raise ValidationError(_("This user has no e-mail address."))
    form = PasswordResetForm({"email": user.email})
    form.is_valid()
    with site_language():  # the recipient reads the center's language, not that of whoever sent the link
        form.save(domain_override=domain, use_https=use_https, **EMAIL_TEMPLATES)
        reason = _("password reset link sent by e-mail")
    _save(user, by, reason)  # no field changes: the row records the action


EMAIL_TEMPLATES = {
    "subject_template_name": "accounts/password_reset_subject.txt",
    "email_template_name": "accounts/password_reset_email.txt",
}


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """The user chose their own password: the reset's one-time password is spent."""
    if user.must_change_password:
        user.must_change_password = False
        with site_language():
            reason = _("password changed")
        _save(user, user, reason)


# --- Second factor (TOTP) ------------------------------------------------------

def _device_name() -> str:
    with site_language():
        return _("Authenticator app")


@transaction.atomic
def user_otp_device(*, user: User):
    """The authenticator app being enrolled: the user's unconfirmed device, made on the first visit."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return (TOTPDevice.objects.filter(user=user, confirmed=False).first()
            or TOTPDevice.objects.create(user=user, name=_device_name(), confirmed=False))


@transaction.atomic
def user_otp_confirm(*, user: User, device) -> None:
    """The user typed a right code from their new authenticator app: it becomes their second factor."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user = _locked(user)
    user.otp_enrolled = True
    with site_language():
        reason = _("second factor enrolled")
    _save(user, user, reason)


@transaction.atomic
def user_otp_reset(*, user: User, by) -> User:
    """Forget a lost phone: the user logs in with the password alone, and enrols again where required."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require(by)
    user = _locked(user)
    _guard_target(user, by)
    TOTPDevice.objects.filter(user=user).delete()
    user.otp_enrolled = False
    with site_language():
        reason = _("second factor reset")
    _save(user, by, reason)
    return user
