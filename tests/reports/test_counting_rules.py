"""The counting rules of STATISTICS.md that the director's figures rest on (reports/DECISIONS.md):
first assignment, a paused review clock, intake withdrawn before forwarding, registry groups, facts
frozen at the time of the event, and periods that have started."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from cases import services as case_services
from core.periods import Period, parse_period, period_from_input
from intake import services as intake_services
from intake.models import Application
from reports import indicators as ind
from tests.factories import HandlerFactory, PersonFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date


def period(start: dt.date, end: dt.date) -> Period:
    return Period(f"{start}:{end}", start, end, "range")


# --- assignment: the first one counts; a change of handler is not an assignment -----------------

@freeze_time("2025-11-20 10:00:00+08:00")
def test_a_change_of_handler_keeps_the_first_assignment_date_and_type(org, clerk):
    lawyer = HandlerFactory(kind="practising_lawyer")
    worker = HandlerFactory(kind="grassroots_worker")
    case = make_case(accepted_on=D(2025, 3, 3))
    case_services.case_assign(case=case, handler=lawyer, on=D(2025, 3, 4), by=clerk)
    case_services.case_sign_agreement(case=case, signed_on=D(2025, 3, 6), by=clerk)
    march = period(D(2025, 3, 1), D(2025, 3, 31))
    before = ind.compute_all(march)
    april = ind.compute_all(period(D(2025, 4, 1), D(2025, 4, 30)))
    assert before["cases.assigned"] == 1 and before["rate.assign_on_time"] == 100.0
    assert before["cases.accepted.by_lawyer"] == 1

    case_services.case_change_handler(case=case, handler=worker, on=D(2025, 10, 8), reason="律师调离", by=clerk)
    case.refresh_from_db()
    assert (case.assigned_on, case.handler_kind, case.handler) == (D(2025, 3, 4), "practising_lawyer", worker)
    assert ind.compute_all(march) == before  # March does not move
    october = ind.compute_all(period(D(2025, 10, 1), D(2025, 10, 31)))
    assert october["cases.assigned"] == 0  # the change is not an assignment of October
    # At the end of April the case was assigned with its agreement signed: nothing overdue then, nor now
    # that the new handler's agreement has been reset.
    assert april["cases.overdue"] == 0
    assert ind.compute_all(period(D(2025, 4, 1), D(2025, 4, 30))) == april
    assert list(case.assignments.order_by("assigned_on").values_list("handler_kind", flat=True)) == [
        "practising_lawyer", "grassroots_worker"]


@freeze_time("2025-11-20 10:00:00+08:00")
def test_editing_a_handler_next_year_leaves_last_years_lawyer_figure(org, clerk):
    lawyer = HandlerFactory(kind="aid_lawyer")
    case = make_case(accepted_on=D(2025, 2, 3))
    case_services.case_assign(case=case, handler=lawyer, on=D(2025, 2, 4), by=clerk)
    year = parse_period("2025")
    before = ind.compute(year)
    lawyer.kind = "other"
    lawyer.save()
    assert ind.compute(year) == before and before["cases.accepted.by_lawyer"] == 1


# --- applications -----------------------------------------------------------------------------

@freeze_time("2025-11-20 10:00:00+08:00")
def test_a_paused_review_clock_is_not_overdue(org, clerk):
    person = PersonFactory()
    app = intake_services.application_receive(application=Application(
        applicant=person, received_on=D(2025, 11, 3), category="civil", cause="labour_pay"), by=clerk)
    intake_services.supplement_notice_issue(application=app, by=clerk, issued_on=D(2025, 11, 4))
    app.refresh_from_db()
    assert app.review_due < D(2025, 11, 20)  # the due date never moved while waiting
    today = parse_period("2025")
    assert ind.compute_all(today)["applications.overdue_at_end"] == 0
    # Without the notice the same application would be overdue.
    Application.objects.filter(pk=app.pk).update(status="received")
    app.supplement_notices.update(fulfilled_on=D(2025, 11, 5))
    assert ind.compute_all(today)["applications.overdue_at_end"] == 1


@freeze_time("2025-11-20 10:00:00+08:00")
def test_intake_withdrawn_before_forwarding_is_not_a_received_application(org, staff_a, clerk):
    def station_intake():
        return intake_services.application_receive(application=Application(
            applicant=PersonFactory(), received_on=D(2025, 11, 10), category="civil", cause="labour_pay"), by=staff_a)

    never = station_intake()
    intake_services.application_withdraw(application=never, by=staff_a)
    forwarded = station_intake()
    intake_services.application_forward(application=forwarded, by=staff_a)
    intake_services.application_withdraw(application=Application.objects.get(pk=forwarded.pk), by=clerk)
    station_intake()  # still a draft
    values = ind.compute(parse_period("2025"))
    assert values["applications.received"] == 1  # only the one that reached the center
    assert Application.objects.get(pk=never.pk).reached_center is False


# --- groups from the vulnerable-persons registry -------------------------------------------------

def test_registry_categories_become_groups_at_acceptance(org):
    from applicants.models import VulnerableEntry
    from tests.factories import resident_id

    poor = PersonFactory(id_number=resident_id(1, born=D(1970, 1, 1)), declared_groups=[])
    disabled = PersonFactory(id_number=resident_id(2, born=D(1970, 1, 1)), declared_groups=[])
    expired = PersonFactory(id_number=resident_id(3, born=D(1970, 1, 1)), declared_groups=[])
    VulnerableEntry.objects.create(name=poor.name, id_number=poor.id_number, category="dibao")
    VulnerableEntry.objects.create(name=disabled.name, id_number=disabled.id_number, category="disabled")
    VulnerableEntry.objects.create(name=expired.name, id_number=expired.id_number, category="tekun",
                                   valid_until=D(2025, 1, 1))
    cases = [make_case(recipient=p, accepted_on=D(2025, 6, 2)) for p in (poor, disabled, expired)]
    assert [("low_income" in c.recipient_groups, "disabled" in c.recipient_groups) for c in cases] == [
        (True, False), (False, True), (False, False)]
    values = ind.compute(parse_period("2025H1", today=D(2025, 7, 1)))
    assert values["cases.accepted.group.low_income"] == 1 and values["cases.accepted.group.disabled"] == 1
    # Leaving the registry later changes no past figure: the groups were taken at acceptance.
    VulnerableEntry.objects.all().delete()
    assert ind.compute(parse_period("2025H1", today=D(2025, 7, 1))) == values


# --- periods ------------------------------------------------------------------------------------

def test_a_period_that_has_not_started_is_refused_and_a_running_one_ends_today():
    today = D(2026, 12, 2)
    with pytest.raises(ValidationError, match="2030"):
        parse_period("2030", today=today)
    with pytest.raises(ValidationError):
        parse_period("2027H1", today=today)
    p = parse_period("2026", today=today)
    assert (p.start, p.end, p.nominal_end, p.running) == (D(2026, 1, 1), today, D(2026, 12, 31), True)
    assert p.label == "2026年（截至2026年12月2日）"
    last = p.last_year()
    assert (last.start, last.end) == (D(2025, 1, 1), D(2025, 12, 2))  # the same dates a year back
    done = parse_period("2026H1", today=today)
    assert not done.running and done.label == "2026年上半年"
    assert parse_period("2026-12-01:2026-12-31", today=today).label == "2026年12月1日至12月31日（截至2026年12月2日）"


def test_a_period_before_the_center_was_founded_is_refused(org):
    from core.models import CenterProfile

    profile = CenterProfile.get()
    profile.founded_year = 2003
    profile.save()
    with pytest.raises(ValidationError, match="2003"):
        period_from_input("2002", today=D(2026, 1, 5))
    assert period_from_input("2003H2", today=D(2026, 1, 5)).start == D(2003, 7, 1)


@freeze_time("2026-12-02 10:00:00+08:00")
def test_build_report_refuses_absurd_periods_and_labels_a_running_one(org, tmp_path):
    import openpyxl

    for bad in ("2030", "1985", "2026H3"):
        with pytest.raises(CommandError):
            call_command("build_report", "--period", bad, "--output", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()
    make_case(accepted_on=D(2026, 3, 3))
    out, docx = tmp_path / "r.xlsx", tmp_path / "r.docx"
    call_command("build_report", "--period", "2026", "--output", str(out), "--docx", str(docx))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "指标" and wb.sheetnames[-1] == "说明"
    assert any("截至2026年12月2日" in str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "截至2026年12月2日" in text


@freeze_time("2026-12-02 10:00:00+08:00")
def test_a_running_years_report_equals_the_dashboard_the_same_minute(client_for, org):
    from reports.builder import collect

    case = make_case(accepted_on=D(2026, 1, 5))  # awaiting assignment, long overdue
    assert case.assign_due < D(2026, 12, 2)
    dashboard = client_for("director").get("/reports/?year=2026").context
    figures = {f["code"]: f["value"] for f in dashboard["figures"]}
    report = collect(period_from_input("2026"))
    assert report.values == figures
    assert report.values["cases.overdue_at_end"] == 1 and report.values["cases.open_at_end"] == 1


def test_the_report_form_refuses_a_future_period_with_a_message(client_for, org):
    response = client_for("director").post("/reports/runs/", {"period": "2999", "want_docx": "on"})
    assert response.status_code == 200
    assert "2999" in response.content.decode()
    from reports.models import ReportRun

    assert not ReportRun.objects.exists()


def test_a_station_intake_forwarded_next_year_is_received_next_year(org, staff_a):
    with freeze_time("2025-12-29 10:00:00+08:00"):
        app = intake_services.application_receive(application=Application(
            applicant=PersonFactory(), received_on=D(2025, 12, 29), category="civil", cause="labour_pay"), by=staff_a)
    with freeze_time("2026-01-10 10:00:00+08:00"):
        last_year = ind.compute(parse_period("2025"))
        intake_services.application_forward(application=app, by=staff_a)
        assert ind.compute(parse_period("2025")) == last_year  # the closed year does not move
        assert ind.compute(parse_period("2026"))["applications.received"] == 1
