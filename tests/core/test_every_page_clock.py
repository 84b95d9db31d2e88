"""Every page, rendered at 00:30 and at 23:30 in Beijing, writes its dates in Beijing time and in one format.

Between 00:00 and 08:00 in Beijing the UTC day is the day before, so a timestamp written as it is shows the
wrong date for a third of every day; at 23:30 both zones are on the same day but not at the same hour. A rich
set of records is made through the services at each instant (every timestamp of it is that instant), then
every URL of the project that answers a GET is opened as the director, and the Django admin of the project's
models as the superuser, and each page is checked for:

- no UTC time ("2026-12-01 16:30"), no ISO time ("T16:30", "+00:00"), no Django default date format
  ("Dec. 1, 2026", "2026年12月1日 16:30") and, at 00:30, not the UTC day either;
- the Beijing time itself on the pages that show when their record was made (history tables, created at);
- dates as 2026-12-02 on screen (printed documents write 2026年12月2日, the way a 公文 does);
- money as 1,234.56 (the `yuan` filter, core.display.money_text): no amount of four digits or more written
  without separators (the admin excepted: Django writes a decimal field there as it is).

URL names this test does not open are listed in NOT_OPENED with the reason, so none is skipped silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import openpyxl  # noqa: F401 - imported before freeze_time, so its date types stay real
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.permission_table import all_url_names

MOMENTS = [
    pytest.param("2026-12-01 16:30:00+00:00", "2026-12-02 00:30", "2026-12-01 16:30", id="00:30-in-beijing"),
    pytest.param("2026-12-01 15:30:00+00:00", "2026-12-01 23:30", "2026-12-01 15:30", id="23:30-in-beijing"),
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

def _username_pk(username: str) -> int:
    from accounts.models import User

    return User.objects.get(username=username).pk


# url name → (persona, the record whose pk fills the URL, or a function of the records giving kwargs).
Args = str | Callable[[dict], dict] | None
PAGES: dict[str, tuple[str, Args]] = {
    "home": ("director", None),
    "healthz": ("director", None),
    "login": ("anonymous", None),
    "profile": ("director", None),
    "password_change": ("director", None),
    "password_change_done": ("director", None),
    "otp_setup": ("director", None),
    "user_list": ("director", None),
    "user_create": ("director", None),
    "user_detail": ("director", lambda _r: {"pk": _username_pk("clerk")}),
    "user_edit": ("director", lambda _r: {"pk": _username_pk("clerk")}),
    "user_password_reset": ("director", lambda _r: {"pk": _username_pk("clerk")}),
    "user_password_shown": ("director", lambda _r: {"pk": _username_pk("clerk")}),
    "applicants:person_list": ("director", None),
    "applicants:person_create": ("director", None),
    "applicants:person_detail": ("director", "person"),
    "applicants:person_edit": ("director", "person"),
    "applicants:person_merge": ("director", "person"),
    "applicants:registry_list": ("director", None),
    "applicants:registry_create": ("director", None),
    "applicants:registry_edit": ("director", "entry"),
    "intake:consultation_list": ("director", None),
    "intake:consultation_create": ("director", None),
    "intake:consultation_detail": ("director", "consultation"),
    "intake:consultation_edit": ("director", "consultation"),
    "intake:application_list": ("director", None),
    "intake:application_create": ("director", None),
    "intake:application_detail": ("director", "granted"),
    "intake:application_edit": ("director", "received"),
    "intake:application_grant": ("director", "under_review"),
    "intake:application_refuse": ("director", "under_review"),
    "intake:objection_create": ("director", "refused"),
    "intake:objection_decide": ("director", "objection"),
    "intake:print_receipt": ("director", "granted"),
    "intake:print_decision": ("director", "granted"),
    "intake:print_supplement": ("director", "supplement"),
    "intake:notice_list": ("director", None),
    "intake:notice_create": ("director", None),
    "intake:notice_detail": ("director", "notice"),
    "intake:matter_list": ("director", None),
    "intake:matter_create": ("director", None),
    "intake:matter_detail": ("director", "matter"),
    "intake:matter_edit": ("director", "matter"),
    "cases:case_list": ("director", None),
    "cases:case_detail": ("director", "case"),
    "cases:case_assign": ("director", "awaiting"),
    "cases:case_change_handler": ("director", "assigned"),
    "cases:case_agreement": ("director", "assigned"),
    "cases:case_progress": ("director", "assigned"),
    "cases:case_attach": ("director", "assigned"),
    "cases:case_close": ("director", "assigned"),
    "cases:case_submit_file": ("director", "closed"),
    "cases:case_archive_review": ("director", "closed"),
    "cases:case_grade": ("director", "case"),
    "cases:case_terminate": ("director", "assigned"),
    "cases:case_object": ("director", "assigned"),
    "cases:case_objection_outcome": ("director", "assigned"),
    "cases:case_resume": ("director", "assigned"),
    "cases:case_discussion": ("director", "case"),
    "cases:case_hearing": ("director", "case"),
    "cases:case_inspection": ("director", "case"),
    "cases:case_opinion": ("director", "case"),
    "cases:case_followup": ("director", "case"),
    "cases:case_complaint": ("director", "case"),
    "cases:case_change_stage": ("director", "assigned"),
    "cases:case_edit": ("director", "assigned"),
    "cases:complaint_handle": ("director", "complaint"),
    "cases:discussion_list": ("director", None),
    "cases:complaint_list": ("director", None),
    "cases:case_print": ("director", lambda r: r["printable"]),
    "cases:handler_list": ("director", None),
    "cases:handler_create": ("director", None),
    "cases:handler_edit": ("director", "handler_profile"),
    "cases:provider_create": ("director", None),
    "cases:provider_edit": ("director", "provider"),
    "funding:overview": ("director", None),
    "funding:standards": ("director", None),
    "funding:subsidy_list": ("director", None),
    "funding:subsidy_pending": ("director", None),
    "funding:subsidy_detail": ("director", "paid_subsidy"),
    "funding:subsidy_adjust": ("director", "subsidy"),
    "funding:batch_list": ("director", None),
    "funding:batch_create": ("director", None),
    "funding:batch_detail": ("director", "batch"),
    "funding:batch_voucher": ("director", "batch"),
    "funding:duty_subsidy": ("director", None),
    "funding:public_list": ("director", None),
    "funding:budget_list": ("director", None),
    "funding:budget_create": ("director", None),
    "funding:budget_detail": ("director", "budget"),
    "funding:budget_edit": ("director", "budget"),
    "funding:spending_list": ("director", None),
    "funding:spending_create": ("director", None),
    "funding:spending_detail": ("director", "spending"),
    "funding:spending_edit": ("director", "spending"),
    "funding:spending_correct": ("director", "spending"),
    "publicity:event_list": ("director", None),
    "publicity:event_create": ("director", None),
    "publicity:event_detail": ("director", "event"),
    "publicity:event_edit": ("director", "event"),
    "publicity:media_list": ("director", None),
    "publicity:media_create": ("director", None),
    "publicity:media_detail": ("director", "media"),
    "publicity:media_edit": ("director", "media"),
    "reports:dashboard": ("director", None),
    "reports:figure": ("director", lambda r: [{"code": "cases.accepted"}, {"code": "funding.spent"}]),
    "reports:run_list": ("director", None),
    "reports:run_detail": ("director", lambda r: [{"pk": r[k].pk} for k in ("submitted_run", "run",
                                                                               "this_year_run")]),
    "reports:run_status": ("director", "run"),
    "reports:target_list": ("director", None),
    "reports:target_edit": ("director", "target"),
    "ledger:import_upload": ("director", None),
    "ledger:import_detail": ("director", "ledger"),
    "ledger:import_progress": ("director", "ledger"),
    "ledger:export_list": ("director", None),
    "ledger:export_detail": ("director", "export"),
    "ledger:export_status": ("director", "export"),
    "stations:station_list": ("director", None),
    "stations:station_create": ("director", None),
    "stations:station_detail": ("director", "station"),
    "stations:station_edit": ("director", "station"),
    "stations:station_deactivate": ("director", "station"),
    "stations:station_reactivate": ("director", "station"),
    "stations:contactpoint_create": ("director", "station"),
    "stations:liaison_create": ("director", "station"),
    "stations:contactpoint_detail": ("director", "point"),
    "stations:contactpoint_edit": ("director", "point"),
    "stations:contactpoint_deactivate": ("director", "point"),
    "stations:contactpoint_reactivate": ("director", "point"),
    "stations:liaison_edit": ("director", "liaison"),
    "stations:liaison_deactivate": ("director", "liaison"),
    "stations:liaison_reactivate": ("director", "liaison"),
    "stations:volunteer_list": ("director", None),
    "stations:volunteer_create": ("director", None),
    "stations:volunteer_detail": ("director", "volunteer"),
    "stations:volunteer_edit": ("director", "volunteer"),
    "stations:volunteer_deactivate": ("director", "volunteer"),
    "stations:volunteer_reactivate": ("director", "volunteer"),
    "stations:duty_list": ("director", None),
    "stations:duty_create": ("director", None),
    "stations:duty_detail": ("director", "shift"),
    "stations:duty_edit": ("director", "shift"),
    "notifications:inbox": ("director", None),
    "notifications:preferences": ("director", None),
}

# A query string some pages need to show anything (the application form starts from a person).
QUERIES: dict[str, Callable[[dict], str]] = {
    "intake:application_create": lambda r: f"?person={r['person'].pk}",
}

POST_ONLY = "an action that answers POST only (a GET is refused with 405 or sent back); it renders no page"
NOT_OPENED = {
    "logout": POST_ONLY,
    "user_deactivate": POST_ONLY,
    "user_reactivate": POST_ONLY,
    "user_otp_reset": POST_ONLY,
    "login_code": "redirects to the login page unless a password was just given (tests/accounts opens it)",
    "password_reset": "404 unless PASSWORD_RESET_BY_EMAIL (tests/accounts opens the reset pages with it on)",
    "password_reset_done": "404 unless PASSWORD_RESET_BY_EMAIL (tests/accounts opens the reset pages with it on)",
    "password_reset_confirm": "404 unless PASSWORD_RESET_BY_EMAIL (tests/accounts opens the reset pages with it on)",
    "password_reset_complete": "404 unless PASSWORD_RESET_BY_EMAIL (tests/accounts opens the reset pages with it on)",
    "set_language": POST_ONLY,
    "intake:application_materials": POST_ONLY,
    "intake:application_supplement": POST_ONLY,
    "intake:application_supplied": POST_ONLY,
    "intake:application_submit_review": POST_ONLY,
    "intake:application_forward": POST_ONLY,
    "intake:application_withdraw": POST_ONLY,
    "intake:application_advance_review": POST_ONLY,
    "intake:material_files_upload": POST_ONLY,
    "intake:material_file_remove": POST_ONLY,
    "intake:material_file": "a scan or photo (JPEG, PNG, PDF), not a page; tests/intake/test_material_files.py "
                            "reads it",
    "intake:consultation_to_application": "a GET redirects to the application form (intake:application_create, "
                                          "opened here)",
    "cases:handler_deactivate": POST_ONLY,
    "funding:subsidy_compute": POST_ONLY,
    "funding:batch_pay": POST_ONLY,
    "funding:batch_remove": POST_ONLY,
    "funding:batch_reverse": POST_ONLY,
    "funding:reversal_approve": POST_ONLY,
    "funding:reversal_decline": POST_ONLY,
    "funding:payment_detail": "redirects to its batch (funding:batch_detail, opened here)",
    "reports:run_retry": POST_ONLY,
    "reports:run_submit": POST_ONLY,
    "reports:run_download": "a file (xlsx, docx), not a page; its cells are checked by tests/reports",
    "ledger:import_confirm": POST_ONLY,
    "ledger:import_retry": POST_ONLY,
    "ledger:export_retry": POST_ONLY,
    "ledger:export_download": "a file (xlsx), not a page; tests/ledger/test_exports.py reads it",
    "publicity:photo_remove": POST_ONLY,
    "publicity:event_photo": "an image file, not a page",
    "cases:attachment_download": "an uploaded file, not a page",
    "cases:case_termination_notified": POST_ONLY,
    "cases:case_stage_letter_sent": POST_ONLY,
    "cases:case_letter_sent": POST_ONLY,
    "cases:case_assignment_approve": POST_ONLY,
    "cases:case_assignment_return": POST_ONLY,
    "cases:case_propose": "only while the center has assignment approval on (opened in "
                          "tests/cases/test_assignment_approval.py)",
    "cases:case_propose_change": "only while the center has assignment approval on (opened in "
                                 "tests/cases/test_assignment_approval.py)",
    "stations:lookup": "JSON names for a filter's type-ahead, not a page; tests/stations/test_views.py reads it",
    "notifications:open": "marks a message read and redirects to its link (tests/notifications opens it)",
    "notifications:read": POST_ONLY,
    "notifications:read_all": POST_ONLY,
    "stations:my_station": "redirects station staff to their station (stations:station_detail, opened here); "
                           "403 for the center",
}

# Pages that show when their record was made or changed (a history table, "created at", "requested at").
WITH_TIMESTAMPS = {
    "intake:consultation_detail", "intake:consultation_list", "intake:application_detail",
    "intake:notice_detail", "intake:matter_detail", "applicants:person_detail", "cases:case_detail",
    "funding:subsidy_detail", "funding:batch_detail", "funding:spending_detail", "funding:budget_detail",
    "publicity:event_detail", "reports:run_detail", "reports:run_list", "ledger:import_detail",
    "ledger:import_upload", "ledger:export_list", "ledger:export_detail",
}

# A calendar shows the days around today, yesterday among them: the UTC day is a real day there.
SHOWS_YESTERDAY = {
    "stations:duty_list": "the week's calendar shows every day of the week",
}

DEFAULT_FORMATS = [
    (re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|June|July|Aug|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"),
     "a Django default English date"),
    (re.compile(r"\d{1,2}:\d{2} ?[ap]\.m\."), "a Django default English time"),
    (re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}"), "a Django default Chinese date-time"),
    (re.compile(r"\d{4}/\d{1,2}/\d{1,2}"), "a date with slashes"),
]
CHINESE_DAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
# A report period's name is the heading of its documents, the same on screen (core.periods.Period.label):
# 2026年（截至2026年12月2日）, 2026年1月1日至11月30日.
PERIOD_NAME = re.compile(r"截至\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月\d{1,2}日至(?:\d{4}年)?\d{1,2}月\d{1,2}日")
BARE_MONEY = re.compile(r"(?<![\d,.])\d{4,}\.\d{1,2}(?![\d])")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def visible_text(html: str) -> str:
    """What a reader sees: no scripts, styles, tags or attribute values (form inputs hold plain numbers)."""
    html = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<[^>]*>", " ", html)
    return re.sub(r"\s+", " ", html)


def around(text: str, match: re.Match) -> str:
    return f"{match.group(0)!r} in …{text[max(0, match.start() - 40):match.end() + 20]}…"


def is_print(name: str) -> bool:
    return name in {"intake:print_receipt", "intake:print_decision", "intake:print_supplement",
                    "cases:case_print", "funding:batch_voucher"}


def zh_day(text: str) -> str:
    d = dt.date.fromisoformat(text[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def build_records(org) -> dict:
    """Records of every kind, made through the services now (the frozen instant)."""
    import importlib

    from django.apps import apps

    from applicants.models import VulnerableEntry
    from cases import services as cases
    from cases.views import printable_documents
    from funding import services as funding
    from intake import services as intake
    from intake.models import Application, Consultation, CriminalNotice, Matter
    from ledger.services import ledger_upload
    from publicity import services as publicity
    from publicity.models import EventPhoto
    from reports.models import Target
    from reports.services import report_run_execute, report_run_request
    from reports.submission import report_run_submit
    from stations import services as stations
    from stations.models import ContactPoint, Liaison
    from tests.factories import PersonFactory, make_case
    from tests.ledger.builders import build_ledger, consultation_row

    importlib.import_module("funding.migrations.0002_defaults").create_defaults(apps, None)
    users, today = org["users"], timezone.localdate()
    director, clerk, reviewer, finance, handler = (users[n] for n in ("director", "clerk", "reviewer", "finance",
                                                                      "handler"))
    zhang = org["handlers"]["张伟"]
    station = org["stations"]["station-a"]
    r: dict = {"station": station, "handler_profile": zhang, "provider": zhang.provider}

    person = PersonFactory(name="王小明", household_income=Decimal("1800.00"), household_size=1)
    r["person"] = person
    r["entry"] = VulnerableEntry.objects.create(name="低保户", id_number=person.id_number, category="dibao",
                                                valid_until=today + dt.timedelta(days=300))
    r["consultation"] = intake.consultation_save(
        consultation=Consultation(occurred_at=timezone.now(), person_name=person.name, person=person,
                                  summary="工资被拖欠", answer="可申请法律援助"), by=clerk)

    def receive(**kw) -> Application:
        kw.setdefault("applicant", person)
        return intake.application_receive(application=Application(
            received_on=today, category="civil", cause="labour_pay", amount_involved=Decimal("1324900.00"), **kw),
            by=clerk)

    def ready(app: Application) -> Application:
        intake.materials_update(application=app, received={m.pk for m in app.materials.all()}, by=clerk)
        return intake.application_submit_review(application=app, by=clerk)

    r["received"] = receive()
    r["supplement"] = intake.supplement_notice_issue(application=receive(), by=clerk)
    r["under_review"] = ready(receive())
    r["granted"], r["case"] = intake.application_grant(application=ready(receive()), by=reviewer, note="符合条件")
    r["refused"] = intake.application_refuse(application=ready(receive(applicant=PersonFactory())), by=reviewer,
                                             reasons="经济状况不符合")
    r["objection"] = intake.objection_file(application=r["refused"], by=clerk, filed_on=today, grounds="不服")
    r["notice"], notice_case = intake.notice_register(notice=CriminalNotice(
        organ="court", organ_name="示范县人民法院", received_on=today, person=PersonFactory(), ground="minor",
        stage="trial", cause="theft"), by=clerk)
    r["matter"] = intake.matter_save(matter=Matter(kind="duty_lawyer", date=today, place="示范县人民法院",
                                                   lawyer_name="张伟", person_name="某某"), by=clerk)

    # The granted case goes all the way: assigned, worked on, closed, filed, archived, graded, paid.
    case = r["case"]
    cases.case_assign(case=case, handler=zhang, on=today, by=clerk)
    cases.case_sign_agreement(case=case, signed_on=today, by=handler)
    upload = SimpleUploadedFile("协议.pdf", b"%PDF-1.4", content_type="application/pdf")
    cases.case_record_progress(case=case, kind="meeting", on=today, note="会见受援人", by=handler, files=[upload])
    cases.case_close(case=case, closed_on=today, outcome="mediation", closing_report="调解结案",
                     amount_recovered=Decimal("1324900.00"), by=handler)
    cases.case_submit_file(case=case, submitted_on=today, by=handler)
    from tests.cases.conftest import full_checklist

    case.refresh_from_db()
    cases.case_archive_review(case=case, result="passed", checklist=full_checklist(case), on=today, by=reviewer)
    cases.case_grade(case=case, score=95, on=today, by=reviewer)
    case.refresh_from_db()
    cases.discussion_record(case=case, held_on=today, participants="全体", conclusion="同意", by=reviewer)
    cases.hearing_record(case=case, by=reviewer, date=today, attendee="周主任")
    cases.followup_record(case=case, by=reviewer, date=today, satisfaction="satisfied")
    r["complaint"] = cases.complaint_record(case=case, by=reviewer, received_on=today, complainant="家属",
                                            content="联系不及时")
    case.refresh_from_db()
    r["case"] = case
    r["paid_subsidy"] = case.subsidy
    r["batch"] = funding.batch_create(subsidies=[case.subsidy], by=finance)
    funding.batch_pay(batch=r["batch"], paid_on=today, by=finance)
    reversal = funding.reversal_request(batch=r["batch"], payments=list(r["batch"].payments.all()),
                                        reason="金额有误", by=finance)
    funding.reversal_decline(reversal=reversal, by=director)

    r["assigned"] = make_case(by=clerk, amount_involved=Decimal("25000.00"))
    cases.case_assign(case=r["assigned"], handler=zhang, on=today, by=clerk)
    r["closed"] = make_case(by=clerk)
    cases.case_assign(case=r["closed"], handler=zhang, on=today, by=clerk)
    cases.case_close(case=r["closed"], closed_on=today, outcome="judgment", closing_report="胜诉", by=handler)
    graded = make_case(by=clerk)
    from cases.models import Case

    Case.objects.filter(pk=graded.pk).update(status="archived", handler=zhang, assigned_on=today, closed_on=today,
                                             archived_on=today)
    cases.case_grade(case=Case.objects.get(pk=graded.pk), score=80, on=today, by=reviewer)
    r["subsidy"] = Case.objects.get(pk=graded.pk).subsidy
    r["printable"] = [{"pk": c.pk, "doc": doc} for c in (case, r["closed"]) for doc, _t in printable_documents(c)]
    cases.case_assign(case=notice_case, handler=zhang, on=today, by=clerk)
    r["printable"] += [{"pk": notice_case.pk, "doc": doc} for doc, _t in printable_documents(notice_case)]
    r["awaiting"] = make_case(by=clerk)

    r["budget"] = funding.budget_create(year=today.year, source="county", amount=Decimal("1324900.00"), by=finance)
    r["spending"] = funding.spending_create(date=today, category="publicity", amount=Decimal("3000.00"),
                                            description="宣传资料印刷", by=finance)

    r["event"] = publicity.event_create(data={"date": today, "title": "法律援助进社区", "form": "community",
                                              "place": "东关社区广场", "materials": 2000, "onsite": 30,
                                              "audience": 1500, "station": station}, by=director)
    photo = EventPhoto(event=r["event"], caption="现场")
    photo.file.save("a.png", ContentFile(PNG), save=True)
    r["media"] = publicity.media_create(data={"date": today, "outlet": "示范县融媒体中心", "level": "county",
                                              "title": "县法律援助中心开展宣传", "event": r["event"],
                                              "station": station}, by=director)

    r["point"] = ContactPoint.objects.filter(station=station).first()
    r["liaison"] = Liaison.objects.filter(contact_point=r["point"]).first()
    r["volunteer"] = stations.volunteer_create(data={"name": "志愿者甲", "station": station, "opened_on": today},
                                               by=director)
    r["shift"] = stations.duty_shift_create(data={"date": today, "place_kind": "court", "place": "示范县人民法院",
                                                  "handler": zhang}, by=director)

    r["target"] = Target.objects.create(year=today.year, code="funding.spent", value=Decimal("1324900"))
    # Last year's report submitted, then built again after a budget was added: the new one lists the differences.
    last_year = str(today.year - 1)
    r["submitted_run"] = report_run_request(period=last_year, by=director)
    report_run_execute(run_id=r["submitted_run"].pk)
    report_run_submit(run=r["submitted_run"], by=director)
    funding.budget_create(year=today.year - 1, source="central", amount=Decimal("1250000.50"), by=finance)
    r["run"] = report_run_request(period=last_year, by=director)
    report_run_execute(run_id=r["run"].pk)
    r["this_year_run"] = report_run_request(period=str(today.year), by=director)
    report_run_execute(run_id=r["this_year_run"].pk)

    from pathlib import Path
    from tempfile import TemporaryDirectory

    with TemporaryDirectory() as folder:
        path = build_ledger(Path(folder) / "台账.xlsx", {"咨询": [consultation_row()]})
        r["ledger"] = ledger_upload(file=ContentFile(path.read_bytes(), name="台账.xlsx"), by=director)
    from cases.models import Case
    from ledger.exports import request_export, run_export

    r["export"] = request_export(sheet="案件", queryset=Case.objects.all(), filename="案件.xlsx", full=True,
                                 user=director, list_url="/cases/")
    run_export(r["export"].pk)
    return r


PROJECT_APPS = {"accounts", "core", "stations", "applicants", "intake", "cases", "funding", "publicity", "reports",
                "ledger"}


def urls_of(records: dict) -> list[tuple[str, str, str]]:
    """(name, persona, url) of every page opened."""
    out = []
    for name, (persona, args) in sorted(PAGES.items()):
        if args is None:
            kwargs_list = [{}]
        elif isinstance(args, str):
            kwargs_list = [{"pk": records[args].pk}]
        else:
            kwargs_list = args(records)
            kwargs_list = kwargs_list if isinstance(kwargs_list, list) else [kwargs_list]
        query = QUERIES[name](records) if name in QUERIES else ""
        out += [(name, persona, reverse(name, kwargs=kwargs) + query) for kwargs in kwargs_list]
    return out


def admin_urls_of(records: dict) -> list[tuple[str, str, str]]:
    """The Django admin of the project's models, as the superuser: every list, and the change and history
    page of each record made. (Third-party tables — axes' login log, celery-beat's schedules — keep their
    own admin and their own way of writing times.)"""
    from django.contrib import admin

    out = []
    for model in admin.site._registry:
        if model._meta.app_label not in PROJECT_APPS:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        out.append((name, "superuser", reverse(name)))
    for record in {id(r): r for r in records.values() if hasattr(r, "_meta")}.values():
        if type(record) in admin.site._registry:
            for view in ("change", "history"):
                name = f"admin:{record._meta.app_label}_{record._meta.model_name}_{view}"
                out.append((name, "superuser", reverse(name, args=[record.pk])))
    return out


def problems_of(name: str, html: str, *, beijing: str, utc: str) -> list[str]:
    found = []
    text = visible_text(html)
    if utc in html:
        found.append(f"UTC time {utc}")
    if beijing[:10] != utc[:10] and name not in SHOWS_YESTERDAY:
        # Shown to the reader, that is: a link may well hold the first of the month as a period's start.
        for day in (utc[:10], zh_day(utc)):
            found += [f"the UTC day (Beijing is already on {beijing[:10]}): {around(text, m)}"
                      for m in re.finditer(re.escape(day), text)]
    for iso in ISO_TIME.findall(html):
        if iso[11:] == utc[11:]:
            found.append(f"an ISO UTC time {iso}")
    if "+00:00" in html:
        found.append("a UTC offset +00:00")
    for pattern, what in DEFAULT_FORMATS:
        found += [f"{what}: {around(text, m)}" for m in pattern.finditer(text)]
    if not is_print(name):
        found += [f"a date written 年月日 on screen: {around(text, m)}"
                  for m in CHINESE_DAY.finditer(PERIOD_NAME.sub(" ", text))]
    if not name.startswith("admin:"):  # Django's admin writes a decimal field as it is (1324900.00)
        found += [f"money without thousands separators: {around(text, m)}" for m in BARE_MONEY.finditer(text)]
    if name in WITH_TIMESTAMPS and beijing not in html:
        found.append(f"no Beijing time {beijing} on a page that shows when its record was made")
    return found


def test_every_url_name_is_opened_or_listed_with_a_reason():
    names = all_url_names()
    assert set(PAGES) & set(NOT_OPENED) == set()
    assert sorted(names - set(PAGES) - set(NOT_OPENED)) == []
    assert sorted((set(PAGES) | set(NOT_OPENED)) - names) == []


@pytest.mark.parametrize(("instant", "beijing", "utc"), MOMENTS)
def test_every_page_writes_beijing_time_one_date_format_and_one_money_format(org, superuser, instant, beijing,
                                                                                 utc):
    failures = []
    with freeze_time(instant):
        records = build_records(org)
        clients = {"anonymous": Client()}
        for persona in ("director",):
            clients[persona] = Client()
            clients[persona].force_login(org["users"][persona])
        clients["superuser"] = Client()
        clients["superuser"].force_login(superuser)
        for name, persona, url in urls_of(records) + admin_urls_of(records):
            response = clients[persona].get(url)
            if response.status_code != 200:
                failures.append(f"{name} {url}: status {response.status_code}")
                continue
            html = response.content.decode()
            failures += [f"{name} {url}: {p}" for p in problems_of(name, html, beijing=beijing, utc=utc)]
    assert not failures, f"{len(failures)} problems at {beijing} in Beijing:\n" + "\n".join(failures)
