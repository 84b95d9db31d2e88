"""Art. 49 in a real browser: a termination objected to at the window, overturned by the justice bureau, and
the aid resumed with the handler it had — the reviewer sees it on the workbench in between."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser


def _open(pg, testid: str):
    pg.locator(f"[data-testid={testid}]").click()
    pg.wait_for_load_state("networkidle")


def _save(pg):
    pg.click("form.card button[type=submit]")
    pg.wait_for_load_state("networkidle")


def test_an_overturned_termination_is_corrected_and_the_aid_resumes(live_server, screenshot, org, clerk, reviewer,
                                                                    page_for):
    from cases import services
    from cases.models import Case
    from tests.factories import make_case

    today = timezone.localdate()
    case = make_case(accepted_on=today - timedelta(days=20), station=org["stations"]["station-a"])
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=today - timedelta(days=19), by=clerk)
    services.case_terminate(case=case, reason="fraud", on=today - timedelta(days=6), by=reviewer,
                            note="受援人隐瞒收入")
    url = f"{live_server.url}/cases/{case.pk}/"

    # the clerk records the objection; a day before the termination is refused with a message
    pg = page_for("clerk")
    pg.goto(url)
    _open(pg, "record-objection")
    pg.fill("input[name=filed_on]", f"{today - timedelta(days=7):%Y-%m-%d}")
    pg.fill("textarea[name=grounds]", "受援人称已如实申报收入")
    _save(pg)
    assert "异议收到日期不能早于终止日期" in pg.locator("body").inner_text()
    screenshot(pg, "objection-01-date-refused")
    pg.fill("input[name=filed_on]", f"{today - timedelta(days=3):%Y-%m-%d}")
    _save(pg)
    table = pg.locator("[data-testid=termination-objections]").inner_text()
    assert "受援人称已如实申报收入" in table and "待决定" in table
    assert pg.locator("[data-testid=record-objection]").count() == 0  # one objection per termination
    screenshot(pg, "objection-02-recorded")
    pg.context.close()

    # the reviewer finds it on the workbench, records the bureau's decision, then resumes the aid
    pg = page_for("reviewer")
    pg.goto(f"{live_server.url}/")
    assert "对终止决定的异议" in pg.locator("body").inner_text()
    pg.goto(url)
    assert "异议待司法行政部门决定（5日内）" in pg.locator("[data-testid=next-step]").inner_text()
    _open(pg, "objection-outcome")
    pg.select_option("select[name=outcome]", "overturned")
    pg.fill("input[name=decided_on]", f"{today - timedelta(days=1):%Y-%m-%d}")
    screenshot(pg, "objection-03-decision-form")
    _save(pg)
    assert "请恢复法律援助" in pg.locator("[data-testid=next-step]").inner_text()
    _open(pg, "resume")
    pg.fill("textarea[name=note]", "按司法局决定改正")
    _save(pg)
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED and case.terminated_on is None
    assert "进行中" in pg.locator("body").inner_text()
    table = pg.locator("[data-testid=termination-objections]").inner_text()
    assert "责令改正终止决定" in table and f"{today:%Y-%m-%d}" in table
    screenshot(pg, "objection-04-resumed")
