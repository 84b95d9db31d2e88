from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import roles


class User(AbstractUser):
    """A person who logs in. Belongs to the center (no station) or to one station."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
        help_text=_("Empty for center staff; station staff see only their station's records."),
    )
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set when a password was reset: the user chooses a new one before anything else."))
    # Mirrors "has a confirmed TOTP device" so that every request can check the second factor without a query.
    otp_enrolled = models.BooleanField(_("second factor enrolled"), default=False)
    history = HistoricalRecords(excluded_fields=["last_login", "password"], m2m_fields=["groups"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @cached_property
    def role_codes(self) -> set[str]:
        return set(self.groups.values_list("name", flat=True))

    def has_role(self, code: str) -> bool:
        return code in self.role_codes

    @property
    def is_center(self) -> bool:
        return self.station_id is None

    def can(self, capability: str) -> bool:
        # A superuser holds every capability (Django's convention): IT's `createsuperuser` account. The demo
        # `admin` is not one: the administrator role (users, stations, configuration, DOMAIN §2) alone.
        return self.is_active and self.has_perm(f"accounts.{capability}")

    @property
    def role_labels(self) -> list[str]:
        return [str(roles.ROLE_LABELS.get(c, c)) for c in sorted(self.role_codes)]


class Capability(models.Model):
    """Holds no rows: it only carries the capability permissions of `roles.CAPABILITIES`."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = roles.CAPABILITIES
        verbose_name = _("capability")

    def __str__(self) -> str:
        return "capability"
