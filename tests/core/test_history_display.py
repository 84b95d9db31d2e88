"""Issue 12: the change history names people and records, not their ids, and reads lists as lists."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.factories import PersonFactory, make_case


def history_of(html: str) -> str:
    match = re.search(r'data-testid="history".*?</table>', html, re.S)
    assert match, "the page has no history table"
    return match.group(0)


def received_application(clerk):
    from intake.models import Application
    from intake.services import application_receive, materials_update

    person = PersonFactory(name="王小明", hukou="rural", declared_groups=["migrant_worker"])
    app = application_receive(application=Application(applicant=person, received_on=timezone.localdate(),
                                                      category="civil", cause="labour_pay"), by=clerk)
    materials_update(application=app, received={m.pk for m in app.materials.all()}, by=clerk)
    return app


def render_history(obj, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load legalaid %}{% history_table obj %}").render(Context({"obj": obj, "request": request}))


def test_the_application_history_names_the_decider_and_joins_the_eligibility_reasons(client, clerk, reviewer,
                                                                                      director):
    from intake import services

    app = received_application(clerk)
    services.application_submit_review(application=app, by=clerk)
    app, _case = services.application_grant(application=app, by=reviewer)
    assert len(app.eligibility_reasons) >= 2

    client.force_login(director)
    history = history_of(client.get(f"/intake/applications/{app.pk}/").content.decode())

    assert f"决定人：— → {reviewer.display_name}<" in history
    assert not re.search(r"决定人：— → \d+<", history)
    assert f"资格审查理由：— → {'、'.join(app.eligibility_reasons)}<" in history
    assert "[" not in history and "&#x27;" not in history
    assert "资格审查结果：— → 符合条件<" in history  # a choice as its label
    assert f"决定日期：— → {timezone.localdate():%Y-%m-%d}<" in history
    assert f"<td>{reviewer.display_name}</td>" in history and f"<td>{clerk.display_name}</td>" in history


def test_the_case_history_names_the_handler_not_its_id(client, director, handler_profile):
    from cases.services import case_assign

    case = make_case(by=director)
    case_assign(case=case, handler=handler_profile, on=timezone.localdate(), by=director)

    client.force_login(director)
    history = history_of(client.get(f"/cases/{case.pk}/").content.decode())

    assert f"承办人：— → {handler_profile.name}<" in history
    assert not re.search(r"承办人：— → \d+<", history)
    assert "指派时承办人类型：— → " in history and "lawyer" not in history
    assert f"指派日期：— → {timezone.localdate():%Y-%m-%d}<" in history


def test_a_change_nobody_is_recorded_for_is_by_the_system_and_booleans_read_yes_or_no(director):
    from cases.models import Case

    case = Case.objects.get(pk=make_case(by=director).pk)
    case.major = True
    case.save()  # no _history_user and no request: a scheduled job, say

    history = render_history(case, director)

    assert "<td>系统</td>" in history
    assert "重大疑难：否 → 是<" in history


def test_each_kind_of_value_is_written_as_a_person_reads_it():
    from cases.models import Case
    from core.history import display_value
    from intake.models import Application

    field = Case._meta.get_field
    with translation.override("zh-hans"):
        assert display_value(field("closing_report"), "") == "—"
        assert display_value(field("amount_involved"), None) == "—"
        assert display_value(field("recipient_groups"), []) == "—"
        assert display_value(field("recipient_count"), 0) == "0"
        assert display_value(field("major"), False) == "否"
        assert display_value(field("closed_on"), date(2026, 12, 2)) == "2026-12-02"
        assert display_value(field("created_at"), datetime(2026, 12, 1, 16, 56, tzinfo=UTC)) == "2026-12-02 00:56"
        assert display_value(field("status"), "archived") == "已归档"
        assert display_value(field("recipient_groups"), ["migrant_worker", "disabled"]) == "农民工、残疾人"
        assert display_value(Application._meta.get_field("eligibility_reasons"), ["甲", "乙"]) == "甲、乙"
        assert display_value(field("handler"), 999999) == "#999999"  # a record since deleted


def change_handler_times(case, times: int, handlers, by) -> None:
    from cases.services import case_change_handler

    for i in range(times):
        case_change_handler(case=case, handler=handlers[i % 2], on=timezone.localdate(), reason="回避", by=by)


def queries_to_render(obj, user) -> tuple[int, str]:
    from accounts.models import User

    fresh = User.objects.get(pk=user.pk)  # the same permission look-ups for every measurement
    with CaptureQueriesContext(connection) as queries:
        html = render_history(obj, fresh)
    return len(queries), html


def test_the_history_table_costs_the_same_queries_for_few_rows_as_for_many(director, handler_profile,
                                                                          other_handler):
    from cases.services import case_assign

    few, many = make_case(by=director), make_case(by=director)
    for case in (few, many):
        case_assign(case=case, handler=handler_profile, on=timezone.localdate(), by=director)
    change_handler_times(few, 1, [other_handler, handler_profile], director)
    change_handler_times(many, 8, [other_handler, handler_profile], director)

    few_queries, few_html = queries_to_render(few, director)
    many_queries, many_html = queries_to_render(many, director)

    assert many_html.count("<tr>") > few_html.count("<tr>") + 5
    assert many_html.count(f"→ {other_handler.name}<") == 4
    assert many_queries == few_queries


@pytest.fixture
def volunteers(station_a):
    from stations.models import Volunteer

    return [Volunteer.objects.create(name=name, station=station_a) for name in ("赵志愿", "钱志愿", "孙志愿")]


def test_volunteers_present_are_named_and_cost_one_query_whatever_the_rows(director, volunteers):
    from intake.models import Consultation
    from intake.services import consultation_save

    few = consultation_save(consultation=Consultation(occurred_at=timezone.now(), person_name="甲"), by=director)
    many = consultation_save(consultation=Consultation(occurred_at=timezone.now(), person_name="乙"), by=director)
    few.volunteers.set(volunteers[:1])
    for i in range(6):
        many.volunteers.set(volunteers[: i % 3 + 1])

    few_queries, few_html = queries_to_render(few, director)
    many_queries, many_html = queries_to_render(many, director)

    assert "参与志愿者：— → 赵志愿<" in few_html
    assert "参与志愿者：赵志愿、钱志愿 → 赵志愿、钱志愿、孙志愿<" in many_html
    assert not re.search(r"参与志愿者：[^<]*\d", many_html)
    assert many_queries == few_queries
