"""The applicants' list and the vulnerable-persons registry cost the same queries for few rows as for many."""

import pytest
from django.urls import reverse

from applicants.models import VulnerableEntry
from tests.factories import PersonFactory, resident_id
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


def test_the_applicants_list_costs_the_same_queries_for_few_or_many(client_for, org):
    client = client_for("clerk")
    PersonFactory.create_batch(2)
    few = queries_for(client, reverse("applicants:person_list"))
    PersonFactory.create_batch(30)
    assert queries_for(client, reverse("applicants:person_list")) == few
    page = client.get(reverse("applicants:person_list")).context["page_obj"]
    assert page.paginator.count >= 32 and len(page.object_list) == 25


def _entries(first: int, n: int) -> None:
    VulnerableEntry.objects.bulk_create(
        VulnerableEntry(name=f"登记{i}", id_number=resident_id(500 + i), category="dibao", source="民政局")
        for i in range(first, first + n))


def test_the_registry_list_costs_the_same_queries_for_few_or_many(client_for, org):
    client = client_for("clerk")
    _entries(0, 2)
    few = queries_for(client, reverse("applicants:registry_list"))
    _entries(2, 30)
    assert queries_for(client, reverse("applicants:registry_list")) == few
    page = client.get(reverse("applicants:registry_list")).context["page_obj"]
    assert page.paginator.count == 32 and len(page.object_list) == 25
