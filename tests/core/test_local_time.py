"""Issue 12: every date and time a page shows is Beijing time.

From 00:00 to 08:00 in Beijing the UTC day is the day before, so a UTC value written as it is shows the
wrong date for a third of every day. Each page is rendered at two instants: 00:56 in Beijing (UTC still
on the day before) and 23:30 in Beijing (the same day in both zones, but not the same hour).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import make_case

MOMENTS = [
    pytest.param("2026-12-01 16:56:00+00:00", "2026-12-02 00:56", "2026-12-01 16:56", id="00:56-in-beijing"),
    pytest.param("2026-12-01 15:30:00+00:00", "2026-12-01 23:30", "2026-12-01 15:30", id="23:30-in-beijing"),
]


def zh_day(text: str) -> str:
    d = date.fromisoformat(text[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def breadcrumbs_of(html: str) -> str:
    match = re.search(r'<nav aria-label="[^"]*"><ol class="breadcrumb">.*?</nav>', html, re.S)
    assert match, "the page has no breadcrumbs"
    return match.group(0)


def history_of(html: str) -> str:
    match = re.search(r'data-testid="history".*?</table>', html, re.S)
    assert match, "the page has no history table"
    return match.group(0)


def assert_beijing_not_utc(text: str, beijing: str, utc: str) -> None:
    assert beijing in text
    assert utc not in text
    if beijing[:10] != utc[:10]:
        assert utc[:10] not in text


@pytest.mark.parametrize(("instant", "beijing", "utc"), MOMENTS)
def test_a_report_run_is_labelled_with_the_beijing_day_in_its_breadcrumbs(client, director, instant, beijing, utc):
    from reports.services import report_run_request

    with freeze_time(instant):
        run = report_run_request(period="2026", by=director)
        client.force_login(director)
        html = client.get(f"/reports/runs/{run.pk}/").content.decode()

    crumbs = breadcrumbs_of(html)
    assert f"截至{zh_day(beijing)}" in crumbs
    if beijing[:10] != utc[:10]:
        assert zh_day(utc) not in html
    assert_beijing_not_utc(html, beijing, utc)  # requested at …


@pytest.mark.parametrize(("instant", "beijing", "utc"), MOMENTS)
def test_the_case_page_and_its_history_are_in_beijing_time(client, director, handler_profile, instant, beijing,
                                                           utc):
    from cases.services import case_assign

    with freeze_time(instant):
        case = make_case(by=director)
        case_assign(case=case, handler=handler_profile, on=timezone.localdate(), by=director)
        client.force_login(director)
        html = client.get(f"/cases/{case.pk}/").content.decode()

    history = history_of(html)
    assert history.count(beijing) == 2  # opened, assigned
    assert f"指派日期：— → {beijing[:10]}<" in history
    assert_beijing_not_utc(html, beijing, utc)


@pytest.mark.parametrize(("instant", "beijing", "utc"), MOMENTS)
def test_the_consultation_heading_breadcrumb_and_history_are_in_beijing_time(client, director, instant, beijing,
                                                                               utc):
    from intake.models import Consultation
    from intake.services import consultation_save

    with freeze_time(instant):
        c = consultation_save(consultation=Consultation(occurred_at=timezone.now(), person_name="李四"),
                              by=director)
        client.force_login(director)
        html = client.get(f"/intake/consultations/{c.pk}/").content.decode()

    assert re.search(rf"<h1[^>]*>[^<]*{beijing}</h1>", html)
    assert_beijing_not_utc(history_of(html), beijing, utc)
    assert_beijing_not_utc(breadcrumbs_of(html), beijing, utc)
    assert_beijing_not_utc(html, beijing, utc)


@pytest.mark.parametrize(("instant", "beijing", "utc"), MOMENTS)
def test_a_breadcrumb_given_a_datetime_or_a_date_writes_it_in_beijing_time(director, instant, beijing, utc):
    moment = datetime.fromisoformat(instant)
    request = RequestFactory().get("/")
    request.user = director
    html = render_to_string("base.html", {"breadcrumbs": [(moment, "/somewhere/"), (moment.date(), None),
                                                          ("<b>text</b>", None)]}, request=request)

    crumbs = breadcrumbs_of(html)
    assert f'<a href="/somewhere/">{beijing}</a>' in crumbs
    assert f'aria-current="page">{utc[:10]}</li>' in crumbs  # a date is a day already: never shifted
    assert "&lt;b&gt;text&lt;/b&gt;" in crumbs  # text is text, escaped as ever
    assert utc not in crumbs


def test_the_time_filters_write_beijing_time_whatever_zone_is_active():
    moment = datetime(2026, 12, 1, 16, 56, tzinfo=UTC)
    template = Template("{% load legalaid %}{{ t|local_time }}|{{ t|local_date }}|{{ d|local_time }}|{{ s|local_time }}")
    with timezone.override("UTC"):
        text = template.render(Context({"t": moment, "d": date(2026, 12, 1), "s": "2026-12-01 16:56"}))
    assert text == "2026-12-02 00:56|2026-12-02|2026-12-01|2026-12-01 16:56"
