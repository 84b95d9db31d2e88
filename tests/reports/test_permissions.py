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


# The administrator keeps users, stations and configuration (DOMAIN.md §2): no figures, reports or targets.
DASHBOARD = expect(200, admin=403, clerk=403, reviewer=403, handler=403)
DIRECTOR_ONLY = expect(403, director=200)


# (url name, method, path — {run} and {target} are filled in —, expected status per persona)
TABLE = [
    ("reports:dashboard", "GET", "/reports/", DASHBOARD),
    ("reports:figure", "GET", "/reports/figures/cases.accepted/", DASHBOARD),
    ("reports:run_list", "GET", "/reports/runs/", DIRECTOR_ONLY),
    ("reports:run_detail", "GET", "/reports/runs/{run}/", DIRECTOR_ONLY),
    ("reports:run_status", "GET", "/reports/runs/{run}/status/", DIRECTOR_ONLY),
    ("reports:run_download", "GET", "/reports/runs/{run}/download/xlsx/", DIRECTOR_ONLY),
    # Retrying a run that is done changes nothing and goes back to the run.
    ("reports:run_retry", "POST", "/reports/runs/{run}/retry/", expect(403, director=302)),
    # Submitting this run is refused with a message (it was built without recorded figures): back to the run.
    ("reports:run_submit", "POST", "/reports/runs/{run}/submit/", expect(403, director=302)),
    ("reports:target_list", "GET", "/reports/targets/", DIRECTOR_ONLY),
    ("reports:target_edit", "GET", "/reports/targets/{target}/", DIRECTOR_ONLY),
]


@pytest.mark.parametrize("name,method,path,expected", TABLE, ids=[row[0] for row in TABLE])
def test_reports_urls_answer_each_persona_as_the_table_says(client_for, done_run, target, name, method, path,
                                                             expected):
    from django.urls import reverse

    url = path.format(run=done_run.pk, target=target.pk)
    kwargs = {"pk": done_run.pk} if "{run}" in path else {"pk": target.pk} if "{target}" in path else {}
    if name == "reports:figure":
        kwargs = {"code": "cases.accepted"}
    if name == "reports:run_download":
        kwargs["kind"] = "xlsx"
    assert reverse(name, kwargs=kwargs) == url
    assert check(client_for, method, url, expected) == []


def test_missing_run_or_file_is_404(client_for, done_run):
    director = client_for("director")
    assert director.get("/reports/runs/99999/").status_code == 404
    assert director.get(f"/reports/runs/{done_run.pk}/download/docx/").status_code == 404  # no Word draft asked
    assert director.get(f"/reports/runs/{done_run.pk}/download/pdf/").status_code == 404


def test_outsider_sees_nothing(client, outsider, done_run):
    client.force_login(outsider)
    for url in ["/reports/", "/reports/figures/cases.accepted/", "/reports/runs/", f"/reports/runs/{done_run.pk}/",
                f"/reports/runs/{done_run.pk}/download/xlsx/", "/reports/targets/"]:
        assert client.get(url).status_code == 403, url
