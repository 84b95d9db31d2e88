"""新申请 says that an application starts from the applicant and finds the person on the same page (issue 16)."""

from __future__ import annotations

import pytest

from tests.factories import ConsultationFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/intake/applications/new/"


def test_new_application_explains_that_it_starts_from_the_applicant(client_for):
    r = client_for("clerk").get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "申请从申请人开始" in html
    assert 'data-testid="applicant-search"' in html
    assert "/applicants/new/?next=%2Fintake%2Fapplications%2Fnew%2F" in html


def test_the_search_lists_matches_each_with_a_link_to_a_new_application_for_them(client_for):
    sun = PersonFactory(name="孙九", phone="13755556666")
    PersonFactory(name="李四", phone="13900001111")
    r = client_for("clerk").get(URL, {"q": "孙九"})
    assert [p.name for p in r.context["matches"]] == ["孙九"]
    html = r.content.decode()
    assert "为此人新建申请" in html and f'href="{URL}?person={sun.pk}"' in html
    form = client_for("clerk").get(f"{URL}?person={sun.pk}")
    assert form.status_code == 200 and 'data-testid="application-form"' in form.content.decode()


def test_a_search_that_finds_nobody_says_so_and_offers_to_register_with_the_name(client_for):
    r = client_for("clerk").get(URL, {"q": "赵无名"})
    html = r.content.decode()
    assert r.context["matches"] == []
    assert "没有找到已登记的人" in html
    assert "name=%E8%B5%B5%E6%97%A0%E5%90%8D" in r.context["register_url"]


def test_station_staff_find_only_the_people_of_their_station(client_for, station_a, station_b):
    PersonFactory(name="王城关", station=station_a)
    PersonFactory(name="王新桥", station=station_b)
    r = client_for("staff_a").get(URL, {"q": "王"})
    assert [p.name for p in r.context["matches"]] == ["王城关"]
    assert "王新桥" not in r.content.decode()


def test_the_consultation_travels_with_the_search_and_the_links(client_for, clerk):
    person = PersonFactory(name="钱十")
    c = ConsultationFactory(person_name="钱十")
    r = client_for("clerk").get(URL, {"consultation": c.pk, "q": "钱十"})
    html = r.content.decode()
    assert f'name="consultation" value="{c.pk}"' in html
    assert f"{URL}?consultation={c.pk}&amp;person={person.pk}" in html


def test_another_stations_consultation_is_not_found(client_for, station_b):
    c = ConsultationFactory(station=station_b)
    assert client_for("staff_a").get(URL, {"consultation": c.pk}).status_code == 404


def test_a_role_without_intake_may_not_open_it(client_for):
    assert client_for("finance").get(URL).status_code == 403
