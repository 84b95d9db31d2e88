"""Audit of the station network (DOMAIN.md §8, §13) and of how STATISTICS.md counts it (network.*): records
that end are deactivated with who, when and why; a past period's figures stay as they were; a closed
station keeps its past and is not offered for new records; the village legal adviser's contract period; the
duty roster.

Each test states the contract line it holds the product to. Forms are posted as a browser posts the page the
product renders (the selected option of each select), so that what a user gets is what the test gets."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from core.periods import parse_period
from reports import indicators as ind
from stations import services
from stations.models import Closure, ContactPoint, Volunteer

D = dt.date
NOW = "2026-11-24 10:00:00+08:00"


class _FormReader(HTMLParser):
    """What a browser posts for each <form method=post> of a page: text inputs, checked boxes, the selected
    option of each select (the first option when none is marked selected), textareas; files are left out."""

    def __init__(self):
        super().__init__()
        self.forms, self.data, self.inside = [], [], False
        self.select, self.options, self.textarea = None, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.inside, self.data = True, []
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            elif kind not in ("file", "submit", "button"):
                self.data.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self.select, self.options = (a["name"], "multiple" in a), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
            self.forms.append(self.data)
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [v for v, sel in self.options if sel]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.data.extend((name, v) for v in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.data.append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None


def as_a_browser_posts(html: str, field: str, **changes) -> dict:
    """The data of the page's form that holds `field`, as a browser posts it, with `changes`."""
    reader = _FormReader()
    reader.feed(html)
    form = next(f for f in reader.forms if any(name == field for name, _v in f))
    data: dict = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    data.update({k: v if isinstance(v, list) else [v] for k, v in changes.items()})
    return data


def volunteers_2025(station=None) -> int:
    return ind.compute_all(parse_period("2025"), station)["network.volunteers"]


# --- deactivation with who, when and why ---------------------------------------------------------------------

@freeze_time(NOW)
def test_a_volunteer_deactivated_with_a_reason_keeps_the_reason(client_for, station_a):
    """DOMAIN.md §13: "records that can end are deactivated or withdrawn with who, when and why".

    The volunteer's deactivation page asks for a reason (the shared CloseForm), but the view drops it
    (stations.views.volunteers._deactivate: "the service takes none") and the closure says only
    "deactivated": why the volunteer left is lost."""
    volunteer = Volunteer.objects.create(name="林晓雨", organisation="县职业技术学院", station=station_a,
                                         opened_on=D(2025, 3, 1))
    client = client_for("staff_a")
    url = reverse("stations:volunteer_deactivate", args=[volunteer.pk])
    assert 'name="reason"' in client.get(url).content.decode()
    response = client.post(url, {"closed_on": "2026-11-20", "reason": "毕业离校"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert not volunteer.active and volunteer.closed_on == D(2026, 11, 20)
    assert Closure.objects.get(volunteer=volunteer).reason == "毕业离校"


# --- a past period's figures stay as they were ----------------------------------------------------------------

@freeze_time(NOW)
def test_moving_a_volunteer_to_another_station_changes_no_past_station_figure(director, station_a, station_b):
    """STATISTICS.md: "Facts are taken as they were when the event happened … Editing a handler, a person, a
    station or a vocabulary later changes no figure of a past period"; DECISIONS.md: a station report counts
    network.volunteers "of that station".

    A volunteer who served station A all of 2025 and moves to station B in November 2026 leaves station A's
    2025 report (network.volunteers 1 → 0) and enters station B's (0 → 1): the figure is grouped by the
    volunteer's station of today (stations.indicators VOLUNTEERS, Family(..., "station"))."""
    volunteer = services.volunteer_create(
        data={"name": "退休法官老周", "organisation": "县人民法院（退休）", "station": station_a,
              "opened_on": D(2024, 9, 1)}, by=director)
    before = (volunteers_2025(station_a), volunteers_2025(station_b))
    assert before == (1, 0)
    services.volunteer_update(volunteer=volunteer, data={"station": station_b}, by=director)
    assert (volunteers_2025(station_a), volunteers_2025(station_b)) == before


@freeze_time(NOW)
def test_recording_a_volunteer_today_without_a_joining_date_changes_no_past_figure(client_for):
    """STATISTICS.md: "Facts are taken as they were when the event happened … later changes no figure of a
    past period"; network.volunteers: "volunteers active at the end date".

    The volunteer form does not require the joining date, and a volunteer without one counts as active on
    every end date (stations.models.open_on: "opened on or before it (or unknown)"): a student recruited
    today raises the county's 2025 figure, already reported, by one."""
    before = volunteers_2025()
    client = client_for("director")
    url = reverse("stations:volunteer_create")
    response = client.post(url, as_a_browser_posts(client.get(url).content.decode(), "name",
                                                    name="大学生志愿者小李", organisation="县师范学院"))
    assert response.status_code == 302
    assert Volunteer.objects.filter(name="大学生志愿者小李").exists()
    assert volunteers_2025() == before


# --- a closed station: kept in the past, not offered for new records ------------------------------------------

@freeze_time(NOW)
def test_editing_a_volunteer_of_a_closed_station_keeps_his_station(client_for, director, station_b):
    """DOMAIN.md §8: a volunteer has a station; §13: a station that ends is deactivated and its records stay;
    STATISTICS.md network.volunteers counts a station's volunteers in its reports.

    The volunteer form offers active stations only, and not the volunteer's own (deactivated) one as the
    duty-shift, event and consultation forms do: the browser posts the first option, "empty for volunteers of
    the center", and correcting a phone number silently moves the volunteer out of the closed station and
    out of its past figures (station B's 2025 network.volunteers 1 → 0)."""
    volunteer = services.volunteer_create(
        data={"name": "王志愿", "organisation": "县职业技术学院", "station": station_b, "phone": "13700000000",
              "opened_on": D(2024, 9, 1)}, by=director)
    services.station_deactivate(station=station_b, closed_on=D(2026, 6, 30), by=director)
    assert volunteers_2025(station_b) == 1
    client = client_for("director")
    url = reverse("stations:volunteer_edit", args=[volunteer.pk])
    response = client.post(url, as_a_browser_posts(client.get(url).content.decode(), "name", phone="13711111111"))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.phone == "13711111111"
    assert volunteer.station == station_b
    assert volunteers_2025(station_b) == 1


@freeze_time(NOW)
def test_station_staff_of_a_closed_station_cannot_log_a_new_consultation_there(client_for, director, station_a):
    """Brief/DOMAIN.md §8, §13: a station that ends is deactivated; a closed station stays in past figures and
    is not offered in new forms (the center's forms offer active stations only, the station panel of its staff
    disappears).

    Station staff of a closed station are still offered their station on the consultation form and a
    consultation taken today, five months after the station closed, is recorded at it and counted in its
    (and the station comparison's) 2026 figures."""
    from intake.models import Consultation

    services.station_deactivate(station=station_a, closed_on=D(2026, 6, 30), by=director)
    client = client_for("staff_a")
    url = reverse("intake:consultation_create")
    page = client.get(url)
    data = as_a_browser_posts(page.content.decode(), "summary", summary="咨询欠薪如何维权",
                              answer="告知可申请劳动仲裁", channel="visit", topic="labour_pay", outcome="answered",
                              person_count="1", occurred_at="2026-11-24T09:30")
    client.post(url, data)
    assert not Consultation.objects.filter(station=station_a, summary="咨询欠薪如何维权").exists()


# --- date periods that end before they start -------------------------------------------------------------------

@freeze_time(NOW)
def test_the_admin_refuses_an_adviser_contract_that_ends_before_it_starts(client_for, station_a, handler_profile):
    """Brief/DOMAIN.md §8: the village legal adviser (一村一法律顾问) with "the lawyer and the contract period";
    §1/§13: the network is kept in Django admin by an administrator too; the product's own rule
    (stations.services._check_adviser): "The contract cannot end before it starts."

    The rule lives only in the service: the contact point's admin page saves an adviser whose contract ends a
    year before it starts."""
    point = ContactPoint.objects.filter(station=station_a).first()
    client = client_for("admin")
    url = reverse("admin:stations_contactpoint_change", args=[point.pk])
    data = as_a_browser_posts(client.get(url).content.decode(), "name", legal_adviser=str(handler_profile.pk),
                              adviser_from="2026-01-01", adviser_until="2025-01-01")
    client.post(url, data)
    point.refresh_from_db()
    assert point.adviser_until is None or point.adviser_until >= point.adviser_from


@freeze_time(NOW)
def test_the_admin_does_not_move_a_liaison_to_another_stations_contact_point(client_for, station_a, station_b):
    """STATISTICS.md: "Editing … a station … later changes no figure of a past period"; DECISIONS.md: liaisons
    count in a station report "through their contact point"; the product's screens refuse the move
    (stations.services.liaison_update: "Choose a contact point of this station.").

    The liaison's admin page offers every contact point and saves the move: station A's 2025
    network.liaisons drops by one and station B's rises by one."""
    from stations.models import Liaison

    liaison = Liaison.objects.filter(contact_point__station=station_a, active=True).first()
    other = ContactPoint.objects.filter(station=station_b, active=True).first()
    y2025 = parse_period("2025")
    before = ind.compute_all(y2025, station_a)["network.liaisons"]
    client = client_for("admin")
    url = reverse("admin:stations_liaison_change", args=[liaison.pk])
    client.post(url, as_a_browser_posts(client.get(url).content.decode(), "name", contact_point=str(other.pk)))
    liaison.refresh_from_db()
    assert liaison.contact_point.station == station_a
    assert ind.compute_all(y2025, station_a)["network.liaisons"] == before


@freeze_time(NOW)
def test_a_closed_station_cannot_be_given_an_opening_date_after_its_closing_date(director, station_b):
    """Brief: periods that "end before they start" are refused; the product refuses a deactivation date before
    the opening date (stations.services._check_closing), but not the same contradiction made by editing the
    opening date afterwards: station B, closed on 30 June 2026, is saved as opened on 1 October 2026 and is then
    never active on any end date (its 2025 network.stations 1 → 0)."""
    services.station_deactivate(station=station_b, closed_on=D(2026, 6, 30), by=director)
    assert ind.compute_all(parse_period("2025"), station_b)["network.stations"] == 1
    with pytest.raises(ValidationError):
        services.station_update(station=station_b, data={"opened_on": D(2026, 10, 1)}, by=director)


# --- duty rosters -------------------------------------------------------------------------------------------------

@freeze_time(NOW)
def test_a_legal_worker_who_is_not_a_lawyer_is_not_put_on_detention_center_duty(clerk, org):
    """DOMAIN.md §1: "值班律师 duty lawyer: lawyer on duty at a court, procuratorate or detention center (Art.
    14)"; 法律援助法 Art. 14: 派驻值班律师. The roster's field is "duty lawyer".

    A grassroots legal worker (基层法律服务工作者 陈明, not a lawyer: Handler.is_lawyer is False) is put on
    duty at the detention center without a word."""
    worker = org["handlers"]["陈明"]
    assert not worker.is_lawyer
    with pytest.raises(ValidationError):
        services.duty_shift_create(data={"date": D(2026, 12, 1), "place_kind": "detention", "place": "县看守所",
                                         "handler": worker}, by=clerk)
