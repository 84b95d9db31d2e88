"""The center's holiday calendar (issue 16): a table imported from chinesecalendar, edited in the admin, read by
every deadline, and a warning in November and December when next year is missing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from core import holidays
from core.deadlines import add_period, due_date, is_working_day
from core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    """The package's years in the table (the migration put them there; a flushed database has lost them)."""
    holidays.holidays_import()
    holidays.forget()


def _admin_day(client, day: date) -> str:
    return f"/admin/core/calendarday/{CalendarDay.objects.get(date=day).pk}/change/"


def _post_day(client, url: str, *, day: date, kind: str, name: str, source: str = ""):
    return client.post(url, {"date": day.isoformat(), "kind": kind, "name": name, "source": source})


def _last_year_the_package_knows() -> int:
    return holidays.package_years()[-1]


# --- The 2026 arrangement (国办发明电〔2025〕7号) ------------------------------------------------------------

def test_the_2026_arrangement_is_in_the_table_as_the_package_has_it(calendar):
    rows = {(d.date, d.kind, d.name) for d in CalendarDay.objects.filter(date__year=2026)}
    assert rows == set(holidays.package_days({2026}))
    year = CalendarYear.objects.get(year=2026)
    assert year.source == "国办发明电〔2025〕7号"
    assert holidays.is_known(2026)


def test_an_application_received_on_12_february_2026_is_not_due_inside_the_spring_festival(calendar):
    # 12 Feb + 3 days = Sunday 15 Feb, first day of the 15–23 February holiday: due Tuesday 24 Feb.
    assert all(not is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert add_period(date(2026, 2, 12), 3, "calendar") == date(2026, 2, 24)
    assert due_date("case_assign", date(2026, 2, 12)) == date(2026, 2, 24)


def test_the_make_up_working_days_of_2026_count_as_working_days(calendar):
    make_up = sorted(CalendarDay.objects.filter(date__year=2026, kind="workday").values_list("date", flat=True))
    assert make_up == sorted(d for d, kind, _name in holidays.package_days({2026}) if kind == "workday")
    assert date(2026, 2, 14) in make_up and date(2026, 2, 28) in make_up
    for day in make_up:
        assert day.weekday() >= 5 and is_working_day(day)
    # Fri 13 Feb (1), Saturday 14 Feb is worked (2).
    assert add_period(date(2026, 2, 12), 2, "working") == date(2026, 2, 14)
    # A calendar limit that ends on the worked Saturday 28 February stays there.
    assert add_period(date(2026, 2, 25), 3, "calendar") == date(2026, 2, 28)


def test_national_day_2026_moves_limits_and_its_make_up_days_count(calendar):
    assert all(not is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2026, 9, 20)) and is_working_day(date(2026, 10, 10))  # Sunday, Saturday
    # 28 Sep + 3 = 1 October: the first working day after the holiday is Thursday 8 October.
    assert add_period(date(2026, 9, 28), 3, "calendar") == date(2026, 10, 8)
    # From Tue 29 Sep: Wed 30 (1), 1–7 October rest, Thu 8 (2), Fri 9 (3).
    assert add_period(date(2026, 9, 29), 3, "working") == date(2026, 10, 9)
    # From Thu 8 Oct: Fri 9 (1), Saturday 10 October is worked (2).
    assert add_period(date(2026, 10, 8), 2, "working") == date(2026, 10, 10)


# --- Edits in the admin -------------------------------------------------------------------------------------

def test_a_holiday_added_in_the_admin_moves_the_next_deadline_at_once(calendar, client_for):
    assert add_period(date(2026, 3, 5), 5, "calendar") == date(2026, 3, 10)  # the table is read
    client = client_for("admin")
    response = _post_day(client, "/admin/core/calendarday/add/", day=date(2026, 3, 10), kind="holiday",
                         name="县庆", source="示范县人民政府通知")
    assert response.status_code == 302
    assert add_period(date(2026, 3, 5), 5, "calendar") == date(2026, 3, 11)
    added = CalendarDay.objects.get(date=date(2026, 3, 10))
    assert added.origin == "admin" and added.year.year == 2026 and added.notice == "示范县人民政府通知"
    assert added.history.get().history_user.username == "admin"


def test_turning_a_holiday_into_a_make_up_day_in_the_admin_counts_it_at_once(calendar, client_for):
    assert add_period(date(2026, 2, 18), 3, "calendar") == date(2026, 2, 24)
    client = client_for("admin")
    day = date(2026, 2, 21)
    response = _post_day(client, _admin_day(client, day), day=day, kind="workday", name="春节")
    assert response.status_code == 302
    assert is_working_day(day)
    assert add_period(date(2026, 2, 18), 3, "calendar") == day
    assert CalendarDay.objects.get(date=day).origin == "admin"


def test_a_day_cannot_be_added_to_a_year_without_its_arrangement(calendar, client_for):
    response = _post_day(client_for("admin"), "/admin/core/calendarday/add/", day=date(2031, 1, 1),
                         kind="holiday", name="元旦")
    assert response.status_code == 200
    assert "请先在“节假日安排”中新增2031年" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2031, 1, 1)).exists()


def _year_form(year: int, days: list[tuple[str, str, str]]) -> dict:
    data = {"year": year, "source": f"国办发明电〔{year - 1}〕9号", "days-TOTAL_FORMS": len(days),
            "days-INITIAL_FORMS": 0, "days-MIN_NUM_FORMS": 0, "days-MAX_NUM_FORMS": 1000}
    for i, (day, kind, name) in enumerate(days):
        data |= {f"days-{i}-date": day, f"days-{i}-kind": kind, f"days-{i}-name": name}
    return data


def test_a_new_year_is_entered_with_its_notice_and_days_on_one_page(calendar, client_for):
    year = _last_year_the_package_knows() + 1
    client = client_for("director")
    assert not holidays.is_known(year)
    assert client.get(f"/admin/core/calendaryear/add/?year={year}").status_code == 200
    # A day of another year, and a year with no holiday at all, are refused.
    response = client.post("/admin/core/calendaryear/add/", _year_form(year, [(f"{year + 1}-01-01", "holiday", "元旦")]))
    assert response.status_code == 200 and f"该日期不在{year}年内" in response.content.decode()
    response = client.post("/admin/core/calendaryear/add/", _year_form(year, [(f"{year}-01-09", "workday", "元旦")]))
    assert response.status_code == 200 and "请至少列出该年的一个放假日" in response.content.decode()
    monday = date(year, 1, 1)
    while monday.weekday() != 0:
        monday = monday.replace(day=monday.day + 1)
    saturday = monday.replace(day=monday.day + 5)
    response = client.post("/admin/core/calendaryear/add/", _year_form(
        year, [(monday.isoformat(), "holiday", "元旦"), (saturday.isoformat(), "workday", "元旦")]))
    assert response.status_code == 302
    assert holidays.is_known(year)
    assert not is_working_day(monday) and is_working_day(saturday)
    arrangement = CalendarYear.objects.get(year=year)
    assert arrangement.origin == "admin" and set(arrangement.days.values_list("origin", flat=True)) == {"admin"}


def test_a_clerk_cannot_open_the_holiday_calendar_in_the_admin(client_for):
    assert client_for("clerk").get("/admin/core/calendarday/").status_code in (302, 403)


# --- Years the table does not know -------------------------------------------------------------------------

def test_a_year_neither_the_table_nor_the_package_knows_counts_weekends_only(calendar):
    year = _last_year_the_package_knows() + 1
    assert not holidays.is_known(year) and not holidays.package_knows(year)
    friday = date(year, 3, 1)
    while friday.weekday() != 4:
        friday = friday.replace(day=friday.day + 1)
    assert add_period(friday, 1, "calendar") == friday.replace(day=friday.day + 3)  # Saturday → Monday
    assert all(is_working_day(date(year, 10, d)) == (date(year, 10, d).weekday() < 5) for d in range(1, 8))


def test_a_year_missing_from_the_table_falls_back_to_the_package(calendar):
    CalendarDay.objects.filter(date__year=2026).delete()
    assert not holidays.is_known(2026)
    assert add_period(date(2026, 2, 12), 3, "calendar") == date(2026, 2, 24)
    assert is_working_day(date(2026, 2, 14))


def test_a_year_with_make_up_days_only_is_not_known(calendar):
    year = _last_year_the_package_knows() + 1
    arrangement = CalendarYear.objects.create(year=year, source="草稿")
    CalendarDay.objects.create(date=date(year, 2, 6), year=arrangement, kind="workday", name="春节")
    assert not holidays.is_known(year)
    assert is_working_day(date(year, 2, 6))  # what is listed still counts


# --- Other processes and the query count -------------------------------------------------------------------

def test_a_change_committed_elsewhere_is_read_at_the_next_check(calendar):
    assert is_working_day(date(2026, 3, 10))
    # Another process writes without a signal reaching this one, then announces the change.
    arrangement = CalendarYear.objects.get(year=2026)
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2026, 3, 10), year=arrangement, kind="holiday",
                                                 name="县庆")])
    assert is_working_day(date(2026, 3, 10))  # this process still has its copy
    holidays._announce()
    holidays._checked_at -= holidays.RECHECK_SECONDS + 1
    assert not is_working_day(date(2026, 3, 10))


def test_a_copy_is_read_again_after_its_maximum_age_even_without_an_announcement(calendar, monkeypatch):
    assert is_working_day(date(2026, 3, 10))
    arrangement = CalendarYear.objects.get(year=2026)
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2026, 3, 10), year=arrangement, kind="holiday",
                                                 name="县庆")])
    later = holidays._clock() + holidays.RECHECK_SECONDS + 1
    monkeypatch.setattr(holidays, "_clock", lambda: later)
    assert is_working_day(date(2026, 3, 10))  # checked, nothing announced, not old yet
    later += holidays.MAX_AGE_SECONDS
    holidays._checked_at -= holidays.RECHECK_SECONDS + 1
    assert not is_working_day(date(2026, 3, 10))


def test_a_saved_day_announces_itself_to_other_processes_after_the_commit(calendar, admin_user,
                                                                            django_capture_on_commit_callbacks):
    from django.core.cache import caches

    before = caches["shared"].get(holidays.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        day = CalendarDay.objects.get(date=date(2026, 2, 21))
        day.kind = "workday"
        day.save()
        assert caches["shared"].get(holidays.GENERATION_KEY) == before
    assert caches["shared"].get(holidays.GENERATION_KEY) != before


def test_a_hundred_deadlines_read_the_table_once(calendar, django_assert_num_queries):
    starts = [date(2025 + i % 3, 1 + i % 12, 1 + i % 28) for i in range(100)]
    holidays.forget()
    with django_assert_num_queries(1):
        first = [add_period(s, 7, "calendar") for s in starts] + [add_period(s, 5, "working") for s in starts]
    with django_assert_num_queries(0):
        again = [add_period(s, 7, "calendar") for s in starts] + [add_period(s, 5, "working") for s in starts]
    assert first == again


# --- The import command ------------------------------------------------------------------------------------

def test_the_import_is_idempotent_and_keeps_what_an_administrator_changed(calendar, client_for):
    client = client_for("admin")
    edited = date(2026, 2, 21)
    assert _post_day(client, _admin_day(client, edited), day=edited, kind="workday", name="春节").status_code == 302
    deleted = CalendarDay.objects.get(date=date(2026, 5, 9))
    assert client.post(f"/admin/core/calendarday/{deleted.pk}/delete/", {"post": "yes"}).status_code == 302
    # An imported row that differs from the package (an older package's name) is brought up to date.
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="国庆")
    total = CalendarDay.objects.count()

    out = io.StringIO()
    call_command("import_holidays", stdout=out)
    assert "1 days updated" in out.getvalue()
    assert CalendarDay.objects.get(date=edited).kind == "workday"
    assert not CalendarDay.objects.filter(date=date(2026, 5, 9)).exists()
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.count() == total

    counts = holidays.holidays_import()
    assert counts == {"years": 0, "created": 0, "updated": 0, "kept": 1, "skipped": 1}
    assert CalendarDay.objects.count() == total
    assert add_period(date(2026, 2, 18), 3, "calendar") == edited


def test_the_import_fills_an_empty_table_with_history(db):
    CalendarDay.objects.all().delete()
    CalendarDay.history.all().delete()
    CalendarYear.objects.all().delete()
    counts = holidays.holidays_import(years={2026})
    assert counts["years"] == 1 and counts["created"] == len(holidays.package_days({2026}))
    day = CalendarDay.objects.get(date=date(2026, 2, 17))
    assert (day.kind, day.name, day.origin) == ("holiday", "春节", "package")
    assert day.history.get().history_change_reason == holidays.package_version()


def test_the_import_refuses_a_year_the_package_does_not_know():
    with pytest.raises(CommandError, match="does not know"):
        call_command("import_holidays", "--year", str(_last_year_the_package_knows() + 1))


# --- The warning in November and December ------------------------------------------------------------------

def _december_before_an_unknown_year():
    return freeze_time(f"{_last_year_the_package_knows()}-12-10 10:00:00+08:00")


def test_the_director_is_warned_in_december_that_next_year_is_missing(calendar, client_for):
    year = _last_year_the_package_knows() + 1
    with _december_before_an_unknown_year():
        body = client_for("director").get("/reports/").content.decode()
    assert 'data-testid="holiday-warning"' in body
    assert f"{year}年的节假日安排尚未录入：国务院通常在11月公布，请在“节假日安排”中录入，否则期限只按周末计算。" in body
    assert f"/admin/core/calendaryear/add/?year={year}" in body


def test_no_warning_once_next_year_is_entered(calendar, client_for):
    year = _last_year_the_package_knows() + 1
    arrangement = CalendarYear.objects.create(year=year, source=f"国办发明电〔{year - 1}〕9号")
    CalendarDay.objects.create(date=date(year, 1, 1), year=arrangement, kind="holiday", name="元旦")
    with _december_before_an_unknown_year():
        body = client_for("director").get("/reports/").content.decode()
    assert 'data-testid="holiday-warning"' not in body


def test_no_warning_before_november(calendar, client_for):
    with freeze_time(f"{_last_year_the_package_knows()}-10-31 10:00:00+08:00"):
        body = client_for("director").get("/reports/").content.decode()
    assert 'data-testid="holiday-warning"' not in body


@pytest.mark.parametrize("persona", ["staff_a", "finance"])
def test_no_warning_on_the_dashboard_of_those_who_do_not_keep_the_calendar(calendar, client_for, persona):
    with _december_before_an_unknown_year():
        response = client_for(persona).get("/reports/")
    assert response.status_code == 200
    assert 'data-testid="holiday-warning"' not in response.content.decode()


def test_a_clerk_is_never_warned(calendar, clerk):
    with _december_before_an_unknown_year():
        assert holidays.next_year_warning(clerk) is None


def test_the_admin_changelists_warn_in_december(calendar, client_for):
    with _december_before_an_unknown_year():
        client = client_for("admin")
        for url in ("/admin/core/calendarday/", "/admin/core/calendaryear/"):
            body = client.get(url).content.decode()
            assert 'data-testid="holiday-warning"' in body, url
            assert "录入" in body and "节假日安排" in body


def test_the_admin_lists_days_by_year_with_their_notice(calendar, client_for):
    client = client_for("director")
    arrangement = CalendarYear.objects.get(year=2026)
    body = client.get(f"/admin/core/calendarday/?year__id__exact={arrangement.pk}&kind__exact=workday").content.decode()
    assert "国办发明电〔2025〕7号" in body and "调休上班" in body and "星期六" in body
    assert "2026-02-14" in body and "2026-02-17" not in body
    assert "2026-02-17" in client.get("/admin/core/calendarday/?q=春节").content.decode()
