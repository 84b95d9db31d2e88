"""Issue 16, item 2 in a real browser: one criminal case through 侦查 → 审查起诉 → 审判, each stage with its
own date and notice, then a correction of the case (outside the county, amount) kept in its history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.browser


def _record_stage(pg, stage: str, on, organ: str, organ_name: str, number: str):
    pg.locator("[data-testid=change-stage]").click()
    pg.wait_for_load_state("networkidle")
    pg.select_option("select[name=to_stage]", stage)
    pg.fill("input[name=on]", f"{on:%Y-%m-%d}")
    pg.select_option("select[name=organ]", organ)
    pg.fill("input[name=organ_name]", organ_name)
    pg.fill("input[name=notice_number]", number)
    pg.fill("input[name=notice_received_on]", f"{on:%Y-%m-%d}")


def test_a_criminal_case_goes_through_three_stages_with_their_notices(live_server, screenshot, org, clerk, page_for):
    from cases import services
    from cases.models import Case

    today = timezone.localdate()
    accepted = today - timedelta(days=20)
    notice = CriminalNoticeFactory(organ="police", organ_name="示范县公安局", stage="investigation", ground="other",
                                   received_on=accepted, notice_number="示公通〔2025〕5号")
    case = make_case(category="criminal", source="notice", notice=notice, organ="police", stage="investigation",
                     aid_form="criminal_defence", role="defence", cause="theft", accepted_on=accepted,
                     recipient=notice.person, station=org["stations"]["station-a"])
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=accepted + timedelta(days=1), by=clerk)
    url = f"{live_server.url}/cases/{case.pk}/"

    # the handler: the case is at 侦查; moving to 审查起诉 dated before the acceptance is refused
    pg = page_for("handler")
    pg.goto(url)
    assert pg.locator("[data-testid=case-stage]").inner_text() == "侦查"
    assert "受理时" in pg.locator("[data-testid=stage-history]").inner_text()
    screenshot(pg, "stages-01-investigation")
    _record_stage(pg, "prosecution", accepted - timedelta(days=1), "procuratorate", "示范县人民检察院",
                  "示检通〔2025〕12号")
    pg.click("form.card button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert f"新阶段的日期不能早于{accepted:%Y-%m-%d}" in pg.locator("form.card").inner_text()
    screenshot(pg, "stages-02-date-refused")
    pg.fill("input[name=on]", f"{today - timedelta(days=10):%Y-%m-%d}")
    pg.fill("input[name=notice_received_on]", f"{today - timedelta(days=10):%Y-%m-%d}")
    pg.click("form.card button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert pg.locator("[data-testid=case-stage]").inner_text() == "审查起诉"
    history = pg.locator("[data-testid=stage-history]").inner_text()
    assert "示检通〔2025〕12号" in history and f"{today - timedelta(days=10):%Y-%m-%d}" in history
    screenshot(pg, "stages-03-prosecution")
    pg.context.close()

    # the clerk records the trial stage with the court's notice
    pg = page_for("clerk")
    pg.goto(url)
    _record_stage(pg, "trial", today - timedelta(days=2), "court", "示范县人民法院", "示法通〔2025〕7号")
    pg.fill("textarea[name=note]", "检察院已提起公诉")
    screenshot(pg, "stages-04-trial-form")
    pg.click("form.card button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert pg.locator("[data-testid=case-stage]").inner_text() == "审判"
    rows = pg.locator("[data-testid=stage-history] tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).locator("td").first.inner_text().split()[0] for i in range(3)] == ["侦查", "审查起诉", "审判"]
    assert "示法通〔2025〕7号" in rows.nth(2).inner_text() and "检察院已提起公诉" in rows.nth(2).inner_text()
    # the court is told who defends: the trial's 公函 (Art. 36), printed from the case and recorded as sent
    trial_letter = rows.nth(2).locator("[data-testid=stage-letter]")
    assert "援函字" in trial_letter.inner_text() and "发出期限" in trial_letter.inner_text()
    with pg.expect_popup() as popup:
        pg.locator("a", has_text="法律援助公函（审判）").click()
    printed = popup.value
    printed.wait_for_load_state()
    assert "示范县人民法院" in printed.locator("body").inner_text()
    screenshot(printed, "stages-04b-trial-letter")
    printed.close()
    trial_letter.locator("button[type=submit]").click()
    pg.wait_for_load_state("networkidle")
    assert f"已于{today:%Y-%m-%d}发出" in pg.locator("[data-testid=stage-history] tbody tr").nth(2).inner_text()

    # then corrects the case: handled outside the county, with the amount in dispute
    pg.locator("[data-testid=edit-case]").click()
    pg.wait_for_load_state("networkidle")
    pg.check("input[name=outside_county]")
    pg.fill("input[name=opposing_party]", "被害人王某")
    pg.fill("textarea[name=reason]", "案件移送市中级人民法院审理")
    assert pg.locator("select[name=aid_form]").count() == 1  # center staff also correct the aid form and role
    screenshot(pg, "stages-05-edit-form")
    pg.click("form.card button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert pg.locator("[data-testid=outside-county]").inner_text() == "是"
    corrections = pg.locator("[data-testid=corrections]").inner_text()
    assert "案件移送市中级人民法院审理" in corrections and "被害人王某" in corrections
    screenshot(pg, "stages-06-trial-and-correction")
    pg.context.close()

    case.refresh_from_db()
    assert (case.stage, case.stage_at_acceptance, case.outside_county) == ("trial", "investigation", True)
    assert Case.objects.filter(pk=case.pk, stage_changes__isnull=False).count() == 2
