"""Station staff are offered only their own station, chosen already, in every form that asks for a station
(issue 16: the consultation form offered every station and then refused the others)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from intake.models import Consultation
from tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def station_options(html: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of the options of the form's `station` select."""
    select = re.search(r'<select name="station"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the form has no station select"
    return [(m.group(1), m.group(3).strip(), bool(m.group(2)))
            for m in re.finditer(r'<option value="([^"]*)"([^>]*selected[^>]*)?[^>]*>([^<]*)</option>', select.group(1))]


@pytest.mark.parametrize("url", ["/intake/consultations/new/", "/publicity/new/",
                                 "/publicity/media/new/"])
def test_station_staff_are_offered_only_their_own_station_chosen_already(client_for, station_a, station_b, url):
    StationFactory(name="另一个工作站")
    r = client_for("staff_a").get(url)
    assert r.status_code == 200
    assert station_options(r.content.decode()) == [(str(station_a.pk), station_a.name, True)]


def test_station_staff_are_offered_only_their_own_station_on_the_application_and_matter_forms(
        client_for, org, staff_a, station_a):
    from intake.forms import ApplicationForm, MatterForm

    for form_class in (ApplicationForm, MatterForm):
        form = form_class(user=staff_a)
        assert list(form.fields["station"].queryset) == [station_a]
        assert form.fields["station"].initial == station_a.pk
        assert form.fields["station"].empty_label is None


def test_the_center_still_chooses_among_the_active_stations_or_its_own_window(client_for, station_a, station_b):
    closed = StationFactory(name="已撤销工作站", active=False)
    options = station_options(client_for("clerk").get("/intake/consultations/new/").content.decode())
    values = [v for v, _label, _sel in options]
    assert options[0][:2] == ("", "中心窗口")
    assert str(station_a.pk) in values and str(station_b.pk) in values and str(closed.pk) not in values


def test_station_staff_save_a_consultation_with_the_station_as_offered(client_for, station_a):
    r = client_for("staff_a").post("/intake/consultations/new/", {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "visit",
        "topic": "labour_pay", "person_count": 1, "outcome": "answered", "station": station_a.pk,
        "summary": "咨询欠薪"})
    assert r.status_code == 302
    assert Consultation.objects.get().station == station_a


def test_a_station_user_with_the_roster_capability_keeps_to_their_station(org, staff_a, station_a):
    from stations.forms import DutyShiftForm

    form = DutyShiftForm(user=staff_a)
    assert list(form.fields["station"].queryset) == [station_a]
    assert form.fields["station"].initial == station_a.pk
    assert set(DutyShiftForm(user=org["users"]["clerk"]).fields["station"].queryset) >= {station_a}


@pytest.mark.parametrize("url", ["/intake/consultations/", "/intake/applications/"])
def test_the_list_filters_of_station_staff_offer_no_choice_of_station(client_for, url):
    assert "station" not in client_for("staff_a").get(url).context["filter"].form.fields
    assert "station" in client_for("clerk").get(url).context["filter"].form.fields
