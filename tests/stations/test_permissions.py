"""Permission table of the station network: every URL × every persona → status.

Station pages: center staff who manage stations or read dashboards (admin, director, finance) see
every station; station staff see their own (another station → 404); everyone else 403.
Managing stations needs station_manage (admin, director). Volunteers: volunteer_manage (admin,
director, station staff for their own station). Duty rosters: duty_roster_manage (director, clerk; not the
administrator, whose role does not carry it).
"""

import pytest
from django.urls import reverse

from stations.models import ContactPoint, DutyShift, Liaison, Volunteer
from tests.permission_table import check, expect

VIEW_STATION = expect(403, admin=200, director=200, finance=200, staff_a=200, staff_b=404)
MANAGE = expect(403, admin=200, director=200)
VOLUNTEERS = expect(403, admin=200, director=200, staff_a=200, staff_b=200)
OWN_VOLUNTEER = expect(403, admin=200, director=200, staff_a=200, staff_b=404)
DUTY = expect(403, director=200, clerk=200)


@pytest.fixture
def objects(org, station_a, handler_profile):
    point = ContactPoint.objects.filter(station=station_a).first()
    return {
        "station": station_a.pk,
        "point": point.pk,
        "liaison": Liaison.objects.filter(contact_point=point).first().pk,
        "volunteer": Volunteer.objects.create(name="志愿者甲", station=station_a).pk,
        "shift": DutyShift.objects.create(date="2026-11-20", place="示范县人民法院", handler=handler_profile).pk,
        "handlers": "handlers",
        "stations": "stations",
    }


TABLE = [
    ("stations:station_list", None, MANAGE),
    ("stations:my_station", None, expect(403, staff_a=302, staff_b=302)),
    ("stations:station_create", None, MANAGE),
    ("stations:station_detail", "station", VIEW_STATION),
    ("stations:station_edit", "station", MANAGE),
    ("stations:station_deactivate", "station", MANAGE),
    ("stations:station_reactivate", "station", MANAGE),
    ("stations:contactpoint_create", "station", MANAGE),
    ("stations:liaison_create", "station", MANAGE),
    ("stations:contactpoint_detail", "point", VIEW_STATION),
    ("stations:contactpoint_edit", "point", MANAGE),
    ("stations:contactpoint_deactivate", "point", MANAGE),
    ("stations:contactpoint_reactivate", "point", MANAGE),
    ("stations:liaison_edit", "liaison", MANAGE),
    ("stations:liaison_deactivate", "liaison", MANAGE),
    ("stations:liaison_reactivate", "liaison", MANAGE),
    ("stations:volunteer_list", None, VOLUNTEERS),
    ("stations:volunteer_create", None, VOLUNTEERS),
    ("stations:volunteer_detail", "volunteer", OWN_VOLUNTEER),
    ("stations:volunteer_edit", "volunteer", OWN_VOLUNTEER),
    ("stations:volunteer_deactivate", "volunteer", OWN_VOLUNTEER),
    ("stations:volunteer_reactivate", "volunteer", OWN_VOLUNTEER),
    ("stations:duty_list", None, DUTY),
    ("stations:duty_create", None, DUTY),
    ("stations:duty_detail", "shift", DUTY),
    ("stations:duty_edit", "shift", DUTY),
    # The names a list filter offered in its select, now by type-ahead: to every signed-in user.
    ("stations:lookup", "handlers", expect(200)),
    ("stations:lookup", "stations", expect(200)),
]


@pytest.mark.parametrize("name,obj,expected", TABLE, ids=[f"{row[0]}-{row[1]}" if row[1] else row[0] for row in TABLE])
def test_station_urls_answer_each_persona_as_the_table_says(client_for, objects, name, obj, expected):
    url = reverse(name, args=[objects[obj]] if obj else [])
    assert check(client_for, "GET", url, expected) == []


def test_station_staff_cannot_post_changes_to_another_stations_volunteer(client_for, objects):
    response = client_for("staff_b").post(reverse("stations:volunteer_edit", args=[objects["volunteer"]]),
                                          {"name": "改名"})
    assert response.status_code == 404
    assert Volunteer.objects.get(pk=objects["volunteer"]).name == "志愿者甲"


def test_clerk_cannot_post_a_new_station(client_for, org):
    response = client_for("clerk").post(reverse("stations:station_create"), {"name": "x", "code": "x"})
    assert response.status_code == 403
