"""Text a service stores is written in the site's language, whoever clicked (core.stored): a network managed
by a director who works in English keeps its history and its closures in Chinese; what he is told stays in
English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from freezegun import freeze_time

from stations import services
from stations.models import Closure, ContactPoint, Volunteer

TODAY = dt.date(2026, 11, 24)


def _reasons(obj) -> list[str]:
    return [r for r in obj.history.order_by("history_id").values_list("history_change_reason", flat=True) if r]


@freeze_time("2026-11-24")
def test_a_network_managed_in_english_keeps_its_history_in_chinese(director, station_a, station_b):
    point = ContactPoint.objects.create(station=station_a, name="东村联系点", opened_on=dt.date(2025, 1, 1))
    volunteer = Volunteer.objects.create(name="许佳琪", station=station_a, opened_on=dt.date(2025, 1, 1))
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            services.station_deactivate(station=station_a, closed_on=TODAY + dt.timedelta(days=1), by=director)
        assert exc.value.messages == ["The deactivation date cannot be in the future."]
        moved = services.volunteer_update(volunteer=volunteer, data={"station": station_b}, by=director)
        services.station_deactivate(station=station_a, closed_on=TODAY, by=director)
        services.station_reactivate(station=station_a, by=director)
    assert _reasons(moved) == [f"由{station_a.name}转入"]
    assert _reasons(volunteer) == [f"转至{station_b.name}"]
    assert _reasons(station_a) == ["停用", "重新启用"]
    assert _reasons(point) == [f"工作站{station_a.name}已停用"]
    assert set(Closure.objects.values_list("reason", flat=True)) == {
        f"转至{station_b.name}", "停用", f"工作站{station_a.name}已停用"}
