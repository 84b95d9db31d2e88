import datetime as dt

from django.utils import timezone
from freezegun import freeze_time

from stations import selectors
from stations.models import DutyShift
from tests.factories import ApplicationFactory, ConsultationFactory, EventFactory, make_case


def at(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@freeze_time("2026-11-24 10:00")
def test_station_figures_count_only_this_year_and_this_station(org, station_a, station_b, director):
    ConsultationFactory(station=station_a, occurred_at=at(dt.date(2026, 3, 1)), person_count=3)
    ConsultationFactory(station=station_a, occurred_at=at(dt.date(2026, 11, 1)), person_count=2)
    ConsultationFactory(station=station_a, occurred_at=at(dt.date(2025, 12, 31)), person_count=9)
    ConsultationFactory(station=station_b, occurred_at=at(dt.date(2026, 5, 1)), person_count=7)
    ApplicationFactory(station=station_a, received_on=dt.date(2026, 2, 2))
    ApplicationFactory(station=station_b, received_on=dt.date(2026, 2, 2))
    EventFactory(station=station_a, date=dt.date(2026, 1, 1))
    EventFactory(station=station_a, date=dt.date(2025, 12, 31))
    make_case(station=station_a, accepted_on=dt.date(2026, 4, 1))
    make_case(station=station_b, accepted_on=dt.date(2026, 4, 1))
    figures = {f["code"]: f for f in selectors.station_year_figures(director, station_a)}
    assert figures["consultations"]["value"] == 5
    assert figures["applications"]["value"] == 1
    assert figures["events"]["value"] == 1
    assert figures["cases"]["value"] == 1
    # The figure opens the list its indicator defines, for this station and this year as of today.
    assert figures["events"]["url"] == f"/reports/figures/publicity.events/?period=2026&as_of=2026-11-24&station={station_a.pk}"
    summary = {s.pk: s for s in selectors.network_summary(director)}
    assert (summary[station_a.pk].n_consultations, summary[station_a.pk].n_events) == (5, 1)
    assert (summary[station_b.pk].n_consultations, summary[station_b.pk].n_cases) == (7, 1)
    # The director's home: the busiest by cases, then consultations, read whole for the rows shown only.
    shown, total = selectors.network_busiest(director, 2)
    assert [s.pk for s in shown] == [station_b.pk, station_a.pk] and shown[0].n_consultations == 7
    assert total == selectors.stations_visible_to(director).filter(active=True).count() > 2


@freeze_time("2026-11-24 10:00")
def test_each_figure_is_one_query(org, station_a, director):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    director.can("dashboard_view")  # permissions are cached on the user once per request
    with CaptureQueriesContext(connection) as ctx:
        figures = selectors.station_year_figures(director, station_a)
    reads = [q["sql"] for q in ctx.captured_queries  # the figures' copy kept in PostgreSQL is a write of one row
             if "core_keptfigures" not in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(reads) == 4, reads  # one aggregate per family of records
    assert len(ctx.captured_queries) == 7  # … and the copy: savepoint, INSERT … ON CONFLICT, release
    assert len(figures) == 4 and all(figure["url"] and figure["value"] is not None for figure in figures)


def test_station_staff_see_only_their_own_station(staff_a, station_a, director, clerk):
    assert list(selectors.stations_visible_to(staff_a)) == [station_a]
    assert selectors.stations_visible_to(director).count() == 3
    assert selectors.stations_visible_to(clerk).count() == 0


def test_week_starts_on_monday_and_holds_seven_days(clerk, handler_profile):
    assert selectors.week_start(dt.date(2026, 11, 29)) == dt.date(2026, 11, 23)
    DutyShift.objects.create(date=dt.date(2026, 11, 25), place="示范县人民法院", handler=handler_profile)
    DutyShift.objects.create(date=dt.date(2026, 11, 30), place="示范县人民法院", handler=handler_profile)
    grid = selectors.week_grid(clerk, dt.date(2026, 11, 23))
    assert [d["date"].weekday() for d in grid] == list(range(7))
    assert [len(d["shifts"]) for d in grid] == [0, 0, 1, 0, 0, 0, 0]
