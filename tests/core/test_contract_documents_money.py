"""DOMAIN.md §7 (money), §12 (documents to print) and §13 (personal data), as an independent check of the
contract read them: one focused test for each thing it found wrong."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from tests.factories import CriminalNoticeFactory, HandlerFactory, make_case

pytestmark = pytest.mark.django_db


def _body(html: str) -> str:
    """The printed text between the issued markers (print/base_a4.html), without the reprint mark."""
    return html.split("<!--issued-->", 1)[1].rsplit("<!--/issued-->", 1)[0]


# --- §12: the 法律援助公函 goes to the notifying organ ------------------------------------------------------


def test_a_letter_issued_after_the_trial_notice_goes_to_the_court_not_the_earlier_organ(org, clerk, client_for):
    """A notice case moved to trial with the court's notice (DOMAIN §6: the notice of the new stage: organ,
    number, date); the handler is then changed (Art. 55), which issues a new 公函. That letter must go to the
    organ now notifying (the court, citing its notice), not to the procuratorate of the first stage."""
    from cases import editing, services

    today = timezone.localdate()
    accepted = today - dt.timedelta(days=10)
    notice = CriminalNoticeFactory(organ="procuratorate", organ_name="示范县人民检察院", stage="prosecution",
                                   ground="other", received_on=accepted, notice_number="示检通〔2026〕12号")
    case = make_case(category="criminal", source="notice", notice=notice, organ="procuratorate",
                     stage="prosecution", aid_form="criminal_defence", role="defence", cause="theft",
                     accepted_on=accepted, recipient=notice.person)
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=accepted, by=clerk)
    editing.case_change_stage(case=case, to_stage="trial", on=today - dt.timedelta(days=2), by=clerk,
                              organ="court", organ_name="示范县人民法院", notice_number="示法通〔2026〕7号",
                              notice_received_on=today - dt.timedelta(days=2))
    services.case_change_handler(case=case, handler=HandlerFactory(name="王律师"), on=today, reason="回避",
                                 by=clerk)

    letter = _body(client_for("clerk").get(f"/cases/{case.pk}/print/letter/").content.decode())
    assert "王律师" in letter  # the letter of the new assignment
    assert "示范县人民法院" in letter and "示法通〔2026〕7号" in letter
    assert "示范县人民检察院" not in letter


# --- §12: a numbered document keeps its text; a reprint says so ---------------------------------------------


@pytest.fixture
def two_subsidies(org, finance, handler_profile):
    from funding import services

    importlib.import_module("funding.migrations.0002_defaults").create_defaults(apps, None)
    subsidies = []
    for _ in range(2):
        case = make_case()
        case.handler, case.assigned_on, case.status, case.grade = handler_profile, case.accepted_on, "archived", "pass"
        case.closed_on = case.archived_on = case.graded_on = case.accepted_on
        case.save()
        subsidies.append(services.subsidy_compute(case=case, by=finance))
    return subsidies


def test_a_voucher_before_payment_is_marked_a_draft_and_the_paid_one_is_kept_as_issued(two_subsidies, finance,
                                                                                          client_for):
    """The 领款凭单 of a prepared (unpaid) batch is a draft: its lines may still change, so each print shows the
    batch as it is now and says it is a draft, not a voucher. Paying issues it: the first print after that is
    kept, and a later print is that text marked as a reprint."""
    from funding import services

    batch = services.batch_create(subsidies=two_subsidies, by=finance)
    c = client_for("finance")
    url = f"/funding/batches/{batch.pk}/voucher/"
    first = c.get(url).content.decode()
    services.batch_remove_subsidy(batch=batch, subsidy=two_subsidies[1], by=finance)
    second = c.get(url).content.decode()
    for draft in (first, second):
        assert "草稿：本批次尚未发放，不作领款凭证" in draft and "重印件" not in draft
    services.batch_pay(batch=batch, paid_on=timezone.localdate(), by=finance)
    issued = c.get(url).content.decode()
    assert "草稿" not in issued and "重印件" not in issued and batch.number in _body(issued)
    again = c.get(url).content.decode()
    assert "重印件" in again and _body(again) == _body(issued)


# --- §7: money is never dated after today (the Django admin included) ---------------------------------------


def test_the_admin_cannot_enter_spending_dated_after_today(admin_user, client_for):
    from funding.models import Spending

    later = timezone.localdate() + dt.timedelta(days=30)
    client_for("admin").post("/admin/funding/spending/add/", {
        "date": later.isoformat(), "category": "office", "amount": "123.45", "description": "日后的支出",
        "_save": "Save"})
    assert not Spending.objects.filter(date__gt=timezone.localdate()).exists()


# --- §13: nothing is hard-deleted, by anybody, the Django admin included ------------------------------------


def test_the_admin_cannot_hard_delete_a_closed_budget_year(admin_user, client_for):
    """Deleting the lock of a closed budget year removes the row (and reopens the year for spending)."""
    from funding.models import BudgetYearLock

    lock = BudgetYearLock.objects.create(year=timezone.localdate().year - 1, locked_on=timezone.localdate())
    client_for("admin").post(f"/admin/funding/budgetyearlock/{lock.pk}/delete/", {"post": "yes"})
    assert BudgetYearLock.objects.filter(pk=lock.pk).exists()


def test_the_admin_cannot_hard_delete_a_subsidy_standard(admin_user, client_for):
    from funding.models import SubsidyStandard

    importlib.import_module("funding.migrations.0002_defaults").create_defaults(apps, None)
    standard = SubsidyStandard.objects.order_by("pk").first()
    client_for("admin").post("/admin/funding/subsidystandard/",
                             {"action": "delete_selected", "_selected_action": [standard.pk], "post": "yes"})
    assert SubsidyStandard.objects.filter(pk=standard.pk).exists()



# --- Art. 36: the organ of a later stage is told who defends -------------------------------------------------


def _trial_case(org, clerk):
    from cases import editing, services

    today = timezone.localdate()
    accepted = today - dt.timedelta(days=10)
    notice = CriminalNoticeFactory(organ="procuratorate", organ_name="示范县人民检察院", stage="prosecution",
                                   ground="other", received_on=accepted, notice_number="示检通〔2026〕12号")
    case = make_case(category="criminal", source="notice", notice=notice, organ="procuratorate",
                     stage="prosecution", aid_form="criminal_defence", role="defence", cause="theft",
                     accepted_on=accepted, recipient=notice.person)
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=accepted, by=clerk)
    change = editing.case_change_stage(case=case, to_stage="trial", on=today - dt.timedelta(days=2), by=clerk,
                                       organ="court", organ_name="示范县人民法院", notice_number="示法通〔2026〕7号",
                                       notice_received_on=today - dt.timedelta(days=2))
    return case, change


def test_a_new_stages_notice_issues_a_letter_to_its_organ_due_in_3_days(org, clerk, client_for):
    from core import deadlines

    case, change = _trial_case(org, clerk)
    assert "援函字" in change.letter_number and change.letter_number != case.assignments.get().letter_number
    assert change.letter_due == deadlines.due_date("notice_assign", change.notice_received_on)
    c = client_for("clerk")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="stage-letter"' in page and change.letter_number in page
    letter = _body(c.get(f"/cases/{case.pk}/print/letter-{change.pk}/").content.decode())
    assert change.letter_number in letter and "示范县人民法院" in letter and "示法通〔2026〕7号" in letter
    assert "张伟" in letter and "示范县人民检察院" not in letter
    receipt = c.get(f"/cases/{case.pk}/print/delivery-letter-{change.pk}/").content.decode()
    assert "示范县人民法院" in receipt and change.letter_number in receipt
    first = _body(c.get(f"/cases/{case.pk}/print/letter/").content.decode())  # the first organ's letter stands
    assert "示范县人民检察院" in first and "示范县人民法院" not in first


def test_the_sending_of_a_stage_letter_is_recorded_once_and_not_before_the_change(org, clerk, client_for):
    case, change = _trial_case(org, clerk)
    c = client_for("clerk")
    url = f"/cases/{case.pk}/stage-letter-sent/"
    c.post(url, {"assignment": change.pk, "on": (change.changed_on - dt.timedelta(days=1)).isoformat()})
    change.refresh_from_db()
    assert change.letter_sent_on is None
    assert c.post(url, {"assignment": change.pk, "on": change.changed_on.isoformat()}).status_code == 302
    change.refresh_from_db()
    assert change.letter_sent_on == change.changed_on
    assert change.history.first().history_user.username == "clerk"
    c.post(url, {"assignment": change.pk, "on": timezone.localdate().isoformat()})
    change.refresh_from_db()
    assert change.letter_sent_on == change.changed_on  # recorded once
    assert client_for("handler").post(url, {"assignment": change.pk, "on": change.changed_on.isoformat()}
                                      ).status_code == 403


def test_a_stage_change_before_any_handler_issues_no_letter_of_its_own(org, clerk, client_for):
    """Awaiting assignment, the assignment's letter will go to the organ then notifying."""
    from cases import editing, services

    today = timezone.localdate()
    notice = CriminalNoticeFactory(organ="police", organ_name="示范县公安局", stage="investigation", ground="other",
                                   received_on=today - dt.timedelta(days=5), notice_number="示公通〔2026〕3号")
    case = make_case(category="criminal", source="notice", notice=notice, organ="police", stage="investigation",
                     aid_form="criminal_defence", role="defence", cause="theft",
                     accepted_on=today - dt.timedelta(days=5), recipient=notice.person)
    change = editing.case_change_stage(case=case, to_stage="prosecution", on=today - dt.timedelta(days=1), by=clerk,
                                       organ="procuratorate", organ_name="示范县人民检察院",
                                       notice_number="示检通〔2026〕20号", notice_received_on=today - dt.timedelta(days=1))
    assert change.letter_number == ""
    services.case_assign(case=case, handler=org["handlers"]["张伟"], on=today, by=clerk)
    letter = _body(client_for("clerk").get(f"/cases/{case.pk}/print/letter/").content.decode())
    assert "示范县人民检察院" in letter and "示检通〔2026〕20号" in letter
