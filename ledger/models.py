"""Ledger imports (LEDGER.md): an uploaded file, its validation preview and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import JobFields


def ledger_path(instance: LedgerImport, filename: str) -> str:
    from django.utils import timezone

    return f"ledgers/{(instance.created_at or timezone.now()):%Y%m}/{filename}"


class LedgerImport(JobFields):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Validating")
        PREVIEWED = "previewed", _("Ready to confirm")
        INVALID = "invalid", _("Has errors")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to=ledger_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    station = models.ForeignKey("stations.Station", verbose_name=_("default station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    counts = models.JSONField(_("rows per sheet"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                   on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("import confirmed by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
