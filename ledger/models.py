"""Ledger imports (LEDGER.md): an uploaded file, its validation preview and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import JobFields


def remove_files(records, *, now) -> int:
    """Remove the file of each record (a LedgerImport or an ExportJob past its keeping time), keeping the record
    with the moment its file was removed; returns how many were removed."""
    removed = 0
    for record in records:
        record.file.delete(save=False)
        record.file_removed_at = now
        record.save(update_fields=["file", "file_removed_at"])
        removed += 1
    return removed


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


def export_path(instance: ExportJob, filename: str) -> str:
    from django.utils import timezone

    return f"exports/{(instance.created_at or timezone.now()):%Y%m}/{instance.pk}/{filename}"


class ExportJob(JobFields):
    """A large list export (over EXPORT_BACKGROUND_ROWS rows) built in the background (ledger.exports): the list
    exactly as the user filtered it and was allowed to see it when asking, its progress, and the file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    sheet = models.CharField(_("list"), max_length=20)
    filename = models.CharField(_("file name"), max_length=200)
    list_url = models.CharField(_("list page"), max_length=1000, blank=True,
                                help_text=_("The list page with the filters as asked."))
    model = models.CharField(max_length=100, editable=False)
    query = models.BinaryField(editable=False)  # the list's query (pickled, signed: ledger.exports)
    query_signature = models.CharField(max_length=64, editable=False)
    django_version = models.CharField(max_length=20, editable=False)
    full = models.BooleanField(_("unmasked ID numbers"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=export_path, blank=True, max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    # What the requester could see when asking (ledger.exports.requester_scope): the file is built and served
    # only while the requester's scope is not narrower (same station, every capability still held, and the
    # right to full ID numbers for a `full` export). No capabilities recorded (NULL): a job from before.
    scope_station = models.PositiveIntegerField(null=True, blank=True, editable=False)  # NULL: the center
    scope_capabilities = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_by_user")]

    def __str__(self) -> str:
        return self.filename
