"""The network as it was at a past end date (closures kept across a reactivation), liaisons and their contact
points, and the duty roster of a posted month, of a lawyer who has left, and of a deactivated station."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import override
from freezegun import freeze_time

from core.periods import parse_period
from reports import indicators as ind
from stations import services
from stations.forms import DutyShiftForm
from stations.models import Closure, ContactPoint, DutyShift, Handler, Liaison, Volunteer

D = dt.date
NOW = "2026-11-24 10:00:00+08:00"
H1 = parse_period("2026H1")


def _listed(code, p, station=None):
    """The records of the list a figure opens (reports.drilldown: the measure's own records)."""
    return ind.REGISTRY[code].records(p, station).count()


# --- closures kept across a reactivation ------------------------------------------------------------------

@freeze_time(NOW)
def test_a_reactivated_contact_point_and_its_liaisons_stay_closed_in_a_past_period(director, station_a):
    point = ContactPoint.objects.filter(station=station_a, active=True, liaisons__active=True).first()
    before = {c: ind.compute_all(H1, station_a)[c] for c in ("network.contact_points", "network.liaisons")}
    services.contact_point_deactivate(point=point, closed_on=D(2026, 3, 1), by=director, reason="村委会搬迁")
    closed = {c: ind.compute_all(H1, station_a)[c] for c in before}
    assert closed["network.contact_points"] == before["network.contact_points"] - 1
    services.contact_point_reactivate(point=point, by=director)
    liaison = point.liaisons.first()
    services.liaison_reactivate(liaison=liaison, by=director)

    for code, value in closed.items():
        assert ind.compute_all(H1, station_a)[code] == value
        assert _listed(code, H1, station_a) == value  # the list the figure opens agrees
    assert not ContactPoint.objects.active_at(D(2026, 6, 30)).filter(pk=point.pk).exists()
    assert ContactPoint.objects.active_at(D(2026, 2, 28)).filter(pk=point.pk).exists()
    assert ContactPoint.objects.active_at(D(2026, 11, 24)).filter(pk=point.pk).exists()  # reopened today
    assert Liaison.objects.active_at(D(2026, 11, 24)).filter(pk=liaison.pk).exists()
    span = Closure.objects.get(contact_point=point)
    assert (span.closed_on, span.reopened_on, span.reason, span.closed_by, span.reopened_by) == (
        D(2026, 3, 1), D(2026, 11, 24), "村委会搬迁", director, director)


@freeze_time(NOW)
def test_a_reactivated_volunteer_is_not_counted_in_a_period_that_ended_while_he_had_left(director, station_a):
    volunteer = services.volunteer_create(data={"name": "林晓雨", "station": station_a,
                                                "opened_on": D(2025, 1, 1)}, by=director)
    counted = ind.compute_all(H1)["network.volunteers"]
    services.volunteer_deactivate(volunteer=volunteer, closed_on=D(2026, 5, 1), by=director)
    services.volunteer_reactivate(volunteer=volunteer, by=director)
    assert ind.compute_all(H1)["network.volunteers"] == counted - 1 == _listed("network.volunteers", H1)
    assert ind.compute_all(parse_period("2026"))["network.volunteers"] == counted  # active again at 31 December
    assert not Volunteer.objects.active_at(D(2026, 6, 30)).filter(pk=volunteer.pk).exists()


@freeze_time(NOW)
def test_closures_made_before_they_were_kept_are_read_from_the_history(director, station_b):
    services.station_deactivate(station=station_b, closed_on=D(2026, 3, 31), by=director, reason="乡镇合并")
    services.station_reactivate(station=station_b, by=director)
    Closure.objects.all().delete()
    migration = importlib.import_module("stations.migrations.0005_closures_from_history")
    migration.closures_from_history(apps, None)

    span = Closure.objects.get(station=station_b)
    assert (span.closed_on, span.reopened_on, span.reason, span.closed_by) == (
        D(2026, 3, 31), D(2026, 11, 24), "乡镇合并", director)
    points = Closure.objects.filter(contact_point__station=station_b)
    assert points.exists() and all(c.reopened_on is None for c in points)  # still closed: an open closure
    assert ind.compute_all(H1, station_b)["network.stations"] == 0


# --- liaisons and their contact points ---------------------------------------------------------------------

@freeze_time(NOW)
def test_a_liaison_is_not_moved_onto_a_deactivated_contact_point(director, station_a):
    liaison = Liaison.objects.filter(contact_point__station=station_a, active=True).first()
    other = services.contact_point_create(station=station_a, by=director,
                                          data={"name": "北街联系点", "opened_on": D(2025, 1, 1)})
    services.contact_point_deactivate(point=other, closed_on=D(2026, 11, 1), by=director)
    with pytest.raises(ValidationError) as refused:
        services.liaison_update(liaison=liaison, data={"contact_point": other}, by=director)
    assert "contact_point" in refused.value.message_dict
    liaison.refresh_from_db()
    assert liaison.contact_point_id != other.pk
    services.liaison_update(liaison=liaison, data={"contact_point": liaison.contact_point, "phone": "13900000000"},
                            by=director)


@freeze_time(NOW)
def test_a_liaison_comes_back_once_his_contact_point_is_back(director, station_a):
    liaison = Liaison.objects.filter(contact_point__station=station_a, active=True).first()
    services.contact_point_deactivate(point=liaison.contact_point, closed_on=D(2026, 11, 1), by=director)
    with override("en"), pytest.raises(ValidationError, match="Reactivate the contact point first"):
        services.liaison_reactivate(liaison=liaison, by=director)
    services.contact_point_reactivate(point=liaison.contact_point, by=director)
    services.liaison_reactivate(liaison=liaison, by=director)
    liaison.refresh_from_db()
    assert liaison.active


# --- duty rosters -------------------------------------------------------------------------------------------

SHIFT = {"place_kind": "court", "place": "示范县人民法院"}


@pytest.fixture
def posted_october(clerk, finance, handler_profile):
    from funding import services as funding_services
    from funding.models import SubsidyPolicy

    SubsidyPolicy.objects.get_or_create(year=2026)
    shift = services.duty_shift_create(data={**SHIFT, "handler": handler_profile, "date": D(2026, 10, 8)}, by=clerk)
    funding_services.duty_subsidy_post(year=2026, month=10, by=finance)
    return shift


@freeze_time(NOW)
def test_a_posted_month_keeps_the_days_it_paid(posted_october, clerk, handler_profile, other_handler):
    shift = posted_october
    for change in ({"date": D(2026, 11, 3)}, {"handler": other_handler}, {"place_kind": "center"}):
        with override("en"), pytest.raises(ValidationError, match="already posted"):
            services.duty_shift_update(shift=shift, data=change, by=clerk)
    november = services.duty_shift_create(data={**SHIFT, "handler": other_handler, "date": D(2026, 11, 3)},
                                          by=clerk)
    with pytest.raises(ValidationError):
        services.duty_shift_update(shift=november, data={"date": D(2026, 10, 9)}, by=clerk)
    services.duty_shift_update(shift=shift, data={"place": "示范县人民法院刑庭", "note": "补记"}, by=clerk)
    services.duty_shift_update(shift=november, data={"date": D(2026, 11, 4)}, by=clerk)
    assert list(DutyShift.objects.filter(date__month=10).values_list("handler", "place")) == [
        (handler_profile.pk, "示范县人民法院刑庭")]


@freeze_time(NOW)
def test_an_edit_keeps_a_lawyer_who_has_left_the_roster_on_his_own_shift(clerk, handler_profile, other_handler):
    shift = services.duty_shift_create(data={**SHIFT, "handler": handler_profile, "date": D(2026, 9, 8)}, by=clerk)
    mine = services.duty_shift_create(data={**SHIFT, "handler": other_handler, "date": D(2026, 9, 9)}, by=clerk)
    Handler.objects.filter(pk=handler_profile.pk).update(active=False)
    shift.refresh_from_db()

    form = DutyShiftForm({"date": "2026-09-08", "place_kind": "court", "place": "示范县人民法院",
                          "handler": handler_profile.pk, "note": "补记"}, instance=shift, user=clerk)
    assert form.is_valid(), form.errors
    services.duty_shift_update(shift=shift, data=form.cleaned_data, by=clerk)
    shift.refresh_from_db()
    assert (shift.handler_id, shift.note) == (handler_profile.pk, "补记")
    with override("en"), pytest.raises(ValidationError, match="no longer on the roster"):
        services.duty_shift_update(shift=mine, data={"handler": handler_profile}, by=clerk)


@freeze_time(NOW)
def test_the_duty_form_offers_a_shift_its_own_deactivated_station(director, clerk, station_b, handler_profile):
    shift = services.duty_shift_create(data={**SHIFT, "place_kind": "station", "place": "新桥镇工作站",
                                             "handler": handler_profile, "station": station_b,
                                             "date": D(2026, 11, 20)}, by=clerk)
    services.station_deactivate(station=station_b, closed_on=D(2026, 11, 21), by=director)
    shift.refresh_from_db()

    form = DutyShiftForm(instance=shift, user=clerk)
    assert station_b in form.fields["station"].queryset
    assert form["station"].value() == station_b.pk
    bound = DutyShiftForm({"date": "2026-11-20", "place_kind": "station", "place": "新桥镇工作站",
                           "handler": handler_profile.pk, "station": station_b.pk}, instance=shift, user=clerk)
    assert bound.is_valid(), bound.errors
    services.duty_shift_update(shift=shift, data=bound.cleaned_data, by=clerk)
    shift.refresh_from_db()
    assert shift.station == station_b
    assert station_b not in DutyShiftForm(user=clerk).fields["station"].queryset  # a new shift: active ones
