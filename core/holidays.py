"""The center's holiday calendar (DOMAIN.md §5, issue 16): which days are statutory rest days and which
weekend days are worked instead (调休上班).

The calendar is a table the center owns (CalendarYear, CalendarDay): the years the installed
`chinesecalendar` package knows are imported by a migration and by `manage.py import_holidays`; an
administrator enters next year's arrangement when the State Council announces it in November, because an
intranet server cannot upgrade its packages. A day is a rest day when the table lists it as a holiday, a
working day when it lists it as a make-up day; any other day rests on weekends. A year with no holiday
listed is not known: its days come from the package if the package knows the year, else weekends rest.

Deadlines are computed in loops, so the whole table is read once per process (one query) and kept. A change
saved in this process drops it at once (a deadline computed later in the same request sees the edit); other
processes (web workers, the Celery worker) notice a generation number in the shared cache, which they look
at every RECHECK_SECONDS, and read the table again when it moved. Whatever happens to that signal (no Redis
under `make run`, a change rolled back after it was read), no process keeps a copy longer than MAX_AGE_SECONDS.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import chinese_calendar
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CACHE_ALIAS = "shared"
GENERATION_KEY = "holidays:generation"
RECHECK_SECONDS = 30
MAX_AGE_SECONDS = 600
HOLIDAY, WORKDAY = "holiday", "workday"  # CalendarDay.Kind
PACKAGE, ADMIN = "package", "admin"  # CalendarOrigin

# Notice numbers we could check against the published text; other imported years name the notice by its
# title, which an administrator may complete in the admin.
NOTICES = {
    2025: "国办发明电〔2024〕12号",
    2026: "国办发明电〔2025〕7号",
}


@dataclass(frozen=True)
class _Table:
    rest: frozenset[date]
    work: frozenset[date]
    known: frozenset[int]
    generation: object
    loaded_at: float


def _clock() -> float:
    # The machine's monotonic clock, which freezegun leaves alone: a test that freezes the date must not make
    # the copy look stale (and read it again inside a query count).
    return time.clock_gettime(time.CLOCK_MONOTONIC)


_table: _Table | None = None
_checked_at = 0.0
#: How many times the table changed in this process (tests use it to drop what a rolled-back test loaded).
changes = 0


# --- Reading -----------------------------------------------------------------------------------------------

def _shared_generation(default: object) -> object:
    try:
        return caches[CACHE_ALIAS].get(GENERATION_KEY)
    except Exception as exc:  # noqa: BLE001 - the shared cache is a convenience: keep what this process has
        logger.warning("holiday calendar: shared cache unavailable: %s", exc)
        return default


def _load(generation: object) -> _Table:
    from .models import CalendarDay

    rest, work = set(), set()
    # The primary, not a replica: right after an edit the next deadline must see it.
    for day, kind in CalendarDay.objects.using(DEFAULT_DB_ALIAS).order_by().values_list("date", "kind"):
        (rest if kind == HOLIDAY else work).add(day)
    return _Table(frozenset(rest), frozenset(work), frozenset(d.year for d in rest), generation, _clock())


def table() -> _Table:
    """The calendar of this process, read again when another process changed it, and at least every
    MAX_AGE_SECONDS."""
    global _table, _checked_at
    current = _table
    now = _clock()
    if current is not None and now - _checked_at < RECHECK_SECONDS:
        return current
    generation = _shared_generation(current.generation if current is not None else None)
    _checked_at = now
    if current is None or generation != current.generation or now - current.loaded_at >= MAX_AGE_SECONDS:
        current = _table = _load(generation)
    return current


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_known(year: int) -> bool:
    """Whether the center's table holds the year's arrangement (at least one holiday)."""
    return year in table().known


def is_working_day(day: date) -> bool:
    t = table()
    if day in t.work:
        return True
    if day in t.rest:
        return False
    if day.year not in t.known:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            pass
    return day.weekday() < 5


# --- Changes -----------------------------------------------------------------------------------------------

def forget() -> None:
    """Drop this process's copy of the table; the next deadline reads it again."""
    global _table, changes
    _table = None
    changes += 1


def _announce() -> None:
    try:
        caches[CACHE_ALIAS].set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception as exc:  # noqa: BLE001 - other processes then keep their copy until they restart
        logger.warning("holiday calendar: could not tell other processes of a change: %s", exc)


def calendar_changed(**kwargs) -> None:
    """post_save/post_delete of CalendarDay (core.apps), and after an import: this process forgets at once;
    the others are told once the change is committed, so that they cannot read the table before it."""
    forget()
    transaction.on_commit(_announce)


# --- Import from the package -------------------------------------------------------------------------------

def package_version() -> str:
    return f"chinesecalendar {chinese_calendar.__version__}"


def package_days(years: set[int] | None = None) -> list[tuple[date, str, str]]:
    """(day, kind, Chinese name) of every holiday and make-up working day the installed package lists."""
    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    out = []
    for listed, kind in ((chinese_calendar.holidays, HOLIDAY), (chinese_calendar.workdays, WORKDAY)):
        for day, name in listed.items():
            if years is None or day.year in years:
                out.append((day, kind, names.get(name, name)))
    return sorted(out)


def package_years() -> list[int]:
    return sorted({day.year for day, _kind, _name in package_days()})


def notice_for(year: int) -> str:
    return NOTICES.get(year) or f"国务院办公厅关于{year}年部分节假日安排的通知"


def _record_history(history_model, rows, history_type: str, *, user, reason: str) -> None:
    """What simple-history writes on save, for rows written in bulk (and by the migration, whose historical
    models have no signals)."""
    now = timezone.now()
    fields = [f.attname for f in rows[0]._meta.concrete_fields] if rows else []
    history_model.objects.bulk_create([
        history_model(**{f: getattr(row, f) for f in fields}, history_date=now, history_type=history_type,
                      history_user_id=getattr(user, "pk", None), history_change_reason=reason)
        for row in rows])


def calendar_import(*, year_model, day_model, day_history, year_history=None, years: set[int] | None = None,
                    removed: frozenset[date] = frozenset(), history_user=None) -> dict[str, int]:
    """Bring the package's years into the table: add what is missing and refresh imported rows the package
    now lists differently. A row an administrator entered or changed is kept as it is, and a day an
    administrator deleted (`removed`) is not added back. Models are passed in so that the data migration
    can use its historical ones (`year_history` only there: live models record a created year themselves).
    Returns the counts of what it did."""
    wanted = package_days(years)
    counts = {"years": 0, "created": 0, "updated": 0, "kept": 0, "skipped": 0}
    if not wanted:
        return counts
    reason = package_version()
    by_year: dict[int, list] = defaultdict(list)
    for row in wanted:
        by_year[row[0].year].append(row)
    year_rows = {y.year: y for y in year_model.objects.filter(year__in=by_year)}
    new_years = [year_model.objects.create(year=year, source=notice_for(year), origin=PACKAGE)
                 for year in sorted(by_year) if year not in year_rows]
    year_rows.update({y.year: y for y in new_years})
    if year_history is not None and new_years:
        _record_history(year_history, new_years, "+", user=history_user, reason=reason)
    existing = {d.date: d for d in day_model.objects.filter(date__year__in=list(by_year))}
    to_create, to_update = [], []
    for day, kind, name in wanted:
        row = existing.get(day)
        if row is None:
            if day in removed:
                counts["skipped"] += 1
                continue
            to_create.append(day_model(date=day, year=year_rows[day.year], kind=kind, name=name, origin=PACKAGE))
        elif row.origin == ADMIN:
            counts["kept"] += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            to_update.append(row)
    created = day_model.objects.bulk_create(to_create)
    day_model.objects.bulk_update(to_update, ["kind", "name"])
    if created:
        _record_history(day_history, created, "+", user=history_user, reason=reason)
    if to_update:
        _record_history(day_history, to_update, "~", user=history_user, reason=reason)
    counts.update(years=len(new_years), created=len(created), updated=len(to_update))
    return counts


def holidays_import(*, years: set[int] | None = None, history_user=None) -> dict[str, int]:
    """`manage.py import_holidays`: calendar_import with the live models, in one transaction."""
    from .models import CalendarDay, CalendarYear

    with transaction.atomic():
        removed = frozenset(
            CalendarDay.history.filter(history_type="-").exclude(
                date__in=CalendarDay.objects.values("date")).values_list("date", flat=True))
        counts = calendar_import(year_model=CalendarYear, day_model=CalendarDay,
                                 day_history=CalendarDay.history.model, years=years, removed=removed,
                                 history_user=history_user)
        calendar_changed()  # bulk writes send no signals
    return counts


# --- The warning in November and December ------------------------------------------------------------------

@dataclass(frozen=True)
class CalendarWarning:
    year: int
    text: str
    url: str


def next_year_warning(user, today: date | None = None) -> CalendarWarning | None:
    """For those who maintain the calendar, in November and December (China time): next year's holidays
    are neither in the table nor in the package, so its deadlines would count weekends only."""
    today = today or timezone.localdate()
    if today.month < 11 or not (user.is_authenticated and user.can("calendar_manage")):
        return None
    year = today.year + 1
    if is_known(year) or package_knows(year):
        return None
    text = _("The holidays of %(year)s have not been entered yet: the State Council usually announces them in "
             "November. Enter them under “Holiday arrangements”, otherwise deadlines count weekends only.") % {
        "year": year}
    # The link only for those who may open the admin (pages never link to what the reader may not open).
    url = f"{reverse('admin:core_calendaryear_add')}?year={year}" if user.is_staff else ""
    return CalendarWarning(year, text, url)
