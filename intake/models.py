"""The service window (DOMAIN.md §3, §5): consultations, applications with their
materials, supplementation notices and objections, criminal notices, and the
duty-lawyer and drafting matters."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import (
    CATEGORY,
    CHANNEL,
    CONSULTATION_OUTCOME,
    GROUP,
    MATTER_KIND,
    NOTICE_GROUND,
    ORGAN,
    SEX,
    TOPIC,
    cause_choices,
    stage_choices,
)
from core.search import PhoneDigits

money = dict(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])


class Consultation(models.Model):
    occurred_at = models.DateTimeField(_("date and time"), db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNEL.choices, default="visit")
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="consultations",
                                help_text=_("Empty for the center window."))
    contact_point = models.ForeignKey("stations.ContactPoint", verbose_name=_("contact point"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="consultations")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="consultations")
    person = models.ForeignKey("applicants.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="consultations")
    person_name = models.CharField(_("full name"), max_length=50, blank=True)
    person_sex = models.CharField(_("sex"), max_length=1, choices=SEX.choices, blank=True)
    person_phone = models.CharField(_("phone"), max_length=20, blank=True)
    person_groups = ArrayField(models.CharField(max_length=20, choices=GROUP.choices), blank=True, default=list,
                               verbose_name=_("groups"))
    topic = models.CharField(_("topic"), max_length=30, choices=TOPIC.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CONSULTATION_OUTCOME.choices,
                               default="answered")
    person_count = models.PositiveIntegerField(_("person count"), default=1, validators=[MinValueValidator(1)])
    application = models.ForeignKey("intake.Application", verbose_name=_("application"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="consultations")
    volunteers = models.ManyToManyField("stations.Volunteer", verbose_name=_("volunteers present"), blank=True,
                                        related_name="consultations")
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(m2m_fields=[volunteers])

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-occurred_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(person_count__gte=1),
                                              name="consultation_person_count_positive")]
        indexes = [  # the list's search box (filters.ConsultationFilter.search), pg_trgm
            GinIndex(OpClass(Upper("person_name"), name="gin_trgm_ops"), name="consultation_name_trgm"),
            models.Index(OpClass("person_name", name="varchar_pattern_ops"), name="consultation_name_prefix"),
            GinIndex(OpClass(PhoneDigits("person_phone"), name="gin_trgm_ops"), name="consultation_phone_trgm"),
        ]

    def __str__(self) -> str:
        from core.display import date_text

        return f"{date_text(self.occurred_at)} {self.get_channel_display()} {self.person_name or ''}".strip()


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Preliminary intake at station")
        RECEIVED = "received", _("Received")
        INCOMPLETE = "incomplete", _("Awaiting materials")
        UNDER_REVIEW = "under_review", _("Under review")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Eligibility(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        NEEDS_REVIEW = "needs_review", _("Needs review")

    number = models.CharField(_("receipt number"), max_length=60, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    applicant = models.ForeignKey("applicants.Person", verbose_name=_("applicant"), on_delete=models.PROTECT,
                                  related_name="applications")
    agent_name = models.CharField(_("agent or guardian"), max_length=50, blank=True)
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="applications",
                                help_text=_("The station that took the application; empty for the center."))
    received_on = models.DateField(_("received on"), db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=CATEGORY.choices, default="civil")
    cause = models.CharField(_("cause"), max_length=30, choices=cause_choices, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=stage_choices, blank=True)
    facts = models.TextField(_("facts and request"), blank=True)
    opposing_party = models.CharField(_("opposing party"), max_length=100, blank=True)
    amount_involved = models.DecimalField(_("amount in dispute (yuan)"), null=True, blank=True, **money)
    recipient_count = models.PositiveIntegerField(_("number of recipients"), default=1,
                                                  validators=[MinValueValidator(1)])
    is_mass = models.BooleanField(_("group case"), default=False)
    green_channel = models.BooleanField(_("green channel"), default=False)
    advance_aid = models.BooleanField(_("advance aid"), default=False)
    advance_aid_reason = models.CharField(_("reason for advance aid"), max_length=200, blank=True)
    criminal_role = models.CharField(_("applicant's role (criminal)"), max_length=20, blank=True,
                                     choices=[("defendant", _("Suspect or defendant")),
                                              ("victim", _("Victim or private prosecutor"))])
    no_hardship_ground = models.CharField(_("no hardship condition (Art. 32)"), max_length=40, blank=True)
    exemption_ground = models.CharField(_("exempt from economic check (Art. 42)"), max_length=40, blank=True)
    no_fixed_income = models.BooleanField(_("no fixed income"), default=False)
    domestic_violence = models.BooleanField(_("domestic violence"), default=False)
    individual_income = models.DecimalField(_("applicant's own monthly income (yuan)"), null=True, blank=True,
                                            **money)
    matter_ground = models.CharField(
        _("eligible matter (Art. 31)"), max_length=40, blank=True, db_default="",
        help_text=_("For a matter no cause expresses, e.g. a declaration of civil incapacity (Art. 31-6)."))
    # Structured assets (DOMAIN §4), read by the asset test only when the year's policy switches it on.
    asset_deposits = models.DecimalField(_("deposits and financial products (yuan)"), null=True, blank=True,
                                         **money)
    asset_property_count = models.PositiveSmallIntegerField(_("real estate besides the home (count)"), null=True,
                                                            blank=True)
    asset_property_value = models.DecimalField(_("value of real estate besides the home (yuan)"), null=True,
                                               blank=True, **money)
    asset_vehicle_value = models.DecimalField(_("value of motor vehicles (yuan)"), null=True, blank=True, **money)
    asset_other_value = models.DecimalField(_("other assets (yuan)"), null=True, blank=True, **money)
    eligibility_result = models.CharField(_("eligibility"), max_length=20, choices=Eligibility.choices,
                                          blank=True)
    eligibility_reasons = models.JSONField(_("eligibility reasons"), default=list, blank=True)
    # A grant against a "not eligible" result (issue 16): who, when and the written reason.
    override_reason = models.TextField(_("reason for granting against the eligibility result"), blank=True,
                                       db_default="")
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("granted against the result by"),
                                    null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    override_at = models.DateTimeField(_("granted against the result at"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    # The date of the open supplementation notice (its due_on), while the application awaits the materials: the
    # deadline of the "incomplete" phase (intake.workflow), read by the overdue filters and the daily task.
    materials_due = models.DateField(_("materials due"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded to the center at"), null=True, blank=True)
    reached_center = models.BooleanField(
        _("received by the center"), default=True,
        help_text=_("False for a station's preliminary intake until it is forwarded; one withdrawn before "
                    "forwarding never reached the center and is not a received application."))
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    # The day of the first decision, kept when a refusal overturned on objection is replaced by a grant: the
    # application was decided (not pending, not overdue) from then on (intake.indicators._open_at_end).
    first_decided_on = models.DateField(_("first decided on"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_reasons = models.TextField(_("decision reasons"), blank=True)
    advance_review_on = models.DateField(_("follow-up review on"), null=True, blank=True,
                                         help_text=_("Advance aid: the review completed after the grant."))
    advance_review_confirmed = models.BooleanField(_("follow-up review confirmed the aid"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    deemed_withdrawn = models.BooleanField(_("deemed withdrawn"), default=False)
    # The case a grant opened, linked from this side: cases sit below intake and know nothing of applications.
    case = models.OneToOneField("cases.Case", verbose_name=_("case"), null=True, blank=True, editable=False,
                                on_delete=models.PROTECT, related_name="application")
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_on", "-pk"]
        indexes = [  # the list's search box (filters.ApplicationFilter.search), pg_trgm
            GinIndex(OpClass(Upper("number"), name="gin_trgm_ops"), name="application_number_trgm"),
            GinIndex(OpClass(Upper("decision_number"), name="gin_trgm_ops"), name="application_decision_trgm"),
            # the reviewers' to-do of advance aid awaiting its follow-up review (intake/home.py)
            models.Index(fields=["decided_on", "id"], name="application_advance_todo",
                         condition=models.Q(status="granted", advance_aid=True, advance_review_on__isnull=True)),
            # granted against the eligibility check (selectors.granted_against_result): a few of a province's
            # applications, counted on the director's workbench (a scan of the table without it: 45 ms)
            models.Index(fields=["decided_on"], name="application_overridden",
                         condition=models.Q(override_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class ApplicationMaterial(models.Model):
    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="materials")
    name = models.CharField(_("material"), max_length=100)
    required = models.BooleanField(_("required"), default=True)
    received = models.BooleanField(_("received"), default=False)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


def material_file_path(instance: MaterialFile, filename: str) -> str:
    return f"applications/{instance.material.application_id}/{filename}"


class MaterialFile(models.Model):
    """A scan or photo of one application material (ID card, 低保证, 劳动合同 …), stored privately and served
    only through intake.views.material_file. Removing hides it; the file and who removed it stay on record."""

    class Kind(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        PDF = "pdf", "PDF"

    material = models.ForeignKey(ApplicationMaterial, verbose_name=_("material"), on_delete=models.PROTECT,
                                 related_name="files")
    file = models.FileField(_("file"), upload_to=material_file_path, max_length=300)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("removed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material file")
        verbose_name_plural = _("material files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind in (self.Kind.JPEG, self.Kind.PNG)


class SupplementNotice(models.Model):
    """补充材料通知书: one notice listing everything missing (Art. 43)."""

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.PROTECT,
                                    related_name="supplement_notices")
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("supply by"))
    items = models.JSONField(_("missing materials"), default=list)
    fulfilled_on = models.DateField(_("materials supplied on"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(
        _("reason for a further notice"), blank=True,
        help_text=_("Art. 43 asks for one notice listing everything missing; a further notice is issued only "
                    "with the reason written here."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplementation notice")
        verbose_name_plural = _("supplementation notices")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class Objection(models.Model):
    """An objection to a refusal, decided by the justice bureau within 5 days of its receipt (Art. 49);
    the center records the decision and who recorded it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Refusal upheld")
        OVERTURNED = "overturned", _("Refusal overturned")

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.PROTECT,
                                    related_name="objections")
    filed_on = models.DateField(_("filed on"))
    grounds = models.TextField(_("grounds"), blank=True)
    due_on = models.DateField(_("decide by"), null=True, blank=True,
                              help_text=_("5 days from receipt (Art. 49), by the deadline rule objection_decide."))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("outcome recorded by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_on", "-pk"]
        indexes = [  # the deciders' to-do of objections awaiting the decision (intake/home.py)
            models.Index(fields=["due_on", "id"], name="objection_todo", condition=models.Q(outcome="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.filed_on}"


class CriminalNotice(models.Model):
    """通知辩护: a notice from a court, procuratorate or police to assign a defender (Art. 25/28/36)."""

    organ = models.CharField(_("notifying organ"), max_length=20, choices=ORGAN.choices)
    organ_name = models.CharField(_("organ name"), max_length=100, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"), db_index=True)
    person = models.ForeignKey("applicants.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="criminal_notices")
    ground = models.CharField(_("ground"), max_length=30, choices=NOTICE_GROUND.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=stage_choices)
    cause = models.CharField(_("charge"), max_length=30, choices=cause_choices, blank=True)
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="criminal_notices")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    # The case the notice opened (linked from this side, as an application's).
    case = models.OneToOneField("cases.Case", verbose_name=_("case"), null=True, blank=True, editable=False,
                                on_delete=models.PROTECT, related_name="notice")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criminal notice")
        verbose_name_plural = _("criminal notices")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_organ_display()} {self.notice_number}".strip()


class Matter(models.Model):
    """值班律师法律帮助 and 代拟法律文书: services that are not cases (DOMAIN.md §5)."""

    kind = models.CharField(_("type"), max_length=20, choices=MATTER_KIND.choices)
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    handler = models.ForeignKey("stations.Handler", verbose_name=_("lawyer"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="matters")
    lawyer_name = models.CharField(_("lawyer"), max_length=50, blank=True)
    person = models.ForeignKey("applicants.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="matters")
    person_name = models.CharField(_("full name"), max_length=50, blank=True)
    plea = models.BooleanField(_("plea of guilt"), default=False)
    person_count = models.PositiveIntegerField(_("person count"), default=1, validators=[MinValueValidator(1)])
    station = models.ForeignKey("stations.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="matters")
    note = models.TextField(_("note"), blank=True)
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"
