"""Audit of DOMAIN.md §5 "Applications (申请) and notices" and its Deadlines paragraph.

Each test is one confirmed defect: it states the contract it checks and fails while the defect is there.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override
from freezegun import freeze_time

from core import deadlines
from intake import services
from intake.models import Application
from tests.factories import PersonFactory
from tests.intake.conftest import tick_all

S = Application.Status
pytestmark = pytest.mark.django_db


def _received(clerk, on: date) -> Application:
    return services.application_receive(application=Application(
        applicant=PersonFactory(), received_on=on, category="civil", cause="labour_pay"), by=clerk)


# --- deadlines ------------------------------------------------------------------------------------------------

def test_it_moves_the_review_deadline_when_the_received_date_is_corrected(make_app, clerk):
    """DOMAIN.md §5: "Decide within 7 days of a complete application (Art. 43)"; Deadlines: "Every open item
    shows its due date". Art. 43: 自收到法律援助申请之日起七日内.

    The window corrects the receipt date of an application from Mon 10 Mar to Mon 3 Mar 2025 on the edit form
    (ApplicationForm offers received_on). The review deadline must follow (7 days from 3 Mar: 10 Mar), or the
    correction must be refused. The product saves the new date and keeps the old deadline (17 Mar), so an
    application already 2 days overdue shows a week to go and counts nowhere as overdue."""
    with freeze_time("2025-03-12 10:00:00+08:00"):
        app = make_app(received_on=date(2025, 3, 10))
        assert app.review_due == date(2025, 3, 17)
        app.received_on = date(2025, 3, 3)
        try:
            services.application_update(application=app, by=clerk)
        except ValidationError:
            pass  # refusing the correction is also fine
        app = Application.objects.get(pk=app.pk)
        assert app.review_due == deadlines.due_date("application_review", app.received_on)


def test_it_does_not_accept_materials_supplied_after_the_notices_date(make_app, clerk):
    """DOMAIN.md §5: "if incomplete, issue one notice listing everything missing (补充材料通知书, Art. 43) …;
    not supplied by the notice's date → deemed withdrawn". Art. 43: 未按要求补充材料 … 视为撤回申请.

    Notice issued Mon 3 Mar 2025, supply by Tue 18 Mar. The materials are ticked on Wed 19 Mar at 00:30, before the
    daily task (01:10) has run, and the clerk presses "Materials supplied". The product accepts it (status back
    to received, a new review deadline), so the daily task no longer deems it withdrawn; the test of the task
    itself (test_materials_ticked_after_the_notices_date_do_not_save_the_application) shows the rule intended."""
    with freeze_time("2025-03-03 10:00:00+08:00"):
        app = make_app()
        notice = services.supplement_notice_issue(application=app, by=clerk)
        assert notice.due_on == date(2025, 3, 18)
    with freeze_time("2025-03-19 00:30:00+08:00"):
        tick_all(app, clerk)
        try:
            services.materials_supplied(application=app, by=clerk)
        except ValidationError:
            pass
        services.deem_withdrawn()
    app = Application.objects.get(pk=app.pk)
    assert app.status == S.WITHDRAWN and app.deemed_withdrawn


def test_it_restarts_the_review_clock_on_the_day_the_materials_arrived(make_app, clerk):
    """DOMAIN.md §5: "the review clock pauses until the materials arrive"; "Decide within 7 days of a complete
    application (Art. 43)".

    Received and notice issued Mon 3 Mar 2025 (clock 10 Mar); every missing material arrives and is ticked on
    Wed 5 Mar (its received_on is 5 Mar); the clerk presses "Materials supplied" a week later, Wed 12 Mar. The
    pause is 3→5 Mar (2 days): due Wed 12 Mar, which is also what the daily task computes when it finds the
    materials ticked (supplied_in_time uses the arrival day). The product pauses until the button (9 days) and
    gives 19 Mar: the later the window presses, the later the legal deadline."""
    with freeze_time("2025-03-03 10:00:00+08:00"):
        app = make_app()
        services.supplement_notice_issue(application=app, by=clerk)
    with freeze_time("2025-03-05 10:00:00+08:00"):
        tick_all(app, clerk)
    with freeze_time("2025-03-12 10:00:00+08:00"):
        app = services.materials_supplied(application=app, by=clerk)
    assert app.review_due == date(2025, 3, 12)


# --- overdue items for the responsible role and in statistics ------------------------------------------------

def test_it_lists_the_overdue_application_on_the_window_workbench_and_counts_it(org, clerk):
    """DOMAIN.md §5 Deadlines: "overdue items are listed for the responsible role and counted".

    Fifteen applications received Mon 24 Feb 2025 wait for their materials (notices of 25 Feb, supply by 12 Mar:
    not overdue, their clock is paused). One received Mon 3 Mar is at the window, due 10 Mar, and on Wed 12 Mar
    it is overdue. The window clerk's panel (intake.home.panels) sorts received and incomplete applications by
    review_due, takes the first 15 and counts the overdue among those: it shows the 15 paused ones, says nothing
    is overdue, and does not list the one overdue application at all."""
    with freeze_time("2025-02-24 10:00:00+08:00"):
        waiting = [_received(clerk, date(2025, 2, 24)) for _ in range(15)]
    with freeze_time("2025-02-25 10:00:00+08:00"):
        for app in waiting:
            services.supplement_notice_issue(application=app, by=clerk)
    with freeze_time("2025-03-03 10:00:00+08:00"):
        late = _received(clerk, date(2025, 3, 3))
    assert late.review_due == date(2025, 3, 10)
    from intake.home import panels

    with freeze_time("2025-03-12 10:00:00+08:00"), override("en"):
        window = [p for p in panels(SimpleNamespace(user=clerk)) if str(p.title) == "Applications at the window"]
        assert len(window) == 1
        ctx = window[0].context
        assert late.pk in [a.pk for a in ctx["rows"]]
        assert ctx["overdue"] == 1


def test_it_counts_an_application_overdue_at_a_past_end_date_after_a_later_notice(org, clerk):
    """STATISTICS.md: cases.overdue_at_end = "open applications and cases past any deadline at the end date";
    COMMON audit rule: facts count as they were when they happened (a past period never moves).

    Received Mon 3 Mar 2025, due 10 Mar; on 20 Mar nothing has happened: at the end date 2025-03-20 the
    application is open, its clock running and 10 days past due, and the figure for 1–20 Mar is 1. On 25 Mar
    the window issues a supplementation notice and on 8 Apr the materials arrive: materials_supplied rewrote
    review_due to 26 Mar (the pause added), and the figure of the past period 1–20 Mar drops to 0."""
    from core.periods import parse_period
    from reports import indicators as ind

    with freeze_time("2025-03-03 10:00:00+08:00"):
        app = _received(clerk, date(2025, 3, 3))
    with freeze_time("2025-03-21 10:00:00+08:00"):
        before = ind.compute_all(parse_period("2025-03-01:2025-03-20"))["applications.overdue_at_end"]
    assert before == 1
    with freeze_time("2025-03-25 10:00:00+08:00"):
        services.supplement_notice_issue(application=app, by=clerk)
    with freeze_time("2025-04-08 10:00:00+08:00"):  # within the notice's 15 days (due 9 Apr)
        tick_all(app, clerk)
        services.materials_supplied(application=app, by=clerk)
        after = ind.compute_all(parse_period("2025-03-01:2025-03-20"))["applications.overdue_at_end"]
    assert after == 1


# --- objections -------------------------------------------------------------------------------------------------

def test_it_refuses_a_grant_dated_before_the_refusal_was_overturned(make_app, clerk, reviewer):
    """DOMAIN.md §5: refusal → objection to the 司法局, "record the objection and its outcome" (Art. 49);
    reports/DECISIONS.md: "a refusal overturned on objection counts as granted on its new decision date".

    Refused Mon 3 Mar 2025; objection received 8 Apr; overturned 10 Apr. The center then grants and dates the
    grant 4 Mar, before the objection was even filed. The product accepts it (decided_on and the case's
    acceptance date 4 Mar), so the corrected grant lands in March's figures and a closed March report moves."""
    with freeze_time("2025-03-03 10:00:00+08:00"):
        app = make_app()
        tick_all(app, clerk)
        services.application_submit_review(application=app, by=clerk)
        services.application_refuse(application=app, by=reviewer, reasons="不属于法律援助事项范围")
    with freeze_time("2025-04-10 10:00:00+08:00"):
        objection = services.objection_file(application=app, by=clerk, filed_on=date(2025, 4, 8), grounds="不服")
        services.objection_decide(objection=objection, by=reviewer, outcome="overturned",
                                  decided_on=date(2025, 4, 10))
        with pytest.raises(ValidationError):
            services.application_grant(application=app, by=reviewer, decided_on=date(2025, 3, 4))
    app = Application.objects.get(pk=app.pk)
    assert app.status == S.REFUSED and app.decided_on == date(2025, 3, 3)


# --- bad input: a clear message and nothing changed ------------------------------------------------------------

def test_it_does_not_withdraw_when_the_withdrawal_reason_is_too_long(make_app, client_for):
    """COMMON audit rule / STYLE: bad input on a form gives a clear message and changes nothing.

    The withdraw form's reason has max_length 200. A 300-character reason makes the form invalid, yet the view
    reads cleaned_data.get("reason", "") and withdraws the application with the reason silently dropped, saying
    "申请已撤回。"."""
    app = make_app()
    response = client_for("clerk").post(f"/intake/applications/{app.pk}/withdraw/", {"reason": "因" * 300},
                                        follow=True)
    assert response.status_code in (200, 400)
    app = Application.objects.get(pk=app.pk)
    assert app.status == S.RECEIVED and app.withdrawn_on is None


def test_it_saves_no_ticks_when_the_added_material_name_is_too_long(make_app, client_for):
    """COMMON audit rule / STYLE: bad input on a form gives a clear message and changes nothing.

    The checklist form's "add a material" has max_length 100. Posting every material ticked plus a 150-character
    extra item: the product ticks every material, drops the extra item without a word and says "材料清单已保存。"."""
    app = make_app()
    names_before = sorted(m.name for m in app.materials.all())
    client_for("clerk").post(f"/intake/applications/{app.pk}/materials/",
                             {"received": [m.pk for m in app.materials.all()], "extra": "材" * 150})
    materials = list(Application.objects.get(pk=app.pk).materials.all())
    assert sorted(m.name for m in materials) == names_before
    assert not any(m.received for m in materials)


@pytest.mark.parametrize("bad", [{"consultation": "abc"}, {"person": "abc"}])
def test_it_answers_a_malformed_id_posted_on_the_application_form_without_a_server_error(make_app, client_for, bad):
    """COMMON audit rule: bad input never gives a 500 and changes nothing (a malformed id is "not found").

    The new-application form posts the applicant (person) and the consultation it came from as fields.
    application_create hands the raw values to get_visible, which raises ValueError on a non-numeric value: a
    500 for a POST (core.input_guard turns it into a 400 only for GET). The start page (_application_start) and
    the notice form check isdigit() first."""
    app = make_app()
    client = client_for("clerk")
    client.raise_request_exception = False
    data = {"person": app.applicant_id, "received_on": date.today().isoformat(), "category": "civil",
            "cause": "labour_pay", "recipient_count": "1", **bad}
    response = client.post("/intake/applications/new/", data)
    assert response.status_code in (400, 404)
    assert Application.objects.count() == 1


# --- station staff: preliminary intake only --------------------------------------------------------------------

def test_it_keeps_station_staff_from_changing_an_application_the_center_is_reviewing(person, staff_a, clerk):
    """DOMAIN.md §2: station staff may do "consultations, publicity and preliminary intake (初审) for their own
    station only; forward an application to the center"; the intake clerk handles "applications, materials".

    Station A forwards its preliminary intake; the center ticks the materials and sends it to review. Station staff
    can still edit it (here: switch on the green channel and rewrite the facts) and untick every material of an
    application awaiting the reviewer's decision (edit and materials steps are OPEN + own station)."""
    app = services.application_receive(application=Application(applicant=person, received_on=date.today(),
                                                               cause="labour_pay"), by=staff_a)
    app = services.application_forward(application=app, by=staff_a)
    tick_all(app, clerk)
    app = services.application_submit_review(application=app, by=clerk)
    app.facts = "工作站改写的事实"
    with pytest.raises((PermissionDenied, ValidationError)):
        services.application_update(application=app, by=staff_a)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.materials_update(application=Application.objects.get(pk=app.pk), received=set(), by=staff_a)
    app = Application.objects.get(pk=app.pk)
    assert app.facts != "工作站改写的事实"
    assert services.missing_materials(app) == []


def test_it_refuses_a_second_objection_once_the_bureau_has_decided(make_app, clerk, reviewer):
    """Art. 49: against the justice bureau's decision on the objection the applicant may apply for administrative
    reconsideration or sue; the center records one objection per refusal."""
    with freeze_time("2025-03-03 10:00:00+08:00"):
        app = make_app()
        tick_all(app, clerk)
        services.application_submit_review(application=app, by=clerk)
        services.application_refuse(application=app, by=reviewer, reasons="不属于法律援助事项范围")
        objection = services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 3), grounds="不服")
        services.objection_decide(objection=objection, by=reviewer, outcome="upheld", decided_on=date(2025, 3, 3))
        with pytest.raises(ValidationError):
            services.objection_file(application=app, by=clerk, filed_on=date(2025, 3, 3), grounds="仍然不服")
    assert app.objections.count() == 1


def test_it_dates_a_deemed_withdrawal_the_day_after_the_notices_date_even_when_the_task_ran_late(make_app, clerk):
    """§5: not supplied by the notice's date → deemed withdrawn: the day after it, not the day a late-running daily
    task (a worker down over a weekend) noticed."""
    with freeze_time("2025-03-03 10:00:00+08:00"):
        app = make_app()
        services.supplement_notice_issue(application=app, by=clerk)  # due 18 Mar
    with freeze_time("2025-03-24 02:00:00+08:00"):
        assert services.deem_withdrawn() == 1
    app = Application.objects.get(pk=app.pk)
    assert app.status == S.WITHDRAWN and app.withdrawn_on == date(2025, 3, 19)


def test_it_refuses_a_birth_year_no_one_alive_has_on_the_notice_form(client_for, org):
    from intake.models import CriminalNotice

    r = client_for("clerk").post("/intake/notices/new/", {
        "organ": "court", "received_on": date.today().isoformat(), "p_name": "某", "ground": "minor",
        "stage": "trial", "p_birth_date": "0001-01-01"})
    assert "p_birth_date" in r.context["form"].errors
    assert not CriminalNotice.objects.exists()
