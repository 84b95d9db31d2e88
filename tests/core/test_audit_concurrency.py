"""Audit: concurrent and repeated writes (two clerks, two tabs, a double click, a POST retried after a timeout).

A double submit (the same POST twice in a row) must be refused with a clear message or be idempotent; two
requests on the same record at the same moment must not both succeed in a way that breaks a rule (two case
numbers for one act, a merge undone, a lost correction), nor end in a server error instead of a message.

The thread tests run each request in a thread of its own with its own database connection. They do not rely on
timing: where the order matters, the test itself holds a row lock both requests need *after* their check, waits
(pg_stat_activity) until both are queued on it, and lets them go; or lets one request finish before the other,
which read the same record before it, writes.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from tests.factories import ConsultationFactory, PersonFactory, make_case

# --- helpers -------------------------------------------------------------------------------------------------

def _waiting_on_locks() -> int:
    """Other sessions of this test database now waiting for a lock (a fresh look, not the transaction's cache)."""
    with connection.cursor() as cur:
        cur.execute("select pg_stat_clear_snapshot()")
        cur.execute("select count(*) from pg_stat_activity where datname = current_database() "
                    "and wait_event_type = 'Lock' and pid <> pg_backend_pid()")
        return cur.fetchone()[0]


def wait_for_waiters(n: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while _waiting_on_locks() < n:
        assert time.monotonic() < deadline, f"fewer than {n} sessions queued on the lock"
        time.sleep(0.01)


class Threads:
    """Start `work(*args)` in threads of their own (own connections); `join()` → (results, exceptions)."""

    def __init__(self):
        self.results, self.errors, self._threads = [], [], []

    def start(self, work, *args):
        def run():
            try:
                self.results.append(work(*args))
            except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
                self.errors.append(exc)
            finally:
                connections.close_all()

        t = threading.Thread(target=run)
        t.start()
        self._threads.append(t)
        return t

    def join(self):
        for t in self._threads:
            t.join(60)
        assert not any(t.is_alive() for t in self._threads), "a request never finished"
        return self.results, self.errors


@contextmanager
def holding_row(model, **lookup):
    """Hold a row lock of `model` in this (the test's) connection until the block ends."""
    with transaction.atomic():
        model.objects.select_for_update().get(**lookup)
        yield


@contextmanager
def holding_sequence(scope: str, year: int):
    """Hold core.numbering's sequence row of (scope, year): whoever asks for its next number queues."""
    from core.models import DocumentSequence

    DocumentSequence.objects.get_or_create(scope=scope, year=year, defaults={"last": 0})
    with holding_row(DocumentSequence, scope=scope, year=year):
        yield


@pytest.fixture
def subsidy_defaults(org):
    """The shipped subsidy standards and policy (a transactional test may start after a flush)."""
    import importlib

    from django.apps import apps

    importlib.import_module("funding.migrations.0002_defaults").create_defaults(apps, None)


def _client(user) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def _form_data(form, **changes) -> dict:
    """What the browser posts back for `form` as the page showed it, with `changes`."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = "on" if value is True else value
    data.update(changes)
    return data


# --- double submits: one act, one number -----------------------------------------------------------------------

@pytest.mark.django_db
def test_a_double_submitted_criminal_notice_opens_one_case_with_one_number(org, client_for):
    """DOMAIN §5/§6: a notice (通知辩护) opens a case awaiting assignment with a number from the year's sequence.
    The same notice form posted twice (a double click, a retry after a timeout: same organ, same notice number,
    same person) registers the notice twice and opens two cases with two consecutive 刑字 numbers for one notice;
    both wait for a handler within 3 days and both count in every figure. No message says the notice was already
    registered."""
    from cases.models import Case
    from intake.models import CriminalNotice

    person = PersonFactory(birth_date=dt.date(2009, 3, 1))
    data = {"organ": "court", "organ_name": "示范县人民法院", "notice_number": "（2025）示刑通字第17号",
            "received_on": timezone.localdate().isoformat(), "person": person.pk, "ground": "minor",
            "stage": "trial", "cause": "theft"}
    clerk = client_for("clerk")
    data = sent_from_the_page(clerk, "/intake/notices/new/", data)
    first = clerk.post("/intake/notices/new/", data)
    assert first.status_code == 302
    clerk.post("/intake/notices/new/", data)
    assert CriminalNotice.objects.filter(notice_number="（2025）示刑通字第17号").count() == 1
    assert Case.objects.filter(recipient=person).count() == 1


@pytest.mark.django_db
def test_a_double_submitted_application_is_received_once_with_one_receipt_number(org, client_for):
    """DOMAIN §5: on receipt the center numbers a receipt of materials (援收字) and starts the 7-day clock. The
    new-application form posted twice for the same person and matter receives two applications, with two receipt
    numbers, two review deadlines and two entries in the figures of applications received."""
    from intake.models import Application

    person = PersonFactory()
    data = {"person": person.pk, "received_on": timezone.localdate().isoformat(), "category": "civil",
            "cause": "labour_pay", "recipient_count": 1, "facts": "欠薪三个月"}
    clerk = client_for("clerk")
    data = sent_from_the_page(clerk, "/intake/applications/new/", data)
    assert clerk.post("/intake/applications/new/", data).status_code == 302
    clerk.post("/intake/applications/new/", data)
    assert Application.objects.filter(applicant=person).count() == 1


@pytest.mark.django_db
def test_a_double_submitted_spending_entry_is_posted_once(org, client_for):
    """DOMAIN §9 (spending entries by category): a double click on 保存 of a new spending entry posts the same
    expense twice (two rows of 3,000.00 yuan: the year's spending shows 6,000.00). From the next day the duplicate
    cannot even be edited away: it takes a correcting entry (红字冲销, funding.services.spending_edit_refusal)."""
    from funding.models import Spending

    data = {"date": timezone.localdate().isoformat(), "category": "publicity", "amount": "3000.00",
            "description": "宣传资料印刷"}
    finance = client_for("finance")
    data = sent_from_the_page(finance, "/funding/spending/new/", data)
    assert finance.post("/funding/spending/new/", data).status_code == 302
    finance.post("/funding/spending/new/", data)
    assert Spending.objects.filter(category="publicity").count() == 1


def sent_from_the_page(client, url: str, data: dict) -> dict:
    """The form's data as the browser sends it from the page: with the page's own number (`_once`), which a
    double click or a retry sends again."""
    import re

    page = client.get(url).content.decode()
    return {**data, "_once": re.findall(r'name="_once" value="([0-9a-f-]+)"', page)[-1]}


# --- two requests at the same moment ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_clerks_turning_one_consultation_into_an_application_at_once_receive_one_application(org):
    """DOMAIN §3: "A consultation that leads to an application links to it"; intake.services.application_receive
    refuses a consultation that "already led to application …". The check reads the consultation as the request
    found it, without a lock: two clerks (or two tabs) pressing 引导申请 → 保存 on the same consultation at the
    same moment both pass it, and two applications are received with two receipt numbers; the consultation
    links to the second, the first is left over."""
    from intake.models import Application

    person = PersonFactory()
    consultation = ConsultationFactory(person=person, created_by=org["users"]["clerk"],
                                       handled_by=org["users"]["clerk"])
    data = {"person": person.pk, "received_on": timezone.localdate().isoformat(), "category": "civil",
            "cause": "labour_pay", "recipient_count": 1, "facts": "欠薪三个月"}
    url = f"/intake/applications/new/?consultation={consultation.pk}"
    threads = Threads()
    with holding_sequence("doc:receipt", timezone.localdate().year):
        for user in (org["users"]["clerk"], org["users"]["director"]):
            threads.start(lambda u: _client(u).post(url, data).status_code, user)
        wait_for_waiters(2)  # both checked the consultation and queue for the receipt number
    statuses, errors = threads.join()
    assert errors == []
    assert Application.objects.filter(applicant=person).count() == 1, statuses


@pytest.mark.django_db(transaction=True)
def test_two_first_prints_of_a_delivery_receipt_at_once_both_answer(org):
    """DOMAIN §12: 送达回证 accompanies every document the center serves; it is numbered (援送字) at its first
    print, "the same one ever after" (core.delivery.delivery_receipt). Two clerks printing the receipt of the
    same decision for the first time at the same moment: both find none, both take a number, and the second
    insert breaks the one-receipt-per-document constraint: a server error (500) instead of the receipt
    (core.issued.print_issued handles the same race for the document itself; delivery_receipt does not)."""
    from core.models import DeliveryReceipt
    from tests.factories import ApplicationFactory

    year = timezone.localdate().year
    app = ApplicationFactory(status="granted", decided_on=timezone.localdate(),
                             decision_number=f"（{year}）示援决字第1号", number=f"（{year}）示援收字第1号",
                             created_by=org["users"]["clerk"])
    url = f"/intake/applications/{app.pk}/print/decision/?delivery=1"
    threads = Threads()
    with holding_sequence("doc:delivery", year):
        for user in (org["users"]["clerk"], org["users"]["director"]):
            threads.start(lambda u: _client(u).get(url).status_code, user)
        wait_for_waiters(2)  # both found no receipt and queue for its number
    statuses, errors = threads.join()
    assert errors == []
    assert sorted(statuses) == [200, 200]
    assert DeliveryReceipt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_duplicate_merged_from_two_tabs_at_once_is_merged_once(org):
    """DOMAIN §4: "duplicates can be merged by a director"; applicants.services.person_merge refuses a record
    "already merged". It checks the two records as the request loaded them and locks nothing: a director who
    merges the duplicate D into 甲 in one tab and into 乙 in another at the same moment is told "Records merged"
    twice. D ends up merged into whichever was written last, both 甲 and 乙 took D's phone (and would take its
    ID number, if they had none), and the other merge is silently undone."""
    from applicants.models import Person

    director = org["users"]["director"]
    keep_1 = PersonFactory(name="王五", id_number="", phone="")
    keep_2 = PersonFactory(name="王五", id_number="", phone="")
    drop = PersonFactory(name="王五", id_number="", phone="13900000001")
    threads = Threads()
    with holding_row(Person, pk=drop.pk):
        for keep in (keep_1, keep_2):
            threads.start(lambda k: _client(director).post(
                f"/applicants/{k.pk}/merge/", {"other": drop.pk, "reason": "同一人"}).status_code, keep)
        wait_for_waiters(2)  # both checked that D is not merged yet and queue to write it
    statuses, errors = threads.join()
    assert errors == []
    drop.refresh_from_db()
    keep_1.refresh_from_db()
    keep_2.refresh_from_db()
    state = (f"D merged into #{drop.merged_into_id} (甲 #{keep_1.pk} phone {keep_1.phone!r}, "
             f"乙 #{keep_2.pk} phone {keep_2.phone!r})")
    assert sorted(statuses) == [200, 302], "both merges were reported done; " + state
    winner = drop.merged_into
    loser = keep_2 if winner == keep_1 else keep_1
    loser.refresh_from_db()
    assert loser.phone == "", "the refused merge changed nothing"


@pytest.mark.django_db(transaction=True)
def test_approving_a_proposed_handler_while_a_director_assigns_the_case_gives_no_server_error(org):
    """Assignment approval (a center setting): a reviewer approves the clerk's proposal while a director assigns
    the same case directly. One of them must win and the other be told the case is already assigned. The
    approval locks the proposal and then the case; the direct assignment locks the case and then (superseding
    the proposal) the proposal: PostgreSQL finds a deadlock and aborts one request with a server error."""
    from cases import services
    from cases.models import Case
    from core.models import CenterProfile

    profile = CenterProfile.get()
    profile.assignment_approval = True
    profile.save()
    case = make_case(accepted_on=timezone.localdate(), station=org["stations"]["station-a"])
    proposal = services.case_propose_assignment(case=case, handler=org["handlers"]["张伟"],
                                                by=org["users"]["clerk"])

    def assign():
        with transaction.atomic():  # a request (ATOMIC_REQUESTS)
            try:
                return services.case_assign(case=case, handler=org["handlers"]["李娜"], on=timezone.localdate(),
                                            by=org["users"]["director"])
            except ValidationError as exc:
                return exc

    def approve():
        with transaction.atomic():
            try:
                return services.case_approve_assignment(proposal=proposal, by=org["users"]["reviewer"])
            except ValidationError as exc:
                return exc

    threads = Threads()
    with holding_row(Case, pk=case.pk):
        threads.start(assign)
        wait_for_waiters(1)  # the director's request holds its place on the case
        threads.start(approve)
        wait_for_waiters(2)  # the reviewer's request holds the proposal and queues for the case
    results, errors = threads.join()
    assert errors == [], errors
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED and case.assignments.count() == 1


@pytest.mark.django_db(transaction=True)
def test_recomputing_a_subsidy_while_it_is_put_in_a_batch_gives_no_server_error(org, subsidy_defaults):
    """DOMAIN §7: finance computes a case's subsidy, then groups subsidies into payment batches. Recomputing a
    subsidy (funding.services.subsidy_compute: the case, then the subsidy) while a colleague puts it in a new
    batch (funding.services.batch_create: `select_for_update()` over the subsidy joined with its case, which
    locks the subsidy and then the case: no `of=("self",)` as batch_pay has) takes the two locks in opposite
    orders: PostgreSQL finds a deadlock and one of the two requests ends in a server error instead of the
    subsidy being recomputed then batched, or the recompute being refused."""
    from cases.models import Case
    from funding import services

    finance, director = org["users"]["finance"], org["users"]["director"]
    case = make_case(accepted_on=timezone.localdate())
    Case.objects.filter(pk=case.pk).update(
        status="archived", handler=org["handlers"]["张伟"], assigned_on=case.accepted_on, closed_on=case.accepted_on,
        archived_on=case.accepted_on, graded_on=case.accepted_on, grade="pass")
    subsidy = services.subsidy_compute(case=case, by=finance)

    def recompute():
        with transaction.atomic():  # a request (ATOMIC_REQUESTS)
            try:
                return services.subsidy_compute(case=case, by=director)
            except ValidationError as exc:
                return exc

    def batch():
        with transaction.atomic():
            try:
                return services.batch_create(subsidies=[subsidy], by=finance)
            except ValidationError as exc:
                return exc

    threads = Threads()
    with holding_row(Case, pk=case.pk):
        threads.start(recompute)
        wait_for_waiters(1)  # the recompute holds its place on the case
        threads.start(batch)
        wait_for_waiters(2)  # the batch holds the subsidy and queues for the case
    results, errors = threads.join()
    assert errors == [], errors


@pytest.mark.django_db(transaction=True)
def test_a_person_registered_twice_at_once_gets_a_message_not_a_server_error(org):
    """DOMAIN §4: "One person per ID number: intake finds the existing record … instead of creating a duplicate".
    The form checks the number and the database keeps it unique, but a second 保存 that arrives while the first
    is still being saved (a double click, a retry after a timeout) passes the check and then breaks the
    constraint: a server error (500), where the page should find the record just registered. Here the first
    request is played by the test's own transaction, which registers the same ID number and commits once the
    second request waits on it."""
    from applicants.models import Person
    from tests.factories import resident_id

    number = resident_id(377)
    data = {"name": "胡某", "id_type": "resident", "id_number": number, "phone": "", "ethnicity": "汉族",
            "household_size": 1, "household_income": "", "hukou": ""}
    threads = Threads()
    with transaction.atomic():  # the first 保存, not committed yet
        Person.objects.create(name="胡某", id_type="resident", id_number=number, sex="M",
                              birth_date=dt.date(1985, 6, 15))
        threads.start(lambda: _client(org["users"]["clerk"]).post("/applicants/new/", data).status_code)
        wait_for_waiters(1)  # the second passed the form's check and waits on the unique index
    statuses, errors = threads.join()
    assert errors == []
    assert statuses[0] != 500, "the second 保存 ended in a server error"
    assert Person.objects.filter(id_number=number).count() == 1


@pytest.mark.django_db
def test_a_correction_saved_in_another_tab_is_not_undone_by_a_later_save_of_the_case(org, client_for):
    """DOMAIN §13: "every change keeps its history"; cases.editing.case_edit: "A correction of what was
    recorded". The edit page posts every field it shows, and the service takes any posted value that differs
    from the case as a change: a clerk who opened the page before a colleague corrected the opposing party, and
    then corrects the amount in dispute, silently puts the old opposing party back (a lost update, recorded in
    the history as the clerk's own correction)."""
    from decimal import Decimal

    from cases.models import Case

    case = make_case(accepted_on=timezone.localdate(), station=org["stations"]["station-a"],
                     opposing_party="某建筑公司", amount_involved=Decimal("30000.00"))
    clerk_tab, director_tab = client_for("clerk"), client_for("director")
    url = f"/cases/{case.pk}/edit/"

    stale = clerk_tab.get(url).context["form"]  # the clerk opens the page first
    fresh = director_tab.get(url).context["form"]
    assert director_tab.post(url, _form_data(fresh, opposing_party="某建筑工程有限公司")).status_code == 302
    assert clerk_tab.post(url, _form_data(stale, amount_involved="45000.00")).status_code in (200, 302)
    case = Case.objects.get(pk=case.pk)
    assert case.opposing_party == "某建筑工程有限公司", "the director's correction was undone"


@pytest.mark.django_db(transaction=True)
def test_saving_an_application_while_a_supplementation_notice_is_issued_keeps_the_notice(org):
    """DOMAIN §5: if materials are incomplete, issue one notice listing everything missing; "the review clock
    pauses until the materials arrive" (intake.services.supplement_notice_issue: status 材料不全, materials due).
    intake.services.application_update locks the application and checks the step on the stored row, but then
    saves the copy the request loaded before it waited for the lock, every field of it: a clerk who saves a
    correction of the facts while a colleague issues the notice puts the application back to 已接收 with no
    materials date. The notice stands, the clock runs on, nothing is ever deemed withdrawn."""
    from intake import services
    from intake.models import Application

    clerk, director = org["users"]["clerk"], org["users"]["director"]
    app = services.application_receive(application=Application(
        applicant=PersonFactory(), received_on=timezone.localdate(), category="civil", cause="labour_pay",
        facts="欠薪三个月"), by=clerk)
    url = f"/intake/applications/{app.pk}/edit/"
    data = _form_data(_client(clerk).get(url).context["form"], facts="欠薪三个月，约两万元")
    threads = Threads()
    with transaction.atomic():  # the colleague's 补充材料通知 request, holding the application
        Application.objects.select_for_update().get(pk=app.pk)
        threads.start(lambda: _client(clerk).post(url, data).status_code)
        wait_for_waiters(1)  # the clerk's save loaded the application and waits for it
        notice = services.supplement_notice_issue(application=app, by=director)
    statuses, errors = threads.join()
    assert errors == []
    app.refresh_from_db()
    assert (app.status, app.materials_due) == (Application.Status.INCOMPLETE, notice.due_on), statuses
