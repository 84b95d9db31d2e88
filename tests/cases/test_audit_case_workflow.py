"""Audit of DOMAIN.md §6 "Cases" (number, fields, states, assignment, progress, discussions, termination)
and the case indicators of STATISTICS.md that read those records. Each test names the contract line it holds
the product to. Every test fails on the product as audited, except the one marked as a guard kept (twenty
grants at once across New Year), which passes and covers a path no other test exercised."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from cases import editing, services
from cases.models import Assignment, Attachment, Case, Discussion
from core.periods import Period
from reports import indicators as ind
from tests.factories import HandlerFactory, make_case

pytestmark = pytest.mark.django_db
D = dt.date


def period(start: dt.date, end: dt.date) -> Period:
    return Period(f"{start}:{end}", start, end, "range")


# --- case number -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern", [
    "（{year}）{abbr}法援{kind}字",          # no sequence: every case of a year and kind gets the same number
    "{abbr}法援{kind}字第{seq}号",           # no year: the sequence restarts each year, so 2026's No. 1 is 2025's
    "（{year}）{abbr}法援{kind}字第{no}号",   # a placeholder that does not exist: every case opening fails
])
def test_it_refuses_a_case_number_pattern_that_cannot_give_unique_numbers(org, admin_user, client, pattern):
    """DOMAIN.md §6: "Number (案号): configurable pattern; default `（{year}）{abbr}法援{kind}字第{seq}号` … a
    sequence per year and kind that restarts each year, **unique** and gapless"; common rule: bad input gives a
    clear message and changes nothing.

    The administrator edits the pattern in Django admin (CenterProfile). A pattern without {seq} or {year}
    cannot be unique (the next case of the year, or No. 1 of the next year, collides on Case.number, so no
    further case can be opened: every grant and notice is refused with "case number already exists"), and an
    unknown placeholder raises KeyError (a server error) at every case opening.
    The admin form must refuse such a pattern; today it is saved."""
    from core.models import CenterProfile

    profile = CenterProfile.get()
    before = profile.case_number_pattern
    client.force_login(admin_user)
    data = {
        "name": profile.name, "abbr": profile.abbr, "justice_bureau": profile.justice_bureau,
        "address": profile.address, "phone": profile.phone, "founded_year": profile.founded_year,
        "case_number_pattern": pattern, "document_number_pattern": profile.document_number_pattern,
        "assignment_approval": "",
    }
    response = client.post(f"/admin/core/centerprofile/{profile.pk}/change/", data)
    assert response.status_code == 200, "the pattern was saved instead of being refused with a message"
    profile.refresh_from_db()
    assert profile.case_number_pattern == before


# --- assignment ------------------------------------------------------------------------------------------

def test_it_refuses_a_change_of_handler_by_a_clerk_when_assignments_need_approval(assigned_case, clerk,
                                                                                 other_handler):
    """DOMAIN.md §2: the intake clerk makes "assignment proposals", the reviewer "approve[s] assignments";
    §6: a change of handler (Art. 55) starts a new assignment with its own 指派通知书.

    With the center's assignment approval switched on, a clerk may not assign directly (case_assign refuses:
    "propose the handler instead"), yet the same clerk changes the handler of an assigned case directly: a new
    assignment row with a new 援指字 number is issued with no reviewer's approval."""
    from core.models import CenterProfile

    profile = CenterProfile.get()
    profile.assignment_approval = True
    profile.save()
    before = Assignment.objects.filter(case=assigned_case).count()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.case_change_handler(case=assigned_case, handler=other_handler, on=D(2025, 11, 6),
                                     reason="受援人申请更换", by=clerk)
    assert Assignment.objects.filter(case=assigned_case).count() == before
    assigned_case.refresh_from_db()
    assert assigned_case.handler.name == "张伟"


# --- progress log: hostile attachment ---------------------------------------------------------------------

def test_it_answers_a_long_chinese_file_name_with_a_message_not_a_server_error(assigned_case, client_for):
    """DOMAIN.md §6: "Progress log: … dated entries with attachments"; common rule: bad input must give a
    clear message and change nothing; never a 500.

    A real PDF whose name is 90 Chinese characters (270 bytes in UTF-8, within Django's 255-character name
    limit) passes every check of validate_upload, then the file system refuses the name (OSError: File name
    too long) and the handler gets a server error."""
    name = ("关于申请人与某建筑劳务公司劳动报酬争议一案的证据材料" * 4)[:90] + ".pdf"  # 90 characters + .pdf
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")
    c = client_for("handler")
    c.raise_request_exception = False
    response = c.post(f"/cases/{assigned_case.pk}/attach/", {"kind": "other", "file": upload})
    assert response.status_code in (200, 302), f"server error {response.status_code} on a file name"
    # Either kept (under a name the file system takes) or refused with a message: never half-done.
    kept = Attachment.objects.filter(case=assigned_case)
    assert kept.count() in (0, 1)
    if response.status_code == 302:
        assert kept.get().original_name.endswith(".pdf")


# --- collective discussion -------------------------------------------------------------------------------

def test_it_refuses_a_collective_discussion_dated_before_the_case_was_accepted(assigned_case, clerk):
    """DOMAIN.md §6: "Major or difficult cases get a collective-discussion record (集体讨论: date, participants,
    conclusion)"; STATISTICS.md quality.discussions counts them by `held_on`; common rule: bad input gives a
    clear message and changes nothing.

    The case was accepted on 2025-11-03; a discussion of it dated 2020-01-01 (a typo of the year) is saved and
    counted in 2020's quality.discussions, a period long reported. The follow-up service refuses the same
    date ("cannot be dated before the case was accepted"); the discussion service only refuses the future."""
    with freeze_time("2025-11-20 10:00:00+08:00"):
        with pytest.raises(ValidationError):
            services.discussion_record(case=assigned_case, held_on=D(2020, 1, 1), participants="主任、审查员、张伟",
                                       conclusion="建议调解", by=clerk)
        assert not Discussion.objects.filter(case=assigned_case).exists()
        assert ind.compute_all(period(D(2020, 1, 1), D(2020, 12, 31)))["quality.discussions"] == 0


# --- termination -----------------------------------------------------------------------------------------

def test_it_refuses_a_termination_dated_before_the_assignment(assigned_case, reviewer):
    """DOMAIN.md §6: "Each transition is a service function that checks the state and the user, writes the
    history, and moves deadlines"; the states run assigned → … or terminated; common rule: bad input gives a
    clear message and changes nothing.

    The case was assigned on 2025-11-04. Terminating it "on 2025-11-03" is accepted: the assignment row ends
    the day before it began (ended_on 11-03 < assigned_on 11-04), and the figures see a case terminated on
    11-03 that was assigned on 11-04 (cases.assigned of a period that ends 11-04 counts the assignment of a
    case already terminated). Closing refuses a date before the assignment; termination does not."""
    with freeze_time("2025-11-20 10:00:00+08:00"):
        with pytest.raises(ValidationError):
            services.case_terminate(case=assigned_case, reason="own_counsel", on=D(2025, 11, 3), by=reviewer)
        assigned_case.refresh_from_db()
        assert assigned_case.status == Case.Status.ASSIGNED
        assignment = assigned_case.assignments.get()
        assert assignment.ended_on is None


def test_it_counts_an_overdue_notice_of_a_criminal_termination_in_the_overdue_figure(org, reviewer):
    """DOMAIN.md §6: "criminal terminations notify the organ within 3 days"; §5 Deadlines: "Every open item
    shows its due date; overdue items are listed for the responsible role and counted in statistics";
    STATISTICS.md cases.overdue_at_end: "open applications and cases past any deadline at the end date".

    A criminal notice case is terminated on 2025-11-05; the notice to the court is due 2025-11-10 and never
    recorded. On 2025-11-20 the clerk's to-dos and the daily scan (`deadline_counts`) list it as overdue,
    but cases.overdue / cases.overdue_at_end for a period ending 2025-11-20 count 0: the overdue figure
    leaves the termination notice out."""
    with freeze_time("2025-11-20 10:00:00+08:00"):
        case = make_case(category="criminal", accepted_on=D(2025, 11, 3), cause="theft", stage="trial",
                         aid_form="criminal_defence", role="defence", source="notice", organ="court")
        services.case_terminate(case=case, reason="own_counsel", on=D(2025, 11, 5), by=reviewer)
        case.refresh_from_db()
        assert case.termination_notify_due == D(2025, 11, 10) and case.termination_notified_on is None
        assert services.deadline_counts()["overdue"] == 1  # listed as overdue for the clerk
        values = ind.compute_all(period(D(2025, 11, 1), D(2025, 11, 20)))
        assert values["cases.overdue"] == 1
        assert values["cases.overdue_at_end"] == 1


# --- fields: aid form of a criminal case -------------------------------------------------------------------

def test_it_refuses_a_labour_arbitration_aid_form_on_a_criminal_case(org, clerk):
    """DOMAIN.md §6 fields: category (criminal / civil / administrative) … "aid form (Art. 22)"; Art. 22 keeps
    刑事辩护与代理 for criminal matters and 劳动争议调解与仲裁代理 for labour disputes; STATISTICS.md
    cases.accepted.non_litigation: "accepted cases handled outside court (mediation, arbitration agency,
    negotiation)".

    The correction page (cases/editing.py) lets center staff change a criminal defence case's aid form to
    劳动争议仲裁代理 (role 申请人): the case is then derived as non-litigation, so a criminal trial defence
    counts in cases.accepted.non_litigation. The aid form must be one of the case's category."""
    with freeze_time("2025-11-20 10:00:00+08:00"):
        case = make_case(category="criminal", accepted_on=D(2025, 11, 3), cause="theft", stage="trial",
                         aid_form="criminal_defence", role="defence")
        with pytest.raises(ValidationError):
            editing.case_edit(case=case, by=clerk, changes={"aid_form": "labour_arbitration", "role": "applicant"},
                              reason="更正")
        case.refresh_from_db()
        assert case.aid_form == "criminal_defence" and case.is_litigation
        values = ind.compute_all(period(D(2025, 11, 1), D(2025, 11, 20)))
        assert values["cases.accepted.non_litigation"] == 0



# --- a guard kept (passes): the number of twenty grants at once, by the acceptance year ---------------------

@pytest.mark.django_db(transaction=True)
def test_twenty_reviewers_granting_at_once_across_new_year_get_gapless_numbers_of_the_acceptance_year(org):
    """DOMAIN.md §6: a sequence per year and kind, restarting each year, "unique and gapless even when twenty
    clerks save at once"; STATISTICS.md: a case counts by its acceptance date (the grant decision date).

    Twenty applications granted at the same moment through the real grant service (decision number, then case
    number, in one transaction each), half of them decided on 31 Dec of last year and entered today: each
    (year, kind) gets 1..n with no gap, and the late-entered decisions take last year's numbers."""
    import re

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from intake import services as intake
    from intake.models import Application
    from tests.factories import PersonFactory
    from tests.helpers import at_once

    clerk = org["users"]["clerk"]
    reviewer_pk = org["users"]["reviewer"].pk
    today = timezone.localdate()
    new_year_eve = D(today.year - 1, 12, 31)
    jobs = []
    for i in range(20):
        category, cause = ("civil", "labour_pay") if i % 2 else ("administrative", "social_insurance")
        app = intake.application_receive(application=Application(
            applicant=PersonFactory(), received_on=D(today.year - 1, 12, 30), category=category, cause=cause),
            by=clerk)
        app.materials.update(received=True)
        app = intake.application_submit_review(application=app, by=clerk)
        jobs.append((app.pk, new_year_eve if i < 10 else today))

    def grant(pk, decided_on):
        reviewer = User.objects.get(pk=reviewer_pk)
        with transaction.atomic():
            app, case = intake.application_grant(application=Application.objects.get(pk=pk), by=reviewer,
                                                 decided_on=decided_on, override_reason="经集体讨论同意")
        return case.year, case.category, case.seq, case.number, app.decision_number, decided_on

    out, errors = at_once(grant, jobs)
    assert not errors
    assert all(year == decided.year and case_no.startswith(f"（{decided.year}）")
               for year, _c, _s, case_no, _d, decided in out)
    by_key: dict = {}
    for year, category, seq, _n, _d, _on in out:
        by_key.setdefault((year, category), []).append(seq)
    assert {k: sorted(v) for k, v in by_key.items()} == {k: list(range(1, len(v) + 1)) for k, v in by_key.items()}
    assert sum(len(v) for v in by_key.values()) == 20
    for year in (today.year - 1, today.year):
        grants = sorted(int(re.search(r"第(\d+)号", d).group(1)) for y, _c, _s, _n, d, _on in out if y == year)
        assert grants == list(range(1, 11))
    assert Case.objects.count() == 20



# --- permissions ---------------------------------------------------------------------------------------

def test_it_shows_a_handler_whose_account_sits_at_a_station_only_their_own_cases(org, admin_user, clerk, client,
                                                                                frozen):
    """DOMAIN.md §2: "Handlers see only their cases. Every list and every selector filters by what the user may
    see"; a handler "may do: the cases assigned to them … nothing else"; "A record of another station answers 404".

    The administrator gives a grassroots legal worker (role handler only, no station-staff role) an account at
    新桥镇 station, which the account service accepts ("every user belongs to the center or to one station").
    `cases_visible_to` then adds every case of that station to the handler's own: the worker opens 李娜's case
    (200, with the recipient, the progress log and the attachments) and lists it."""
    from accounts import roles
    from accounts import services as accounts

    station_b = org["stations"]["station-b"]
    try:
        user, _pw = accounts.user_create(username="worker_b", full_name="周工作者", role_codes=[roles.HANDLER],
                                         station=station_b, by=admin_user)
    except ValidationError:
        return  # refusing a station on a handler-only account is also a way to keep the rule
    user.must_change_password = False
    user.save()
    worker = HandlerFactory(name="周工作者", kind="grassroots_worker", user=user)
    mine = make_case(accepted_on=D(2025, 11, 3), station=station_b)
    services.case_assign(case=mine, handler=worker, on=D(2025, 11, 4), by=clerk)
    others = make_case(accepted_on=D(2025, 11, 3), station=station_b)
    services.case_assign(case=others, handler=org["handlers"]["李娜"], on=D(2025, 11, 4), by=clerk)

    client.force_login(user)
    assert client.get(f"/cases/{mine.pk}/").status_code == 200
    assert client.get(f"/cases/{others.pk}/").status_code == 404
    listed = client.get("/cases/").context["page_obj"].paginator.count
    assert listed == 1


# --- the list's handler type, a deactivated firm, a progress entry of an imported case ----------------------

def test_the_list_filters_on_the_handler_type_stored_at_assignment(org, clerk, client_for, frozen):
    """STATISTICS.md cases.accepted.by_lawyer counts the handler type taken at the first assignment
    (Case.handler_kind); the case list's "handler type" filter must select the same cases, not those of the
    roster's type today (a handler re-typed later moves no figure and must not move the list either)."""
    lawyer = HandlerFactory(name="赵律师", kind="practising_lawyer")
    case = make_case(accepted_on=D(2025, 11, 3))
    services.case_assign(case=case, handler=lawyer, on=D(2025, 11, 4), by=clerk)
    lawyer.kind = "grassroots_worker"  # the roster changes afterwards
    lawyer.save()
    c = client_for("clerk")
    as_lawyer = c.get("/cases/", {"handler_kind": "practising_lawyer"}).context["page_obj"].object_list
    as_worker = c.get("/cases/", {"handler_kind": "grassroots_worker"}).context["page_obj"].object_list
    assert case.pk in {row.pk for row in as_lawyer}
    assert case.pk not in {row.pk for row in as_worker}
    values = ind.compute_all(period(D(2025, 11, 1), D(2025, 11, 20)))
    assert values["cases.accepted.by_lawyer"] >= 1


def test_a_handler_of_a_deactivated_firm_is_neither_suggested_nor_assigned(org, awaiting_case, clerk, frozen):
    """DOMAIN.md §5/§6: cases are assigned to handlers of the roster; a firm (承办机构) taken off the roster takes
    no new case: its handlers are not suggested and an assignment to one is refused with a message."""
    from django.utils.translation import override

    from cases.selectors import suggested_handlers
    from tests.factories import ProviderFactory

    firm = ProviderFactory(name="已停业律师事务所")
    handler = HandlerFactory(name="钱律师", provider=firm, specialties=[awaiting_case.cause])
    assert handler in suggested_handlers(awaiting_case)
    firm.active = False
    firm.save()
    assert handler not in suggested_handlers(awaiting_case)
    with override("en"), pytest.raises(ValidationError, match="no longer active"):
        services.case_assign(case=awaiting_case, handler=handler, on=D(2025, 11, 4), by=clerk)
    awaiting_case.refresh_from_db()
    assert awaiting_case.status == Case.Status.AWAITING and awaiting_case.handler_id is None


def test_a_progress_entry_of_an_imported_case_without_assignment_date_is_not_dated_before_acceptance(
        org, clerk, frozen):
    """DOMAIN.md §6 progress log: dated entries; an imported closed case may lack 指派日期 (LEDGER.md), and its
    work can no more be dated before the acceptance than any other case's."""
    from django.utils.translation import override

    from cases.models import ProgressEntry

    case = make_case(accepted_on=D(2025, 11, 3))
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, assigned_on=None, closed_on=D(2025, 11, 10))
    case.refresh_from_db()
    with override("en"), pytest.raises(ValidationError, match="before the case was accepted"):
        services.case_record_progress(case=case, kind="meeting", on=D(2025, 10, 1), note="会见", by=clerk)
    assert not ProgressEntry.objects.filter(case=case).exists()
    services.case_record_progress(case=case, kind="meeting", on=D(2025, 11, 5), note="会见", by=clerk)
    assert ProgressEntry.objects.filter(case=case).count() == 1


def test_the_change_of_handler_button_is_offered_only_to_those_who_may_assign_directly(assigned_case, clerk,
                                                                                       reviewer):
    """The case page offers "change of handler" only to whom the service lets change it (cases.workflow)."""
    from cases.workflow import actions
    from core.models import CenterProfile

    assert actions(clerk, assigned_case)["change_handler"]
    profile = CenterProfile.get()
    profile.assignment_approval = True
    profile.save()
    assert not actions(clerk, assigned_case)["change_handler"]
    assert actions(reviewer, assigned_case)["change_handler"]
