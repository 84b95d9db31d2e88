"""Independent check of DOMAIN.md §2 (default deny, every selector filtered), §8 (volunteers recorded at
consultations) and §11 (projection of targets to year end) against the product."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.urls import reverse

from stations.models import ContactPoint, Volunteer


def _options(html: str, name: str) -> list[str]:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r">([^<]+)</option>", found.group(1)) if found else []


def test_consultation_list_filter_names_no_user_of_another_station(client_for, staff_b):
    """§2: every selector filters by what the user may see. Station A's consultation list offered, in its
    "handled by" filter, every active account of the county, station B's staff among them."""
    html = client_for("staff_a").get(reverse("intake:consultation_list")).content.decode()
    assert staff_b.display_name not in _options(html, "handled_by")
    assert staff_b.display_name not in html


def test_station_lookup_names_no_other_station_to_station_staff(client_for, station_a, station_b):
    """§2: station B answers 404 to station A's staff, so its name and key must not come from a type-ahead."""
    staff = client_for("staff_a")
    assert staff.get(reverse("stations:station_detail", args=[station_b.pk])).status_code == 404
    found = staff.get(reverse("stations:lookup", args=["stations"]), {"q": station_b.name}).json()["results"]
    assert station_b.pk not in [row["id"] for row in found]


def test_lookup_gives_a_handler_no_volunteers_and_no_contact_points(client_for, station_b):
    """§2: a handler sees the cases assigned to them and nothing else; the lookup endpoint named every
    volunteer and every contact point of the county to them (they have no list those would filter)."""
    Volunteer.objects.create(name="志愿者丙", station=station_b)
    ContactPoint.objects.create(name="丙村联系点", station=station_b)
    handler = client_for("handler")
    assert handler.get(reverse("stations:volunteer_list")).status_code == 403
    volunteers = handler.get(reverse("stations:lookup", args=["volunteers"]), {"q": "志愿者丙"})
    points = handler.get(reverse("stations:lookup", args=["contact_points"]), {"q": "丙村"})
    assert volunteers.status_code in (403, 404) or volunteers.json()["results"] == []
    assert points.status_code in (403, 404) or points.json()["results"] == []


def test_a_consultation_records_the_volunteers_who_were_there(client_for, station_a):
    """§8: volunteers take part in consultations and publicity events, which record who was there. The
    consultation has the relation, but no form or page lets anybody record it."""
    from intake.models import Consultation

    volunteer = Volunteer.objects.create(name="志愿者甲", station=station_a)
    staff = client_for("staff_a")
    form_html = staff.get(reverse("intake:consultation_create")).content.decode()
    assert 'name="volunteers"' in form_html
    response = staff.post(reverse("intake:consultation_create"), {
        "occurred_at": "2025-03-03T10:00", "channel": "event", "person_count": "5", "outcome": "answered",
        "station": str(station_a.pk), "volunteers": [str(volunteer.pk)],
    })
    assert response.status_code == 302
    assert list(Consultation.objects.get().volunteers.all()) == [volunteer]


def test_the_projection_to_year_end_does_not_extrapolate_stock_figures(org):
    """§11 / STATISTICS.md: 期末未结案件, 期末逾期事项 and the year's budget are taken at a day, not summed over
    the period (stock); an average is a ratio. A straight-line projection of them to year end is wrong: on
    31 March 20 open cases became 81.1 and a budget of 1,000,000 yuan became 4,055,555.6."""
    from reports.builder import target_progress
    from reports.models import Target

    values = {"cases.open_at_end": 20, "cases.overdue_at_end": 3, "funding.budget": Decimal("1000000.00"),
              "subsidy.average": Decimal("1200.00"), "consultations.total": 300}
    for code in values:
        Target.objects.create(year=2025, code=code, value=Decimal("100"))
    rows = {r["code"]: r for r in target_progress(2025, None, values, dt.date(2025, 3, 31))}
    assert rows["consultations.total"]["projection"] > 300  # a flow is extrapolated
    for code in ("cases.open_at_end", "cases.overdue_at_end", "funding.budget", "subsidy.average"):
        assert rows[code]["projection"] == values[code], code
