"""Targets and report runs (DOMAIN.md §11)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import JobFields

# The years a target may be set for (the target forms and services refuse others).
TARGET_YEARS = (2000, 2100)


class Target(models.Model):
    """民生工程目标: the yearly target of one indicator of STATISTICS.md, county-wide or per station."""

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("indicator code"), max_length=60)
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code", "station"], name="target_unique",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.code} {self.value_text}"

    @property
    def value_text(self) -> str:
        """The target in its indicator's unit: 1,324,900.00 for money (core.display), 120 for a count."""
        from core.display import money_text

        from .indicators import BY_CODE

        if BY_CODE.get(self.code, ("", ""))[1] == "元":
            return money_text(self.value)
        return f"{self.value.normalize():f}" if self.value is not None else ""


def report_path(instance: ReportRun, filename: str) -> str:
    return f"reports/{instance.pk}/{filename}"


class ReportRun(JobFields):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    period = models.CharField(_("period"), max_length=30)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="report_runs")
    want_docx = models.BooleanField(_("Word draft"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    xlsx = models.FileField(_("workbook"), upload_to=report_path, blank=True, max_length=300)
    docx = models.FileField(_("work summary draft"), upload_to=report_path, blank=True, max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="report_runs")
    scheduled = models.BooleanField(_("scheduled"), default=False)
    figures = models.JSONField(_("figures as built"), default=dict, blank=True, editable=False,
                               help_text=_("Every indicator's value when the files were built, as text."))
    differences = models.JSONField(_("differences from the submitted version"), default=list, blank=True,
                                   editable=False)
    xlsx_sha256 = models.CharField(_("SHA-256 of the Excel file"), max_length=64, blank=True, editable=False)
    docx_sha256 = models.CharField(_("SHA-256 of the Word file"), max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    files_removed_at = models.DateTimeField(_("files removed at"), null=True, blank=True, editable=False,
                                            help_text=_("Past the keeping time; the figures stay, the files can "
                                                        "be built again."))

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One submitted (上报) version per period and scope; it is never altered.
            models.UniqueConstraint(fields=["period", "station"], condition=models.Q(submitted_at__isnull=False),
                                    name="report_one_submitted_version", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.get_status_display()}"

    @property
    def is_stalled(self) -> bool:
        """Its worker stopped (no heartbeat) or its message was lost: it restarts by itself, or may be retried."""
        return self.job_state == "stuck"

    @property
    def period_label(self) -> str:
        """2025年 / 2025年上半年 / 2025年1月1日至11月30日."""
        from django.core.exceptions import ValidationError

        try:
            return self.as_period().label
        except ValidationError:  # an old or hand-edited period code: show it as it is
            return self.period

    def as_period(self):
        """The period exactly as requested: one that had not ended is taken as of its stored end date."""
        from .periods import parse_period

        return parse_period(self.period, today=self.end)


class SubmittedFigure(models.Model):
    """One indicator of a submitted report, frozen: its value and, for a count or a sum, the records it
    counted, so a later rebuild can show which records changed since."""

    run = models.ForeignKey(ReportRun, verbose_name=_("report run"), on_delete=models.PROTECT,
                            related_name="submitted_figures")
    code = models.CharField(_("indicator code"), max_length=60)
    value = models.CharField(_("value"), max_length=40, blank=True)
    records = ArrayField(models.BigIntegerField(), null=True, blank=True, verbose_name=_("records counted"))

    class Meta:
        verbose_name = _("submitted figure")
        verbose_name_plural = _("submitted figures")
        ordering = ["run", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="submitted_figure_unique")]

    def __str__(self) -> str:
        return f"{self.code} = {self.value}"
