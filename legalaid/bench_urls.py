"""The site's URLs plus a Django admin changelist per list, with the list's own columns, filters and search, for
`make bench` (scripts/bench_lists.py) to measure side by side. Never routed in a deployment."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from applicants.models import Person
from cases.models import Case, Complaint, Discussion
from funding.models import Spending, Subsidy
from intake.models import Application, Consultation, CriminalNotice, Matter
from publicity.models import Event

from .urls import handler403, handler404  # noqa: F401
from .urls import urlpatterns as site_urls

bench_site = admin.AdminSite(name="bench_admin")


@admin.register(Case, site=bench_site)
class CaseBench(admin.ModelAdmin):
    list_display = ["number", "recipient", "category", "cause", "accepted_on", "handler", "status", "grade"]
    list_select_related = ["recipient", "handler", "station"]
    list_filter = ["status", "category", "source", "stage", "cause", "station", "grade"]
    search_fields = ["number", "recipient__name", "opposing_party", "handler__name"]
    ordering = ["-accepted_on", "-pk"]
    list_per_page = 25


@admin.register(Consultation, site=bench_site)
class ConsultationBench(admin.ModelAdmin):
    list_display = ["occurred_at", "channel", "station", "person_name", "person_phone", "topic", "outcome",
                    "person_count"]
    list_select_related = ["station"]
    list_filter = ["channel", "topic", "outcome", "station"]
    search_fields = ["person_name", "person_phone", "summary", "answer"]
    ordering = ["-occurred_at", "-pk"]
    list_per_page = 25


@admin.register(Application, site=bench_site)
class ApplicationBench(admin.ModelAdmin):
    list_display = ["number", "received_on", "applicant", "category", "status", "station", "review_due"]
    list_select_related = ["applicant", "station"]
    list_filter = ["status", "category", "station"]
    search_fields = ["number", "applicant__name", "applicant__id_number", "applicant__phone"]
    ordering = ["-received_on", "-pk"]
    list_per_page = 25


@admin.register(Person, site=bench_site)
class PersonBench(admin.ModelAdmin):
    list_display = ["name", "sex", "id_number", "phone", "township", "station"]
    list_select_related = ["station"]
    search_fields = ["name", "id_number", "phone"]
    ordering = ["name", "pk"]
    list_per_page = 25


@admin.register(CriminalNotice, site=bench_site)
class NoticeBench(admin.ModelAdmin):
    list_display = ["received_on", "organ", "organ_name", "notice_number", "person", "ground", "stage", "station"]
    list_select_related = ["person", "station"]
    list_filter = ["organ", "ground"]
    ordering = ["-received_on", "-pk"]
    list_per_page = 25


@admin.register(Matter, site=bench_site)
class MatterBench(admin.ModelAdmin):
    list_display = ["date", "kind", "place", "handler", "person_name", "plea", "person_count", "station"]
    list_select_related = ["handler", "station"]
    list_filter = ["kind", "plea"]
    ordering = ["-date", "-pk"]
    list_per_page = 25


@admin.register(Discussion, site=bench_site)
class DiscussionBench(admin.ModelAdmin):
    list_display = ["held_on", "case", "participants", "conclusion"]
    list_select_related = ["case"]
    list_filter = ["case__station"]
    search_fields = ["case__number", "participants", "conclusion"]
    ordering = ["-held_on", "-pk"]
    list_per_page = 25


@admin.register(Complaint, site=bench_site)
class ComplaintBench(admin.ModelAdmin):
    list_display = ["received_on", "case", "complainant", "content", "resolved_on", "substantiated"]
    list_select_related = ["case"]
    list_filter = ["case__station"]
    search_fields = ["case__number", "complainant", "content"]
    ordering = ["-received_on", "-pk"]
    list_per_page = 25


@admin.register(Subsidy, site=bench_site)
class SubsidyBench(admin.ModelAdmin):
    list_display = ["case", "handler", "computed_amount", "amount", "status", "batch", "paid_on"]
    list_select_related = ["case", "handler", "batch"]
    list_filter = ["status", "handler__provider"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 25


@admin.register(Spending, site=bench_site)
class SpendingBench(admin.ModelAdmin):
    list_display = ["date", "category", "amount", "description", "batch"]
    list_select_related = ["batch"]
    list_filter = ["category"]
    ordering = ["-date", "-pk"]
    list_per_page = 25


@admin.register(Event, site=bench_site)
class EventBench(admin.ModelAdmin):
    list_display = ["date", "title", "form", "place", "station", "materials", "onsite", "audience"]
    list_select_related = ["station"]
    list_filter = ["form", "station"]
    search_fields = ["title", "place"]
    ordering = ["-date", "-pk"]
    list_per_page = 25


urlpatterns = [path("bench-admin/", bench_site.urls), *site_urls]
