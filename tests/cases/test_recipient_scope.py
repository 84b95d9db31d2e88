"""The recipient of a station's case is named to that station only when the station registered the person; the
center and the case's handler always see it (DOMAIN.md §13; cases.selectors.recipient_is_visible)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db


def test_it_names_the_recipient_to_those_who_may_see_it(client_for, org, clerk, handler_profile):
    from cases.services import case_assign

    own = make_case(recipient=PersonFactory(name="本站登记人", station=org["stations"]["station-a"]),
                    station=org["stations"]["station-a"], accepted_on=dt.date(2025, 11, 3))
    elsewhere = make_case(recipient=PersonFactory(name="他站登记人", station=org["stations"]["station-b"]),
                          station=org["stations"]["station-a"], accepted_on=dt.date(2025, 11, 3))
    case_assign(case=elsewhere, handler=handler_profile, on=dt.date(2025, 11, 4), by=clerk)

    staff = client_for("staff_a")
    listed = staff.get("/cases/").content.decode()
    assert "本站登记人" in listed and "他站登记人" not in listed
    assert [c.pk for c in staff.get("/cases/", {"q": "本站登记人"}).context["page_obj"]] == [own.pk]
    assert staff.get(f"/cases/{elsewhere.pk}/print/assignment/").status_code == 404

    for persona in ("clerk", "handler"):
        c = client_for(persona)
        assert "他站登记人" in c.get(f"/cases/{elsewhere.pk}/").content.decode(), persona
        assert [x.pk for x in c.get("/cases/", {"q": "他站登记人"}).context["page_obj"]] == [elsewhere.pk], persona


def test_the_case_lists_export_leaves_out_a_recipient_the_station_may_not_see(client_for, org):
    """The Excel export of the list says what the page says: 已登记人员, and no ID number, sex, birth date or
    groups, for a recipient registered by another station; its own station's recipients stay named."""
    import io

    import openpyxl

    own = PersonFactory(name="本站登记人", station=org["stations"]["station-a"])
    other = PersonFactory(name="他站登记人", station=org["stations"]["station-b"])
    make_case(recipient=own, station=org["stations"]["station-a"], accepted_on=dt.date(2025, 11, 3))
    make_case(recipient=other, station=org["stations"]["station-a"], accepted_on=dt.date(2025, 11, 4))

    def export(persona):
        response = client_for(persona).get("/cases/", {"export": "xlsx"})
        assert response.status_code == 200
        ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                               if response.streaming else response.content)).active
        rows = list(ws.iter_rows(values_only=True))
        head = rows[0]
        return [dict(zip(head, r, strict=True)) for r in rows[1:]]

    staff_rows = {r["受援人姓名"]: r for r in export("staff_a")}
    assert set(staff_rows) == {"本站登记人", "已登记人员"}
    hidden = staff_rows["已登记人员"]
    assert hidden["证件号码"] is None and hidden["性别"] is None and hidden["出生日期"] is None
    assert other.id_number[-4:] not in str(list(hidden.values()))
    assert staff_rows["本站登记人"]["证件号码"]  # masked but present
    clerk_names = {r["受援人姓名"] for r in export("clerk")}
    assert {"本站登记人", "他站登记人"} <= clerk_names
