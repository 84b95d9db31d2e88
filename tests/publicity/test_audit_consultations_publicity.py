"""Audit of consultations (DOMAIN.md §3), the station network (§8) and publicity (§10): their records, their
indicators (STATISTICS.md consultations.*, publicity.*, network.*) and their ledger sheets (LEDGER.md).

Each test states the contract line it holds the product to; the forms are posted as a browser posts the
page the product renders (the selected option of each select, the checked boxes), so that what a user
would get is what the test gets."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from freezegun import freeze_time

from core.periods import parse_period
from reports import indicators as ind
from stations import services as station_services
from stations.models import DutyShift, Liaison
from tests.factories import ConsultationFactory, EventFactory, HandlerFactory
from tests.helpers import at_once

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


def h1_2026():
    return parse_period("2026H1")


# --- records of a station that was deactivated later -------------------------------------------------

@freeze_time(NOW)
def test_it_keeps_the_station_of_an_event_edited_after_the_station_was_deactivated(client_for, director, station_b):
    """DOMAIN.md §10: an event records its station; reports/DECISIONS.md "Station reports: only records taken or
    held by the station count: … Event.station". §13: a station that ends is deactivated, its records stay.

    The edit form offers active stations only: the event's own (deactivated) station is not among the options,
    so the browser posts the first one, "the center itself", and correcting a typo in the title silently moves
    the event (and its materials, audience, people consulted) from the station's figures to the center's."""
    event = EventFactory(station=station_b, date=D(2026, 3, 5), title="法律援助进村宣传")
    station_services.station_deactivate(station=station_b, closed_on=D(2026, 6, 30), by=director)
    before = ind.compute_all(h1_2026(), station_b)["publicity.events"]
    client = client_for("director")
    url = reverse("publicity:event_edit", args=[event.pk])
    response = client.post(url, as_a_browser_posts(client.get(url).content.decode(), "title",
                                                    title="法律援助进村宣传活动"))
    event.refresh_from_db()
    assert response.status_code == 302 and event.title == "法律援助进村宣传活动"
    assert event.station == station_b
    assert before == 1 and ind.compute_all(h1_2026(), station_b)["publicity.events"] == 1


@freeze_time(NOW)
def test_it_keeps_the_station_of_a_consultation_edited_after_the_station_was_deactivated(client_for, director,
                                                                                        station_b):
    """DOMAIN.md §3: a consultation records where it was taken (the center window or a station); DECISIONS.md:
    a station report counts `Consultation.station`; STATISTICS.md consultations.total sums its 人次.

    The consultation form offers active stations only, so editing the answer of a consultation of a station
    deactivated since posts "center window" and moves its 3 人次 out of the station's half-year."""
    consultation = ConsultationFactory(station=station_b, person_count=3,
                                       occurred_at=dt.datetime(2026, 5, 8, 10, 0, tzinfo=dt.UTC))
    station_services.station_deactivate(station=station_b, closed_on=D(2026, 6, 30), by=director)
    assert ind.compute_all(h1_2026(), station_b)["consultations.total"] == 3
    client = client_for("director")
    url = reverse("intake:consultation_edit", args=[consultation.pk])
    response = client.post(url, as_a_browser_posts(client.get(url).content.decode(), "answer",
                                                    answer="告知可申请劳动仲裁，已补充答复"))
    consultation.refresh_from_db()
    assert response.status_code == 302 and consultation.answer == "告知可申请劳动仲裁，已补充答复"
    assert consultation.station == station_b
    assert ind.compute_all(h1_2026(), station_b)["consultations.total"] == 3


@freeze_time(NOW)
def test_it_keeps_a_lawyer_who_has_left_the_roster_among_those_present_when_an_event_is_edited(
        client_for, station_a):
    """DOMAIN.md §10: an event records the staff and lawyers present; §13: nothing is lost, a lawyer who leaves
    is deactivated and every change keeps its history.

    The edit form offers active lawyers only (it keeps the event's own staff and volunteers, not its lawyers):
    the lawyer who was there is not shown, so saving any change of the event removes him from it."""
    lawyer = HandlerFactory(name="退休的周律师")
    event = EventFactory(station=station_a, date=D(2026, 3, 5))
    event.lawyers.set([lawyer])
    lawyer.active = False
    lawyer.save()
    client = client_for("director")
    url = reverse("publicity:event_edit", args=[event.pk])
    response = client.post(url, as_a_browser_posts(client.get(url).content.decode(), "title", place="西关村文化广场"))
    event.refresh_from_db()
    assert response.status_code == 302 and event.place == "西关村文化广场"
    assert list(event.lawyers.all()) == [lawyer]


# --- the network as it was at a period's end -----------------------------------------------------------

@freeze_time(NOW)
def test_it_does_not_count_a_reactivated_station_as_active_at_an_end_date_when_it_was_closed(director, station_b):
    """STATISTICS.md network.stations: "stations active at the end date"; DECISIONS.md: "Active at the end date:
    opened on or before it and not closed by it"; STYLE.md: "Facts a past period counts are stored when they
    happen, never looked up later."

    Station B was closed from 31 March to 24 November 2026. Reactivating it erases its closing date, so the
    first half of 2026, already over, counts it as active on 30 June after all (county 2 → 3, station 0 → 1).
    The same holds for contact points, liaisons and volunteers (stations.services._reopen)."""
    station_services.station_deactivate(station=station_b, closed_on=D(2026, 3, 31), by=director)
    county, own = (ind.compute_all(h1_2026())["network.stations"],
                   ind.compute_all(h1_2026(), station_b)["network.stations"])
    assert own == 0
    station_services.station_reactivate(station=station_b, by=director)
    assert ind.compute_all(h1_2026())["network.stations"] == county
    assert ind.compute_all(h1_2026(), station_b)["network.stations"] == 0


@freeze_time(NOW)
def test_it_refuses_to_reactivate_a_liaison_of_a_deactivated_contact_point(director, station_a):
    """STATISTICS.md network.liaisons; DECISIONS.md: liaisons count "through their contact point"; the network's
    own rule (stations.services._close_under): "a liaison of a closed point [is] no longer the network's", and a
    contact point cannot come back before its station ("Reactivate the station first").

    A liaison of a deactivated contact point can be reactivated on its own, and counts again in
    network.liaisons although the contact point he runs is closed."""
    liaison = Liaison.objects.filter(contact_point__station=station_a, active=True).first()
    point = liaison.contact_point
    station_services.contact_point_deactivate(point=point, closed_on=D(2026, 11, 1), by=director)
    now = parse_period("2026")
    counted = ind.compute_all(now, station_a)["network.liaisons"]
    with pytest.raises(ValidationError):
        station_services.liaison_reactivate(liaison=liaison, by=director)
    liaison.refresh_from_db()
    assert not liaison.active
    assert ind.compute_all(now, station_a)["network.liaisons"] == counted


# --- duty rosters ------------------------------------------------------------------------------------

@freeze_time(NOW)
def test_it_does_not_leave_a_duty_day_added_to_a_month_already_posted_unpaid(clerk, finance, handler_profile):
    """DOMAIN.md §7: duty lawyers are paid per day; DECISIONS.md: "Duty subsidies (值班补贴) of a month are posted
    once, after the month has ended (only days served are paid)". funding.services.duty_month_refusal itself
    says a posted month would "never pay a day added to it later".

    October 2026 is posted (one day, 200 元); a day of October is then added to the roster without a word: the
    lawyer's second day is never paid and the month's page shows two days against one posted. Either the roster
    of a posted month is closed (refused, nothing saved) or the posted subsidies follow it."""
    from funding import services as funding_services
    from funding.models import Spending, SubsidyPolicy

    policy, _ = SubsidyPolicy.objects.get_or_create(year=2026)
    shift = {"place_kind": "court", "place": "示范县人民法院", "handler": handler_profile}
    station_services.duty_shift_create(data={**shift, "date": D(2026, 10, 8)}, by=clerk)
    funding_services.duty_subsidy_post(year=2026, month=10, by=finance)
    try:
        station_services.duty_shift_create(data={**shift, "date": D(2026, 10, 9)}, by=clerk)
    except ValidationError:
        assert DutyShift.objects.filter(date__month=10, date__year=2026).count() == 1
        return
    _rows, served = funding_services.duty_subsidy_rows(start=D(2026, 10, 1), end=D(2026, 10, 31), policy=policy)
    posted = sum(s.amount for s in Spending.objects.filter(category="duty_subsidy", date__year=2026,
                                                           date__month=10))
    assert posted == served


@pytest.mark.django_db(transaction=True)
def test_it_puts_a_lawyer_on_duty_only_once_a_day_when_two_clerks_save_at_once(org):
    """The duty roster's rule (stations.services._check_shift, shown on the form): a lawyer is not put on duty
    twice on one day. The check reads, then writes, without a lock or a constraint: two clerks saving the same
    lawyer for the same day at once (or one double click) both pass it and the lawyer has two shifts that day."""
    clerk, lawyer = org["users"]["clerk"], org["handlers"]["张伟"]

    def add(place):
        with transaction.atomic():
            return station_services.duty_shift_create(
                data={"date": D(2026, 11, 25), "place_kind": "court", "place": place, "handler": lawyer}, by=clerk)

    saved, refused = at_once(add, [("示范县人民法院",), ("示范县看守所",)])
    assert len(saved) == 1 and len(refused) == 1
    assert DutyShift.objects.filter(handler=lawyer, date=D(2026, 11, 25)).count() == 1


# --- ledger import and the lists ------------------------------------------------------------------------

@freeze_time(NOW)
def test_it_shows_events_imported_from_a_ledger_in_the_event_list_and_its_totals_at_once(client_for, tmp_path,
                                                                                        org):
    """LEDGER.md: "a clerk uploads last years' ledgers and the dashboards and reports are right from day one";
    DECISIONS.md: a figure equals its list. core.counts: list counts are "dropped at once when any record of the
    project's apps is saved".

    The import writes with COPY, which sends no signal: the event list's row count and totals stay those cached
    before the import (for up to a minute), and since the page shows only as many rows as it counted, the
    imported event is not even listed."""
    from ledger.importing import import_ledger
    from tests.ledger.builders import build_ledger

    EventFactory(date=D(2026, 3, 5), materials=200, onsite=30, audience=150)
    client = client_for("director")
    client.get(reverse("publicity:event_list"))
    path = build_ledger(tmp_path / "宣传.xlsx", {"宣传活动": [
        {"日期": "2026-03-15", "活动名称": "普法进村", "活动形式": "进村", "发放资料": 100, "现场咨询": 5, "受众": 250}]})
    assert import_ledger(path).ok
    page = client.get(reverse("publicity:event_list"))
    assert [e.title for e in page.context["events"]].count("普法进村") == 1
    assert page.context["page_obj"].paginator.count == 2
    assert page.context["totals"]["count"] == 2 and page.context["totals"]["audience"] == 400




# --- a guard: the half-year boundary in Shanghai time, from the phone form to the list and the export -------

@freeze_time("2026-07-01 09:00:00+08:00")
def test_an_outreach_desk_row_logged_at_23_30_on_30_june_belongs_to_the_first_half_everywhere(client_for,
                                                                                             station_a):
    """STATISTICS.md: a period is a pair of dates in Asia/Shanghai; DOMAIN.md §3: person count default 1, an
    outreach desk may log one row for many people, and station staff log one quickly (four fields suffice)."""
    import io

    import openpyxl

    from intake.models import Consultation

    client = client_for("staff_a")
    response = client.post(reverse("intake:consultation_create"), {
        "occurred_at": "2026-06-30T23:30", "channel": "event", "person_count": "12", "outcome": "answered"})
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.station == station_a and consultation.handled_by == consultation.created_by
    h1, h2 = parse_period("2026H1"), parse_period("2026H2")
    assert ind.compute_all(h1, station_a)["consultations.event"] == 12
    assert ind.compute_all(h2, station_a)["consultations.total"] == 0
    listed = client.get(reverse("intake:consultation_list"), {"date_from": "2026-06-30", "date_to": "2026-06-30"})
    assert (listed.context["rows"], listed.context["total"]) == (1, 12)
    assert client.get(reverse("intake:consultation_list"), {"date_from": "2026-07-01"}).context["rows"] == 0
    exported = client.get(reverse("intake:consultation_list"), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0].date() == D(2026, 6, 30) and rows[1][1] == "现场" and rows[1][-1] == 12
