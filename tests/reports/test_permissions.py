"""Every URL of reports × every persona."""

from __future__ import annotations

import pytest

from reports.builder import build
from reports.models import ReportRun, Target
from reports.periods import parse_period
from tests.permission_table import check, expect


@pytest.fixture
def done_run(org, director, tmp_path):
    from django.core.files import File

    run = ReportRun.objects.create(period="2025", start=parse_period("2025").start, end=parse_period("2025").end,
                                   requested_by=director, status="done", progress=100)
    out = tmp_path / "r.xlsx"
    build(parse_period("2025"), xlsx_path=out)
    with open(out, "rb") as fh:
        run.xlsx.save("r.xlsx", File(fh))
    return run


@pytest.fixture
def target(org):
    return Target.objects.create(year=2025, code="cases.accepted", value=100)


DASHBOARD = expect(200, clerk=403, reviewer=403, handler=403)
DIRECTOR_ONLY = expect(403, admin=200, director=200)


def test_dashboard_permissions(client_for):
    assert check(client_for, "GET", "/reports/", DASHBOARD) == []  # "reports:dashboard"


def test_report_list_permissions(client_for):
    assert check(client_for, "GET", "/reports/runs/", DIRECTOR_ONLY) == []  # "reports:run_list"


def test_report_run_pages_permissions(client_for, done_run):
    pk = done_run.pk
    assert check(client_for, "GET", f"/reports/runs/{pk}/", DIRECTOR_ONLY) == []  # "reports:run_detail"
    assert check(client_for, "GET", f"/reports/runs/{pk}/status/", DIRECTOR_ONLY) == []  # "reports:run_status"
    assert check(client_for, "GET", f"/reports/runs/{pk}/download/xlsx/", DIRECTOR_ONLY) == []  # "reports:run_download"
    # Retrying a run that is done changes nothing and goes back to the run.
    assert check(client_for, "POST", f"/reports/runs/{pk}/retry/",  # "reports:run_retry"
                 expect(403, admin=302, director=302)) == []


def test_missing_run_or_file_is_404(client_for, done_run):
    director = client_for("director")
    assert director.get("/reports/runs/99999/").status_code == 404
    assert director.get(f"/reports/runs/{done_run.pk}/download/docx/").status_code == 404  # no Word draft asked
    assert director.get(f"/reports/runs/{done_run.pk}/download/pdf/").status_code == 404


def test_targets_permissions(client_for, target):
    assert check(client_for, "GET", "/reports/targets/", DIRECTOR_ONLY) == []  # "reports:target_list"
    assert check(client_for, "GET", f"/reports/targets/{target.pk}/", DIRECTOR_ONLY) == []  # "reports:target_edit"


def test_outsider_sees_nothing(client, outsider, done_run):
    client.force_login(outsider)
    for url in ["/reports/", "/reports/runs/", f"/reports/runs/{done_run.pk}/",
                f"/reports/runs/{done_run.pk}/download/xlsx/", "/reports/targets/"]:
        assert client.get(url).status_code == 403, url
