"""Cases from assignment to archive (DOMAIN.md §6): the case, its handlers over time,
work records, closing, archive review and quality checks."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.choices import (
    AID_FORM,
    CATEGORY,
    GRADE,
    GROUP,
    HANDLER_KIND,
    ORGAN,
    SATISFACTION,
    SOURCE,
    STAGE,
    TERMINATION_REASON,
    case_outcome_choices,
    case_role_choices,
    cause_choices,
    stage_choices,
)

money = dict(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])


class Case(models.Model):
    class NoticeMeans(models.TextChoices):
        """How the organ was told of a termination (Art. 48)."""

        SERVED = "served", _("Served in person")
        POST = "post", _("By post")
        ELECTRONIC = "electronic", _("Electronically")

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting assignment")
        ASSIGNED = "assigned", _("In progress")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")
        TERMINATED = "terminated", _("Terminated")

    number = models.CharField(_("case number"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING,
                              db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=CATEGORY.choices, db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=SOURCE.choices, default="application")
    # The application or notice a case came from links to it from the intake side (Application.case,
    # CriminalNotice.case; reached here as case.application / case.notice): cases sit below intake.
    organ = models.CharField(_("notifying organ"), max_length=20, choices=ORGAN.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=stage_choices, blank=True)
    # The stage the case was accepted at (cases.accepted.criminal.<stage>), kept when the stage moves on
    # (StageChange). Empty (null) on records written without it (ledger import, generated data): their stage
    # never moved, so the current stage is the stage at acceptance (cases.indicators reads both).
    stage_at_acceptance = models.CharField(_("stage at acceptance"), max_length=20, null=True, blank=True,
                                           editable=False)
    aid_form = models.CharField(_("aid form"), max_length=30, choices=AID_FORM.choices, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=case_role_choices, blank=True)
    cause = models.CharField(_("cause"), max_length=30, choices=cause_choices, blank=True, db_index=True)
    is_litigation = models.BooleanField(_("litigation"), default=True,
                                        help_text=_("Derived from the aid form and stage."))
    recipient = models.ForeignKey("applicants.Person", verbose_name=_("recipient"), on_delete=models.PROTECT,
                                  related_name="cases")
    recipient_groups = ArrayField(models.CharField(max_length=20, choices=GROUP.choices), blank=True,
                                  default=list, verbose_name=_("beneficiary groups at acceptance"))
    recipient_count = models.PositiveIntegerField(_("number of recipients"), default=1,
                                                  validators=[MinValueValidator(1)])
    is_mass = models.BooleanField(_("group case"), default=False)
    opposing_party = models.CharField(_("opposing party"), max_length=100, blank=True)
    amount_involved = models.DecimalField(_("amount in dispute (yuan)"), null=True, blank=True, **money)
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="cases")
    green_channel = models.BooleanField(_("green channel"), default=False)
    advance_aid = models.BooleanField(_("advance aid"), default=False)
    major = models.BooleanField(_("major or difficult"), default=False)
    outside_county = models.BooleanField(_("handled outside the county"), default=False)
    accepted_on = models.DateField(_("accepted on"), db_index=True)
    assign_due = models.DateField(_("assign by"), null=True, blank=True)
    handler = models.ForeignKey("stations.Handler", verbose_name=_("handler"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="cases")
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True, db_index=True,
                                   help_text=_("The first assignment; a change of handler keeps this date."))
    handler_kind = models.CharField(_("handler type at assignment"), max_length=30, choices=HANDLER_KIND.choices,
                                    blank=True, help_text=_("Taken at the first assignment and never looked up "
                                                            "again, so past figures do not move."))
    agreement_due = models.DateField(_("agreement due"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("closing outcome"), max_length=20, choices=case_outcome_choices, blank=True)
    amount_recovered = models.DecimalField(_("amount recovered or loss avoided (yuan)"), null=True, blank=True,
                                           **money)
    closing_report = models.TextField(_("closing report"), blank=True)
    file_due = models.DateField(_("file due"), null=True, blank=True)
    file_submitted_on = models.DateField(_("file submitted on"), null=True, blank=True)
    archive_due = models.DateField(_("archive review due"), null=True, blank=True)
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True, db_index=True)
    termination_number = models.CharField(_("termination decision number"), max_length=60, blank=True)
    termination_notify_due = models.DateField(_("notify the organ by"), null=True, blank=True)
    termination_notified_on = models.DateField(_("organ notified on"), null=True, blank=True)
    termination_notify_means = models.CharField(_("means of notice"), max_length=20, choices=NoticeMeans.choices,
                                                blank=True)
    termination_reason = models.CharField(_("termination reason"), max_length=30,
                                          choices=TERMINATION_REASON.choices, blank=True)
    termination_note = models.TextField(_("termination note"), blank=True)
    substantive_work = models.BooleanField(_("substantive work done before termination"), default=False)
    grade = models.CharField(_("quality grade"), max_length=20, choices=GRADE.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                             validators=[MaxValueValidator(100)])
    graded_on = models.DateField(_("graded on"), null=True, blank=True, db_index=True)
    # Kept by the database from the case's follow-ups and hearing attendances (triggers of migration 0018):
    # the indicators read them as columns, not as a subquery per case. A save of the case never sets them.
    has_followup = models.BooleanField(_("followed up"), default=False, db_default=False, editable=False)
    has_hearing = models.BooleanField(_("hearing attended"), default=False, db_default=False, editable=False)
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(excluded_fields=["has_followup", "has_hearing"])  # derived, kept by triggers

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-accepted_on", "-pk"]
        constraints = [
            # seq 0: a number from an imported ledger that is outside this center's own sequence.
            models.UniqueConstraint(fields=["year", "category", "seq"], condition=models.Q(seq__gt=0),
                                    name="case_unique_seq"),
            models.CheckConstraint(condition=models.Q(recipient_count__gte=1), name="case_recipients_positive"),
        ]
        indexes = [
            GinIndex(fields=["recipient_groups"], name="case_groups_gin"),
            # the list's search box (filters.CaseFilter.search): a part of a number or an opposing party
            GinIndex(OpClass(Upper("number"), name="gin_trgm_ops"), name="case_number_trgm"),
            GinIndex(OpClass(Upper("opposing_party"), name="gin_trgm_ops"), name="case_opposing_trgm"),
            # the open steps (home.py's to-dos, selectors.overdue_q): few cases among a province's, each
            # found by its own small index
            models.Index(fields=["assign_due"], condition=models.Q(status="awaiting"), name="case_todo_assign"),
            models.Index(fields=["agreement_due"], condition=models.Q(status="assigned",
                                                                      agreement_signed_on__isnull=True),
                         name="case_todo_agreement"),
            models.Index(fields=["file_due"], condition=models.Q(status="closed", file_submitted_on__isnull=True),
                         name="case_todo_file"),
            models.Index(fields=["archive_due"], condition=models.Q(status="closed",
                                                                    file_submitted_on__isnull=False),
                         name="case_todo_archive"),
            models.Index(fields=["termination_notify_due"],
                         condition=models.Q(status="terminated", termination_notify_due__isnull=False,
                                            termination_notified_on__isnull=True),
                         name="case_todo_notify"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:case_detail", args=[self.pk])


class Assignment(models.Model):
    """One handler's time on a case; a change of handler (Art. 55) ends it and starts another."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="assignments")
    handler = models.ForeignKey("stations.Handler", verbose_name=_("handler"), on_delete=models.PROTECT,
                                related_name="assignments")
    handler_kind = models.CharField(_("handler type at assignment"), max_length=30, choices=HANDLER_KIND.choices,
                                    blank=True)
    number = models.CharField(_("assignment notice number"), max_length=60, blank=True)
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    letter_number = models.CharField(_("legal-aid letter number"), max_length=60, blank=True)
    # When the letter is due at the notifying organ (Art. 36: assign and notify within 3 days of the notice;
    # services.assignment_letter_due says how it is counted); empty when the assignment issued no letter.
    letter_due = models.DateField(_("legal-aid letter due"), null=True, blank=True)
    letter_sent_on = models.DateField(_("legal-aid letter sent on"), null=True, blank=True,
                                      help_text=_("The day the legal-aid letter went to the notifying organ."))
    override_reason = models.TextField(_("reason for overriding a suitability warning"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for change"), blank=True)
    # This handler's aid agreement, kept when a change of handler starts another one, so a past period's
    # 期末逾期事项 still sees the agreement that was due then.
    agreement_due = models.DateField(_("agreement due"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["case", "assigned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} → {self.handler}"


class StageChange(models.Model):
    """The case moved to another stage (侦查 → 审查起诉 → 审判, 一审 → 二审 …) on its own date; for a
    criminal case, with the notice of the new stage (organ, number, date received) entered at the same time.
    The case's `stage` is the latest; the stage at acceptance stays on the case for statistics."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="stage_changes")
    from_stage = models.CharField(_("from stage"), max_length=20, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20)
    changed_on = models.DateField(_("date of the new stage"))
    organ = models.CharField(_("notifying organ"), max_length=20, blank=True)
    organ_name = models.CharField(_("organ name"), max_length=100, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    notice_received_on = models.DateField(_("notice received on"), null=True, blank=True)
    # The 法律援助公函 telling the new stage's organ who defends (Art. 36: within 3 days of its notice), issued
    # with the change when the case has its handler (else the assignment's letter goes to this organ).
    letter_number = models.CharField(_("legal-aid letter number"), max_length=60, blank=True)
    letter_due = models.DateField(_("legal-aid letter due"), null=True, blank=True)
    letter_sent_on = models.DateField(_("legal-aid letter sent on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["case", "changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {STAGE.label(self.from_stage)} → {STAGE.label(self.to_stage)}"


class ProgressEntry(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        FILE_READING = "file_reading", _("File reading")
        EVIDENCE = "evidence", _("Evidence gathering")
        HEARING = "hearing", _("Court hearing")
        MEDIATION = "mediation", _("Mediation")
        FILING = "filing", _("Documents filed")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="progress")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Work record")
        JUDGMENT = "judgment", _("Judgment or agreement")
        CLOSING = "closing", _("Closing report")
        AGREEMENT = "agreement", _("Aid agreement")
        OTHER = "other", _("Other case document")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="attachments")
    entry = models.ForeignKey(ProgressEntry, verbose_name=_("progress entry"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class Discussion(models.Model):
    """集体讨论 of a major or difficult case."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="discussions")
    held_on = models.DateField(_("held on"), db_index=True)
    participants = models.CharField(_("participants"), max_length=300)
    conclusion = models.TextField(_("conclusion"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collective discussion")
        verbose_name_plural = _("collective discussions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_on}"


class ArchiveReview(models.Model):
    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        RETURNED = "returned", _("Returned for correction")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="archive_reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    # The dates of the submission reviewed, as they were: a return clears them on the case (the file is due
    # from the handler again), and the overdue figure of a past end date still reads them here.
    file_due = models.DateField(_("file due"), null=True, blank=True)
    submitted_on = models.DateField(_("file submitted on"), null=True, blank=True)
    archive_due = models.DateField(_("archive review due"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archive review")
        verbose_name_plural = _("archive reviews")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_result_display()}"


class HearingAttendance(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="hearings")
    date = models.DateField(_("date"), db_index=True)
    attendee = models.CharField(_("attended by"), max_length=100)
    court = models.CharField(_("court"), max_length=100, blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hearing attendance")
        verbose_name_plural = _("hearing attendances")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.date}"


class FileInspection(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="inspections")
    date = models.DateField(_("date"))
    inspector = models.CharField(_("inspector"), max_length=100)
    findings = models.TextField(_("findings"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("file inspection")
        verbose_name_plural = _("file inspections")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.date}"


class OpinionLetter(models.Model):
    """征询意见: the court's or procuratorate's opinion of the handler's work."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="opinions")
    organ = models.CharField(_("organ"), max_length=100)
    sent_on = models.DateField(_("sent on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    satisfaction = models.CharField(_("assessment"), max_length=20, choices=SATISFACTION.choices, blank=True)
    content = models.TextField(_("opinion"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opinion letter")
        verbose_name_plural = _("opinion letters")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.organ}"


class FollowUp(models.Model):
    """回访 with the recipient."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")
        LETTER = "letter", pgettext_lazy("follow-up channel", "Letter")
        ONLINE = "online", _("Online")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="followups")
    date = models.DateField(_("date"), db_index=True)
    channel = models.CharField(_("follow-up channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=SATISFACTION.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.date}"


class Complaint(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="complaints")
    received_on = models.DateField(_("received on"), db_index=True)
    complainant = models.CharField(_("complainant"), max_length=50)
    content = models.TextField(_("complaint"))
    handling = models.TextField(_("handling"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    substantiated = models.BooleanField(_("substantiated"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.complainant} {self.received_on}"


class GradingScale(models.Model):
    """Score thresholds of the quality grades (DOMAIN.md §6); the newest row applies."""

    excellent_min = models.PositiveSmallIntegerField(_("excellent from"), default=90)
    good_min = models.PositiveSmallIntegerField(_("good from"), default=80)
    pass_min = models.PositiveSmallIntegerField(_("pass from"), default=60)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grading scale")
        verbose_name_plural = _("grading scales")

    def __str__(self) -> str:
        return f"≥{self.excellent_min} / ≥{self.good_min} / ≥{self.pass_min}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not 100 >= self.excellent_min > self.good_min > self.pass_min:
            raise ValidationError(_("Thresholds must fall: excellent above good above pass, at most 100."))

    @classmethod
    def current(cls) -> GradingScale:
        return cls.objects.order_by("-pk").first() or cls()


class AssignmentProposal(models.Model):
    """A clerk's proposed handler for a case awaiting assignment, when the center has switched assignment approval
    on (CenterProfile.assignment_approval): a reviewer approves it (the case is then assigned) or returns it with a
    reason. The case keeps waiting meanwhile and its assignment deadline keeps running.

    With a `change_reason` it proposes a change of handler (Art. 55) on an assigned case instead: approved, the
    current assignment ends that day with the reason and the proposed handler's begins; meanwhile the current
    handler goes on."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        SUPERSEDED = "superseded", _("Superseded by a direct assignment")
        WITHDRAWN = "withdrawn", _("Withdrawn: the case was terminated or closed")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="assignment_proposals")
    handler = models.ForeignKey("stations.Handler", verbose_name=_("proposed handler"), on_delete=models.PROTECT,
                                related_name="+")
    note = models.TextField(_("note to the reviewer"), blank=True)
    override_reason = models.TextField(_("reason for overriding a suitability warning"), blank=True)
    change_reason = models.TextField(_("reason for the change of handler"), blank=True,
                                     help_text=_("Only for a proposed change of handler."))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved or returned by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    assignment = models.OneToOneField(Assignment, verbose_name=_("assignment"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="proposal")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment proposal")
        verbose_name_plural = _("assignment proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="pending"),
                                    name="proposal_one_pending_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.handler}"

    @property
    def is_change(self) -> bool:
        return bool(self.change_reason)


class TerminationObjection(models.Model):
    """An objection of the recipient to the termination of aid, decided by the justice bureau within 5 days of
    its receipt (Art. 49). The center records it and the bureau's decision; a termination the bureau orders
    corrected is revoked by the center (services.case_resume), and the objection keeps which decision it was
    (its number, date and reason), since the case no longer carries it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Termination upheld")
        OVERTURNED = "overturned", _("Termination overturned")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="termination_objections")
    termination_number = models.CharField(_("termination decision number"), max_length=60, blank=True)
    terminated_on = models.DateField(_("terminated on"))
    termination_reason = models.CharField(_("termination reason"), max_length=30,
                                          choices=TERMINATION_REASON.choices, blank=True)
    filed_on = models.DateField(_("filed on"))
    grounds = models.TextField(_("grounds"), blank=True)
    due_on = models.DateField(_("decide by"), null=True, blank=True,
                              help_text=_("5 days from receipt (Art. 49), by the deadline rule objection_decide."))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("outcome recorded by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    resumed_on = models.DateField(_("aid resumed on"), null=True, blank=True,
                                  help_text=_("The day the center revoked the termination the bureau overturned."))
    resumed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resumed by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    # The assignment deadline the case had before the resumption gave it a new one: end dates before the
    # resumption judge an unassigned case by it (cases.indicators.overdue_at_end).
    assign_due_before = models.DateField(_("assign by, before the resumption"), null=True, blank=True,
                                         editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection to a termination")
        verbose_name_plural = _("objections to terminations")
        ordering = ["-filed_on", "-pk"]
        constraints = [  # one objection to a termination: the bureau's decision is final (Art. 49, para. 3)
            models.UniqueConstraint(fields=["case"], condition=models.Q(resumed_on__isnull=True),
                                    name="termination_objection_one_per_termination"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.filed_on}"
