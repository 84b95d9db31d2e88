"""Every view that takes a `next` parameter sends the user back into this site, never elsewhere."""

from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.html import escape

from core.redirects import safe_next
from tests.factories import make_case, resident_id

pytestmark = pytest.mark.django_db

HOSTILE = ["https://evil.example/", "//evil.example", "javascript:alert(1)", "///evil.example",
           "https:evil.example", "\\\\evil.example", " https://evil.example/"]


def assert_on_site(response):
    assert response.status_code in (301, 302, 303), response.status_code
    location = response["Location"]
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver"), location
    assert "evil" not in location and not location.lstrip().startswith(("//", "\\"))


@pytest.mark.parametrize("url", HOSTILE)
def test_safe_next_refuses_other_sites_and_schemes(url):
    request = RequestFactory().get("/x", {"next": url})
    assert safe_next(request, "/fallback/") == "/fallback/"


@pytest.mark.parametrize("url", ["/intake/applications/new/?consultation=3", "/cases/complaints/?page=2"])
def test_safe_next_keeps_a_path_of_this_site(url):
    assert safe_next(RequestFactory().post("/x", {"next": url}), "/fallback/") == url


def test_safe_next_refuses_plain_http_from_an_https_page():
    request = RequestFactory().get("/x", {"next": "http://testserver/home"}, secure=True)
    assert safe_next(request, "/") == "/"


def _logged_in(org, persona: str) -> Client:
    c = Client()
    c.force_login(org["users"][persona])
    return c


@pytest.mark.parametrize("url", HOSTILE)
def test_registering_a_person_does_not_follow_next_off_site(org, url):
    r = _logged_in(org, "clerk").post("/applicants/new/", {
        "next": url, "name": "钱七", "id_type": "resident", "id_number": resident_id(41), "ethnicity": "汉族",
        "household_size": 1})
    assert_on_site(r)
    assert r["Location"].startswith("/applicants/")


@pytest.mark.parametrize("url", HOSTILE)
def test_the_new_person_page_offers_no_link_off_site(org, url):
    r = _logged_in(org, "clerk").get("/applicants/new/", {"next": url, "q": "钱"})
    assert r.context["next"] == ""
    assert escape(url.strip()) not in r.content.decode()  # (the language switch carries the page's own path)


@pytest.mark.parametrize("url", HOSTILE)
def test_handling_a_complaint_does_not_follow_next_off_site(org, url):
    from cases import services

    reviewer = org["users"]["reviewer"]
    case = make_case(accepted_on=timezone.localdate() - timedelta(days=3), station=org["stations"]["station-a"])
    complaint = services.complaint_record(case=case, by=reviewer, received_on=timezone.localdate(),
                                          complainant="家属", content="联系不及时")
    r = _logged_in(org, "director").post(f"/cases/complaints/{complaint.pk}/handle/?{urlencode({'next': url})}", {
        "handling": "已回电", "resolved_on": date.today().isoformat()})
    assert_on_site(r)


@pytest.mark.parametrize("url", HOSTILE[:3])
def test_computing_a_subsidy_does_not_follow_next_off_site(org, url):
    case = make_case(accepted_on=timezone.localdate() - timedelta(days=3))  # not archived: compute refuses
    r = _logged_in(org, "finance").post(f"/funding/cases/{case.pk}/compute/", {"next": url})
    assert_on_site(r)


@pytest.mark.parametrize("url", HOSTILE)
def test_logging_in_does_not_follow_next_off_site(org, url):
    r = Client().post("/accounts/login/", {"username": "clerk", "password": "legalaid-demo", "next": url})
    assert_on_site(r)


@pytest.mark.parametrize("url", HOSTILE)
def test_logging_out_does_not_follow_next_off_site(org, url):
    assert_on_site(_logged_in(org, "clerk").post("/accounts/logout/", {"next": url}))


@pytest.mark.parametrize("url", HOSTILE)
def test_changing_the_language_does_not_follow_next_off_site(org, url):
    assert_on_site(_logged_in(org, "clerk").post("/i18n/setlang/", {"language": "en", "next": url}))
