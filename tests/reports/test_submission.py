"""Submitted reports (上报): frozen figures and files, and the differences a later rebuild shows."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from reports import indicators as ind
from reports.builder import HEADER_ROW
from reports.models import ReportRun, SubmittedFigure
from reports.services import report_run_execute, report_run_request
from reports.submission import report_run_submit, verify_files
from tests.factories import ConsultationFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = "2026-01-10 10:00:00+08:00"


def built(period, director, station=None) -> ReportRun:
    run = report_run_request(period=period, station=station, want_docx=True, by=director)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


@pytest.fixture
def h2(org):
    cases = [make_case(accepted_on=D(2025, 8, 1)), make_case(accepted_on=D(2025, 11, 3))]
    ConsultationFactory(occurred_at=dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC), person_count=4)
    return cases


@freeze_time(TODAY)
def test_a_submitted_report_keeps_its_figures_files_and_records(h2, director):
    run = built("2025H2", director)
    assert run.figures["cases.accepted"] == "2" and run.xlsx_sha256 and run.docx_sha256
    report_run_submit(run=run, by=director)
    run.refresh_from_db()
    assert run.submitted_by == director and run.submitted_at is not None
    frozen = {f.code: f for f in run.submitted_figures.all()}
    assert set(ind.CODES) <= set(frozen)
    assert frozen["cases.accepted"].value == "2"
    assert sorted(frozen["cases.accepted"].records) == sorted(c.pk for c in h2)
    assert frozen["rate.closure"].records is None  # a rate counts no records of its own
    original = run.xlsx.open("rb").read()
    run.xlsx.close()

    # Later a case of July is recorded late, and another is found to be a duplicate entry (moved to 2026).
    late = make_case(accepted_on=D(2025, 7, 20))
    type(h2[1]).objects.filter(pk=h2[1].pk).update(accepted_on=D(2026, 1, 2))
    rebuilt = built("2025H2", director)
    # One in, one out: the count is what was submitted, so no figure of cases accepted differs.
    assert late.number not in str(rebuilt.differences)
    assert "cases.accepted" not in {d["code"] for d in rebuilt.differences}
    sheet = openpyxl.load_workbook(rebuilt.xlsx.path)["与上报版本差异"]
    assert sheet.max_row >= HEADER_ROW + 1

    # The submitted version is still served byte for byte.
    run.refresh_from_db()
    assert verify_files(run)
    assert run.xlsx.open("rb").read() == original
    run.xlsx.close()


@freeze_time(TODAY)
def test_a_rebuild_names_the_records_that_came_and_went(h2, director, client_for):
    run = built("2025H2", director)
    report_run_submit(run=run, by=director)
    late = make_case(accepted_on=D(2025, 7, 20), category="criminal", stage="trial", aid_form="criminal_defence",
                     cause="theft")
    rebuilt = built("2025H2", director)
    diffs = {d["code"]: d for d in rebuilt.differences}
    assert (diffs["cases.accepted"]["submitted"], diffs["cases.accepted"]["now"]) == ("2", "3")
    change = {c["code"]: c for c in diffs["cases.accepted"]["changes"]}["cases.accepted"]
    assert change["added"] == 1 and change["added_labels"] == [late.number] and change["removed"] == 0
    assert "cases.accepted.criminal" in diffs and "consultations.total" not in diffs
    rows = list(openpyxl.load_workbook(rebuilt.xlsx.path)["与上报版本差异"].iter_rows(values_only=True))
    assert any(r[0] == "cases.accepted" and r[3] == 2 and r[4] == 3 for r in rows)  # numbers, not text
    assert any(r[5] and late.number in r[5] for r in rows)
    page = client_for("director").get(f"/reports/runs/{rebuilt.pk}/").content.decode()
    assert 'data-testid="differences"' in page and late.number in page
    # The submitted version itself never changes.
    assert SubmittedFigure.objects.get(run=run, code="cases.accepted").value == "2"


@freeze_time(TODAY)
def test_what_cannot_be_submitted_gets_a_reason(h2, director, clerk):
    running = built("2026-01-01:2026-01-10", director)
    with pytest.raises(ValidationError, match="半年|half-year"):
        report_run_submit(run=running, by=director)
    run = built("2025H2", director)
    with pytest.raises(PermissionDenied):
        report_run_submit(run=run, by=clerk)
    make_case(accepted_on=D(2025, 12, 1))  # the data changed after the build
    with pytest.raises(ValidationError, match="重新生成|build it again"):
        report_run_submit(run=run, by=director)
    again = built("2025H2", director)
    report_run_submit(run=again, by=director)
    third = built("2025H2", director)
    with pytest.raises(ValidationError):
        report_run_submit(run=third, by=director)  # one submitted version per period
    assert ReportRun.objects.filter(submitted_at__isnull=False).count() == 1


@freeze_time(TODAY)
def test_the_director_submits_in_the_browser_and_nobody_can_alter_it(h2, director, client_for, admin_user):
    run = built("2025H2", director)
    c = client_for("director")
    page = c.get(f"/reports/runs/{run.pk}/").content.decode()
    assert 'data-testid="submit-report"' in page
    response = c.post(f"/reports/runs/{run.pk}/submit/", follow=True)
    assert "已上报" in response.content.decode() or "Submitted" in response.content.decode()
    run.refresh_from_db()
    assert run.submitted_at is not None
    assert client_for("clerk").post(f"/reports/runs/{run.pk}/submit/").status_code == 403
    # Retrying or rebuilding does not touch it; the admin can neither change nor delete it.
    assert c.post(f"/reports/runs/{run.pk}/retry/").status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and run.submitted_at is not None
    admin = client_for("admin")
    assert admin.post(f"/admin/reports/reportrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ReportRun.objects.filter(pk=run.pk).exists()
    response = admin.post(f"/admin/reports/reportrun/{run.pk}/change/", {"period": "2024", "status": "failed"})
    run.refresh_from_db()
    assert run.period == "2025H2" and run.status == "done"
