"""Issue 16, item 2: a case is changed after it opens — its stage as an event with its own date (and a new
notice for a criminal case), and corrections of the opposing party, amounts, outside-county, aid form and role
— by the roles that may, kept in history, and counted in the statistics as of the date of each fact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from cases import editing
from cases.models import Case, StageChange
from cases.services import case_assign, case_grade
from funding.models import Subsidy, SubsidyPolicy
from reports import indicators as ind
from reports.periods import parse_period
from tests.factories import CriminalNoticeFactory, make_case


@pytest.fixture
def notice_case(org, clerk, handler_profile, frozen):
    """A criminal notice case accepted at the investigation stage, assigned to 张伟 (the handler persona)."""
    notice = CriminalNoticeFactory(organ="police", organ_name="示范县公安局", stage="investigation",
                                   received_on=dt.date(2025, 11, 3), ground="other")
    case = make_case(category="criminal", source="notice", notice=notice, organ="police", stage="investigation",
                     aid_form="criminal_defence", role="defence", cause="theft", accepted_on=dt.date(2025, 11, 3),
                     recipient=notice.person, station=org["stations"]["station-a"])
    case_assign(case=case, handler=handler_profile, on=dt.date(2025, 11, 4), by=clerk)
    case.refresh_from_db()
    return case


def _to_prosecution(case, by, on=dt.date(2025, 11, 10), **kw):
    details = dict(organ="procuratorate", organ_name="示范县人民检察院", notice_number="示检通〔2025〕12号",
                   notice_received_on=on) | kw
    return editing.case_change_stage(case=case, to_stage="prosecution", on=on, by=by, **details)


# --- stage -------------------------------------------------------------------------------------------

def test_a_criminal_case_moves_through_three_stages_each_with_its_date_and_notice(notice_case, handler, clerk):
    _to_prosecution(notice_case, handler)
    editing.case_change_stage(case=notice_case, to_stage="trial", on=dt.date(2025, 11, 18), by=clerk,
                              organ="court", organ_name="示范县人民法院", notice_number="示法通〔2025〕7号",
                              notice_received_on=dt.date(2025, 11, 18), note="提起公诉")
    notice_case.refresh_from_db()
    assert notice_case.stage == "trial"
    assert notice_case.stage_at_acceptance == "investigation"
    rows = list(StageChange.objects.filter(case=notice_case).values_list(
        "from_stage", "to_stage", "changed_on", "organ", "notice_number", "recorded_by__username"))
    assert rows == [("investigation", "prosecution", dt.date(2025, 11, 10), "procuratorate", "示检通〔2025〕12号",
                     "handler"),
                    ("prosecution", "trial", dt.date(2025, 11, 18), "court", "示法通〔2025〕7号", "clerk")]
    history = editing.stage_history(notice_case)
    assert [(r["on"], r["accepted"]) for r in history] == [
        (dt.date(2025, 11, 3), True), (dt.date(2025, 11, 10), False), (dt.date(2025, 11, 18), False)]
    last = notice_case.history.first()
    assert last.history_user.username == "clerk" and "2025-11-18" in last.history_change_reason


def test_a_notice_case_needs_the_new_stages_notice(notice_case, handler):
    with pytest.raises(ValidationError, match="通知|notice"):
        editing.case_change_stage(case=notice_case, to_stage="prosecution", on=dt.date(2025, 11, 10), by=handler)
    with pytest.raises(ValidationError):
        _to_prosecution(notice_case, handler, notice_number="")
    assert not StageChange.objects.exists()
    notice_case.refresh_from_db()
    assert notice_case.stage == "investigation"


@pytest.mark.parametrize("on, to_stage", [
    (dt.date(2025, 11, 2), "prosecution"),    # before acceptance
    (dt.date(2025, 11, 21), "prosecution"),   # tomorrow
    (dt.date(2025, 11, 10), "investigation"),  # the current stage
    (dt.date(2025, 11, 10), "first_instance"),  # a civil stage for a criminal case
])
def test_a_bad_stage_change_is_refused_and_changes_nothing(notice_case, handler, on, to_stage):
    with pytest.raises(ValidationError):
        editing.case_change_stage(case=notice_case, to_stage=to_stage, on=on, by=handler, organ="procuratorate",
                                  notice_number="X1", notice_received_on=dt.date(2025, 11, 10))
    notice_case.refresh_from_db()
    assert notice_case.stage == "investigation" and not StageChange.objects.exists()


def test_a_stage_cannot_be_dated_before_the_last_change(notice_case, handler):
    _to_prosecution(notice_case, handler, on=dt.date(2025, 11, 12))
    with pytest.raises(ValidationError, match="2025-11-12"):
        editing.case_change_stage(case=notice_case, to_stage="trial", on=dt.date(2025, 11, 11), by=handler,
                                  organ="court", notice_number="X2", notice_received_on=dt.date(2025, 11, 11))


def test_a_civil_case_changes_stage_without_a_notice(assigned_case, handler):
    change = editing.case_change_stage(case=assigned_case, to_stage="second_instance", on=dt.date(2025, 11, 15),
                                       by=handler, organ="court", notice_number="ignored")
    assert change.organ == "" and change.notice_number == ""
    assigned_case.refresh_from_db()
    assert assigned_case.stage == "second_instance" and assigned_case.stage_at_acceptance == "first_instance"


def test_only_the_own_handler_or_center_assigners_change_the_stage(notice_case, staff_a, finance):
    for user in (staff_a, finance):
        with pytest.raises(PermissionDenied):
            _to_prosecution(notice_case, user)


def test_a_closed_case_does_not_change_stage(closed_case, clerk):
    with pytest.raises(ValidationError):
        editing.case_change_stage(case=closed_case, to_stage="second_instance", on=dt.date(2025, 11, 15), by=clerk)


# --- statistics by the date of the fact ----------------------------------------------------------------

def test_a_later_stage_change_moves_no_figure_of_the_period_the_case_was_accepted_in(org, clerk, handler_profile):
    with freeze_time("2024-12-20 10:00:00+08:00"):
        notice = CriminalNoticeFactory(stage="investigation", received_on=dt.date(2024, 12, 10), organ="police")
        case = make_case(category="criminal", source="notice", notice=notice, organ="police", stage="investigation",
                         aid_form="criminal_defence", cause="theft", accepted_on=dt.date(2024, 12, 10),
                         recipient=notice.person)
        case_assign(case=case, handler=handler_profile, on=dt.date(2024, 12, 11), by=clerk)
    last_year = parse_period("2024")
    before = ind.compute(last_year)
    assert before["cases.accepted.criminal.investigation"] == 1 and before["cases.accepted.criminal.trial"] == 0
    with freeze_time("2025-03-02 10:00:00+08:00"):
        editing.case_change_stage(case=case, to_stage="prosecution", on=dt.date(2025, 1, 20), by=clerk,
                                  organ="procuratorate", notice_number="示检通〔2025〕3号",
                                  notice_received_on=dt.date(2025, 1, 20))
        editing.case_change_stage(case=case, to_stage="trial", on=dt.date(2025, 3, 1), by=clerk,
                                  organ="court", notice_number="示法通〔2025〕9号",
                                  notice_received_on=dt.date(2025, 3, 1))
    after = ind.compute(last_year)
    for code in ("cases.accepted.criminal.investigation", "cases.accepted.criminal.prosecution",
                 "cases.accepted.criminal.trial", "cases.accepted.litigation", "cases.accepted"):
        assert after[code] == before[code], code
    listed = ind.REGISTRY["cases.accepted.criminal.investigation"].records(last_year)
    assert list(listed.values_list("pk", flat=True)) == [case.pk]
    case.refresh_from_db()
    assert case.stage == "trial"
    assert [r["stage"] for r in editing.stage_history(case)] == ["侦查", "审查起诉", "审判"]


def test_a_record_without_the_stage_at_acceptance_counts_its_stage_until_it_moves(notice_case, clerk):
    Case.objects.filter(pk=notice_case.pk).update(stage_at_acceptance=None)  # as the ledger import writes it
    period = parse_period("2025")
    assert ind.compute(period)["cases.accepted.criminal.investigation"] == 1
    _to_prosecution(notice_case, clerk)
    notice_case.refresh_from_db()
    assert notice_case.stage_at_acceptance == "investigation"
    values = ind.compute(period)
    assert values["cases.accepted.criminal.investigation"] == 1 and values["cases.accepted.criminal.prosecution"] == 0


def test_the_amount_in_dispute_is_a_correction_summed_as_now_recorded(assigned_case, handler):
    period = parse_period("2025")
    assert ind.compute(period)["amount.involved"] == Decimal("0.00")
    editing.case_edit(case=assigned_case, by=handler, changes={"amount_involved": Decimal("36500.50")})
    assert ind.compute(period)["amount.involved"] == Decimal("36500.50")


def test_outside_county_set_after_opening_feeds_the_subsidy_of_a_case_graded_after(assigned_case, handler,
                                                                                   reviewer, handler_profile):
    twin = make_case(accepted_on=dt.date(2025, 11, 3))
    editing.case_edit(case=assigned_case, by=handler, changes={"outside_county": True})
    for case in (assigned_case, twin):
        Case.objects.filter(pk=case.pk).update(status="archived", handler=handler_profile,
                                               assigned_on=dt.date(2025, 11, 4), closed_on=dt.date(2025, 11, 10),
                                               archived_on=dt.date(2025, 11, 14))
        case_grade(case=Case.objects.get(pk=case.pk), score=85, on=dt.date(2025, 11, 15), by=reviewer)
    policy = SubsidyPolicy.objects.get(year=2025)
    edited, plain = Subsidy.objects.get(case=assigned_case), Subsidy.objects.get(case=twin)
    assert edited.amount - plain.amount == policy.outside_county_amount
    assert any("异地办案" in line["text"] for line in edited.lines)
    assert not any("异地办案" in line["text"] for line in plain.lines)


# --- corrections ---------------------------------------------------------------------------------------

def test_the_handler_corrects_the_opposing_party_and_amount_kept_in_history(assigned_case, handler):
    editing.case_edit(case=assigned_case, by=handler, reason="当事人补充材料",
                      changes={"opposing_party": "某建筑公司", "amount_involved": Decimal("8000")})
    assigned_case.refresh_from_db()
    assert assigned_case.opposing_party == "某建筑公司" and assigned_case.amount_involved == Decimal("8000.00")
    record = assigned_case.history.first()
    assert record.history_user.username == "handler" and record.history_change_reason == "当事人补充材料"
    rows = editing.correction_rows(assigned_case)
    assert rows[0]["reason"] == "当事人补充材料"
    assert {c["new"] for c in rows[0]["changes"]} == {"某建筑公司", "8,000.00"}


def test_the_aid_form_and_role_are_for_center_staff_only(assigned_case, handler, clerk):
    with pytest.raises(PermissionDenied):
        editing.case_edit(case=assigned_case, by=handler, changes={"aid_form": "labour_arbitration"})
    with pytest.raises(ValidationError):  # 原告 is no role in a labour arbitration (core.VocabularyTerm)
        editing.case_edit(case=assigned_case, by=clerk, changes={"aid_form": "labour_arbitration", "role": "plaintiff"})
    editing.case_edit(case=assigned_case, by=clerk, changes={"aid_form": "labour_arbitration", "role": "applicant"})
    assigned_case.refresh_from_db()
    assert (assigned_case.aid_form, assigned_case.role) == ("labour_arbitration", "applicant")
    assert assigned_case.is_litigation is False  # re-derived from the corrected form


def test_bad_corrections_are_refused_and_change_nothing(assigned_case, handler, clerk):
    recorded = assigned_case.history.count()
    for changes, error in [({"amount_involved": Decimal("-1")}, ValidationError),
                           ({"opposing_party": ""}, ValidationError),  # unchanged: nothing to do
                           ({"amount_recovered": Decimal("5")}, ValidationError),  # not closed yet
                           ({"status": "closed"}, ValidationError),
                           ({"aid_form": "no_such_form"}, ValidationError)]:
        with pytest.raises(error):
            editing.case_edit(case=assigned_case, by=clerk, changes=changes)
    assert assigned_case.history.count() == recorded
    fresh = Case.objects.get(pk=assigned_case.pk)
    assert fresh.amount_involved is None and fresh.aid_form == "civil_litigation" and fresh.status == "assigned"


def test_after_closing_only_center_staff_correct_and_with_a_reason(closed_case, handler, clerk):
    assert not editing.may_edit(handler, closed_case)
    with pytest.raises(PermissionDenied):
        editing.case_edit(case=closed_case, by=handler, changes={"opposing_party": "甲公司"})
    with pytest.raises(ValidationError):
        editing.case_edit(case=closed_case, by=clerk, changes={"amount_recovered": Decimal("15000")})
    editing.case_edit(case=closed_case, by=clerk, changes={"amount_recovered": Decimal("15000")},
                      reason="判决书载明金额有误")
    closed_case.refresh_from_db()
    assert closed_case.amount_recovered == Decimal("15000.00")
    assert ind.compute(parse_period("2025"))["amount.recovered"] == Decimal("15000.00")


def test_station_staff_and_finance_cannot_correct(assigned_case, staff_a, finance):
    for user in (staff_a, finance):
        with pytest.raises(PermissionDenied):
            editing.case_edit(case=assigned_case, by=user, changes={"opposing_party": "乙"})


# --- pages ---------------------------------------------------------------------------------------------

def test_the_stage_page_records_a_new_stage_and_shows_it_on_the_case(notice_case, client_for):
    client = client_for("handler")
    url = reverse("cases:case_change_stage", args=[notice_case.pk])
    resp = client.post(url, {"to_stage": "prosecution", "on": "2025-11-10", "organ": "procuratorate",
                             "organ_name": "示范县人民检察院", "notice_number": "示检通〔2025〕12号",
                             "notice_received_on": "2025-11-10"})
    assert resp.status_code == 302
    page = client.get(reverse("cases:case_detail", args=[notice_case.pk])).content.decode()
    assert "示检通〔2025〕12号" in page and "审查起诉" in page


def test_a_bad_post_comes_back_with_a_message_and_changes_nothing(notice_case, client_for):
    client = client_for("handler")
    resp = client.post(reverse("cases:case_change_stage", args=[notice_case.pk]),
                       {"to_stage": "prosecution", "on": "2025-11-10"})
    assert resp.status_code == 200 and resp.context["form"].errors
    resp = client.post(reverse("cases:case_edit", args=[notice_case.pk]),
                       {"amount_involved": "-5", "opposing_party": ""})
    assert resp.status_code == 200 and resp.context["form"].errors
    notice_case.refresh_from_db()
    assert notice_case.stage == "investigation" and notice_case.amount_involved is None


def test_the_handlers_edit_page_offers_no_aid_form_and_the_clerks_does(assigned_case, client_for):
    url = reverse("cases:case_edit", args=[assigned_case.pk])
    assert "aid_form" not in client_for("handler").get(url).context["form"].fields
    assert "aid_form" in client_for("clerk").get(url).context["form"].fields
    resp = client_for("clerk").post(url, {"opposing_party": "某劳务公司", "amount_involved": "12000",
                                          "aid_form": "civil_litigation", "role": "plaintiff", "reason": ""})
    assert resp.status_code == 302
    assigned_case.refresh_from_db()
    assert assigned_case.opposing_party == "某劳务公司" and assigned_case.role == "plaintiff"
