"""Report runs through the web, the dashboard against the report, targets."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
from django.core.files.base import ContentFile
from freezegun import freeze_time

from reports import indicators as ind
from reports.builder import HEADER_ROW
from reports.dashboard import dashboard_period
from reports.models import ReportRun, Target
from reports.periods import parse_period
from reports.services import report_run_execute, scheduled_reports
from tests.helpers import queries_for


def _download(client, url) -> openpyxl.Workbook:
    response = client.get(url)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_director_requests_a_report_which_is_built_and_downloaded(client_for, data, django_capture_on_commit_callbacks):
    c = client_for("director")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/reports/runs/", {"preset": "", "period": "2025H1", "station": "", "want_docx": "on"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/runs/{run.pk}/"
    assert run.status == "done" and run.progress == 100 and run.requested_by.username == "director"
    assert (run.start, run.end) == (date(2025, 1, 1), date(2025, 6, 30))
    wb = _download(c, f"/reports/runs/{run.pk}/download/xlsx/")
    values = {r[0]: r[3] for r in wb["指标"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert values["cases.accepted"] == 6 and values["services.total"] == 25
    docx = c.get(f"/reports/runs/{run.pk}/download/docx/")
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    page = c.get(f"/reports/runs/{run.pk}/").content.decode()
    assert "download-xlsx" in page
    # The stored file lives under MEDIA_ROOT, never under a public URL.
    assert run.xlsx.path.startswith(str(__import__("django.conf").conf.settings.MEDIA_ROOT))


def test_a_bad_period_is_shown_on_the_form_and_nothing_is_queued(client_for, org):
    response = client_for("director").post("/reports/runs/", {"period": "2025H3", "want_docx": "on"})
    assert response.status_code == 200
    assert "2025H3" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_a_failed_run_shows_the_reason_and_can_be_retried(client_for, director, org, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    from reports import builder

    def boom(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(builder, "build", boom)
    c = client_for("director")
    with django_capture_on_commit_callbacks(execute=True):
        c.post("/reports/runs/", {"period": "2025", "want_docx": "on"})
    run = ReportRun.objects.get()
    assert run.status == "failed" and "磁盘已满" in run.error and not run.xlsx
    page = c.get(f"/reports/runs/{run.pk}/status/").content.decode()
    assert "磁盘已满" in page and "retry" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(f"/reports/runs/{run.pk}/retry/").status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and run.xlsx and run.error == ""


def test_a_running_run_polls_every_two_seconds_and_a_done_one_stops(client_for, director, org):
    run = ReportRun.objects.create(period="2025", start=date(2025, 1, 1), end=date(2025, 12, 31),
                                   requested_by=director, status="running", progress=40)
    page = client_for("director").get(f"/reports/runs/{run.pk}/status/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "40%" in page
    run.status = "done"
    run.save()
    page = client_for("director").get(f"/reports/runs/{run.pk}/status/").content.decode()
    assert "every 2s" not in page


def test_the_task_re_checks_the_requesters_permission(director, org):
    run = ReportRun.objects.create(period="2025", start=date(2025, 1, 1), end=date(2025, 12, 31),
                                   requested_by=director)
    director.groups.clear()
    director.is_superuser = False
    director.save()
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and not run.xlsx


def test_a_done_file_is_never_replaced_by_a_half_written_one(director, org, monkeypatch):
    run = ReportRun.objects.create(period="2025", start=date(2025, 1, 1), end=date(2025, 12, 31),
                                   requested_by=director)
    from reports import builder

    def half(data, path):
        with open(path, "wb") as fh:
            fh.write(b"PK half")
        raise OSError("interrupted")

    monkeypatch.setattr(builder, "write_workbook", half)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and not run.xlsx


@freeze_time("2026-07-01 02:00:00+08:00")
def test_beat_builds_the_half_year_report_on_1_july_for_the_county_and_each_station(
        org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        runs = scheduled_reports(today=date(2026, 7, 1))
    assert {r.period for r in runs} == {"2026H1"}
    assert len(runs) == 1 + 3  # county + the three active stations
    assert all(r.scheduled and r.requested_by is None for r in runs)
    assert set(ReportRun.objects.values_list("status", flat=True)) == {"done"}
    assert scheduled_reports(today=date(2026, 7, 1)) == []  # beat firing twice makes no duplicates


def test_beat_builds_last_years_annual_report_on_1_january(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        runs = scheduled_reports(today=date(2026, 1, 1))
    assert {r.period for r in runs} == {"2025"}
    assert scheduled_reports(today=date(2026, 3, 1)) == []


def test_a_scheduled_report_missed_on_its_day_is_made_up_within_the_month(org, django_capture_on_commit_callbacks):
    """§11: built by beat on 1 July and 1 January; a server that was off on 1 July builds the half-year report
    on the next day it runs, once, and not months later."""
    from django.conf import settings

    assert scheduled_reports(today=date(2026, 6, 30)) == []
    with django_capture_on_commit_callbacks(execute=True):
        runs = scheduled_reports(today=date(2026, 7, 3))
    assert {r.period for r in runs} == {"2026H1"} and len(runs) == 1 + 3
    assert scheduled_reports(today=date(2026, 7, 4)) == []
    assert scheduled_reports(today=date(2026, 9, 1)) == []
    beat = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "reports.scheduled_reports"]
    assert len(beat) == 1 and beat[0]["schedule"].day_of_month == set(range(1, 32))  # asked daily


def test_scheduled_task_name_is_the_beat_contract():
    from reports.tasks import scheduled_reports as task

    assert task.name == "reports.scheduled_reports"


def test_directors_see_report_runs_on_their_home_page(client_for, org):
    ReportRun.objects.create(period="2025", start=date(2025, 1, 1), end=date(2025, 12, 31), scheduled=True)
    from django.test import RequestFactory

    from core.registry import home_panels

    request = RequestFactory().get("/")
    request.user = org["users"]["director"]
    from reports.home import panels

    titles = [str(p.title) for p in panels(request)]
    assert len(titles) == 2
    request.user = org["users"]["staff_a"]
    assert len(panels(request)) == 1  # figures of the station, no report runs
    assert home_panels  # the shell collects them


@freeze_time("2025-06-30 12:00:00+08:00")
def test_dashboard_figures_equal_the_reports(client_for, data, station_a):
    response = client_for("director").get("/reports/")
    assert response.status_code == 200
    p = dashboard_period(2025, date(2025, 6, 30))
    values = ind.compute(p)
    assert values == ind.compute(parse_period("2025H1"))  # year to 30 June = the half-year report
    for f in response.context["figures"]:
        assert f["value"] == values[f["code"]], f["code"]
    html = response.content.decode()
    assert 'data-code="cases.accepted">6<' in html


@freeze_time("2025-06-30 12:00:00+08:00")
def test_station_staff_see_their_station_only(client_for, data, station_a, station_b):
    response = client_for("staff_a").get(f"/reports/?station={station_b.pk}")
    assert response.context["station"] == station_a
    assert response.context["comparison"] is None
    figures = {f["code"]: f["value"] for f in response.context["figures"]}
    assert figures == ind.compute(parse_period("2025H1"), station_a)


@freeze_time("2025-06-30 12:00:00+08:00")
def test_dashboard_figures_link_to_the_filtered_lists(client_for, data):
    response = client_for("director").get("/reports/")
    urls = {f["code"]: f["url"] for f in response.context["figures"]}
    # The year has not ended on 30 June: the links carry the day the figures were taken.
    assert urls["cases.accepted"] == "/reports/figures/cases.accepted/?period=2025&as_of=2025-06-30"
    assert urls["cases.accepted.group.minor"].startswith("/reports/figures/cases.accepted.group.minor/")
    listed = client_for("director").get(urls["cases.accepted"]).context
    assert listed["sections"][0].total == 6 and listed["period"] == response.context["period"]
    rows = response.context["comparison"]
    assert sum(r["accepted"] for r in rows) == 6
    assert sum(r["consultations"] for r in rows) == 11


def test_dashboard_query_count_is_fixed(client_for, data):
    c = client_for("director")
    assert queries_for(c, "/reports/") <= 70
    assert c.get("/reports/").context["key"]


@freeze_time("2025-04-01 12:00:00+08:00")
def test_director_sets_a_target_and_sees_completion_and_projection(client_for, data):
    c = client_for("director")
    response = c.post("/reports/targets/", {"year": 2025, "code": "cases.accepted", "station": "", "value": "24"})
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.value == Decimal("24")
    # Saving again for the same year, indicator and station updates the target.
    c.post("/reports/targets/", {"year": 2025, "code": "cases.accepted", "station": "", "value": "20"})
    assert Target.objects.get().value == Decimal("20")
    rows = c.get("/reports/targets/?year=2025").context["rows"]
    (row,) = rows
    # 1 Jan–1 Apr: c1, c5, c6, c7 accepted = 4; 91 days elapsed of 365.
    assert row["value"] == 4
    assert row["completion"] == 20.0
    assert row["projection"] == Decimal("16.0")  # 4 / 91 × 365 = 16.04
    assert row["projected_completion"] == 80.0


def test_a_target_for_an_unknown_indicator_is_refused(client_for, org):
    response = client_for("director").post("/reports/targets/", {"year": 2025, "code": "nope", "value": "1"})
    assert response.status_code == 200 and not Target.objects.exists()


def test_report_file_download_has_a_chinese_file_name(client_for, director, org):
    run = ReportRun.objects.create(period="2025H1", start=date(2025, 1, 1), end=date(2025, 6, 30),
                                   requested_by=director, status="done")
    run.xlsx.save("x.xlsx", ContentFile(b"PK"))
    response = client_for("director").get(f"/reports/runs/{run.pk}/download/xlsx/")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "%E4%B8%8A%E5%8D%8A%E5%B9%B4" in response["Content-Disposition"]  # 上半年


def test_report_list_takes_a_fixed_number_of_queries(client_for, director, org):
    def make(n):
        for i in range(n):
            ReportRun.objects.create(period="2025", start=date(2025, 1, 1), end=date(2025, 12, 31),
                                     requested_by=director if i % 2 else None, scheduled=not i % 2)

    c = client_for("director")
    make(2)
    few = queries_for(c, "/reports/runs/")
    make(30)
    assert queries_for(c, "/reports/runs/") == few
    response = c.get("/reports/runs/")
    assert response.status_code == 200 and len(response.context["runs"]) == 25


def test_target_admin_offers_the_indicator_list(client_for, org):
    response = client_for("superuser").get("/admin/reports/target/add/")
    assert response.status_code == 200
    assert "cases.accepted" in response.content.decode() and "受理案件" in response.content.decode()


def test_demo_seed_sets_targets_and_a_finished_report_once(org):
    import random
    from io import StringIO

    from reports.demo import seed

    out = StringIO()
    seed(rng=random.Random(1), stdout=out)
    assert Target.objects.filter(code="cases.accepted", station__isnull=True).exists()
    assert ReportRun.objects.get().status == "done"
    seed(rng=random.Random(1), stdout=out)
    assert ReportRun.objects.count() == 1 and "already seeded" in out.getvalue()


@freeze_time("2025-06-30 12:00:00+08:00")
def test_a_province_dashboard_compares_the_busiest_stations(client_for, data, monkeypatch):
    """Thousands of stations: the center's row and the stations with most cases, and a link to them all."""
    from reports import dashboard

    full = client_for("director").get("/reports/").context["comparison"]
    assert len(full) >= 3
    monkeypatch.setattr(dashboard, "COMPARISON_ROWS", 2)
    response = client_for("director").get("/reports/")
    rows = response.context["comparison"]
    assert rows[0]["name"] == full[0]["name"] and len(rows) == 2
    assert rows[1]["accepted"] == max(r["accepted"] for r in full[1:])
    assert response.context["comparison_total"] == len(full)
    html = response.content.decode()
    assert f"共 {len(full)} 行，显示 2 行" in html and 'href="/stations/"' in html


def test_targets_are_written_by_the_service_with_who_did_it(client_for, director, clerk, org):
    from django.core.exceptions import PermissionDenied, ValidationError

    from reports.services import target_set, target_update

    first = target_set(year=2025, code="cases.accepted", station=None, value=Decimal("10"), by=director)
    again = target_set(year=2025, code="cases.accepted", station=None, value=Decimal("12"), by=director)
    assert again.pk == first.pk and Target.objects.get(pk=first.pk).value == Decimal("12")
    assert again.history.latest("history_id").history_user == director
    other = target_set(year=2025, code="services.total", station=None, value=Decimal("5"), by=director)
    other.code = "cases.accepted"
    try:
        target_update(target=other, by=director)
    except ValidationError as exc:
        assert "already has a target" in " ".join(exc.messages) or "已有目标" in " ".join(exc.messages)
    else:
        raise AssertionError("a second target of one indicator, year and station was saved")
    try:
        target_set(year=2025, code="cases.accepted", station=None, value=Decimal("1"), by=clerk)
    except PermissionDenied:
        pass
    else:
        raise AssertionError("a clerk set a target")
    response = client_for("director").post(f"/reports/targets/{other.pk}/", {
        "year": 2025, "code": "cases.accepted", "station": "", "value": "5"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
