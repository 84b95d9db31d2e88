"""Persons who seek aid, the vulnerable-persons registry and the eligibility policy (DOMAIN.md §4)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import DISABILITY, GROUP, REGISTRY_CATEGORY, SEX
from core.search import PhoneDigits


class Person(models.Model):
    class IdType(models.TextChoices):
        RESIDENT = "resident", _("Resident ID card")
        PASSPORT = "passport", _("Passport")
        OTHER = "other", _("Other document")

    class Hukou(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")

    name = models.CharField(_("full name"), max_length=50, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=SEX.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    id_type = models.CharField(_("ID type"), max_length=10, choices=IdType.choices, default=IdType.RESIDENT)
    id_number = models.CharField(_("ID number"), max_length=30, blank=True, db_index=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hukou = models.CharField(_("household registration"), max_length=10, choices=Hukou.choices, blank=True)
    township = models.CharField(_("township"), max_length=50, blank=True)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    declared_groups = ArrayField(models.CharField(max_length=20, choices=GROUP.choices), blank=True, default=list,
                                 verbose_name=_("declared groups"))
    disability_type = models.CharField(_("disability type"), max_length=20, choices=DISABILITY.choices, blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"), default=1,
                                                      validators=[MinValueValidator(1)])
    household_income = models.DecimalField(_("monthly household income (yuan)"), max_digits=12, decimal_places=2,
                                           null=True, blank=True, validators=[MinValueValidator(0)])
    assets_note = models.CharField(_("assets"), max_length=200, blank=True)
    station = models.ForeignKey("stations.Station", verbose_name=_("registered by station"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="persons")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_from")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "pk"]
        constraints = [
            # One person per ID number; merged records give theirs up.
            models.UniqueConstraint(
                fields=["id_type", "id_number"], name="person_unique_id_number",
                condition=~models.Q(id_number="") & models.Q(merged_into__isnull=True),
            ),
        ]
        indexes = [
            GinIndex(fields=["declared_groups"], name="person_groups_gin"),
            # the search box (selectors.person_search): a part of a name, an ID number or a phone (pg_trgm)
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="person_name_trgm"),
            # a name of one or two characters: its beginning (core.search.name_q)
            models.Index(OpClass("name", name="varchar_pattern_ops"), name="person_name_prefix"),
            GinIndex(OpClass(Upper("id_number"), name="gin_trgm_ops"), name="person_id_trgm"),
            # its digits (core.search.phone_q): 0551-1234567 is found by 05511234567
            GinIndex(OpClass(PhoneDigits("phone"), name="gin_trgm_ops"), name="person_phone_trgm"),
            # the duplicate check of a resident-format number, whatever document type it was saved under
            models.Index(fields=["id_number"], name="person_id_number",
                         condition=~models.Q(id_number="") & models.Q(merged_into__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.name


class VulnerableEntry(models.Model):
    """困难群体信息库: lists from 民政, 残联, 总工会 … whose members need no economic check."""

    name = models.CharField(_("full name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=30, db_index=True)
    category = models.CharField(_("category"), max_length=10, choices=REGISTRY_CATEGORY.choices)
    source = models.CharField(_("source unit"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    import_fingerprint = models.CharField(_("import fingerprint"), max_length=64, blank=True, db_index=True,
                                          editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registry entry")
        verbose_name_plural = _("vulnerable-persons registry")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_category_display()})"


class EligibilityPolicy(models.Model):
    """The economic-hardship standard of one year (Art. 34), editable by an administrator."""

    class Basis(models.TextChoices):
        HOUSEHOLD = "household", _("Household income per person")
        INDIVIDUAL = "individual", _("Individual income")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    urban_base = models.DecimalField(_("urban dibao standard (yuan/month)"), max_digits=10, decimal_places=2)
    rural_base = models.DecimalField(_("rural dibao standard (yuan/month)"), max_digits=10, decimal_places=2)
    multiplier = models.DecimalField(_("multiplier"), max_digits=4, decimal_places=2, default=2)
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, default=Basis.HOUSEHOLD)
    asset_test = models.BooleanField(
        _("asset test"), default=False,
        help_text=_("On: the clerk records the household's assets on the application and assets above the "
                    "limit make it not eligible. Off: assets are not asked."))
    asset_limit = models.DecimalField(_("asset limit (yuan)"), max_digits=12, decimal_places=2, null=True,
                                      blank=True, validators=[MinValueValidator(0)],
                                      help_text=_("Required when the asset test is on."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligibility policy")
        verbose_name_plural = _("eligibility policies")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def clean(self):
        if self.asset_test and self.asset_limit is None:
            raise ValidationError({"asset_limit": _("Give the asset limit when the asset test is on.")})


class EligibilityItem(models.Model):
    """A configurable list entry: Art. 31 matters, Art. 32 no-hardship matters, Art. 42 exemptions, proofs."""

    class Kind(models.TextChoices):
        MATTER = "matter", _("Eligible matter (Art. 31)")
        NO_HARDSHIP = "no_hardship", _("No hardship condition (Art. 32)")
        EXEMPTION = "exemption", _("Exempt from economic check (Art. 42)")
        PROOF = "proof", _("Proof type")

    policy = models.ForeignKey(EligibilityPolicy, verbose_name=_("policy"), on_delete=models.CASCADE,
                               related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    causes = ArrayField(models.CharField(max_length=30), blank=True, default=list, verbose_name=_("causes"),
                        help_text=_("Case causes this item covers, if any."))
    active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligibility list item")
        verbose_name_plural = _("eligibility list items")
        ordering = ["policy", "kind", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["policy", "kind", "code"], name="eligibility_item_unique")]

    def __str__(self) -> str:
        return self.name
