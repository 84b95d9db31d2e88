"""Cross-cutting configuration and records: the center's profile, deadline rules, the holiday calendar,
gapless document sequences and the log of who opened which personal record."""

from __future__ import annotations

import string

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class JobFields(models.Model):
    """What every background job row keeps beside its own status and progress (core.jobs): how often it was
    started, the last sign of life of the worker running it, and when it was last handed to the queue."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False)
    dispatched_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True, editable=False)
    # What the running body has done of how much, in its own unit (core.jobs.UNITS): rows, indicators,
    # sheets; the progress page shows "12,000 / 50,000 行" beside the bar (core/_job_progress.html).
    work_done = models.PositiveIntegerField(_("work done"), default=0, editable=False)
    work_total = models.PositiveIntegerField(_("work in all"), default=0, editable=False)
    work_unit = models.CharField(_("unit of work"), max_length=20, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def work_text(self) -> str:
        """"12,000 / 50,000 行" while a body reports its work; "" before."""
        if not self.work_total:
            return ""
        from .jobs import units

        return f"{self.work_done:,} / {self.work_total:,} {units().get(self.work_unit, self.work_unit)}"

    @property
    def job_state(self) -> str:
        """"" when the job is not to run (done, failed, waiting for the user); else "unqueued" (the queue could
        not be reached: it starts by itself when the queue is back), "queued", "running" or "stuck" (the
        worker stopped: the sweeper restarts it, and the user may retry at once)."""
        from datetime import timedelta

        from django.utils import timezone

        from .jobs import kind_of, setting

        if kind_of(self) is None:
            return ""
        now = timezone.now()
        if self.heartbeat_at is not None:
            stale = now - self.heartbeat_at > timedelta(seconds=setting("JOBS_STALE_SECONDS", 60))
            return "stuck" if stale else "running"
        if self.dispatched_at is None:
            return "unqueued"
        lost = now - self.dispatched_at > timedelta(seconds=3 * setting("JOBS_REDISPATCH_SECONDS", 60))
        return "stuck" if lost else "queued"


_SAMPLE = {"year": 2025, "abbr": "示", "kind": "民", "word": "援决字", "seq": 1}


def _pattern_problem(pattern: str, known: set[str], required: tuple[str, ...]) -> str:
    """Why a number pattern cannot give unique numbers ("" when it can): every placeholder known and
    written by name, every required one present, and the pattern formats with sample values."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        return gettext("The pattern has an unmatched brace; write a literal brace as {{ or }}.")
    unknown = sorted({name for name in names if name not in known})
    if unknown:
        return gettext("Unknown placeholder(s) %(names)s; allowed: %(allowed)s.") % {
            "names": "、".join("{" + n + "}" for n in unknown),
            "allowed": "、".join("{" + n + "}" for n in sorted(known))}
    missing = [name for name in required if name not in names]
    if missing:
        return gettext("The pattern must contain %(names)s, or the numbers are not unique.") % {
            "names": "、".join("{" + n + "}" for n in missing)}
    try:
        pattern.format(**{name: _SAMPLE[name] for name in known})
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return gettext("The pattern cannot be filled in; check the format of its placeholders.")
    return ""


class CenterProfile(models.Model):
    """The one row describing the center; printed on every document."""

    name = models.CharField(_("center name"), max_length=100, default="示范县法律援助中心")
    abbr = models.CharField(_("abbreviation in numbers"), max_length=10, default="示",
                            help_text=_("Used in case and document numbers, e.g. （2025）示法援民字第1号."))
    justice_bureau = models.CharField(_("justice bureau"), max_length=100, default="示范县司法局")
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, default="12348")
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"), default=2000, validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("No report or statistics period may start before this year."))
    case_number_pattern = models.CharField(
        _("case number pattern"), max_length=100, default="（{year}）{abbr}法援{kind}字第{seq}号",
        help_text=_("Placeholders: {year}, {abbr}, {kind} (刑/民/行), {seq}."),
    )
    document_number_pattern = models.CharField(
        _("document number pattern"), max_length=100, default="（{year}）{abbr}{word}第{seq}号",
        help_text=_("Placeholders: {year}, {abbr}, {word} (e.g. 援决字), {seq}."),
    )
    assignment_approval = models.BooleanField(
        _("assignment needs approval"), default=False,
        help_text=_("On: a clerk proposes the handler and a reviewer approves or returns the proposal; "
                    "off: whoever assigns cases assigns directly."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("center profile")
        verbose_name_plural = _("center profile")

    def __str__(self) -> str:
        return self.name

    # What core.numbering gives each pattern, and what a pattern needs to give unique numbers: the year
    # (the sequence restarts each year), the kind or the document word (a sequence per kind / word) and the
    # sequence itself. {abbr} is optional: one center, one abbreviation.
    NUMBER_PATTERNS = {
        "case_number_pattern": ({"year", "abbr", "kind", "seq"}, ("year", "kind", "seq")),
        "document_number_pattern": ({"year", "abbr", "word", "seq"}, ("year", "word", "seq")),
    }

    def clean(self):
        super().clean()
        errors = {}
        for field, (known, required) in self.NUMBER_PATTERNS.items():
            message = _pattern_problem(getattr(self, field) or "", known, required)
            if message:
                errors[field] = message
        if errors:
            raise ValidationError(errors)

    @classmethod
    def get(cls) -> CenterProfile:
        obj = cls.objects.order_by("pk").first()
        if obj is None:
            obj = cls.objects.create(name=settings.CENTER_NAME, abbr=settings.CENTER_ABBR)
        return obj


class DeadlineRule(models.Model):
    """A statutory or local time limit (DOMAIN.md §5): length and unit, per rule code."""

    class Unit(models.TextChoices):
        CALENDAR = "calendar", _("calendar days")
        WORKING = "working", _("working days")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    length = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.CALENDAR)
    warn_days = models.PositiveSmallIntegerField(_("warn days before"), default=1)
    basis = models.CharField(_("legal basis"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.length} {self.get_unit_display()})"


class CalendarOrigin(models.TextChoices):
    """Where a row of the holiday calendar comes from: `import_holidays` refreshes imported rows and never
    touches one an administrator entered or changed."""

    PACKAGE = "package", _("imported from the chinesecalendar package")
    ADMIN = "admin", _("entered or changed by an administrator")


class CalendarYear(models.Model):
    """One year's arrangement of holidays and make-up working days, as the State Council announced it
    (usually in November of the year before). Its days are the CalendarDay rows (core.holidays)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    source = models.CharField(
        _("State Council notice"), max_length=100,
        help_text=_("The notice that announced the year's holidays, e.g. 国办发明电〔2025〕7号."))
    origin = models.CharField(_("origin"), max_length=10, choices=CalendarOrigin.choices,
                              default=CalendarOrigin.ADMIN, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday arrangement")
        verbose_name_plural = _("holiday arrangements")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)s holiday arrangement") % {"year": self.year}


class CalendarDay(models.Model):
    """A day that differs from the weekly rhythm: a statutory holiday or rest day (放假), or a weekend day
    worked instead (调休上班). Every deadline reads these rows through core.deadlines."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday (rest day)")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    year = models.ForeignKey(CalendarYear, verbose_name=_("arrangement"), on_delete=models.PROTECT,
                             related_name="days")
    kind = models.CharField(_("rest or work"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=50, help_text=_("e.g. 春节, 国庆节."))
    source = models.CharField(
        _("other notice"), max_length=100, blank=True,
        help_text=_("Only when a later notice changed this day; otherwise the year's notice applies."))
    origin = models.CharField(_("origin"), max_length=10, choices=CalendarOrigin.choices,
                              default=CalendarOrigin.ADMIN, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} {self.get_kind_display()}"

    @property
    def notice(self) -> str:
        return self.source or self.year.source


class DocumentSequence(models.Model):
    """Last number issued per scope (case kind or document word) and year; locked row by row."""

    scope = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="document_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.year}: {self.last}"


class AccessLog(models.Model):
    """Who opened which person's full record, or downloaded which file (DOMAIN.md §13)."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")
    action = models.CharField(_("action"), max_length=30)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=40)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        from .display import time_text

        return f"{time_text(self.at)} {self.user} {self.action} {self.object_type}#{self.object_id}"


class DeliveryReceipt(models.Model):
    """送达回证 (DOMAIN.md §12): accompanies a document the center serves (a decision, a notice, a 公函).

    Numbered (援送字) when first printed, and kept: a reprint shows the same number and the same document it
    was issued for."""

    number = models.CharField(_("number"), max_length=60, unique=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    document = models.CharField(_("document"), max_length=30)
    document_title = models.CharField(_("document served"), max_length=60)
    document_number = models.CharField(_("number of the document served"), max_length=60, blank=True)
    served_to = models.CharField(_("served to"), max_length=100)
    created_at = models.DateTimeField(_("receipt issued at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("receipt issued by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delivery receipt")
        verbose_name_plural = _("delivery receipts")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "document"],
                                               name="delivery_receipt_one_per_document")]

    def __str__(self) -> str:
        return self.number


class IssuedDocument(models.Model):
    """A numbered document as it was first printed (DOMAIN.md §12): the printed text is kept, so a later edit
    of the record does not change what the applicant, the handler or the organ holds; a reprint shows the
    kept text and says it is a reprint."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    document = models.CharField(_("document"), max_length=30)
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("printed text"))
    issued_at = models.DateTimeField(_("first printed at"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("first printed by"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    reprints = models.PositiveIntegerField(_("reprints"), default=0)
    last_printed_at = models.DateTimeField(_("last printed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "document"],
                                               name="issued_document_one_per_document")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class VocabularyTerm(models.Model):
    """One term of a vocabulary kept as configuration (core.choices, issue 16): a charge or cause, a stage, a
    role or a closing outcome, with its labels in Chinese (the ledger's term) and English.

    Records keep the code, so a term is never deleted: it is deactivated, is then no longer offered, and its
    label still shows on the records that hold it. `applies_to` lists the case categories (stages, outcomes,
    causes) or aid forms (roles) a term is offered for; empty means all."""

    class Name(models.TextChoices):
        CAUSE = "cause", _("charges and causes")
        STAGE = "stage", _("stages")
        ROLE = "role", _("roles in the proceedings")
        OUTCOME = "outcome", _("closing outcomes")

    vocabulary = models.CharField(_("vocabulary"), max_length=20, choices=Name.choices)
    code = models.CharField(
        _("code"), max_length=20, validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _(
            "Lower-case letters, digits and underscores, starting with a letter."))],
        help_text=_("Stored on the records; cannot be changed once saved."))
    label_zh = models.CharField(_("Chinese label"), max_length=50,
                                help_text=_("Shown on the pages and read and written by the Excel ledger."))
    label_en = models.CharField(_("English label"), max_length=100)
    applies_to = ArrayField(
        models.CharField(max_length=30), verbose_name=_("offered for"), blank=True, default=list,
        help_text=_("Case categories (criminal, civil, administrative) or, for roles, aid forms; empty for all."))
    active = models.BooleanField(_("offered"), default=True,
                                 help_text=_("Untick instead of deleting: records that hold it keep showing it."))
    order = models.PositiveIntegerField(_("order"), default=1000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vocabulary term")
        verbose_name_plural = _("vocabulary terms")
        ordering = ["vocabulary", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="vocabulary_term_unique_code"),
            models.UniqueConstraint(fields=["vocabulary", "label_zh"], name="vocabulary_term_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.label_zh} ({self.code})"


class KeptFigures(models.Model):
    """The last made value of each settled figure (core.counts.cached(settle=True)), kept in PostgreSQL beside
    the shared cache: a new or flushed Redis serves these at once while they are made afresh beside the page,
    instead of making a province's figures inside the first page view. A cache's copy, never a record: no
    history; written over on each making."""

    key = models.CharField(max_length=300, primary_key=True)
    value = models.BinaryField()
    made_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class DataVersion(models.Model):
    """A table's change number, moved by a PostgreSQL trigger in the same transaction as every statement that
    writes the table (core.versions): what a piece of a page written from the table's rows is kept under. A
    cache's key, never a record: no history."""

    table = models.CharField(max_length=63, primary_key=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.table} {self.version}"


class FormToken(models.Model):
    """One sending of a form (core.flow, `_once`): the hidden number `{% csrf_token %}` writes into every POST form,
    taken when the form is saved, so that the same form sent again (a double click, a retry after a timeout)
    saves nothing more and leads where the first sending went. A technical row, never a record: no history;
    removed after a week (core.flow.form_tokens_expire, run nightly by core.tasks.expire_form_tokens)."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    done_url = models.CharField(max_length=2000, blank=True)
    # What was sent: the same number sent with other content is a new sending (the page kept by the browser's
    # Back button, changed and sent again), not a double click.
    digest = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return str(self.token)
