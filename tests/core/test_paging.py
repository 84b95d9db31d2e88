"""Lists count only up to a bound, reach their last page from the other end, and make the same number of
queries whatever their size (issue 14)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from core.paging import BoundedPaginator, paginate
from tests.factories import ConsultationFactory, PersonFactory, make_case
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(org):
    return [make_case() for _i in range(12)]


def page_of(url: str):
    return paginate(RequestFactory().get(url), Case.objects.order_by("-accepted_on", "-pk"), 5)


def test_a_list_within_the_bound_is_counted_exactly(twelve, settings):
    settings.LIST_COUNT_BOUND = 100
    page = page_of("/?page=3")
    assert page.paginator.exact and page.paginator.count == 12 and page.paginator.count_text == "12"
    assert page.number == 3 and len(page) == 2 and not getattr(page, "note", "")
    last = page_of("/?page=last")
    assert last.number == 3 and [c.pk for c in last] == [c.pk for c in page]


def test_past_the_bound_it_says_so_and_the_last_page_is_read_backwards(twelve, settings):
    settings.LIST_COUNT_BOUND = 7
    first = page_of("/")
    assert not first.paginator.exact and first.paginator.count_text == "7+" and first.note
    assert first.paginator.num_pages == 2
    ordered = list(Case.objects.order_by("-accepted_on", "-pk").values_list("pk", flat=True))
    last = page_of("/?page=last")
    assert last.is_far_end and [c.pk for c in last] == ordered[-5:]  # the list's real end, in list order
    assert [c.pk for c in page_of("/?page=2")] == ordered[5:10]
    assert page_of("/?page=999").number == 2 and page_of("/?page=abc").number == 1  # nearest page, never a 500


@pytest.mark.parametrize("one_query", [1_000, 0])
def test_a_page_is_the_same_read_in_one_query_or_by_its_keys(twelve, settings, monkeypatch, one_query):
    """A list of at most ONE_QUERY rows reads its page in one query; a longer one first the page's keys, then
    those rows (a deep page skips its offset without the joins): the same rows in the same order."""
    monkeypatch.setattr("core.paging.ONE_QUERY", one_query)
    settings.LIST_COUNT_BOUND = 100
    ordered = list(Case.objects.order_by("-accepted_on", "-pk").values_list("pk", flat=True))
    first = page_of("/")
    assert first.paginator.counted == 12  # counted before the page is read
    with CaptureQueriesContext(connection) as ctx:
        rows = [c.pk for c in page_of("/?page=2")]
    assert rows == ordered[5:10]
    reads = [q["sql"] for q in ctx.captured_queries if "cases_case" in q["sql"] and "COUNT(" not in q["sql"]]
    assert len(reads) == (1 if one_query else 2), reads


def test_the_page_links_offer_first_and_last(twelve, settings, client_for):
    settings.LIST_COUNT_BOUND = 7
    client = client_for("director")
    html = client.get("/cases/?page=last").content.decode()
    assert "最后一页" in html and "第一页" in html and "7+ 件案件" in html
    html = client.get("/cases/").content.decode()
    assert 'data-testid="last-page"' in html and "共 1 页以上" in html


def test_a_junk_page_parameter_answers_the_first_page(twelve, client_for):
    for junk in ("abc", "-1", "0", "99999999999999999999", "last%00", "1.5"):
        assert client_for("director").get(f"/cases/?page={junk}").status_code == 200, junk


LISTS = ["/cases/", "/cases/?q=某&status=awaiting", "/intake/consultations/", "/intake/applications/",
         "/applicants/", "/applicants/?q=某"]


def test_every_main_list_makes_the_same_few_queries_with_3_rows_or_30(org, client_for, settings):
    settings.LIST_COUNT_BOUND = 10
    client = client_for("director")

    def grow(n):
        for _i in range(n):
            make_case(recipient=PersonFactory(name="某某"))
            ConsultationFactory(person_name="某某")

    grow(3)
    few = {url: queries_for(client, url) for url in LISTS}
    grow(27)  # past the bound, several pages
    many = {url: queries_for(client, url) for url in LISTS}
    assert few == many
    assert max(many.values()) <= 20, many  # the shell's own (session, user, navigation badges) included
    assert BoundedPaginator(Case.objects.all()).count_text == "10+"


def test_filtered_lists_read_no_distinct(org, client_for):
    """A filter on a record's own fields cannot repeat a row: no DISTINCT over every column (django-filter's
    default for multiple choices), which made a province's filtered list sort all its rows."""
    from django.db import connection

    make_case()
    client = client_for("director")
    for url in ("/cases/?status=awaiting&category=civil&cause=labour_pay&stage=first_instance",
                "/intake/consultations/?channel=phone&topic=labour_pay", "/intake/applications/?status=granted"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in ctx.captured_queries if "DISTINCT" in q["sql"]], url
