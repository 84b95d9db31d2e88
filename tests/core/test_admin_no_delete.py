"""Issue 12: nothing is hard-deleted in the admin, by anybody, and workflow fields change only through
the services. Every model registered in the admin is classified here; a new one fails until it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests import factories
from tests.factories import ApplicationFactory, HandlerFactory, SpendingFactory, StationFactory, make_case

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 3)


def _contact_point(org):
    from stations.models import ContactPoint

    return ContactPoint.objects.create(station=StationFactory(), name="东关村联络点")


def _subsidy(org):
    from funding.models import Subsidy

    return Subsidy.objects.create(case=make_case(by=org["users"]["clerk"]), handler=HandlerFactory(),
                                  computed_amount=Decimal("1500.00"), amount=Decimal("1500.00"))


def _make(model_label: str, org):
    """One row of each domain model, made the shortest way (these tests are about the admin only)."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import User
    from core.models import AccessLog, DeliveryReceipt, IssuedDocument
    from funding.models import PaymentBatch
    from intake.models import Objection, SupplementNotice
    from reports.models import ReportRun
    from stations.models import DutyShift, Liaison, Volunteer

    admin_user = org["users"]["admin"]
    makers = {
        "accounts.User": lambda: User.objects.create_user(username="leaver", full_name="离职者"),
        "auth.Group": lambda: Group.objects.order_by("pk").first(),
        "core.AccessLog": lambda: AccessLog.objects.create(user=admin_user, action="view", object_type="person",
                                                           object_id="1"),
        "core.IssuedDocument": lambda: IssuedDocument.objects.create(
            content_type=ContentType.objects.get_for_model(User), object_id=admin_user.pk, document="grant",
            number="（2025）示援决字第1号", title="给予法律援助决定书", body="<p>正文</p>"),
        "core.DeliveryReceipt": lambda: DeliveryReceipt.objects.create(
            number="（2025）示援送字第1号", content_type=ContentType.objects.get_for_model(User),
            object_id=admin_user.pk, document="grant", document_title="给予法律援助决定书", served_to="张三"),
        "stations.Station": StationFactory,
        "stations.ContactPoint": lambda: _contact_point(org),
        "stations.Liaison": lambda: Liaison.objects.create(contact_point=_contact_point(org), name="王联络"),
        "stations.Volunteer": lambda: Volunteer.objects.create(name="林晓雨"),
        "stations.DutyShift": lambda: DutyShift.objects.create(date=DAY, place="示范县人民法院",
                                                               handler=HandlerFactory()),
        "applicants.Person": factories.PersonFactory,
        "applicants.VulnerableEntry": lambda: _vulnerable_entry(),
        "intake.Consultation": factories.ConsultationFactory,
        "intake.Application": ApplicationFactory,
        "intake.SupplementNotice": lambda: SupplementNotice.objects.create(
            application=ApplicationFactory(), number="补字1号", issued_on=DAY, due_on=DAY + dt.timedelta(days=5)),
        "intake.Objection": lambda: Objection.objects.create(application=ApplicationFactory(status="refused"),
                                                             filed_on=DAY),
        "intake.CriminalNotice": factories.CriminalNoticeFactory,
        "intake.Matter": factories.MatterFactory,
        "funding.Budget": factories.BudgetFactory,
        "funding.Spending": SpendingFactory,
        "funding.PaymentBatch": lambda: PaymentBatch.objects.create(number="2025-001"),
        "funding.Subsidy": lambda: _subsidy(org),
        "publicity.Event": factories.EventFactory,
        "publicity.MediaReport": factories.MediaReportFactory,
        "reports.ReportRun": lambda: ReportRun.objects.create(period="2025", start=dt.date(2025, 1, 1),
                                                              end=dt.date(2025, 12, 31)),
        "notifications.Notification": lambda: _notification(org),
        "notifications.Delivery": lambda: _notification(org).deliveries.get(),
        "notifications.NotificationPreference": lambda: _preference(org),
    }
    return makers[model_label]()


def _notification(org):
    from notifications.services import notify

    return notify(recipient=org["users"]["handler"], kind="digest", title="提醒")


def _preference(org):
    from notifications.services import preference_save

    return preference_save(user=org["users"]["handler"], email=False, sms=False, phone="")


def _vulnerable_entry():
    from applicants.models import VulnerableEntry

    return VulnerableEntry.objects.create(name="低保户", id_number="341122198506150011", category="dibao")


# Records: nobody deletes them, a superuser included; they end by deactivation or withdrawal.
DOMAIN = {
    "accounts.User", "auth.Group", "core.AccessLog", "core.IssuedDocument", "core.DeliveryReceipt",
    "stations.Station", "stations.ContactPoint", "stations.Liaison", "stations.Volunteer", "stations.DutyShift",
    "applicants.Person", "applicants.VulnerableEntry",
    "intake.Consultation", "intake.Application", "intake.SupplementNotice", "intake.Objection",
    "intake.CriminalNotice", "intake.Matter",
    "funding.Budget", "funding.Spending", "funding.PaymentBatch", "funding.Subsidy",
    "publicity.Event", "publicity.MediaReport",
    "reports.ReportRun",
    "notifications.Notification", "notifications.Delivery", "notifications.NotificationPreference",
}
# Configuration: editable with history, never deleted; the holiday calendar's days and years alone may be
# (a day entered by mistake; the history keeps it).
CONFIGURATION = {
    "core.CenterProfile": False,
    "core.DeadlineRule": False,
    "core.CalendarYear": True,
    "core.CalendarDay": True,
    "core.VocabularyTerm": False,
    "applicants.EligibilityPolicy": False,
    "cases.GradingScale": False,
    "funding.SubsidyStandard": False,
    "funding.SubsidyPolicy": False,
    "funding.BudgetYearLock": False,
    "reports.Target": False,
}
# Third-party operational tables: clearing a lockout or a schedule is what their admin is for.
OPERATIONAL = {
    "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",
    "django_celery_beat.PeriodicTask", "django_celery_beat.ClockedSchedule",
    "django_celery_beat.CrontabSchedule", "django_celery_beat.SolarSchedule",
    "django_celery_beat.IntervalSchedule",
}


def _model_admin(label: str):
    for model, model_admin in admin.site._registry.items():
        if model._meta.label == label:
            return model_admin
    raise LookupError(label)


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _admin_url(obj, view: str, *args) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=args)


def test_every_model_in_the_admin_is_classified_exactly_once():
    registered = {model._meta.label for model in admin.site._registry}
    assert not DOMAIN & set(CONFIGURATION) and not DOMAIN & OPERATIONAL and not set(CONFIGURATION) & OPERATIONAL
    assert registered - DOMAIN - set(CONFIGURATION) - OPERATIONAL == set(), "classify the new admin model here"
    assert DOMAIN | set(CONFIGURATION) | OPERATIONAL == registered, "a classified model is no longer registered"


@pytest.mark.parametrize("label", sorted(DOMAIN))
def test_not_even_the_superuser_can_delete_a_domain_record(label, org, client_for, superuser):
    obj = _make(label, org)
    model = type(obj)
    model_admin = _model_admin(label)
    request = _request(superuser)
    assert model_admin.has_delete_permission(request, obj) is False
    assert "delete_selected" not in model_admin.get_actions(request)

    client = client_for("superuser")
    assert client.get(_admin_url(obj, "change", obj.pk)).status_code == 200
    assert client.get(_admin_url(obj, "delete", obj.pk)).status_code == 403
    assert client.post(_admin_url(obj, "delete", obj.pk), {"post": "yes"}).status_code == 403
    client.post(_admin_url(obj, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk],
                                                "post": "yes"})
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("label", sorted(CONFIGURATION))
def test_configuration_stays_editable_with_history(label, org, superuser, client_for):
    model_admin = _model_admin(label)
    request = _request(superuser)
    assert isinstance(model_admin, SimpleHistoryAdmin)
    assert hasattr(model_admin.model, "history")
    assert model_admin.has_change_permission(request) is True
    assert model_admin.has_delete_permission(request) is CONFIGURATION[label]
    url = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
    assert client_for("superuser").get(url).status_code == 200


@pytest.mark.parametrize("label", sorted(OPERATIONAL))
def test_third_party_operational_tables_may_still_be_cleared(label, superuser):
    assert _model_admin(label).has_delete_permission(_request(superuser)) is True


def test_role_groups_stay_editable_but_not_deletable(org, superuser):
    group_admin = _model_admin("auth.Group")
    request = _request(superuser)
    role = Group.objects.order_by("pk").first()
    assert group_admin.has_change_permission(request, role) is True
    assert group_admin.has_delete_permission(request, role) is False


@pytest.mark.parametrize(("label", "fields"), [
    ("intake.Application", {"number", "status", "decided_on", "decided_by", "decision_number", "review_due",
                            "withdrawn_on", "import_fingerprint", "created_by"}),
    ("intake.SupplementNotice", {"number", "issued_on", "due_on", "fulfilled_on"}),
    ("intake.Objection", {"outcome", "decided_on"}),
    ("funding.Subsidy", {"status", "amount", "batch", "paid_on"}),
    ("funding.PaymentBatch", {"number", "status", "paid_on", "created_by"}),
    ("funding.Spending", {"batch", "created_by"}),
    ("applicants.Person", {"merged_into", "created_at", "created_by"}),
    ("stations.Station", {"active", "closed_on"}),
    ("reports.ReportRun", {"status", "submitted_at", "submitted_by", "figures"}),
    ("accounts.User", {"last_login", "date_joined"}),
])
def test_workflow_fields_are_read_only_in_the_admin(label, fields, superuser):
    readonly = set(_model_admin(label).get_readonly_fields(_request(superuser)))
    assert fields <= readonly


def test_cases_have_no_admin_so_their_status_and_number_change_only_through_the_services():
    from cases.models import Case

    assert Case not in admin.site._registry


@pytest.mark.parametrize("label", ["funding.Spending", "funding.Budget"])
def test_money_is_shown_in_the_admin_and_entered_only_on_the_money_pages(label, org, superuser, client_for):
    """The money pages' services date, check and post money (DOMAIN §7); the admin shows it and changes none."""
    from funding.models import PaymentBatch

    model_admin = _model_admin(label)
    request = _request(superuser)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request)
    obj = (SpendingFactory(category="case_subsidy", batch=PaymentBatch.objects.create(number="2025-002"))
           if label == "funding.Spending" else factories.BudgetFactory())
    client = client_for("superuser")
    assert client.get(_admin_url(obj, "change", obj.pk)).status_code == 200  # shown, read only
    assert client.get(_admin_url(obj, "add")).status_code == 403
    before = model_admin.model.objects.filter(pk=obj.pk).values().get()
    assert client.post(_admin_url(obj, "change", obj.pk), {"amount": "1.00", "_save": "Save"}).status_code == 403
    assert model_admin.model.objects.filter(pk=obj.pk).values().get() == before


def test_the_admin_cannot_change_an_applications_status_by_posting_it(org, client_for):
    app = ApplicationFactory(status="received", number="示援受字1号")
    client_for("superuser").post(_admin_url(app, "change", app.pk), {
        "applicant": app.applicant_id, "received_on": app.received_on.isoformat(), "category": "civil",
        "cause": "labour_pay", "status": "granted", "number": "X", "decision_number": "X",
        "recipient_count": 1, "materials-TOTAL_FORMS": 0, "materials-INITIAL_FORMS": 0,
    })
    app.refresh_from_db()
    assert (app.status, app.number, app.decision_number) == ("received", "示援受字1号", "")


@pytest.mark.parametrize("label", ["intake.Application", "intake.SupplementNotice", "intake.Objection",
                                   "intake.CriminalNotice", "funding.PaymentBatch", "funding.Subsidy"])
def test_records_born_of_a_service_cannot_be_added_in_the_admin(label, client_for):
    model_admin = _model_admin(label)
    url = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_add")
    assert client_for("superuser").get(url).status_code == 403


def test_a_past_version_of_an_application_cannot_be_reverted_in_the_admin(org, client_for):
    app = ApplicationFactory(status="received")
    first = app.history.earliest()
    app.status = "granted"
    app.save()
    client = client_for("superuser")
    url = reverse("admin:intake_application_simple_history", args=[app.pk, first.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"applicant": app.applicant_id}).status_code == 403
    app.refresh_from_db()
    assert app.status == "granted"


def test_the_materials_checklist_of_an_application_cannot_be_deleted_in_the_admin(org, client_for):
    from intake.models import ApplicationMaterial

    app = ApplicationFactory()
    ApplicationMaterial.objects.create(application=app, name="身份证明")
    body = client_for("superuser").get(_admin_url(app, "change", app.pk)).content.decode()
    assert "-DELETE" not in body


def test_no_inline_of_the_admin_deletes_rows_but_the_holiday_calendars(superuser):
    """An inline's delete box would delete rows of its own model behind the parent's back."""
    request = _request(superuser)
    deleting = []
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.get_inline_instances(request):
            if inline.can_delete and inline.has_delete_permission(request) and model._meta.label != "core.CalendarYear":
                deleting.append(f"{model._meta.label}: {type(inline).__name__}")
    assert deleting == []
