"""Views: bad input shown on the form with nothing changed, masking, access log, query counts, exports."""

from datetime import date, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from applicants.models import Person
from core.models import AccessLog
from intake import services
from intake.models import Application, Consultation, CriminalNotice, Matter
from tests.factories import ConsultationFactory, MatterFactory, PersonFactory, resident_id
from tests.helpers import queries_for

from .conftest import tick_all

pytestmark = pytest.mark.django_db
NOW = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def consultation_data(**kw):
    data = dict(occurred_at=NOW, channel="phone", topic="labour_pay", person_count=1, outcome="answered",
                summary="咨询欠薪", answer="告知申请仲裁", person_name="", person_phone="", station="")
    data.update(kw)
    return data


def test_a_clerk_logs_a_phone_call_in_one_post(client_for):
    r = client_for("clerk").post("/intake/consultations/new/", consultation_data())
    assert r.status_code == 302
    c = Consultation.objects.get()
    assert c.channel == "phone" and c.station is None and c.handled_by.username == "clerk"


def test_consultation_form_defaults_to_now_and_one_person(client_for):
    r = client_for("staff_a").get("/intake/consultations/new/")
    form = r.context["form"]
    assert form.initial["occurred_at"][:10] == timezone.localdate().isoformat()
    assert form.fields["person_count"].initial == 1 or form.instance.person_count == 1
    assert "autofocus" in r.content.decode()


@pytest.mark.parametrize("field,value", [("person_count", "0"), ("occurred_at", "2999-01-01T10:00"),
                                         ("person_phone", "12345")])
def test_bad_consultation_input_is_shown_next_to_the_field_and_nothing_is_saved(client_for, field, value):
    r = client_for("clerk").post("/intake/consultations/new/", consultation_data(**{field: value}))
    assert r.status_code == 200
    assert field in r.context["form"].errors
    assert not Consultation.objects.exists()


def test_a_consultation_records_who_answered_it_a_colleague_of_the_same_office(client_for, org):
    """§3 "handled by": the one logging it unless a colleague of the same office answered; station staff cannot
    name someone of another station."""
    users = org["users"]
    staff = client_for("staff_a")
    page = staff.get("/intake/consultations/new/")
    offered = set(page.context["form"].fields["handled_by"].queryset)
    assert users["staff_a"] in offered and users["staff_b"] not in offered and users["clerk"] not in offered
    assert page.context["form"].fields["handled_by"].initial == users["staff_a"].pk
    r = staff.post("/intake/consultations/new/", consultation_data(handled_by=users["staff_b"].pk))
    assert "handled_by" in r.context["form"].errors and not Consultation.objects.exists()
    client_for("clerk").post("/intake/consultations/new/", consultation_data(handled_by=users["reviewer"].pk))
    c = Consultation.objects.get()
    assert c.handled_by == users["reviewer"] and c.created_by == users["clerk"]
    client_for("clerk").post(f"/intake/consultations/{c.pk}/edit/", consultation_data(answer="已补充答复"))
    assert Consultation.objects.get().handled_by == users["reviewer"]  # an edit without the field keeps it


def test_a_station_user_posting_another_stations_id_gets_an_error(client_for, station_a, station_b):
    r = client_for("staff_a").post("/intake/consultations/new/", consultation_data(station=station_b.pk))
    assert "station" in r.context["form"].errors
    assert not Consultation.objects.exists()
    r = client_for("staff_a").post("/intake/consultations/new/", consultation_data(station=""))
    assert Consultation.objects.get().station == station_a


def test_consultation_list_totals_person_times_of_the_filtered_set(client_for, station_a):
    ConsultationFactory(person_count=1, channel="visit")
    ConsultationFactory(person_count=40, channel="event")
    ConsultationFactory(person_count=3, channel="event", station=station_a)
    r = client_for("clerk").get("/intake/consultations/?channel=event")
    assert r.context["total"] == 43
    r = client_for("clerk").get("/intake/consultations/?channel=event&station=center")
    assert r.context["total"] == 40
    r = client_for("staff_a").get("/intake/consultations/")
    assert r.context["total"] == 3


def test_consultation_list_filters_by_the_contract_parameters(client_for, clerk):
    today = timezone.localdate()
    ConsultationFactory(occurred_at=timezone.now() - timedelta(days=40), topic="traffic")
    ConsultationFactory(topic="labour_pay", outcome="referred", handled_by=clerk, person_name="赵六")
    url = (f"/intake/consultations/?date_from={today.isoformat()}&date_to={today.isoformat()}&topic=labour_pay"
           f"&outcome=referred&handled_by={clerk.pk}&q=赵")
    r = client_for("clerk").get(url)
    assert r.context["rows"] == 1


@pytest.mark.parametrize("url,make", [
    ("/intake/consultations/", lambda clerk: ConsultationFactory(person=PersonFactory())),
    ("/intake/applications/?status=received", lambda clerk: services.application_receive(
        application=Application(applicant=PersonFactory(), received_on=date.today()), by=clerk)),
    ("/intake/matters/", lambda clerk: MatterFactory()),
    ("/intake/notices/", lambda clerk: services.notice_register(notice=CriminalNotice(
        organ="court", received_on=date.today(), person=PersonFactory(), ground="minor", stage="trial"),
        by=clerk)),
    ("/applicants/", lambda clerk: PersonFactory()),
])
def test_list_query_count_does_not_grow_with_rows(client_for, clerk, url, make):
    c = client_for("clerk")
    make(clerk)
    one = queries_for(c, url)
    for _ in range(25):
        make(clerk)
    assert queries_for(c, url) == one
    assert one <= 20


def test_ids_and_phones_are_masked_for_roles_without_full_view(client_for, station_a):
    p = PersonFactory(name="周八", station=station_a, id_number=resident_id(7), phone="13912345678")
    full = client_for("clerk").get("/applicants/?q=周八").content.decode()
    masked = client_for("staff_a").get("/applicants/?q=周八").content.decode()
    assert p.id_number in full and "13912345678" in full
    assert p.id_number not in masked and "139****5678" in masked


def test_opening_a_full_record_is_logged(client_for, clerk):
    p = PersonFactory()
    client_for("clerk").get(f"/applicants/{p.pk}/")
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.object_id) == (clerk, "view_person", "person", str(p.pk))


def person_data(**kw):
    data = dict(name="钱七", id_type="resident", id_number=resident_id(11), phone="13800001111", ethnicity="汉族",
                household_size=3, household_income="1800", hukou="rural")
    data.update(kw)
    return data


def test_person_id_number_gives_birth_date_and_sex(client_for):
    number = resident_id(12, born=date(1990, 2, 3), female=True)
    r = client_for("clerk").post("/applicants/new/", person_data(id_number=number))
    assert r.status_code == 302
    p = Person.objects.get()
    assert p.birth_date == date(1990, 2, 3) and p.sex == "F"


@pytest.mark.parametrize("field,value", [("id_number", "34112219850615001X"), ("phone", "1234"),
                                         ("household_income", "-5"), ("household_size", "0")])
def test_bad_person_input_is_rejected_on_the_field(client_for, field, value):
    r = client_for("clerk").post("/applicants/new/", person_data(**{field: value}))
    assert r.status_code == 200 and field in r.context["form"].errors
    assert not Person.objects.exists()


def test_the_check_digit_error_is_clear(client_for):
    bad = resident_id(1)[:17] + ("0" if resident_id(1)[17] != "0" else "1")
    r = client_for("clerk").post("/applicants/new/", person_data(id_number=bad))
    assert "校验" in r.content.decode() or "check digit" in r.content.decode()


def test_the_same_id_number_is_never_registered_twice(client_for):
    existing = PersonFactory(id_number=resident_id(21))
    r = client_for("clerk").post("/applicants/new/", person_data(id_number=resident_id(21)))
    assert "id_number" in r.context["form"].errors
    assert r.context["duplicate"] == existing
    assert Person.objects.count() == 1


def test_search_before_create_offers_existing_records(client_for):
    PersonFactory(name="孙九", phone="13755556666")
    r = client_for("clerk").get("/applicants/new/?q=13755556666")
    assert [p.name for p in r.context["matches"]] == ["孙九"]


def test_consultation_leads_to_an_application_with_the_person_carried_over(client_for, clerk, person):
    c = ConsultationFactory(person=person, person_name=person.name)
    r = client_for("clerk").get(f"/intake/consultations/{c.pk}/apply/")
    assert f"person={person.pk}" in r["Location"] and f"consultation={c.pk}" in r["Location"]
    r = client_for("clerk").post(r["Location"], {"received_on": date.today().isoformat(), "category": "civil",
                                                 "cause": "labour_pay", "recipient_count": 1,
                                                 "person": person.pk, "consultation": c.pk})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.application.applicant == person


def test_deciding_a_withdrawn_application_shows_the_error_and_changes_nothing(client_for, make_app, clerk):
    app = make_app()
    services.application_withdraw(application=app, by=clerk)
    r = client_for("reviewer").post(f"/intake/applications/{app.pk}/grant/",
                                    {"decided_on": date.today().isoformat()})
    assert r.status_code == 400
    assert r.context["form"].non_field_errors()
    app.refresh_from_db()
    assert app.status == "withdrawn" and not app.decision_number


def test_a_future_decision_date_is_rejected(client_for, make_app, clerk):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    r = client_for("reviewer").post(f"/intake/applications/{app.pk}/grant/",
                                    {"decided_on": (date.today() + timedelta(days=3)).isoformat()})
    assert "decided_on" in r.context["form"].errors
    app.refresh_from_db()
    assert app.status == "under_review"


def test_refusal_without_reasons_is_rejected(client_for, make_app, clerk):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    r = client_for("reviewer").post(f"/intake/applications/{app.pk}/refuse/",
                                    {"decided_on": date.today().isoformat(), "reasons": ""})
    assert "reasons" in r.context["form"].errors


def test_a_disallowed_transition_from_the_detail_page_is_a_message(client_for, make_app):
    app = make_app()
    r = client_for("clerk").post(f"/intake/applications/{app.pk}/supplied/", follow=True)
    assert list(r.context["messages"])
    app.refresh_from_db()
    assert app.status == "received"


def test_notice_form_registers_a_new_person_inline_and_opens_the_case(client_for):
    number = resident_id(31, born=date(2008, 1, 1))
    r = client_for("clerk").post("/intake/notices/new/", {
        "organ": "court", "organ_name": "示范县人民法院", "notice_number": "（2025）示刑通字第1号",
        "received_on": date.today().isoformat(), "p_name": "小刚", "p_id_number": number,
        "ground": "minor", "stage": "trial", "cause": "theft"})
    assert r.status_code == 302
    n = CriminalNotice.objects.get()
    assert n.person.birth_date == date(2008, 1, 1) and n.case.status == "awaiting"


def test_notice_form_uses_the_existing_person_by_id_number(client_for):
    p = PersonFactory(id_number=resident_id(32))
    client_for("clerk").post("/intake/notices/new/", {
        "organ": "procuratorate", "received_on": date.today().isoformat(), "p_id_number": resident_id(32),
        "ground": "life_or_death", "stage": "prosecution"})
    assert CriminalNotice.objects.get().person == p


@pytest.mark.parametrize("field,value", [("received_on", "2999-01-01"), ("p_id_number", "341122198506150010")])
def test_bad_notice_input_changes_nothing(client_for, field, value):
    data = {"organ": "court", "received_on": date.today().isoformat(), "p_name": "某", "ground": "minor",
            "stage": "trial"}
    data[field] = value
    r = client_for("clerk").post("/intake/notices/new/", data)
    assert field in r.context["form"].errors
    assert not CriminalNotice.objects.exists() and not Person.objects.exists()


def test_matter_with_zero_persons_is_rejected(client_for):
    r = client_for("clerk").post("/intake/matters/new/", {"kind": "duty_lawyer", "date": date.today().isoformat(),
                                                         "person_count": "0"})
    assert "person_count" in r.context["form"].errors
    assert not Matter.objects.exists()


def _xlsx(response):
    return openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))


def test_consultation_export_has_the_ledger_columns_and_masks_for_station_staff(client_for, station_a):
    ConsultationFactory(station=station_a, person_name="冯一", person_phone="13911112222", person_count=2)
    book = _xlsx(client_for("staff_a").get("/intake/consultations/?export=xlsx"))
    ws = book["咨询"]
    rows = list(ws.values)
    assert rows[0][0] == "日期" and "人次" in rows[0]
    assert "13911112222" not in [str(v) for v in rows[1]]


def test_matter_export_uses_the_ledger_sheet(client_for):
    MatterFactory(plea=True)
    book = _xlsx(client_for("clerk").get("/intake/matters/?export=xlsx&plea=1"))
    rows = list(book["值班与代书"].values)
    assert rows[0][:2] == ("日期", "类型") and len(rows) == 2


def test_registry_match_is_shown_at_intake(client_for, person):
    from applicants.models import VulnerableEntry

    VulnerableEntry.objects.create(name=person.name, id_number=person.id_number, category="dibao", source="县民政局",
                                   valid_until=date.today())
    r = client_for("clerk").get(f"/intake/applications/new/?person={person.pk}")
    assert "县民政局" in r.content.decode() and r.context["registry"]


def test_an_expired_registry_entry_does_not_match(client_for, person):
    from applicants.models import VulnerableEntry

    VulnerableEntry.objects.create(name=person.name, id_number=person.id_number, category="dibao",
                                   valid_until=date.today() - timedelta(days=1))
    r = client_for("clerk").get(f"/intake/applications/new/?person={person.pk}")
    assert r.context["registry"] is None


def test_decision_documents_carry_the_numbers(client_for, make_app, clerk, reviewer):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    app, case = services.application_grant(application=app, by=reviewer)
    html = client_for("clerk").get(f"/intake/applications/{app.pk}/print/decision/").content.decode()
    assert "给予法律援助决定书" in html and app.decision_number in html and case.number in html
    html = client_for("clerk").get(f"/intake/applications/{app.pk}/print/receipt/").content.decode()
    assert "申请材料接收凭证" in html and app.number in html


def test_director_merges_through_the_page(client_for, person):
    dup = PersonFactory(name=person.name, id_number="")
    r = client_for("director").post(f"/applicants/{person.pk}/merge/", {"other": dup.pk, "reason": "重复"})
    assert r.status_code == 302
    dup.refresh_from_db()
    assert dup.merged_into == person


def test_home_shows_the_reviewers_due_applications(client_for, make_app, clerk):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    html = client_for("reviewer").get("/").content.decode()
    assert app.number in html


def test_station_staff_see_their_preliminary_intake_on_the_workbench_and_nav_badge(client_for, staff_a, staff_b):
    from intake.nav import _review_badge

    p = PersonFactory(name="初审人", station=staff_a.station)
    services.application_receive(application=Application(applicant=p, received_on=date.today(),
                                                         cause="labour_pay"), by=staff_a)
    assert "初审人" in client_for("staff_a").get("/").content.decode()
    assert "初审人" not in client_for("staff_b").get("/").content.decode()
    assert _review_badge(staff_a) == 1 and _review_badge(staff_b) == 0


def test_clerk_workbench_lists_overdue_applications(client_for, make_app):
    from freezegun import freeze_time

    app = make_app(received_on=date.today() - timedelta(days=20))
    with freeze_time(timezone.now()):
        html = client_for("clerk").get("/").content.decode()
    assert app.number in html and "已超期" in html


def test_objection_and_its_outcome_through_the_pages(client_for, make_app, clerk, reviewer):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    services.application_refuse(application=app, by=reviewer, reasons="不属于援助范围")
    r = client_for("clerk").post(f"/intake/applications/{app.pk}/objection/",
                                 {"filed_on": date.today().isoformat(), "grounds": "不服"})
    assert r.status_code == 302
    obj = app.objections.get()
    r = client_for("reviewer").post(f"/intake/objections/{obj.pk}/decide/",
                                    {"outcome": "upheld", "decided_on": date.today().isoformat()})
    assert r.status_code == 302
    obj.refresh_from_db()
    assert obj.outcome == "upheld"


def test_a_contact_point_of_another_station_is_rejected(client_for, org, station_a):
    from stations.models import ContactPoint

    other = ContactPoint.objects.exclude(station=station_a).first()
    r = client_for("clerk").post("/intake/consultations/new/",
                                 consultation_data(station=station_a.pk, contact_point=other.pk))
    assert "contact_point" in r.context["form"].errors
    assert not Consultation.objects.exists()


def test_notice_for_a_chosen_person_from_their_record(client_for):
    p = PersonFactory(name="赵小虎")
    r = client_for("clerk").get(f"/intake/notices/new/?person={p.pk}")
    assert "赵小虎" in r.content.decode()
    client_for("clerk").post(f"/intake/notices/new/?person={p.pk}", {
        "person": p.pk, "organ": "police", "received_on": date.today().isoformat(), "ground": "minor",
        "stage": "investigation"})
    assert CriminalNotice.objects.get().person == p


@pytest.mark.parametrize("field,value", [("amount_involved", "-100"), ("received_on", "2999-01-01"),
                                         ("recipient_count", "0"), ("individual_income", "-1")])
def test_bad_application_input_is_shown_on_the_field_and_nothing_is_saved(client_for, person, field, value):
    data = {"received_on": date.today().isoformat(), "category": "civil", "cause": "labour_pay",
            "recipient_count": 1, "person": person.pk}
    data[field] = value
    r = client_for("clerk").post(f"/intake/applications/new/?person={person.pk}", data)
    assert r.status_code == 200 and field in r.context["form"].errors
    assert not Application.objects.exists()


def test_station_staff_posting_another_stations_id_on_an_application_changes_nothing(client_for, station_a,
                                                                                     station_b):
    p = PersonFactory(station=station_a)
    r = client_for("staff_a").post(f"/intake/applications/new/?person={p.pk}", {
        "received_on": date.today().isoformat(), "category": "civil", "cause": "labour_pay", "recipient_count": 1,
        "station": station_b.pk, "person": p.pk})
    assert "station" in r.context["form"].errors
    assert not Application.objects.exists()


def test_green_channel_error_is_shown_next_to_the_flag(client_for):
    p = PersonFactory()
    r = client_for("clerk").post(f"/intake/applications/new/?person={p.pk}", {
        "received_on": date.today().isoformat(), "category": "civil", "cause": "traffic", "recipient_count": 1,
        "green_channel": "on", "person": p.pk})
    assert "green_channel" in r.context["form"].errors
    assert not Application.objects.exists()


def test_decisions_print_what_is_meant_for_print_once(client_for, make_app, clerk, reviewer):
    """The grant never prints the reviewer's internal note; the refusal states its reasons once."""
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    app, _case = services.application_grant(application=app, by=reviewer, note="内部备注：申请人情绪激动，注意沟通")
    html = client_for("clerk").get(f"/intake/applications/{app.pk}/print/decision/").content.decode()
    assert "给予法律援助决定书" in html and "内部备注" not in html
    other = make_app()
    tick_all(other, clerk)
    services.application_submit_review(application=other, by=clerk)
    other = services.application_refuse(application=other, by=reviewer, reasons="申请人家庭人均收入高于本地困难标准。")
    assert other.eligibility_reasons  # the automatic list is kept on the record …
    html = client_for("clerk").get(f"/intake/applications/{other.pk}/print/decision/").content.decode()
    assert html.count("申请人家庭人均收入高于本地困难标准。") == 1
    assert all(reason not in html for reason in other.eligibility_reasons)  # … and not printed again


def test_a_province_s_stations_and_contact_points_are_chosen_by_type_ahead(client_for, station_a, monkeypatch):
    """Past core.forms_renderer.LONG_LIST choices the consultation form carries no list of stations or contact points:
    a search box asks stations:lookup, and the chosen one is posted by its key as before."""
    from core import forms_renderer
    from stations.models import ContactPoint

    point = ContactPoint.objects.create(station=station_a, name="远山村联系点", active=True)
    clerk = client_for("clerk")
    assert 'data-lookup="/stations/lookup/contact_points/"' not in clerk.get("/intake/consultations/new/").content.decode()
    monkeypatch.setattr(forms_renderer, "LONG_LIST", 0)
    html = clerk.get("/intake/consultations/new/").content.decode()
    assert 'data-lookup="/stations/lookup/contact_points/"' in html and 'data-lookup="/stations/lookup/stations/"' in html
    assert "远山村联系点" not in html  # not carried in the page
    found = clerk.get("/stations/lookup/contact_points/", {"q": "远山"}).json()["results"]
    assert found == [{"id": point.pk, "text": f"远山村联系点（{station_a.name}）"}]
    assert client_for("staff_b").get("/stations/lookup/contact_points/", {"q": "远山"}).json()["results"] == []
    r = clerk.post("/intake/consultations/new/", consultation_data(station=station_a.pk, contact_point=point.pk))
    assert r.status_code == 302
    assert Consultation.objects.get().contact_point == point
    # a form sent back with an error keeps the chosen contact point in its select
    r = clerk.post("/intake/consultations/new/", consultation_data(station=station_a.pk, contact_point=point.pk,
                                                                    person_count=0))
    assert r.status_code == 200 and "远山村联系点" in r.content.decode()
