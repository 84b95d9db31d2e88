"""The director keeps the holiday calendar in the admin, in a real browser (issue 16): a 2026 day changed, next
year entered with its notice, and the deadlines computed right after use both."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from core import holidays
from core.deadlines import add_period, is_working_day


def _first(weekday: int, year: int) -> date:
    day = date(year, 1, 5)
    while day.weekday() != weekday:
        day = day.replace(day=day.day + 1)
    return day


@pytest.mark.browser
def test_the_director_edits_the_holiday_calendar_and_the_next_deadline_uses_it(
        org, live_server, page, login, screenshot):
    holidays.holidays_import()  # a flushed database has lost the rows the migration imported
    next_year = holidays.package_years()[-1] + 1
    today = timezone.localdate()
    warned = today.month >= 11 and today.year + 1 == next_year

    login(page, "director")
    page.goto(f"{live_server.url}/reports/")
    assert (page.get_by_test_id("holiday-warning").count() == 1) is warned
    if warned:
        assert f"{next_year}年的节假日安排尚未录入" in page.get_by_test_id("holiday-warning").inner_text()
        screenshot(page, "holidays-dashboard-warning")

    # The days of 2026, filtered by year and kind, with their notice.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="节假日与调休上班日").first.click()
    page.wait_for_url("**/admin/core/calendarday/")
    page.locator("#changelist-filter a", has_text="2026年节假日安排").click()
    page.wait_for_url("**year__id__exact=**")
    page.locator("#changelist-filter a", has_text="放假").first.click()
    page.wait_for_url("**kind__exact=holiday**")
    assert "国办发明电〔2025〕7号" in page.locator("#result_list").inner_text()
    screenshot(page, "holidays-admin-days-2026")

    # Saturday 21 February 2026, inside the Spring Festival, becomes a working day.
    assert add_period(date(2026, 2, 18), 3, "calendar") == date(2026, 2, 24)
    page.locator("#result_list a", has_text="2026-02-21").click()
    page.wait_for_url("**/change/**")
    page.select_option("select[name=kind]", "workday")
    screenshot(page, "holidays-admin-day-change")
    page.click("input[name=_save]")
    page.wait_for_url("**kind__exact=holiday**")
    row = page.locator("#result_list tr", has_text="2026-02-21")
    assert row.count() == 0  # no longer a holiday: out of the filtered list
    assert is_working_day(date(2026, 2, 21))
    assert add_period(date(2026, 2, 18), 3, "calendar") == date(2026, 2, 21)

    # Next year, as the State Council announced it: the notice and its days on one page.
    page.goto(f"{live_server.url}/admin/core/calendaryear/add/?year={next_year}")
    assert page.input_value("input[name=year]") == str(next_year)
    page.fill("input[name=source]", f"国办发明电〔{next_year - 1}〕9号")
    holiday, worked = _first(0, next_year), _first(5, next_year)
    page.fill("input[name='days-0-date']", holiday.isoformat())
    page.select_option("select[name='days-0-kind']", "holiday")
    page.fill("input[name='days-0-name']", "元旦")
    page.fill("input[name='days-1-date']", worked.isoformat())
    page.select_option("select[name='days-1-kind']", "workday")
    page.fill("input[name='days-1-name']", "元旦")
    screenshot(page, "holidays-admin-year-add")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/core/calendaryear/")
    assert f"{next_year}" in page.locator("#result_list").inner_text()
    assert page.get_by_test_id("holiday-warning").count() == 0
    screenshot(page, "holidays-admin-years")
    assert holidays.is_known(next_year)
    assert not is_working_day(holiday) and is_working_day(worked)

    page.goto(f"{live_server.url}/reports/")
    assert page.get_by_test_id("holiday-warning").count() == 0
