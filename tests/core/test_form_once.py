"""A form sent twice saves once (core.flow, `_once`; core.templatetags.form_once).

Every POST form carries a number of its own, written by `{% csrf_token %}`. A double click or a retry after a
timeout sends the same form, so the same number, again: core.flow takes the number in the transaction that saves,
and the second sending runs nothing and leads where the first went. A refused or invalid sending leaves the number
unused; a POST without a number (an API client, an older page) runs as it always did.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from core import flow
from tests.core.test_audit_concurrency import Threads, _client, holding_sequence, wait_for_waiters
from tests.factories import PersonFactory

ONCE = re.compile(r'<input type="hidden" name="_once" value="([0-9a-f-]{36})">')
ALREADY = "此表单已经提交过，只保存了一次。"  # "This form was already sent; it was saved once."


def numbers_on(response) -> list[str]:
    return ONCE.findall(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the number on every POST form ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_every_post_form_carries_a_number_of_its_own_each_time_it_is_shown(org, client_for):
    finance = client_for("finance")
    first, again = numbers_on(finance.get("/funding/spending/new/")), numbers_on(finance.get("/funding/spending/new/"))
    assert first and again  # the page's form (and the shell's language and logout forms)
    assert len(set(first)) == len(first), "each form of a page has its own number"
    assert not set(first) & set(again), "a page shown again has new numbers"


def test_no_number_is_written_where_django_writes_no_csrf_field():
    assert Template("{% csrf_token %}").render(Context({})) == ""
    html = Template("{% csrf_token %}").render(Context({"csrf_token": "abc"}))
    assert 'name="csrfmiddlewaretoken" value="abc"' in html and len(ONCE.findall(html)) == 1


@pytest.mark.django_db
def test_the_admin_forms_still_work_and_carry_the_number_too(client, admin_user):
    from core.models import DeadlineRule

    client.force_login(admin_user)
    rule = DeadlineRule.objects.get(code="case_assign")
    response = client.get(f"/admin/core/deadlinerule/{rule.pk}/change/")
    assert response.status_code == 200
    assert len(numbers_on(response)) >= 1


# --- the mechanism, on a form of its own ------------------------------------------------------------------------

class NumberForm(forms.Form):
    n = forms.IntegerField()


def _post(data: dict, user=None):
    request = RequestFactory().post("/things/new/", data)
    request.user = user or _anonymous()
    request._messages = CookieStorage(request)
    return request


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


class Service:
    """A service that records each run, refuses `n` < 0, and answers the new record's address."""

    def __init__(self):
        self.saved: list[int] = []

    def __call__(self, data: dict) -> str:
        if data["n"] < 0:
            raise ValidationError({"n": "no negative numbers"})
        self.saved.append(data["n"])
        return f"/things/{len(self.saved)}/"


def _submit(service: Service, data: dict, user=None):
    request = _post(data, user)
    response = flow.submit(request, NumberForm(request.POST), service, done="Saved.", to=lambda url: url)
    return request, response


@pytest.mark.django_db
def test_the_same_form_sent_twice_saves_once_and_leads_to_what_the_first_saved(clerk):
    service, token = Service(), str(uuid.uuid4())
    _, first = _submit(service, {"n": 1, "_once": token}, clerk)
    request, second = _submit(service, {"n": 1, "_once": token}, clerk)
    assert service.saved == [1]
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == "/things/1/"
    assert [str(m) for m in request._messages] == [ALREADY]


@pytest.mark.django_db
def test_a_form_sent_again_with_other_values_under_the_same_number_is_a_new_sending(clerk):
    """The back button shows the page as it was, with its number: a clerk who changes it and sends it again
    means another record (a double click or a retry sends the same content)."""
    service, token = Service(), str(uuid.uuid4())
    _submit(service, {"n": 1, "_once": token}, clerk)
    _, second = _submit(service, {"n": 2, "_once": token}, clerk)
    assert service.saved == [1, 2] and second["Location"] == "/things/2/"
    _, third = _submit(service, {"n": 1, "_once": token}, clerk)
    assert service.saved == [1, 2] and third["Location"] == "/things/1/", "the first content again: a repeat"


@pytest.mark.django_db
def test_an_invalid_form_leaves_its_number_unused_so_the_corrected_form_saves(clerk):
    from core.models import FormToken

    service, token = Service(), str(uuid.uuid4())
    _, invalid = _submit(service, {"n": "many", "_once": token}, clerk)
    assert invalid is None and not FormToken.objects.filter(token=token).exists()
    _, saved = _submit(service, {"n": 3, "_once": token}, clerk)
    assert service.saved == [3] and saved["Location"] == "/things/1/"


@pytest.mark.django_db
def test_a_refusal_of_the_service_leaves_the_number_unused_so_the_corrected_form_saves(clerk):
    from core.models import FormToken

    service, token = Service(), str(uuid.uuid4())
    request = _post({"n": -1, "_once": token}, clerk)
    form = NumberForm(request.POST)
    assert flow.submit(request, form, service, done="Saved.", to=lambda url: url) is None
    assert form.errors["n"] == ["no negative numbers"]
    assert not FormToken.objects.filter(token=token).exists()
    _, saved = _submit(service, {"n": 4, "_once": token}, clerk)
    assert service.saved == [4] and saved.status_code == 302


@pytest.mark.django_db
def test_a_post_without_a_number_runs_as_before_every_time(clerk):
    from core.models import FormToken

    service = Service()
    _submit(service, {"n": 1}, clerk)
    _submit(service, {"n": 1}, clerk)
    _submit(service, {"n": 1, "_once": "not-a-number"}, clerk)
    assert service.saved == [1, 1, 1]
    assert not FormToken.objects.exists()


@pytest.mark.django_db
def test_a_number_sent_by_someone_else_does_not_lead_to_their_record(clerk, director):
    service, token = Service(), str(uuid.uuid4())
    _submit(service, {"n": 1, "_once": token}, clerk)
    _, other = _submit(service, {"n": 1, "_once": token}, director)
    assert service.saved == [1]
    assert other["Location"] == "/things/new/"  # the form again, not the clerk's record


@pytest.mark.django_db
def test_a_button_pressed_twice_runs_once_and_a_refused_one_can_be_pressed_again(clerk):
    runs, refuse = [], [True]

    def press():
        if refuse[0]:
            raise ValidationError("not yet")
        runs.append(1)

    token = str(uuid.uuid4())
    for _ in range(2):
        request = _post({"_once": token}, clerk)
        assert flow.act(request, press, done="Done.", to="/things/1/")["Location"] == "/things/1/"
    assert runs == []  # refused twice: the number stayed unused
    refuse[0] = False
    for _ in range(2):
        request = _post({"_once": token}, clerk)
        assert flow.act(request, press, done="Done.", to="/things/1/")["Location"] == "/things/1/"
    assert runs == [1]
    assert [str(m) for m in request._messages] == [ALREADY]


@pytest.mark.django_db
def test_a_small_form_posted_from_another_page_twice_runs_once_after_an_invalid_first_try(clerk):
    service, token = Service(), str(uuid.uuid4())
    for data in ({"n": "x", "_once": token}, {"n": 5, "_once": token}, {"n": 5, "_once": token}):
        request = _post(data, clerk)
        flow.act_with(request, NumberForm(request.POST), service, done="Saved.", to="/things/")
    assert service.saved == [5]


@pytest.mark.django_db
def test_numbers_older_than_a_week_are_forgotten(clerk):
    from core.models import FormToken
    from core.tasks import expire_form_tokens

    old, recent = FormToken.objects.create(token=uuid.uuid4()), FormToken.objects.create(token=uuid.uuid4())
    FormToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    FormToken.objects.filter(pk=recent.pk).update(created_at=timezone.now() - dt.timedelta(days=6))
    assert expire_form_tokens() == 1
    assert list(FormToken.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_nightly_beat_forgets_old_numbers():
    from django.conf import settings

    assert any(e["task"] == "core.expire_form_tokens" for e in settings.CELERY_BEAT_SCHEDULE.values())


# --- the audit's double submits, as a browser sends them (the page's number twice) -------------------------------

def _sent_twice(client, url: str, data: dict):
    page = client.get(url)
    assert page.status_code == 200
    token = numbers_on(page)[-1]  # the page's own form comes after the shell's language and logout forms
    first = client.post(url, {**data, "_once": token})
    second = client.post(url, {**data, "_once": token})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert ALREADY in messages_of(second)
    return first


@pytest.mark.django_db
def test_a_spending_entry_sent_twice_is_posted_once(org, client_for):
    from funding.models import Spending

    data = {"date": timezone.localdate().isoformat(), "category": "publicity", "amount": "3000.00",
            "description": "宣传资料印刷"}
    first = _sent_twice(client_for("finance"), "/funding/spending/new/", data)
    spending = Spending.objects.get(category="publicity")
    assert first["Location"] == f"/funding/spending/{spending.pk}/"


@pytest.mark.django_db
def test_an_application_sent_twice_is_received_once_with_one_receipt_number(org, client_for):
    from core.models import DocumentSequence
    from intake.models import Application

    person = PersonFactory()
    data = {"person": person.pk, "received_on": timezone.localdate().isoformat(), "category": "civil",
            "cause": "labour_pay", "recipient_count": 1, "facts": "欠薪三个月"}
    _sent_twice(client_for("clerk"), "/intake/applications/new/", data)
    assert Application.objects.filter(applicant=person).count() == 1
    assert DocumentSequence.objects.get(scope="doc:receipt", year=timezone.localdate().year).last == 1


@pytest.mark.django_db
def test_a_criminal_notice_sent_twice_opens_one_case_with_one_number(org, client_for):
    from cases.models import Case
    from intake.models import CriminalNotice

    person = PersonFactory(birth_date=dt.date(2009, 3, 1))
    data = {"organ": "court", "organ_name": "示范县人民法院", "notice_number": "（2025）示刑通字第17号",
            "received_on": timezone.localdate().isoformat(), "person": person.pk, "ground": "minor",
            "stage": "trial", "cause": "theft"}
    _sent_twice(client_for("clerk"), "/intake/notices/new/", data)
    assert CriminalNotice.objects.filter(notice_number="（2025）示刑通字第17号").count() == 1
    assert Case.objects.filter(recipient=person).count() == 1


# --- two sendings at the same moment ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_same_application_sent_twice_at_once_is_received_once(org):
    """The second sending waits on the first's number (the unique key) until the first commits, then leads where
    it went: one application, one receipt number, no server error. The test holds the receipt sequence, which the
    first needs after it took the number, until both are queued."""
    from intake.models import Application

    person = PersonFactory()
    data = {"person": person.pk, "received_on": timezone.localdate().isoformat(), "category": "civil",
            "cause": "labour_pay", "recipient_count": 1, "facts": "欠薪三个月", "_once": str(uuid.uuid4())}
    clerk = org["users"]["clerk"]
    threads = Threads()
    with holding_sequence("doc:receipt", timezone.localdate().year):
        for _ in range(2):
            threads.start(lambda: _client(clerk).post("/intake/applications/new/", data))
        wait_for_waiters(2)  # one waits for the receipt number, the other for the first's form number
    responses, errors = threads.join()
    assert errors == []
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert Application.objects.filter(applicant=person).count() == 1


@pytest.mark.django_db
def test_a_double_click_on_a_lawyers_deactivate_button_does_not_switch_him_back_on(org, client_for):
    """The roster's button is a toggle: sent twice, it switched the lawyer off and on again."""
    import re

    from stations.models import Handler

    director = client_for("director")
    handler = Handler.objects.filter(active=True).first()
    page = director.get("/cases/handlers/").content.decode()
    token = re.findall(r'name="_once" value="([0-9a-f-]+)"', page)[-1]
    for _ in range(2):
        assert director.post(f"/cases/handlers/{handler.pk}/active/", {"_once": token}).status_code == 302
    handler.refresh_from_db()
    assert handler.active is False
