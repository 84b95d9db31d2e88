from django.test import Client

from tests.factories import PersonFactory, make_case


def test_green_channel_cases_come_first_on_the_clerks_workbench_marked_for_same_day_assignment(clerk):
    ordinary = make_case()
    green = make_case(recipient=PersonFactory(declared_groups=["migrant_worker"]), green_channel=True)
    client = Client()
    client.force_login(clerk)
    body = client.get("/").content.decode()
    assert "绿色通道·当日指派" in body
    assert body.index(green.number) < body.index(ordinary.number)
