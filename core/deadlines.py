"""Holiday-aware time limits (DOMAIN.md §5).

A limit counts calendar days (the statute's default) or working days. When the last
day of a calendar-day limit falls on a rest day (a weekend or a statutory holiday)
it moves to the next working day; make-up working days (调休) count as working
days. Which day is which comes from the center's holiday calendar (core.holidays): a table
imported from the `chinesecalendar` package and kept up to date by an administrator; for a
year neither knows, weekends alone are rest days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from . import holidays
from .models import DeadlineRule

# Defaults shipped by migration; an administrator edits them in the admin.
DEFAULT_RULES = [
    # code, name (zh), length, unit, basis
    ("application_review", "申请审查", 7, "calendar", "法律援助法第四十三条"),
    ("supplement", "补充材料", 15, "calendar", "办理法律援助案件程序规定"),
    ("case_assign", "指派承办人", 3, "calendar", "法律援助法第四十三条"),
    ("notice_assign", "通知辩护指派", 3, "calendar", "法律援助法第三十六条"),
    ("agreement_sign", "签订委托协议", 5, "calendar", "办理法律援助案件程序规定"),
    ("file_submit", "提交结案材料", 30, "calendar", "法律援助法第五十条"),
    ("archive_review", "结案审查", 30, "calendar", "办理法律援助案件程序规定"),
    ("objection_decide", "异议审查", 5, "calendar", "法律援助法第四十九条"),
    ("termination_notify", "终止通知办案机关", 3, "calendar", "法律援助法第四十八条"),
]


def is_working_day(day: date) -> bool:
    return holidays.is_working_day(day)


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_period(start: date, length: int, unit: str) -> date:
    """The last day of a limit of `length` days that starts counting the day after `start`."""
    if unit == DeadlineRule.Unit.WORKING:
        day, left = start, length
        while left > 0:
            day += timedelta(days=1)
            if is_working_day(day):
                left -= 1
        return day
    return next_working_day(start + timedelta(days=length))


def rule(code: str) -> DeadlineRule:
    found = DeadlineRule.objects.filter(code=code).first()
    if found is not None:
        return found
    for c, name, length, unit, basis in DEFAULT_RULES:
        if c == code:
            return DeadlineRule(code=c, name=name, length=length, unit=unit, basis=basis)
    raise KeyError(code)


def due_date(code: str, start: date, *, paused_days: int = 0, pauses: Iterable[tuple[date, date]] = ()) -> date:
    """Due date of rule `code` counted from `start`, the clock stopped while it was paused: `pauses` are
    (stopped on, resumed on) pairs, the first day counting and the days after it up to the second not (a
    supplementation notice's issue day and the day its materials arrived); `paused_days` is a calendar-day
    pause given as a number. A calendar-day rule moves by the paused days; a working-day rule counts the
    working days outside the pauses, so the days used before a pause stay used and the rest follow it."""
    r = rule(code)
    pauses = [(stop, resume) for stop, resume in pauses if resume > stop]
    if r.unit != DeadlineRule.Unit.WORKING or not pauses:
        paused_days += sum((resume - stop).days for stop, resume in pauses)
        return add_period(start + timedelta(days=paused_days), r.length, r.unit)
    day, left = start + timedelta(days=paused_days), r.length
    while left > 0:
        day += timedelta(days=1)
        if not any(stop < day <= resume for stop, resume in pauses) and is_working_day(day):
            left -= 1
    return day

