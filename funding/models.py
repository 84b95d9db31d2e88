"""Money (DOMAIN.md §7, §9): subsidy standards and computed subsidies, payment
batches, budgets and spending. Decimal everywhere, never float."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import CATEGORY, FUNDING_SOURCE, SPENDING_CATEGORY
from core.display import money_text

money = dict(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
SHARE = [MinValueValidator(0), MaxValueValidator(100)]


class SubsidyStandard(models.Model):
    """Amount per category and stage or aid form for one year, by quality grade."""

    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=CATEGORY.choices)
    scope = models.CharField(_("stage or aid form"), max_length=30, blank=True,
                             help_text=_("A stage or aid form code; empty applies to the whole category."))
    amount_pass = models.DecimalField(_("amount if pass (合格)"), **money)
    amount_good = models.DecimalField(_("amount if good (良好)"), **money)
    amount_excellent = models.DecimalField(_("amount if excellent (优秀)"), **money)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy standard")
        verbose_name_plural = _("subsidy standards")
        ordering = ["-year", "category", "scope"]
        constraints = [models.UniqueConstraint(fields=["year", "category", "scope"], name="subsidy_standard_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()} {self.scope_label}".strip()

    @property
    def scope_label(self) -> str:
        from .subsidy import scope_label

        return scope_label(self.scope)


class SubsidyPolicy(models.Model):
    """Shares and add-ons of one year's subsidy rules."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    fail_share = models.DecimalField(_("share paid if fail (不合格), %"), max_digits=5, decimal_places=2, default=0,
                                     validators=SHARE)
    terminated_share = models.DecimalField(_("share paid for terminated cases with work done, %"),
                                           max_digits=5, decimal_places=2, default=50, validators=SHARE)
    extra_recipient_amount = models.DecimalField(_("add-on per extra recipient"), default=100, **money)
    extra_recipient_cap = models.DecimalField(_("cap of extra-recipient add-ons"), default=1000, **money)
    outside_county_amount = models.DecimalField(_("add-on outside the county"), default=300, **money)
    major_case_amount = models.DecimalField(_("add-on for complex cases"), default=500, **money)
    duty_day_rate = models.DecimalField(_("duty lawyer per day"), default=200, **money)
    consultation_day_rate = models.DecimalField(_("consultation duty per day"), default=150, **money)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["-year"]
        constraints = [  # a reduced share or nothing (DOMAIN §7): never negative, never more than the whole
            models.CheckConstraint(condition=models.Q(fail_share__gte=0, fail_share__lte=100,
                                                      terminated_share__gte=0, terminated_share__lte=100),
                                   name="subsidy_policy_shares_0_100"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Prepared")
        PAID = "paid", _("Paid")
        REVERSED = "reversed", _("Reversed")  # every line of it reversed (红字冲销)

    class VouchersPer(models.TextChoices):
        """领款凭单: one per handler, or one per firm (firms are often paid as a whole)."""
        HANDLER = "handler", _("One voucher per handler")
        FIRM = "firm", _("One voucher per firm")

    number = models.CharField(_("batch number"), max_length=60, unique=True)
    vouchers_per = models.CharField(_("payment vouchers"), max_length=10, choices=VouchersPer.choices,
                                    default=VouchersPer.HANDLER,
                                    help_text=_("A handler without a firm always gets a voucher of their own."))
    title = models.CharField(_("title"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class Subsidy(models.Model):
    class Status(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        BATCHED = "batched", _("In a batch")
        PAID = "paid", _("Paid")

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="subsidy")
    handler = models.ForeignKey("stations.Handler", verbose_name=_("payee"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="subsidies")
    computed_amount = models.DecimalField(_("computed amount"), **money)
    lines = models.JSONField(_("calculation"), default=list, blank=True)
    amount = models.DecimalField(_("amount payable"), **money)
    adjustment_reason = models.TextField(_("reason for adjustment"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COMPUTED,
                              db_index=True)
    batch = models.ForeignKey(PaymentBatch, verbose_name=_("batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="subsidies")
    paid_on = models.DateField(_("paid on"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy")
        verbose_name_plural = _("subsidies")
        ordering = ["-created_at", "-pk"]
        # The list's order: its first and last pages read the index instead of sorting every subsidy.
        indexes = [models.Index(fields=["created_at", "id"], name="subsidy_list_order")]

    def __str__(self) -> str:
        return f"{self.case} {money_text(self.amount)}"


class Budget(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=FUNDING_SOURCE.choices)
    amount = models.DecimalField(_("amount"), **money)
    note = models.CharField(_("note"), max_length=200, blank=True)
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "source", "pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()} {money_text(self.amount)}"


class Spending(models.Model):
    date = models.DateField(_("date"), db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=SPENDING_CATEGORY.choices)
    # Negative only for a reversing entry (红字冲销), which names the entry it reverses, or for a red entry of an
    # imported ledger, which names none (the ledger's own correction, or one this system exported) (a DB check).
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    description = models.CharField(_("description"), max_length=200, blank=True)
    batch = models.ForeignKey(PaymentBatch, verbose_name=_("payment batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="spending")
    reverses = models.ForeignKey("self", verbose_name=_("reverses"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reversals")
    reason = models.TextField(_("reason"), blank=True)
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    # When it was entered (entries made before this field: taken from their first history row).
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True, null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spending entry")
        verbose_name_plural = _("spending")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(amount__gte=0) | models.Q(reverses__isnull=False) | ~models.Q(import_fingerprint=""),
            name="spending_negative_only_reversing")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_category_display()} {money_text(self.amount)}"


class BatchReversal(models.Model):
    """A request to reverse (红字冲销) paid lines of a batch: finance asks with a reason, the director approves,
    and approval executes it (services.reversal_approve)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the director's approval")
        APPROVED = "approved", _("Approved and reversed")
        DECLINED = "declined", _("Declined")

    batch = models.ForeignKey(PaymentBatch, verbose_name=_("batch"), on_delete=models.PROTECT,
                              related_name="reversals")
    payments = models.ManyToManyField("SubsidyPayment", verbose_name=_("lines to reverse"), related_name="+")
    reason = models.TextField(_("reason for the reversal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    spending = models.OneToOneField(Spending, verbose_name=_("reversing entry"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="batch_reversal")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("batch reversal")
        verbose_name_plural = _("batch reversals")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.batch} {self.get_status_display()}"


class SubsidyPayment(models.Model):
    """A dated line of a subsidy's payment: + when its batch is paid, − when it is reversed. Past periods
    never move: a reversal is a new line dated the day it happens."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REVERSAL = "reversal", _("Reversal")

    subsidy = models.ForeignKey(Subsidy, verbose_name=_("subsidy"), on_delete=models.PROTECT,
                                related_name="payments")
    batch = models.ForeignKey(PaymentBatch, verbose_name=_("batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # +1 for a payment, −1 for a reversal: subsidy.paid.cases sums it, so its list's sum row equals it.
    case_count = models.SmallIntegerField(_("case count"), default=1)
    date = models.DateField(_("date"), db_index=True)
    reverses = models.OneToOneField("self", verbose_name=_("reverses"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversal_line")
    reversal = models.ForeignKey(BatchReversal, verbose_name=_("reversal"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="lines")
    reason = models.TextField(_("reason"), blank=True)
    # The handler's firm when the batch was paid: a paid batch names the firm it paid, whatever firm the lawyer
    # joins later (DOMAIN §7: a paid batch is never edited; STATISTICS: facts as they were).
    payee_firm = models.ForeignKey("stations.Provider", verbose_name=_("firm paid"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidy payment line")
        verbose_name_plural = _("subsidy payment lines")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="payment", amount__gte=0, case_count=1, reverses__isnull=True)
                           | models.Q(kind="reversal", amount__lte=0, case_count=-1, reverses__isnull=False)),
                name="subsidy_payment_sign_by_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.subsidy.case} {self.date} {money_text(self.amount)}"


class BudgetYearLock(models.Model):
    """A closed budget year takes no more spending entries."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    locked_on = models.DateField(_("locked on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closed budget year")
        verbose_name_plural = _("closed budget years")

    def __str__(self) -> str:
        return str(self.year)
