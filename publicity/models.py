"""Outreach (DOMAIN.md §10): publicity events and media reports."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import MEDIA_LEVEL, PUBLICITY_FORM

count = dict(default=0, validators=[MinValueValidator(0)])


class Event(models.Model):
    date = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title or theme"), max_length=200)
    form = models.CharField(_("form"), max_length=20, choices=PUBLICITY_FORM.choices, default="onsite")
    place = models.CharField(_("place"), max_length=200, blank=True)
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="events")
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("staff present"), blank=True,
                                   related_name="events")
    lawyers = models.ManyToManyField("stations.Handler", verbose_name=_("lawyers present"), blank=True,
                                     related_name="events")
    volunteers = models.ManyToManyField("stations.Volunteer", verbose_name=_("volunteers present"), blank=True,
                                        related_name="events")
    materials = models.PositiveIntegerField(_("materials handed out"), **count)
    onsite = models.PositiveIntegerField(_("people consulted on site"), **count)
    audience = models.PositiveIntegerField(_("audience"), **count)
    note = models.TextField(_("note"), blank=True)
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(m2m_fields=[staff, lawyers, volunteers])

    class Meta:
        verbose_name = _("publicity event")
        verbose_name_plural = _("publicity events")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


def photo_path(instance: EventPhoto, filename: str) -> str:
    return f"events/{instance.event_id}/{filename}"


class EventPhoto(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="photos")
    # FileField, not ImageField: Pillow is not needed; the upload view checks the type.
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=300)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Removed photos are hidden, never deleted: who removed which photo and when stays on record.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("removed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class MediaReport(models.Model):
    date = models.DateField(_("date"), db_index=True)
    outlet = models.CharField(_("outlet"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=MEDIA_LEVEL.choices, default="county")
    title = models.CharField(_("title"), max_length=200, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    event = models.ForeignKey(Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="media_reports")
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="media_reports")
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("media report")
        verbose_name_plural = _("media reports")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title or self.outlet
