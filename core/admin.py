from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import holidays
from .admin_mixins import NoDeleteMixin
from .choices import AID_FORM, CATEGORY
from .models import (
    AccessLog,
    CalendarDay,
    CalendarOrigin,
    CalendarYear,
    CenterProfile,
    DeadlineRule,
    DeliveryReceipt,
    IssuedDocument,
    VocabularyTerm,
)


# Configuration: editable with history. The profile (with the number patterns) and the deadline
# rules are looked up by the code, so they are never deleted either; they are edited instead.
@admin.register(CenterProfile)
class CenterProfileAdmin(SimpleHistoryAdmin):
    list_display = ("name", "abbr", "justice_bureau", "phone")

    def has_add_permission(self, request):
        return not CenterProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "length", "unit", "warn_days", "basis")
    list_editable = ("length", "unit", "warn_days")

    def has_delete_permission(self, request, obj=None):
        return False


# The codes the services write into an access-log row (DOMAIN.md §13), in words. An object type is a model label
# ("cases.Attachment", "intake.application": its model's name) or one of these words.
ACCESS_ACTIONS = {"view_person": _("View"), "print": _("Print"), "reprint": _("Reprint"), "download": _("Download"),
                  "export": _("Export")}
ACCESS_OBJECT_TYPES = {"person": _("person")}


def access_action_label(code: str) -> str:
    return ACCESS_ACTIONS.get(code, code)


def access_object_type_label(code: str) -> str:
    if code in ACCESS_OBJECT_TYPES:
        return ACCESS_OBJECT_TYPES[code]
    try:
        return apps.get_model(code)._meta.verbose_name
    except (LookupError, ValueError):  # a code from a model since removed: as it was written
        return code


class _AccessCodeFilter(admin.SimpleListFilter):
    """Filter by a code column, offering the codes the log holds by their names."""

    def label_of(self, code: str) -> str:
        raise NotImplementedError

    def lookups(self, request, model_admin):
        codes = (model_admin.get_queryset(request).order_by().values_list(self.parameter_name, flat=True)
                 .distinct())
        return sorted(((code, self.label_of(code)) for code in codes), key=lambda choice: str(choice[1]))

    def queryset(self, request, queryset):
        return queryset.filter(**{self.parameter_name: self.value()}) if self.value() else queryset


class AccessActionFilter(_AccessCodeFilter):
    title, parameter_name = _("action"), "action"

    def label_of(self, code: str) -> str:
        return access_action_label(code)


class AccessObjectTypeFilter(_AccessCodeFilter):
    title, parameter_name = _("object type"), "object_type"

    def label_of(self, code: str) -> str:
        return access_object_type_label(code)


@admin.register(AccessLog)
class AccessLogAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("at", "user", "action_label", "object_type_label", "object_id", "detail")
    list_filter = (AccessActionFilter, AccessObjectTypeFilter)
    fields = readonly_fields = ("at", "user", "action_label", "object_type_label", "object_id", "detail")
    search_fields = ("object_id", "user__username", "user__full_name")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj: AccessLog) -> str:
        return access_action_label(obj.action)

    @admin.display(description=_("object type"), ordering="object_type")
    def object_type_label(self, obj: AccessLog) -> str:
        return access_object_type_label(obj.object_type)


class _PrintRecordAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Printed records: shown for audit, written only by the print views."""

    added_only_by_services = True

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(_PrintRecordAdmin):
    list_display = ("number", "title", "issued_at", "issued_by", "reprints", "last_printed_at")
    search_fields = ("number", "title")
    date_hierarchy = "issued_at"


@admin.register(DeliveryReceipt)
class DeliveryReceiptAdmin(_PrintRecordAdmin):
    list_display = ("number", "document_title", "document_number", "served_to", "created_at", "created_by")
    search_fields = ("number", "document_number", "served_to")


# The holiday calendar (core.holidays): configuration with history, kept by whoever holds calendar_manage
# (the director and the administrator role) as well as by Django's own model permissions.
class _CalendarPermissions:
    def _maintains(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.can("calendar_manage")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._maintains(request)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) or self._maintains(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._maintains(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or self._maintains(request)


class _CalendarAdmin(_CalendarPermissions, SimpleHistoryAdmin):
    change_list_template = "admin/core/calendar_change_list.html"

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._maintains(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "calendar_warning": holidays.next_year_warning(request.user)}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("weekday"))
    def weekday(self, obj) -> str:
        return formats.date_format(obj.date, "l") if obj.date else ""


class CalendarDayFormSet(BaseInlineFormSet):
    """The days of one arrangement: all inside its year, and at least one holiday (a year with weekends only
    is not known, and its deadlines would fall back to weekends)."""

    def clean(self):
        super().clean()
        year, rest_days = self.instance.year, 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if data.get("date") and year and data["date"].year != year:
                form.add_error("date", ValidationError(_("This day is not in %(year)s."), params={"year": year}))
            rest_days += data.get("kind") == CalendarDay.Kind.HOLIDAY
        if not rest_days:
            raise ValidationError(_("List at least one holiday of the year."))


class CalendarDayInline(_CalendarPermissions, admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    fields = ("date", "weekday", "kind", "name", "source", "saved_origin")
    readonly_fields = ("weekday", "saved_origin")
    ordering = ("date",)
    extra = 3

    @admin.display(description=_("weekday"))
    def weekday(self, obj) -> str:
        return formats.date_format(obj.date, "l") if obj.date else ""

    @admin.display(description=_("origin"))
    def saved_origin(self, obj) -> str:
        return obj.get_origin_display() if obj.pk else ""


def _mark_edited(obj, form, change: bool) -> None:
    """An administrator's row: `import_holidays` leaves it as it is."""
    if not change or form.has_changed():
        obj.origin = CalendarOrigin.ADMIN


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarAdmin):
    list_display = ("year", "source", "holiday_days", "workday_days", "origin")
    search_fields = ("source",)
    inlines = [CalendarDayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_holidays=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
            n_workdays=Count("days", filter=Q(days__kind=CalendarDay.Kind.WORKDAY)))

    @admin.display(description=_("holidays (days)"), ordering="n_holidays")
    def holiday_days(self, obj) -> int:
        return obj.n_holidays

    @admin.display(description=_("make-up working days"), ordering="n_workdays")
    def workday_days(self, obj) -> int:
        return obj.n_workdays

    def save_model(self, request, obj, form, change):
        _mark_edited(obj, form, change)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for day_form in formset.forms:
            if day_form.instance is not None:
                _mark_edited(day_form.instance, day_form, day_form.instance.pk is not None)
        super().save_formset(request, form, formset, change)


class CalendarDayForm(forms.ModelForm):
    """A single day: its arrangement follows from the date and must exist (with its notice) first."""

    class Meta:
        model = CalendarDay
        fields = ("date", "kind", "name", "source")

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day is not None:
            arrangement = CalendarYear.objects.filter(year=day.year).first()
            if arrangement is None:
                self.add_error("date", _("Add the %(year)s arrangement with its State Council notice first.")
                               % {"year": day.year})
            else:
                self.instance.year = arrangement
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "kind", "name", "notice", "origin")
    list_filter = ("year", "kind", "origin")
    search_fields = ("name", "source", "year__source")
    list_select_related = ("year",)
    ordering = ("-year__year", "date")

    @admin.display(description=_("State Council notice"))
    def notice(self, obj) -> str:
        return obj.notice

    def save_model(self, request, obj, form, change):
        _mark_edited(obj, form, change)
        super().save_model(request, obj, form, change)


# Vocabularies as configuration (core.choices, issue 16): kept by whoever holds vocabulary_manage (the director
# and the administrator role); terms are deactivated, never deleted, and their code never changes.
class VocabularyTermForm(forms.ModelForm):
    applies_to = forms.MultipleChoiceField(
        label=_("offered for"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(_("Case categories"), CATEGORY.choices), (_("Aid forms (roles only)"), AID_FORM.choices)],
        help_text=_("Tick none to offer the term everywhere."))

    class Meta:
        model = VocabularyTerm
        fields = ("vocabulary", "code", "label_zh", "label_en", "applies_to", "active", "order")

    def clean(self):
        cleaned = super().clean()
        vocabulary, scopes = cleaned.get("vocabulary") or self.instance.vocabulary, cleaned.get("applies_to") or []
        allowed = AID_FORM.codes if vocabulary == VocabularyTerm.Name.ROLE else CATEGORY.codes
        wrong = [code for code in scopes if code not in allowed]
        if wrong:
            message = (_("A role is offered per aid form: tick aid forms only.") if vocabulary == VocabularyTerm.Name.ROLE
                       else _("This vocabulary is offered per case category: tick categories only."))
            self.add_error("applies_to", message)
        for name in ("label_zh", "label_en"):
            if name in cleaned:
                cleaned[name] = (cleaned[name] or "").strip()
        return cleaned


@admin.register(VocabularyTerm)
class VocabularyTermAdmin(_CalendarPermissions, SimpleHistoryAdmin):
    form = VocabularyTermForm
    list_display = ("label_zh", "label_en", "code", "vocabulary", "offered_for", "active", "order")
    list_filter = ("vocabulary", "active")
    search_fields = ("code", "label_zh", "label_en")
    list_editable = ("active", "order")
    ordering = ("vocabulary", "order", "pk")

    def _maintains(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.can("vocabulary_manage")

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._maintains(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Records hold the code: once saved, neither it nor the vocabulary it belongs to changes.
        return ("vocabulary", "code") if obj is not None and obj.pk else ()

    @admin.display(description=_("offered for"))
    def offered_for(self, obj) -> str:
        vocabulary = AID_FORM if obj.vocabulary == VocabularyTerm.Name.ROLE else CATEGORY
        return "、".join(vocabulary.label(code) for code in obj.applies_to) or _("all")
