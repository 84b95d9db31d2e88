"""Permission table: every URL of applicants and intake × every persona (COMMON.md)."""

from datetime import date

import pytest
from django.utils import timezone

from tests.permission_table import check, expect

# The administrator keeps users, stations and configuration (DOMAIN.md §2): no person, consultation or application.
CENTER_ALL = dict(admin=403, finance=403, handler=403)
STATION_A_ONLY = dict(admin=403, finance=403, handler=403, staff_b=404)
CENTER_ONLY = dict(admin=403, finance=403, handler=403, staff_a=404, staff_b=404)
# A center-only step of the transition table (intake.workflow) on station A's preliminary intake: station staff
# see it but are refused the step (403, as every refusal of a user), other stations do not see it (404).
CENTER_STEP = dict(admin=403, finance=403, handler=403, staff_a=403, staff_b=404)
DECIDERS = dict(admin=403, clerk=403, finance=403, handler=403, staff_a=403, staff_b=403)
CLERKS = dict(admin=403, reviewer=403, finance=403, handler=403, staff_a=403, staff_b=403)
NOTICE = dict(admin=403, finance=403, handler=403, staff_a=403, staff_b=403)


@pytest.fixture
def world(org, clerk, reviewer, staff_a, station_a):
    from applicants.models import Person, VulnerableEntry
    from intake import services
    from intake.models import Application, Consultation, CriminalNotice, Matter
    from tests.factories import PersonFactory

    person_a = PersonFactory(name="城关申请人", station=station_a, declared_groups=["migrant_worker"])
    app_a = services.application_receive(application=Application(applicant=person_a, received_on=date.today(),
                                                                 cause="labour_pay"), by=staff_a)
    consult_a = services.consultation_save(consultation=Consultation(occurred_at=timezone.now(),
                                                                     station=station_a), by=staff_a)
    center_person = PersonFactory(name="中心申请人", declared_groups=["migrant_worker"])
    app_c = services.application_receive(application=Application(applicant=center_person,
                                                                 received_on=date.today(), cause="labour_pay"),
                                         by=clerk)
    notice_s = services.supplement_notice_issue(application=app_c, by=clerk)
    app_r = services.application_receive(application=Application(applicant=center_person,
                                                                 received_on=date.today(), cause="labour_pay"),
                                         by=clerk)
    services.materials_update(application=app_r, received={m.pk for m in app_r.materials.all()}, by=clerk)
    services.application_submit_review(application=app_r, by=clerk)
    app_r = services.application_refuse(application=app_r, by=reviewer, reasons="理由")
    objection = services.objection_file(application=app_r, by=clerk, filed_on=date.today(), grounds="不服")
    notice, _case = services.notice_register(notice=CriminalNotice(
        organ="court", received_on=date.today(), person=PersonFactory(), ground="minor", stage="trial"), by=clerk)
    matter = services.matter_save(matter=Matter(kind="duty_lawyer", date=date.today()), by=clerk)
    entry = VulnerableEntry.objects.create(name="低保户", id_number=center_person.id_number, category="dibao")
    assert Person.objects.count() >= 3
    return dict(person_a=person_a.pk, app_a=app_a.pk, consult_a=consult_a.pk, app_c=app_c.pk,
                notice_s=notice_s.pk, app_r=app_r.pk, objection=objection.pk, notice=notice.pk,
                matter=matter.pk, entry=entry.pk)


TABLE = [
    ("applicants:person_list", "GET", "/applicants/", expect(200, **CENTER_ALL)),
    ("applicants:person_create", "GET", "/applicants/new/?q=城关", expect(200, **CENTER_ALL)),
    ("applicants:person_detail", "GET", "/applicants/{person_a}/", expect(200, **STATION_A_ONLY)),
    ("applicants:person_edit", "GET", "/applicants/{person_a}/edit/", expect(200, **STATION_A_ONLY)),
    ("applicants:person_merge", "GET", "/applicants/{person_a}/merge/",
     expect(403, director=200)),
    ("applicants:registry_list", "GET", "/applicants/registry/", expect(403, director=200, clerk=200)),
    ("applicants:registry_create", "GET", "/applicants/registry/new/",
     expect(403, director=200, clerk=200)),
    ("applicants:registry_edit", "GET", "/applicants/registry/{entry}/",
     expect(403, director=200, clerk=200)),
    ("intake:consultation_list", "GET", "/intake/consultations/", expect(200, **CENTER_ALL)),
    ("intake:consultation_create", "GET", "/intake/consultations/new/", expect(200, **CENTER_ALL)),
    ("intake:consultation_detail", "GET", "/intake/consultations/{consult_a}/", expect(200, **STATION_A_ONLY)),
    ("intake:consultation_edit", "GET", "/intake/consultations/{consult_a}/edit/", expect(200, **STATION_A_ONLY)),
    ("intake:consultation_to_application", "GET", "/intake/consultations/{consult_a}/apply/",
     expect(302, **STATION_A_ONLY)),
    ("intake:application_list", "GET", "/intake/applications/", expect(200, **CENTER_ALL)),
    ("intake:application_create", "GET", "/intake/applications/new/?person={person_a}",
     expect(200, **STATION_A_ONLY)),
    ("intake:application_detail", "GET", "/intake/applications/{app_a}/", expect(200, **STATION_A_ONLY)),
    ("intake:application_edit", "GET", "/intake/applications/{app_a}/edit/", expect(200, **STATION_A_ONLY)),
    ("intake:application_materials", "POST", "/intake/applications/{app_a}/materials/",
     expect(302, **STATION_A_ONLY)),
    ("intake:application_supplement", "POST", "/intake/applications/{app_a}/supplement/",
     expect(302, **CENTER_STEP)),
    ("intake:application_supplied", "POST", "/intake/applications/{app_a}/supplied/",
     expect(302, **CENTER_STEP)),
    ("intake:application_submit_review", "POST", "/intake/applications/{app_a}/review/",
     expect(302, **CENTER_STEP)),
    ("intake:application_forward", "POST", "/intake/applications/{app_a}/forward/",
     expect(403, staff_a=302, staff_b=404)),  # forwarding is the station's step: the center is refused (403)
    ("intake:application_withdraw", "POST", "/intake/applications/{app_a}/withdraw/",
     expect(302, **STATION_A_ONLY)),
    ("intake:application_grant", "GET", "/intake/applications/{app_c}/grant/", expect(200, **DECIDERS)),
    # Center deciders reach it (the service then refuses a non-advance-aid application with a message).
    ("intake:application_advance_review", "POST", "/intake/applications/{app_c}/advance-review/",
     expect(302, **DECIDERS)),
    ("intake:application_refuse", "GET", "/intake/applications/{app_c}/refuse/", expect(200, **DECIDERS)),
    ("intake:objection_create", "GET", "/intake/applications/{app_r}/objection/", expect(200, **CENTER_ONLY)),
    ("intake:objection_decide", "GET", "/intake/objections/{objection}/decide/", expect(200, **DECIDERS)),
    ("intake:print_receipt", "GET", "/intake/applications/{app_c}/print/receipt/", expect(200, **CENTER_ONLY)),
    ("intake:print_decision", "GET", "/intake/applications/{app_r}/print/decision/", expect(200, **CENTER_ONLY)),
    ("intake:print_supplement", "GET", "/intake/supplement-notices/{notice_s}/print/",
     expect(200, **CENTER_ONLY)),
    ("intake:notice_list", "GET", "/intake/notices/", expect(200, **NOTICE)),
    ("intake:notice_create", "GET", "/intake/notices/new/", expect(200, **NOTICE)),
    ("intake:notice_detail", "GET", "/intake/notices/{notice}/", expect(200, **NOTICE)),
    ("intake:matter_list", "GET", "/intake/matters/", expect(200, **CLERKS)),
    ("intake:matter_create", "GET", "/intake/matters/new/", expect(200, **CLERKS)),
    ("intake:matter_detail", "GET", "/intake/matters/{matter}/", expect(200, **CLERKS)),
    ("intake:matter_edit", "GET", "/intake/matters/{matter}/edit/", expect(200, **CLERKS)),
]


@pytest.mark.parametrize("name,method,path,expected", TABLE, ids=[row[0] for row in TABLE])
def test_intake_urls_answer_each_persona_as_the_table_says(client_for, world, name, method, path, expected):
    from django.urls import resolve

    url = path.format(**world)
    assert f"{resolve(url.split('?')[0]).namespace}:{resolve(url.split('?')[0]).url_name}" == name
    assert check(client_for, method, url, expected) == []


def test_a_station_does_not_issue_the_delivery_receipt_of_the_centers_decision(client_for, org, clerk, reviewer,
                                                                               staff_a, station_a):
    """DOMAIN.md §2, §12: the center serves its decisions; station staff, who see the decision on their station's
    application, may print it but not issue (number) its 送达回证. Once the window issued it, they may reprint it."""
    from core.models import DeliveryReceipt
    from intake import services
    from intake.models import Application
    from tests.factories import PersonFactory
    from tests.intake.conftest import tick_all

    person = PersonFactory(name="城关申请人", station=station_a, declared_groups=["migrant_worker"])
    app = services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                               cause="labour_pay"), by=staff_a)
    app = services.application_forward(application=app, by=staff_a)
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    app, _case = services.application_grant(application=app, by=reviewer)
    url = f"/intake/applications/{app.pk}/print/decision/"
    station = client_for("staff_a")
    assert station.get(f"{url}?delivery=1").status_code == 403
    assert not DeliveryReceipt.objects.exists()
    page = station.get(f"{url}?delivery=0").content.decode()  # "0" asks for the decision, not its receipt
    assert "给予法律援助决定书" in page and "delivery-receipt" not in page and not DeliveryReceipt.objects.exists()
    assert client_for("clerk").get(f"{url}?delivery=1").status_code == 200
    again = station.get(f"{url}?delivery=1")
    assert again.status_code == 200 and DeliveryReceipt.objects.get().number in again.content.decode()
