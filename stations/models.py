"""The service network (DOMAIN.md §8): stations, contact points, liaisons, volunteers,
the roster of handlers and their providers, and duty rosters."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import HANDLER_KIND, HOST_PARTNER, PROVIDER_KIND, STATION_KIND, cause_choices
from core.indicators import found_in


def open_on(model, day) -> models.Q:
    """The rows of `model` (a station, contact point, liaison or volunteer) open on `day`: opened on or before
    it (or unknown), not closed by it, and not within a past closure that covered it (a row reactivated since:
    its `closed_on` is gone, its Closure keeps the span closed_on <= day < reopened_on)."""
    field = model.CLOSURE_FIELD
    closed_then = Closure.objects.filter(**{f"{field}__isnull": False}, closed_on__lte=day,
                                         reopened_on__gt=day).values(field)
    return ((models.Q(opened_on__isnull=True) | models.Q(opened_on__lte=day))
            & (models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=day))
            & ~found_in("pk", closed_then))


def check_span(record) -> None:
    """A station, contact point, liaison or volunteer does not open after it was closed: neither after its
    deactivation date nor after a past closure (Closure) it has been reactivated from since, or it would be
    open on no end date of the period it served (network.*)."""
    if record.opened_on is None:
        return
    closed = [record.closed_on] if record.closed_on else []
    if record.pk is not None:
        closed += Closure.objects.filter(**{record.CLOSURE_FIELD: record}).values_list("closed_on", flat=True)
    if any(day < record.opened_on for day in closed):
        raise ValidationError({"opened_on": _("The opening date cannot be after a deactivation date.")})


class ActiveSpanQuerySet(models.QuerySet):
    def active_at(self, day):
        """Rows open on `day` (open_on)."""
        return self.filter(open_on(self.model, day))


class Station(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=STATION_KIND.choices, default="township")
    host_partner = models.CharField(_("host partner"), max_length=30, choices=HOST_PARTNER.choices, blank=True)
    township = models.CharField(_("township"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("deactivated on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ActiveSpanQuerySet.as_manager()
    CLOSURE_FIELD = "station"  # its field on Closure

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        check_span(self)


class ContactPoint(models.Model):
    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.PROTECT,
                                related_name="contact_points")
    name = models.CharField(_("name"), max_length=100)
    village = models.CharField(_("village or community"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    legal_adviser = models.ForeignKey("stations.Handler", verbose_name=_("village legal adviser"),
                                      null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="advised_points")
    adviser_from = models.DateField(_("adviser contract from"), null=True, blank=True)
    adviser_until = models.DateField(_("adviser contract until"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("deactivated on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ActiveSpanQuerySet.as_manager()
    CLOSURE_FIELD = "contact_point"  # its field on Closure

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["station__name", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The village legal adviser's contract (DOMAIN.md §8): an adviser with the start of the contract, a
        contract period with its adviser, and no contract that ends before it starts; checked here so that
        the admin's pages keep to it as the network screens do."""
        super().clean()
        errors = {}
        if self.legal_adviser_id and not self.adviser_from:
            errors["adviser_from"] = _("Give the start of the legal adviser's contract.")
        if not self.legal_adviser_id and (self.adviser_from or self.adviser_until):
            errors["legal_adviser"] = _("Choose the legal adviser this contract period belongs to.")
        if self.adviser_from and self.adviser_until and self.adviser_until < self.adviser_from:
            errors["adviser_until"] = _("The contract cannot end before it starts.")
        if errors:
            raise ValidationError(errors)
        check_span(self)


class Liaison(models.Model):
    contact_point = models.ForeignKey(ContactPoint, verbose_name=_("contact point"), on_delete=models.PROTECT,
                                      related_name="liaisons")
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opened_on = models.DateField(_("started on"), null=True, blank=True)
    closed_on = models.DateField(_("ended on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ActiveSpanQuerySet.as_manager()
    CLOSURE_FIELD = "liaison"  # its field on Closure

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        check_span(self)


class Volunteer(models.Model):
    name = models.CharField(_("full name"), max_length=50)
    organisation = models.CharField(_("school or employer"), max_length=100, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    station = models.ForeignKey(Station, verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="volunteers")
    opened_on = models.DateField(_("joined on"), null=True, blank=True)
    closed_on = models.DateField(_("left on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ActiveSpanQuerySet.as_manager()
    CLOSURE_FIELD = "volunteer"  # its field on Closure

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        check_span(self)


class Closure(models.Model):
    """One closure of a station, contact point, liaison or volunteer (exactly one of the four), from `closed_on`
    until `reopened_on` (empty while it is still closed), written when it is deactivated and reactivated
    (services._close, services._reopen). Reactivating clears the record's own `closed_on`: this keeps the span,
    so a past end date inside it still counts the record as closed (open_on; DECISIONS.md, Network)."""

    station = models.ForeignKey(Station, verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="closures")
    contact_point = models.ForeignKey(ContactPoint, verbose_name=_("contact point"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="closures")
    liaison = models.ForeignKey(Liaison, verbose_name=_("liaison"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="closures")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("volunteer"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="closures")
    closed_on = models.DateField(_("deactivated on"))
    reopened_on = models.DateField(_("reactivated on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("deactivated by"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reactivated by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    RECORDS = ("station", "contact_point", "liaison", "volunteer")

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["closed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(station__isnull=False, contact_point__isnull=True, liaison__isnull=True,
                                    volunteer__isnull=True)
                           | models.Q(station__isnull=True, contact_point__isnull=False, liaison__isnull=True,
                                      volunteer__isnull=True)
                           | models.Q(station__isnull=True, contact_point__isnull=True, liaison__isnull=False,
                                      volunteer__isnull=True)
                           | models.Q(station__isnull=True, contact_point__isnull=True, liaison__isnull=True,
                                      volunteer__isnull=False)),
                name="closure_of_one_record"),
            models.CheckConstraint(
                condition=models.Q(reopened_on__isnull=True) | models.Q(reopened_on__gte=models.F("closed_on")),
                name="closure_reopened_after_closed"),
        ]

    def __str__(self) -> str:
        record = next(getattr(self, f) for f in self.RECORDS if getattr(self, f"{f}_id"))
        return f"{record} {self.closed_on}–{self.reopened_on or ''}"


class Provider(models.Model):
    """承办机构: the law firm or legal-service office a handler works for."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=PROVIDER_KIND.choices, default="law_firm")
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Handler(models.Model):
    """承办人: a lawyer or legal worker on the roster who can be assigned cases."""

    name = models.CharField(_("full name"), max_length=50)
    kind = models.CharField(_("handler type"), max_length=30, choices=HANDLER_KIND.choices,
                            default="practising_lawyer")
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="handlers")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("login account"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="handler_profile")
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    specialties = ArrayField(models.CharField(max_length=30, choices=cause_choices), blank=True, default=list,
                             verbose_name=_("specialties"))
    criminal_years = models.PositiveSmallIntegerField(_("years of criminal-defence experience"), default=0)
    juvenile_suitable = models.BooleanField(_("suited to juvenile cases"), default=False)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handler")
        verbose_name_plural = _("handlers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "provider"], name="handler_unique_name_per_provider"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_lawyer(self) -> bool:
        return self.kind in {"practising_lawyer", "aid_lawyer"}


class DutyShift(models.Model):
    """One day's duty of a duty lawyer at a court, procuratorate, detention center or station."""

    PLACE_KINDS = [
        ("court", _("Court")),
        ("procuratorate", _("Procuratorate")),
        ("detention", _("Detention center")),
        ("center", _("Center window")),
        ("station", _("Station")),
        ("other", _("Other place")),
    ]
    date = models.DateField(_("date"))
    place_kind = models.CharField(_("place type"), max_length=20, choices=PLACE_KINDS, default="court")
    place = models.CharField(_("place"), max_length=100)
    handler = models.ForeignKey(Handler, verbose_name=_("duty lawyer"), on_delete=models.PROTECT,
                                related_name="duty_shifts")
    station = models.ForeignKey(Station, verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="duty_shifts")
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["date", "place"]

    def __str__(self) -> str:
        return f"{self.date} {self.place} {self.handler}"


