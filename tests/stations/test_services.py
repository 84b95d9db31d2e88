import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from stations import services
from stations.models import ContactPoint, DutyShift, Liaison, Station, Volunteer

TODAY = dt.date(2026, 11, 24)


def station_data(**kw):
    data = {"name": "河口镇法律援助工作站", "code": "station-c", "kind": "township", "host_partner": "",
            "township": "河口镇", "address": "河口镇人民路8号", "phone": "0000-7654321",
            "opened_on": dt.date(2026, 3, 1)}
    data.update(kw)
    return data


def test_director_creates_a_station_with_history_of_who(director):
    station = services.station_create(data=station_data(), by=director)
    assert station.active
    assert station.history.first().history_user == director


def test_clerk_may_not_create_a_station(clerk):
    with pytest.raises(PermissionDenied):
        services.station_create(data=station_data(), by=clerk)
    assert not Station.objects.filter(code="station-c").exists()


@freeze_time("2026-11-24")
def test_deactivating_keeps_the_station_with_a_closing_date_and_it_can_come_back(director, station_a):
    services.station_deactivate(station=station_a, closed_on=TODAY, by=director, reason="乡镇合并")
    station_a.refresh_from_db()
    assert (station_a.active, station_a.closed_on) == (False, TODAY)
    assert station_a.history.order_by("-history_id").first().history_change_reason == "乡镇合并"
    services.station_reactivate(station=station_a, by=director)
    station_a.refresh_from_db()
    assert (station_a.active, station_a.closed_on) == (True, None)


@freeze_time("2026-11-24")
def test_a_deactivated_station_takes_its_contact_points_and_liaisons_with_it(director, station_a):
    """STATISTICS.md network.contact_points / network.liaisons count those active at the end date: a closed
    station's points and liaisons are no longer the network's, from the station's closing date."""
    before = services.closing_with(station_a)
    opened = dt.date(2025, 1, 1)
    point = services.contact_point_create(station=station_a, by=director,
                                          data={"name": "南街联系点", "opened_on": opened})
    closed_before = services.contact_point_create(station=station_a, by=director,
                                                  data={"name": "北街联系点", "opened_on": opened})
    services.contact_point_deactivate(point=closed_before, closed_on=dt.date(2026, 3, 1), by=director)
    liaison = services.liaison_create(station=station_a, by=director,
                                      data={"contact_point": point, "name": "李四", "opened_on": opened})
    assert services.closing_with(station_a) == {"points": before["points"] + 1, "liaisons": before["liaisons"] + 1}

    services.station_deactivate(station=station_a, closed_on=dt.date(2026, 6, 30), by=director, reason="乡镇合并")

    point.refresh_from_db(); liaison.refresh_from_db(); closed_before.refresh_from_db()  # noqa: E702
    assert (point.active, point.closed_on) == (False, dt.date(2026, 6, 30))
    assert (liaison.active, liaison.closed_on) == (False, dt.date(2026, 6, 30))
    assert closed_before.closed_on == dt.date(2026, 3, 1)  # closed earlier: its own date stays
    assert point.history.order_by("-history_id").first().history_user == director
    assert not ContactPoint.objects.active_at(dt.date(2026, 7, 1)).filter(station=station_a).exists()
    assert not Liaison.objects.active_at(dt.date(2026, 7, 1)).filter(contact_point__station=station_a).exists()
    assert ContactPoint.objects.active_at(dt.date(2026, 6, 29)).filter(pk=point.pk).exists()


def test_a_deactivated_contact_point_takes_its_liaisons_with_it(director, station_a):
    opened = dt.date(2025, 1, 1)
    point = services.contact_point_create(station=station_a, by=director,
                                          data={"name": "南街联系点", "opened_on": opened})
    liaison = services.liaison_create(station=station_a, by=director,
                                      data={"contact_point": point, "name": "李四", "opened_on": opened})
    services.contact_point_deactivate(point=point, closed_on=dt.date(2026, 1, 5), by=director)
    liaison.refresh_from_db()
    assert (liaison.active, liaison.closed_on) == (False, dt.date(2026, 1, 5))


def test_a_station_cannot_close_before_one_of_its_points_opened(director, station_a):
    point = services.contact_point_create(station=station_a, by=director,
                                          data={"name": "南街联系点", "opened_on": dt.date(2026, 5, 1)})
    with pytest.raises(ValidationError) as exc:
        services.station_deactivate(station=station_a, closed_on=dt.date(2026, 4, 1), by=director)
    assert "南街联系点" in " ".join(exc.value.messages)
    station_a.refresh_from_db(); point.refresh_from_db()  # noqa: E702
    assert station_a.active and point.active


@freeze_time("2026-11-24")
def test_a_deactivation_date_in_the_future_is_refused(director, station_a):
    with pytest.raises(ValidationError) as exc:
        services.station_deactivate(station=station_a, closed_on=TODAY + dt.timedelta(days=1), by=director)
    assert "closed_on" in exc.value.message_dict
    station_a.refresh_from_db()
    assert station_a.active


def test_a_deactivation_date_before_the_opening_is_refused(director, station_a):
    with pytest.raises(ValidationError):
        services.station_deactivate(station=station_a, closed_on=dt.date(2018, 1, 1), by=director)
    station_a.refresh_from_db()
    assert station_a.active


def test_deactivating_twice_is_refused(director, station_a):
    services.station_deactivate(station=station_a, closed_on=dt.date(2026, 1, 1), by=director)
    with pytest.raises(ValidationError):
        services.station_deactivate(station=station_a, closed_on=dt.date(2026, 1, 2), by=director)


def test_reactivating_an_active_station_is_refused(director, station_a):
    with pytest.raises(ValidationError):
        services.station_reactivate(station=station_a, by=director)


def test_contact_point_with_a_legal_adviser_needs_a_contract_start(director, station_a, handler_profile):
    with pytest.raises(ValidationError) as exc:
        services.contact_point_create(station=station_a, by=director,
                                      data={"name": "南街联系点", "legal_adviser": handler_profile})
    assert "adviser_from" in exc.value.message_dict


def test_adviser_contract_cannot_end_before_it_starts(director, station_a, handler_profile):
    with pytest.raises(ValidationError) as exc:
        services.contact_point_create(station=station_a, by=director, data={
            "name": "南街联系点", "legal_adviser": handler_profile,
            "adviser_from": dt.date(2026, 1, 1), "adviser_until": dt.date(2025, 12, 31)})
    assert "adviser_until" in exc.value.message_dict
    assert not ContactPoint.objects.filter(name="南街联系点").exists()


def test_contact_point_with_adviser_and_period_is_saved(director, station_a, handler_profile):
    point = services.contact_point_create(station=station_a, by=director, data={
        "name": "南街联系点", "village": "南街社区", "legal_adviser": handler_profile,
        "adviser_from": dt.date(2026, 1, 1), "adviser_until": dt.date(2026, 12, 31)})
    assert point.station == station_a and point.legal_adviser == handler_profile


def test_an_inactive_station_gets_no_new_contact_points(director, station_a):
    services.station_deactivate(station=station_a, closed_on=dt.date(2026, 1, 1), by=director)
    with pytest.raises(ValidationError):
        services.contact_point_create(station=station_a, by=director, data={"name": "南街联系点"})


def test_liaison_must_belong_to_a_contact_point_of_the_station(director, station_a, station_b):
    other_point = ContactPoint.objects.filter(station=station_b).first()
    with pytest.raises(ValidationError) as exc:
        services.liaison_create(station=station_a, by=director, data={"contact_point": other_point, "name": "钱某"})
    assert "contact_point" in exc.value.message_dict
    assert not Liaison.objects.filter(name="钱某").exists()


def test_liaison_is_deactivated_and_reactivated(director, station_a):
    liaison = Liaison.objects.filter(contact_point__station=station_a).first()
    services.liaison_deactivate(liaison=liaison, closed_on=dt.date(2026, 6, 1), by=director)
    liaison.refresh_from_db()
    assert not liaison.active
    services.liaison_reactivate(liaison=liaison, by=director)
    liaison.refresh_from_db()
    assert liaison.active and liaison.closed_on is None


def test_station_staff_volunteer_lands_in_their_own_station(staff_a, station_a):
    volunteer = services.volunteer_create(data={"name": "林晓雨"}, by=staff_a)
    assert volunteer.station == station_a


def test_station_staff_cannot_manage_another_stations_volunteer(staff_a, station_b):
    other = Volunteer.objects.create(name="许佳琪", station=station_b)
    with pytest.raises(PermissionDenied):  # a refusal, not a mistake in the form (issue 15.4)
        services.volunteer_update(volunteer=other, data={"name": "改名"}, by=staff_a)
    with pytest.raises(PermissionDenied):
        services.volunteer_create(data={"name": "越权", "station": station_b}, by=staff_a)
    other.refresh_from_db()
    assert other.name == "许佳琪"


def test_a_lawyer_is_not_put_on_duty_twice_on_one_day(clerk, handler_profile):
    data = {"date": dt.date(2026, 11, 25), "place_kind": "court", "place": "示范县人民法院", "handler": handler_profile}
    services.duty_shift_create(data=data, by=clerk)
    with pytest.raises(ValidationError) as exc:
        services.duty_shift_create(data={**data, "place_kind": "detention", "place": "示范县看守所"}, by=clerk)
    assert "handler" in exc.value.message_dict
    assert DutyShift.objects.count() == 1


def test_an_inactive_lawyer_gets_no_duty(clerk, handler_profile):
    handler_profile.active = False
    handler_profile.save()
    with pytest.raises(ValidationError):
        services.duty_shift_create(data={"date": dt.date(2026, 11, 25), "place": "示范县人民法院",
                                         "handler": handler_profile}, by=clerk)


def test_station_staff_may_not_manage_duty_rosters(staff_a, handler_profile):
    with pytest.raises(PermissionDenied):
        services.duty_shift_create(data={"date": dt.date(2026, 11, 25), "place": "法院", "handler": handler_profile},
                                   by=staff_a)
