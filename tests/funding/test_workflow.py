"""The money side's transition tables (funding.workflow): every transition walked through the real services,
every step refused where the table refuses it, the buttons of the pages equal to `offered`, and every guard
and phase written as a Q agreeing with `matches` on real rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Case
from core.workflow import matches
from funding import services
from funding.models import BatchReversal, PaymentBatch, Subsidy, SubsidyPayment
from funding.workflow import BATCH, NEW, REVERSAL, SUBSIDY, WORKFLOWS, reversible_lines

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


class NotApplicable(Exception):
    """The step has nothing to act on in this state (a subsidy never batched has no batch to take it out of)."""


@pytest.fixture
def make(ready_case, finance, director):
    """make.subsidy(state) / make.batch(state) / make.reversal(state): a record brought to the state through
    the services (NEW: what the creating step needs: a case, or a paid batch)."""

    class Make:
        def subsidy(self, state, grade="pass"):
            case = ready_case(grade)
            if state == NEW:
                return case
            subsidy = services.subsidy_compute(case=case, by=finance)
            if state != Subsidy.Status.COMPUTED:
                batch = services.batch_create(subsidies=[subsidy], by=finance,
                                              zero_reason="不合格，照录" if not subsidy.amount else "")
                if state == Subsidy.Status.PAID:
                    services.batch_pay(batch=batch, paid_on=TODAY(), by=finance)
            subsidy.refresh_from_db()
            return subsidy

        def batch(self, state):
            if state == NEW:
                return None
            batch = self.subsidy(Subsidy.Status.BATCHED).batch
            if state in (PaymentBatch.Status.PAID, PaymentBatch.Status.REVERSED):
                services.batch_pay(batch=batch, paid_on=TODAY(), by=finance)
            if state == PaymentBatch.Status.REVERSED:
                reversal = services.reversal_request(batch=batch, payments=list(reversible_lines(batch)),
                                                     reason="重复发放", by=finance)
                services.reversal_approve(reversal=reversal, by=director)
            batch.refresh_from_db()
            return batch

        def reversal(self, state):
            batch = self.batch(PaymentBatch.Status.PAID)
            if state == NEW:
                return batch
            reversal = services.reversal_request(batch=batch, payments=list(reversible_lines(batch)),
                                                 reason="金额有误", by=finance)
            if state == BatchReversal.Status.APPROVED:
                services.reversal_approve(reversal=reversal, by=director)
            elif state == BatchReversal.Status.DECLINED:
                services.reversal_decline(reversal=reversal, by=director)
            reversal.refresh_from_db()
            return reversal

    return Make()


def _subsidy_step(action, record, finance, director):
    if action == "compute":
        return services.subsidy_compute(case=record if isinstance(record, Case) else record.case, by=finance)
    if action == "adjust":
        return services.subsidy_adjust(subsidy=record, amount=Decimal("900"), reason="核减", by=director)
    if action == "batch":
        services.batch_create(subsidies=[record], by=finance)
        return record
    if record.batch_id is None and action in ("unbatch", "pay"):
        raise NotApplicable
    if action == "unbatch":
        services.batch_remove_subsidy(batch=record.batch, subsidy=record, by=finance)
        return record
    if action == "pay":
        services.batch_pay(batch=record.batch, paid_on=TODAY(), by=finance)
        return record
    if action == "reverse":
        line = record.payments.filter(kind=SubsidyPayment.Kind.PAYMENT, reversal_line__isnull=True).first()
        if line is None:
            raise NotApplicable
        reversal = services.reversal_request(batch=line.batch, payments=[line], reason="承办人有误", by=finance)
        services.reversal_approve(reversal=reversal, by=director)
        return record
    raise AssertionError(action)


def _batch_step(action, record, finance, director, make):
    if action == "create":
        return services.batch_create(subsidies=[make.subsidy(Subsidy.Status.COMPUTED)], by=finance)
    if action == "remove":
        line = record.subsidies.first() or record.payments.first().subsidy
        services.batch_remove_subsidy(batch=record, subsidy=line, by=finance)
    elif action == "pay":
        services.batch_pay(batch=record, paid_on=TODAY(), by=finance)
    elif action == "reverse":
        services.reversal_request(batch=record, payments=list(reversible_lines(record)), reason="金额有误",
                                  by=finance)
    elif action == "approve_reversal":  # ask for every open line, then the director approves
        reversal = services.reversal_request(batch=record, payments=list(reversible_lines(record)),
                                             reason="金额有误", by=finance)
        services.reversal_approve(reversal=reversal, by=director)
    return record


def _reversal_step(action, record, finance, director):
    if action == "request":
        return services.reversal_request(batch=record, payments=list(reversible_lines(record)), reason="重复",
                                         by=finance)
    if action == "approve":
        services.reversal_approve(reversal=record, by=director)
    elif action == "decline":
        services.reversal_decline(reversal=record, by=director)
    return record


def _walk(workflow, build, perform):
    """Every (state, action): performed where the table has the transition (and lands on its target), refused
    with a message, changing nothing, where it has not."""
    table = {(source, action): target for source, action, target in workflow.transitions()}
    states = [NEW] + list(workflow.states.values) if any(s == NEW for s, _a in table) else list(workflow.states.values)
    performed, refused = [], []
    for state in states:
        for action in workflow.by_action:
            record = build(state)
            if (state, action) in table:
                result = perform(action, record)
                result.refresh_from_db()
                assert workflow.state(result) == table[state, action], (state, action)
                performed.append((state, action))
            elif state != NEW and workflow[action].sources != (NEW,):  # a creating step acts on no record
                before = workflow.state(record)
                try:
                    with pytest.raises(ValidationError):
                        perform(action, record)
                except NotApplicable:
                    continue
                record.refresh_from_db()
                assert workflow.state(record) == before, (state, action)
                refused.append((state, action))
    assert sorted(performed) == sorted(table)
    return refused


def test_every_subsidy_transition_is_performed_or_refused_as_the_table_says(make, finance, director):
    refused = _walk(SUBSIDY, make.subsidy, lambda a, r: _subsidy_step(a, r, finance, director))
    assert ("batched", "compute") in refused and ("paid", "adjust") in refused and ("paid", "pay") in refused


def test_every_batch_transition_is_performed_or_refused_as_the_table_says(make, finance, director):
    refused = _walk(BATCH, make.batch, lambda a, r: _batch_step(a, r, finance, director, make))
    assert {("paid", "pay"), ("reversed", "pay"), ("paid", "remove"), ("open", "reverse"),
            ("reversed", "reverse")} <= set(refused)


def test_every_reversal_transition_is_performed_or_refused_as_the_table_says(make, finance, director):
    refused = _walk(REVERSAL, make.reversal, lambda a, r: _reversal_step(a, r, finance, director))
    assert set(refused) == {(s, a) for s in ("approved", "declined") for a in ("approve", "decline")}


# --- guards -------------------------------------------------------------------------------------------

def test_an_open_batch_without_lines_is_not_paid(make, finance):
    batch = make.batch(PaymentBatch.Status.OPEN)
    services.batch_remove_subsidy(batch=batch, subsidy=batch.subsidies.get(), by=finance)
    assert not BATCH.offered(finance, batch)["pay"] and BATCH.offered(finance, batch)["remove"]
    with pytest.raises(ValidationError, match="没有补贴"):
        services.batch_pay(batch=batch, paid_on=TODAY(), by=finance)
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.OPEN


def test_a_subsidy_whose_case_is_no_longer_archived_is_not_paid(make, finance):
    subsidy = make.subsidy(Subsidy.Status.BATCHED)
    subsidy.case.status = "closed"
    subsidy.case.save()
    subsidy = Subsidy.objects.select_related("case").get(pk=subsidy.pk)
    assert not SUBSIDY.enabled(subsidy, "pay")
    with pytest.raises(ValidationError, match=subsidy.case.number):
        services.batch_pay(batch=subsidy.batch, paid_on=TODAY(), by=finance)


def test_a_batch_whose_open_lines_all_await_approval_offers_no_second_reversal(make, finance):
    batch = make.batch(PaymentBatch.Status.PAID)
    services.reversal_request(batch=batch, payments=list(reversible_lines(batch)), reason="金额有误", by=finance)
    assert not BATCH.offered(finance, batch)["reverse"]
    with pytest.raises(ValidationError, match="等待主任批准"):
        services.reversal_request(batch=batch, payments=list(batch.payments.all()), reason="再来", by=finance)
    assert BatchReversal.objects.count() == 1


# --- capabilities: a refusal is a 403, never a form error ---------------------------------------------

def test_every_step_is_refused_with_permission_denied_to_a_user_without_its_capability(make, clerk, finance):
    for workflow in WORKFLOWS:
        for action in workflow.by_action:
            with pytest.raises(PermissionDenied):
                workflow.authorize(clerk, None, action)
    subsidy = make.subsidy(Subsidy.Status.COMPUTED)
    batch = make.batch(PaymentBatch.Status.OPEN)
    paid = make.batch(PaymentBatch.Status.PAID)
    calls = [
        lambda: services.subsidy_compute(case=subsidy.case, by=clerk),
        lambda: services.subsidy_adjust(subsidy=subsidy, amount=Decimal("1"), reason="x", by=finance),
        lambda: services.batch_create(subsidies=[subsidy], by=clerk),
        lambda: services.batch_remove_subsidy(batch=batch, subsidy=batch.subsidies.get(), by=clerk),
        lambda: services.batch_pay(batch=batch, paid_on=TODAY(), by=clerk),
        lambda: services.reversal_request(batch=paid, payments=list(paid.payments.all()), reason="x", by=clerk),
        lambda: services.spending_create(date=TODAY(), category="office", amount=Decimal("1"), by=clerk),
        lambda: services.duty_subsidy_post(year=TODAY().year, month=TODAY().month, by=clerk),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    reversal = services.reversal_request(batch=paid, payments=list(paid.payments.all()), reason="x", by=finance)
    for decide in (services.reversal_approve, services.reversal_decline):
        with pytest.raises(PermissionDenied):
            decide(reversal=reversal, by=finance)  # finance asks; the director decides
    subsidy.refresh_from_db()
    batch.refresh_from_db()
    assert subsidy.status == "computed" and batch.status == "open" and batch.subsidies.count() == 1


def test_grading_computes_the_subsidy_whoever_grades(make, reviewer):
    """The grading hook computes without finance's capability (the grader is not finance)."""
    case = make.subsidy(NEW)
    services.subsidy_on_grading(None, case=case, by=reviewer)
    assert Subsidy.objects.get(case=case).status == "computed"
    with pytest.raises(PermissionDenied):
        services.subsidy_compute(case=case, by=reviewer)


# --- the pages offer what the table offers ------------------------------------------------------------

def _batches(make, finance):
    out = {state: make.batch(state) for state in PaymentBatch.Status.values}
    empty = make.batch(PaymentBatch.Status.OPEN)
    services.batch_remove_subsidy(batch=empty, subsidy=empty.subsidies.get(), by=finance)
    pending = make.batch(PaymentBatch.Status.PAID)
    services.reversal_request(batch=pending, payments=list(reversible_lines(pending)), reason="金额有误", by=finance)
    out.update({"empty": empty, "pending": pending})
    return out


def test_the_batch_page_buttons_are_what_the_table_offers(make, finance, director, client_for):
    batches = _batches(make, finance)
    for persona, user in (("finance", finance), ("director", director)):
        client = client_for(persona)
        for name, batch in batches.items():
            batch.refresh_from_db()
            html = client.get(f"/funding/batches/{batch.pk}/").content.decode()
            offered = BATCH.offered(user, batch)
            shown = {"pay": 'data-testid="pay-form"' in html, "reverse": 'data-testid="reverse-request"' in html,
                     "remove": f"/funding/batches/{batch.pk}/remove/" in html}
            # "take out of batch" is a button on each line: an open batch without lines has none to show
            expected = {"pay": offered["pay"], "reverse": offered["reverse"],
                        "remove": offered["remove"] and batch.subsidies.exists()}
            assert shown == expected, (persona, name, shown, offered)
            approve = any(REVERSAL.offered(user, r)["approve"] for r in batch.reversals.all())
            assert ('data-testid="approve-reversal"' in html) == approve, (persona, name)
            assert ('data-testid="next-step"' in html) == bool(BATCH.next_step(batch)[0]), (persona, name)


def test_the_subsidy_page_buttons_are_what_the_table_offers(make, finance, director, client_for):
    subsidies = [make.subsidy(state) for state in Subsidy.Status.values]
    for persona, user in (("finance", finance), ("director", director)):
        client = client_for(persona)
        for subsidy in subsidies:
            html = client.get(f"/funding/subsidies/{subsidy.pk}/").content.decode()
            offered = SUBSIDY.offered(user, subsidy)
            assert ('data-testid="recompute"' in html) == offered["compute"], (persona, subsidy.status)
            assert ('data-testid="adjust"' in html) == offered["adjust"], (persona, subsidy.status)
            hint, _due = SUBSIDY.next_step(subsidy)
            assert ('data-testid="next-step"' in html) == bool(hint)


def test_the_workbench_and_the_menu_read_the_phases(make, finance, director, client_for):
    make.subsidy(Subsidy.Status.COMPUTED)
    make.batch(PaymentBatch.Status.OPEN)
    reversal = make.reversal(BatchReversal.Status.REQUESTED)
    assert Subsidy.objects.filter(SUBSIDY.todo_q(finance) & SUBSIDY.phase_q("awaiting_batch")).count() == 1
    assert set(BatchReversal.objects.filter(REVERSAL.todo_q(director))) == {reversal}
    assert not BatchReversal.objects.filter(REVERSAL.todo_q(finance)).exists()
    assert reversal.batch in PaymentBatch.objects.filter(BATCH.todo_q(director))
    home = client_for("director").get("/").content.decode()
    assert 'data-testid="panel-reversals"' in home and reversal.batch.number in home


# --- Q guards and phases agree with matches on real rows ----------------------------------------------

def test_every_guard_and_phase_filters_the_rows_it_matches(make, finance):
    for state in Subsidy.Status.values:
        make.subsidy(state)
        make.subsidy(state, grade="fail")  # a 0.00 subsidy
    _batches(make, finance)
    for state in BatchReversal.Status.values:
        make.reversal(state)
    unarchived = make.subsidy(Subsidy.Status.BATCHED)
    unarchived.case.status = "closed"
    unarchived.case.save()
    for workflow, model in ((SUBSIDY, Subsidy), (BATCH, PaymentBatch), (REVERSAL, BatchReversal)):
        rows = list(model.objects.all())
        assert len({workflow.state(r) for r in rows}) == len(workflow.states.values), workflow.name
        for step in workflow.steps:
            in_db = set(model.objects.filter(step.q(workflow.state_field)).values_list("pk", flat=True))
            in_python = {r.pk for r in rows if step.enabled(r, workflow.state(r))}
            assert in_db == in_python, (workflow.name, step.action)
        for phase in workflow.phases:
            in_db = set(model.objects.filter(phase.q).values_list("pk", flat=True))
            assert in_db == {r.pk for r in rows if matches(r, phase.q)}, (workflow.name, phase.name)
            assert in_db, (workflow.name, phase.name)  # the rows above reach every phase
        for row in rows:
            phase = workflow.phase(row)
            assert workflow.next_step(row)[0] == (str(phase.hint) if phase else "")
