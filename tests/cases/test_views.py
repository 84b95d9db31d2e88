from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from cases import services
from cases.models import Attachment, Case, ProgressEntry
from tests.factories import CriminalNoticeFactory, PersonFactory, make_case
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db
D = dt.date


def _numbers(resp):
    return {c.number for c in resp.context["page_obj"]}


def test_the_case_list_filters_by_the_contract_parameters(org, clerk, frozen, client_for):
    a = make_case(accepted_on=D(2025, 11, 3), station=org["stations"]["station-a"])  # overdue assign
    minor = make_case(accepted_on=D(2025, 11, 18), recipient=PersonFactory(birth_date=D(2012, 1, 1), id_number=""),
                      aid_form="non_litigation", stage="non_litigation", cause="support")
    notice = CriminalNoticeFactory(received_on=D(2025, 11, 18))
    crim = make_case(category="criminal", source="notice", notice=notice, stage="trial", aid_form="criminal_defence",
                     cause="theft", accepted_on=D(2025, 11, 18), recipient=notice.person)
    services.case_assign(case=crim, handler=org["handlers"]["张伟"], on=D(2025, 11, 19), by=clerk)
    c = client_for("clerk")
    url = reverse("cases:case_list")
    assert _numbers(c.get(url)) == {a.number, minor.number, crim.number}
    assert _numbers(c.get(url, {"group": "minor"})) == {minor.number}
    assert _numbers(c.get(url, {"overdue": "1"})) == {a.number}
    assert _numbers(c.get(url, {"is_litigation": "0"})) == {minor.number}
    assert _numbers(c.get(url, {"is_litigation": "1"})) == {a.number, crim.number}
    assert _numbers(c.get(url, {"category": "criminal"})) == {crim.number}
    assert _numbers(c.get(url, {"source": "notice"})) == {crim.number}
    assert _numbers(c.get(url, {"status": ["awaiting"]})) == {a.number, minor.number}
    assert _numbers(c.get(url, {"station": "center"})) == {minor.number, crim.number}
    assert _numbers(c.get(url, {"station": str(org["stations"]["station-a"].pk)})) == {a.number}
    assert _numbers(c.get(url, {"handler": str(org["handlers"]["张伟"].pk)})) == {crim.number}
    assert _numbers(c.get(url, {"accepted_from": "2025-11-10", "accepted_to": "2025-11-30"})) == {
        minor.number, crim.number}
    assert _numbers(c.get(url, {"cause": "support"})) == {minor.number}
    assert _numbers(c.get(url, {"q": minor.recipient.name})) == {minor.number}
    assert _numbers(c.get(url, {"stage": "trial"})) == {crim.number}


def test_the_case_list_uses_a_fixed_number_of_queries(org, clerk, frozen, client_for):
    c = client_for("clerk")

    def count_queries():
        c.get(reverse("cases:case_list"))  # warm per-process caches
        n = queries_for(c, reverse("cases:case_list"))
        return n, c.get(reverse("cases:case_list"))

    for _i in range(3):
        make_case(accepted_on=D(2025, 11, 3))
    few, _resp = count_queries()
    for i in range(30):
        case = make_case(accepted_on=D(2025, 11, 3))
        if i % 2:
            services.case_assign(case=case, handler=org["handlers"]["张伟"], on=D(2025, 11, 4), by=clerk)
    many, resp = count_queries()
    assert many == few
    assert len(resp.context["page_obj"]) == 25 and resp.context["page_obj"].paginator.num_pages == 2


def test_the_case_list_exports_the_filtered_rows_to_excel(org, client_for):
    from openpyxl import load_workbook

    awaiting_case = make_case()  # not under freezegun: openpyxl does not know its fake dates
    make_case(category="administrative", cause="", aid_form="", stage="")

    resp = client_for("clerk").get(reverse("cases:case_list"), {"export": "xlsx", "category": "civil"})
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    sheet = book["案件"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert awaiting_case.number in values
    assert sheet.max_row == 2  # header + the one civil case


def test_the_detail_page_shows_status_deadlines_and_history_in_chinese(assigned_case, client_for):
    html = client_for("clerk").get(reverse("cases:case_detail", args=[assigned_case.pk])).content.decode()
    assert assigned_case.number in html
    assert "进行中" in html
    assert "签订委托协议" in html or "委托协议" in html
    assert 'data-testid="history"' in html
    assert "指派通知书" in html


def test_the_assign_form_suggests_the_least_loaded_suitable_handler(awaiting_case, client_for, org):
    busy = make_case(accepted_on=D(2025, 11, 3))
    services.case_assign(case=busy, handler=org["handlers"]["张伟"], on=D(2025, 11, 4), by=org["users"]["clerk"])
    resp = client_for("clerk").get(reverse("cases:case_assign", args=[awaiting_case.pk]))
    assert resp.context["form"].suggestion == org["handlers"]["陈明"]  # labour_pay specialist, no open cases
    assert resp.context["form"].fields["handler"].initial == org["handlers"]["陈明"].pk
    assert "建议承办人" in resp.content.decode()


def test_assigning_through_the_form_refuses_an_unsuitable_handler_without_a_reason(org, frozen, client_for):
    case = make_case(accepted_on=D(2025, 11, 17), recipient=PersonFactory(birth_date=D(2012, 1, 1), id_number=""))
    url = reverse("cases:case_assign", args=[case.pk])
    c = client_for("clerk")
    resp = c.post(url, {"handler": org["handlers"]["李娜"].pk, "on": "2025-11-18"})
    assert resp.status_code == 200
    assert "未成年" in resp.content.decode()
    case.refresh_from_db()
    assert case.status == "awaiting"
    resp = c.post(url, {"handler": org["handlers"]["李娜"].pk, "on": "2025-11-18", "override_reason": "家事专长"})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.status == "assigned" and case.assignments.get().override_reason == "家事专长"


def test_a_service_refusal_shows_on_the_form_and_changes_nothing(assigned_case, client_for):
    resp = client_for("handler").post(reverse("cases:case_close", args=[assigned_case.pk]), {
        "closed_on": "2025-11-01", "outcome": "mediation", "closing_report": "x"})
    assert resp.status_code == 200
    assert "结案日期不能早于" in resp.content.decode()
    assigned_case.refresh_from_db()
    assert assigned_case.status == "assigned"


def test_a_negative_amount_is_refused_on_the_closing_form(assigned_case, client_for):
    resp = client_for("handler").post(reverse("cases:case_close", args=[assigned_case.pk]), {
        "closed_on": "2025-11-10", "outcome": "mediation", "closing_report": "x", "amount_recovered": "-5"})
    assert resp.status_code == 200
    assert resp.context["form"].errors["amount_recovered"]
    assigned_case.refresh_from_db()
    assert assigned_case.status == "assigned"


def test_a_handler_closes_with_the_judgment_uploaded(assigned_case, client_for):
    f = SimpleUploadedFile("调解书.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    resp = client_for("handler").post(reverse("cases:case_close", args=[assigned_case.pk]), {
        "closed_on": "2025-11-10", "outcome": "mediation", "closing_report": "调解结案", "amount_recovered": "8000",
        "judgment": f})
    assert resp.status_code == 302
    assigned_case.refresh_from_db()
    assert assigned_case.status == "closed" and assigned_case.amount_recovered == Decimal("8000")
    assert assigned_case.attachments.get().kind == Attachment.Kind.JUDGMENT


def test_an_upload_of_a_forbidden_type_is_refused_with_a_clear_message(assigned_case, client_for):
    f = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    resp = client_for("handler").post(reverse("cases:case_progress", args=[assigned_case.pk]), {
        "kind": "meeting", "on": "2025-11-05", "note": "会见", "files": [f]})
    assert resp.status_code == 200
    assert "不接受" in resp.content.decode() and "exe" in resp.content.decode()
    assert not ProgressEntry.objects.exists() and not Attachment.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_upload_over_the_size_limit_is_refused(assigned_case, client_for):
    f = SimpleUploadedFile("扫描件.pdf", b"x" * 2048, content_type="application/pdf")
    resp = client_for("handler").post(reverse("cases:case_attach", args=[assigned_case.pk]), {
        "kind": "other", "file": f})
    assert resp.status_code == 200
    assert "文件过大" in resp.content.decode()
    assert not Attachment.objects.exists()


def _docx_bytes() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(("name", "content"), [
    ("起诉状.pdf", b"<!doctype html><script>alert(1)</script>"),  # an HTML page named .pdf
    ("照片.jpg", b"%PDF-1.4 a pdf named .jpg"),
    ("笔录.docx", b"PK\x03\x04 not really a zip"),
    ("合同.docx", b"MZ\x90\x00"),
])
def test_an_attachment_is_accepted_by_its_content_not_its_name(assigned_case, client_for, name, content):
    resp = client_for("handler").post(reverse("cases:case_attach", args=[assigned_case.pk]), {
        "kind": "other", "file": SimpleUploadedFile(name, content, content_type="application/pdf")})
    assert resp.status_code == 200 and "文件内容不是" in resp.content.decode()
    assert not Attachment.objects.exists()


def test_real_office_files_and_pictures_are_accepted(assigned_case, handler):
    for name, content in (("笔录.docx", _docx_bytes()), ("现场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
                          ("判决书.pdf", b"%PDF-1.7\n")):
        services.attachment_add(case=assigned_case, by=handler, upload=SimpleUploadedFile(name, content))
    assert Attachment.objects.count() == 3


def test_uploaded_files_are_stored_under_the_private_root(assigned_case, handler, settings):
    att = services.attachment_add(case=assigned_case, by=handler,
                                  upload=SimpleUploadedFile("a.docx", _docx_bytes(), content_type="application/zip"))
    from pathlib import Path

    assert Path(att.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_the_archive_review_form_lists_the_categorys_checklist(submitted_case, client_for):
    resp = client_for("reviewer").get(reverse("cases:case_archive_review", args=[submitted_case.pk]))
    html = resp.content.decode()
    assert "经济困难说明" in html and "征询意见表" in html
    resp = client_for("reviewer").post(reverse("cases:case_archive_review", args=[submitted_case.pk]), {
        "on": "2025-11-14", "result": "passed"})
    assert resp.status_code == 200
    assert "缺少材料" in resp.content.decode() or "材料" in resp.content.decode()
    submitted_case.refresh_from_db()
    assert submitted_case.status == "closed"


@pytest.mark.parametrize("doc", ["assignment", "closing_report", "opinion_form"])
def test_the_documents_print_on_a4(closed_case, client_for, doc):
    resp = client_for("clerk").get(reverse("cases:case_print", args=[closed_case.pk, doc]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "size: A4" in html and closed_case.number in html


def test_the_termination_decision_and_letter_print_for_a_criminal_notice(org, clerk, reviewer, frozen, client_for):
    notice = CriminalNoticeFactory(received_on=D(2025, 11, 17), organ_name="示范县人民法院")
    case = make_case(category="criminal", source="notice", notice=notice, organ="court", stage="trial",
                     aid_form="criminal_defence", cause="theft", accepted_on=D(2025, 11, 17), recipient=notice.person)
    services.case_assign(case=case, handler=org["handlers"]["王强"], on=D(2025, 11, 18), by=clerk)
    c = client_for("clerk")
    html = c.get(reverse("cases:case_print", args=[case.pk, "letter"])).content.decode()
    assert "法律援助公函" in html and "示范县人民法院" in html and "援函字" in html
    assert c.get(reverse("cases:case_print", args=[case.pk, "termination"])).status_code == 404
    services.case_terminate(case=case, reason="own_counsel", on=D(2025, 11, 19), by=reviewer)
    html = c.get(reverse("cases:case_print", args=[case.pk, "termination"])).content.decode()
    assert "终止法律援助决定书" in html and "援终字" in html
    detail = c.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "3日内" in detail


def _panels(user):
    from django.test import RequestFactory
    from django.utils import translation

    from cases.home import panels

    request = RequestFactory().get("/")
    request.user = user
    with translation.override("zh-hans"):
        return {str(p.title): p.context for p in panels(request)}


def test_each_role_gets_its_own_case_to_dos_on_the_workbench(org, clerk, handler, director, reviewer, frozen):
    late = make_case(accepted_on=D(2025, 11, 3))  # assign due 6 Nov: overdue on 20 Nov
    mine = make_case(accepted_on=D(2025, 11, 17))
    services.case_assign(case=mine, handler=org["handlers"]["张伟"], on=D(2025, 11, 18), by=clerk)
    handler_panels = _panels(handler)
    assert [r["case"] for r in handler_panels["我的案件：下一步工作"]["rows"]] == [mine]
    assert handler_panels["我的案件：下一步工作"]["rows"][0]["step"] == "签订委托协议"
    assert "待指派案件" not in handler_panels
    assert _panels(clerk)["待指派案件"]["count"] == 1
    assert "待审查的结案案卷" in _panels(reviewer)
    assert [r["case"] for r in _panels(director)["全县案件逾期事项"]["rows"]] == [late]


def test_the_nav_badge_counts_the_users_to_dos(org, clerk, handler, frozen):
    from cases.nav import ITEMS

    make_case(accepted_on=D(2025, 11, 17))
    mine = make_case(accepted_on=D(2025, 11, 17))
    services.case_assign(case=mine, handler=org["handlers"]["张伟"], on=D(2025, 11, 18), by=clerk)
    item = next(i for i in ITEMS if i.url_name == "cases:case_list")
    assert item.badge(clerk) == 1  # one awaiting assignment
    assert item.badge(handler) == 1  # agreement to sign
    assert not item.allowed(org["users"]["finance"])


def test_the_workbench_page_renders_the_handlers_panel(assigned_case, client_for, frozen):
    html = client_for("handler").get("/").content.decode()
    assert "我的案件" in html and assigned_case.number in html


def test_the_roster_lists_the_open_caseload_and_can_deactivate(assigned_case, client_for, handler_profile):
    c = client_for("clerk")
    resp = c.get(reverse("cases:handler_list"))
    rows = {h.name: h.open_cases for h in resp.context["handlers"]}
    assert rows["张伟"] == 1
    c.post(reverse("cases:handler_deactivate", args=[handler_profile.pk]))
    handler_profile.refresh_from_db()
    assert not handler_profile.active


def test_the_roster_is_paged_and_searched_with_the_same_queries_however_many_handlers(
        assigned_case, client_for, handler_profile):
    from tests.factories import HandlerFactory, ProviderFactory

    c = client_for("clerk")
    url = reverse("cases:handler_list")
    before = queries_for(c, url)
    roster = c.get(url).context["page_obj"].paginator.count
    firm = ProviderFactory(name="远山律师事务所")
    HandlerFactory.create_batch(40, provider=firm)
    assert queries_for(c, url) == before
    page = c.get(url)
    assert len(page.context["handlers"]) == 25 and page.context["page_obj"].paginator.count == roster + 40
    second = c.get(url, {"page": 2})
    assert {h.pk for h in second.context["handlers"]}.isdisjoint(h.pk for h in page.context["handlers"])
    found = c.get(url, {"q": "张伟"}).context["handlers"]
    assert [(h.name, h.open_cases) for h in found] == [("张伟", 1)]
    assert c.get(url, {"q": "远山"}).context["page_obj"].paginator.count == 40
    assert list(c.get(url, {"q": "没有这个人"}).context["handlers"]) == []
    assert "没有找到承办人" in c.get(url, {"q": "没有这个人"}).content.decode()


def test_a_new_handler_is_created_through_the_roster_form(org, client_for):
    from stations.models import Handler

    resp = client_for("clerk").post(reverse("cases:handler_create"), {
        "name": "孙律师", "kind": "practising_lawyer", "provider": org["providers"]["明正律师事务所"].pk,
        "phone": "13900001111", "specialties": ["labour_pay", "traffic"], "criminal_years": "4",
        "juvenile_suitable": "on"})
    assert resp.status_code == 302
    h = Handler.objects.get(name="孙律师")
    assert h.specialties == ["labour_pay", "traffic"] and h.juvenile_suitable


def test_status_choices_cover_the_documented_states():
    assert set(Case.Status.values) == {"awaiting", "assigned", "closed", "archived", "terminated"}


def test_changing_the_handler_through_the_form_keeps_both_assignments(assigned_case, client_for, org):
    c = client_for("clerk")
    url = reverse("cases:case_change_handler", args=[assigned_case.pk])
    form = c.get(url).context["form"]
    assert org["handlers"]["张伟"] not in form.fields["handler"].queryset
    resp = c.post(url, {"handler": org["handlers"]["陈明"].pk, "on": "2025-11-06", "reason": ""})
    assert resp.status_code == 200 and resp.context["form"].errors["reason"]
    resp = c.post(url, {"handler": org["handlers"]["陈明"].pk, "on": "2025-11-06", "reason": "受援人申请更换"})
    assert resp.status_code == 302
    html = c.get(reverse("cases:case_detail", args=[assigned_case.pk])).content.decode()
    assert "受援人申请更换" in html and html.count("援指字") >= 2


def test_a_complaint_is_handled_through_its_form(assigned_case, client_for, reviewer):
    complaint = services.complaint_record(case=assigned_case, by=reviewer, received_on=D(2025, 11, 12),
                                          complainant="受援人", content="承办人未及时回电")
    c = client_for("reviewer")
    url = reverse("cases:complaint_handle", args=[complaint.pk])
    resp = c.post(url, {"handling": "", "resolved_on": "2025-11-13"})
    assert resp.status_code == 200
    resp = c.post(url, {"handling": "约谈承办人并回复投诉人", "resolved_on": "2025-11-13", "substantiated": "false"})
    assert resp.status_code == 302
    complaint.refresh_from_db()
    assert complaint.handling == "约谈承办人并回复投诉人" and complaint.substantiated is False


def test_handling_a_complaint_from_the_list_returns_to_the_list_but_never_off_site(assigned_case, client_for,
                                                                                   reviewer):
    complaint = services.complaint_record(case=assigned_case, by=reviewer, received_on=D(2025, 11, 12),
                                          complainant="受援人", content="承办人未及时回电")
    c = client_for("reviewer")
    listing = reverse("cases:complaint_list") + "?resolved=0"
    assert f"?next={listing.replace('?', '%3F').replace('=', '%3D')}" in c.get(listing).content.decode()
    url = reverse("cases:complaint_handle", args=[complaint.pk])
    data = {"handling": "已回复", "resolved_on": "2025-11-13"}
    assert c.post(f"{url}?next={listing}", data)["Location"] == listing
    assert c.post(f"{url}?next=https://evil.example/", data)["Location"] == reverse(
        "cases:case_detail", args=[assigned_case.pk])


def test_station_staff_see_their_stations_case_read_only(assigned_case, client_for):
    resp = client_for("staff_a").get(reverse("cases:case_detail", args=[assigned_case.pk]))
    assert resp.status_code == 200
    assert not any(resp.context["actions"].values())
    assert assigned_case.recipient.id_number not in resp.content.decode()  # masked


def test_the_detail_page_query_count_does_not_grow_with_records(assigned_case, handler, reviewer, client_for):
    c = client_for("clerk")
    url = reverse("cases:case_detail", args=[assigned_case.pk])

    def count():
        c.get(url)  # warm per-process caches
        return queries_for(c, url)

    services.case_record_progress(case=assigned_case, kind="meeting", on=D(2025, 11, 5), note="会见", by=handler)
    before = count()
    for day in (6, 7, 8):
        services.case_record_progress(case=assigned_case, kind="evidence", on=D(2025, 11, day), note="取证",
                                      by=handler, files=[SimpleUploadedFile(f"{day}.pdf", b"%PDF-1.4")])
        services.followup_record(case=assigned_case, by=reviewer, date=D(2025, 11, day), channel="phone",
                                 satisfaction="satisfied")
    assert count() == before


def test_the_complaint_and_discussion_lists_filter_and_keep_a_fixed_query_count(
        org, clerk, reviewer, frozen, client_for, station_a):
    c = client_for("director")

    def add(i):
        case = make_case(accepted_on=D(2025, 11, 3), station=station_a if i % 2 else None)
        services.complaint_record(case=case, by=reviewer, received_on=D(2025, 11, 1 + i % 10),
                                  complainant=f"投诉人{i}", content="联系不及时")
        services.discussion_record(case=case, by=reviewer, held_on=D(2025, 11, 3 + i % 10),
                                   participants="主任、承办人", conclusion="同意辩护意见")

    add(0)
    c.get(reverse("cases:complaint_list"))  # warm per-process caches
    n = queries_for(c, reverse("cases:complaint_list"))
    assert n <= 20
    for i in range(1, 30):
        add(i)
    assert queries_for(c, reverse("cases:complaint_list")) == n
    resp = c.get(reverse("cases:complaint_list"))
    assert resp.context["page_obj"].paginator.count == 30 and len(resp.context["page_obj"]) == 25
    assert "投诉人" in resp.content.decode()
    resp = c.get(reverse("cases:complaint_list"), {"date_from": "2025-11-02", "date_to": "2025-11-03",
                                                   "station": station_a.pk})
    assert {x.complainant for x in resp.context["page_obj"]} == {"投诉人1", "投诉人11", "投诉人21"}
    first = resp.context["page_obj"][0]
    services.complaint_handle(complaint=first, by=reviewer, handling="已回复", resolved_on=D(2025, 11, 5),
                              substantiated=False)
    assert c.get(reverse("cases:complaint_list"), {"resolved": "1"}).context["page_obj"].paginator.count == 1
    assert c.get(reverse("cases:complaint_list"), {"resolved": "0"}).context["page_obj"].paginator.count == 29
    assert queries_for(c, reverse("cases:discussion_list") + "?station=center") <= n
    resp = c.get(reverse("cases:discussion_list"), {"station": "center"})
    assert resp.context["page_obj"].paginator.count == 15
    assert "同意辩护意见" in resp.content.decode()


def test_the_roster_shows_a_province_s_providers_in_part_and_finds_the_others(org, client_for):
    from cases import roster_views
    from tests.factories import ProviderFactory

    for n in range(roster_views.PROVIDERS_SHOWN + 5):
        ProviderFactory(name=f"第{n:03d}号律师事务所")
    c = client_for("clerk")
    page = c.get(reverse("cases:handler_list"))
    assert len(page.context["providers"]) == roster_views.PROVIDERS_SHOWN
    assert 'data-testid="providers-more"' in page.content.decode()
    found = c.get(reverse("cases:handler_list"), {"q": "第054号"})
    assert [p.name for p in found.context["providers"]] == ["第054号律师事务所"]
    assert 'data-testid="providers-more"' not in found.content.decode()
