"""Granting against a 'not eligible' result only with a written reason, recorded and counted; the capacity
matter and the structured assets on the application (issue 16, item 8)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from intake import services
from intake.models import Application
from tests.factories import PersonFactory
from tests.intake.conftest import tick_all

S = Application.Status


@pytest.fixture
def rich_app(clerk):
    rich = PersonFactory(hukou="urban", household_income=50000, household_size=1)
    app = services.application_receive(application=Application(applicant=rich, received_on=date.today(),
                                                               cause="traffic"), by=clerk)
    tick_all(app, clerk)
    return services.application_submit_review(application=app, by=clerk)


def test_grant_against_not_eligible_needs_a_written_reason(rich_app, reviewer):
    with translation.override("en"), pytest.raises(ValidationError) as err:
        services.application_grant(application=rich_app, by=reviewer, override_reason="   ")
    assert "To grant all the same, write the reason." in err.value.message_dict["override_reason"][0]
    rich_app.refresh_from_db()
    assert rich_app.status == S.UNDER_REVIEW and rich_app.override_at is None


def test_grant_against_the_result_records_who_when_and_why(rich_app, reviewer):
    with translation.override("en"):
        app, case = services.application_grant(application=rich_app, by=reviewer,
                                               override_reason="家庭成员重病，医疗支出巨大")
    app.refresh_from_db()
    assert app.status == S.GRANTED and case.pk
    assert app.eligibility_result == "not_eligible"
    assert app.override_reason == "家庭成员重病，医疗支出巨大" and app.override_by == reviewer
    assert app.override_at is not None
    assert app.history.first().history_change_reason == "不符合条件仍予援助：家庭成员重病，医疗支出巨大"
    from intake.selectors import granted_against_result

    assert list(granted_against_result(Application.objects.all())) == [app]


def test_an_eligible_grant_records_no_override(make_app, clerk, reviewer):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    app, _case = services.application_grant(application=app, by=reviewer, override_reason="不需要")
    assert app.override_at is None and app.override_reason == ""


def test_the_decision_page_asks_for_the_reason_only_when_needed(client_for, rich_app, make_app, clerk):
    page = client_for("reviewer").get(f"/intake/applications/{rich_app.pk}/grant/").content.decode()
    assert 'name="override_reason"' in page
    eligible = make_app()
    tick_all(eligible, clerk)
    services.application_submit_review(application=eligible, by=clerk)
    page = client_for("reviewer").get(f"/intake/applications/{eligible.pk}/grant/").content.decode()
    assert 'name="override_reason"' not in page


def test_the_page_refuses_without_reason_then_grants_shows_and_counts(client_for, rich_app):
    reviewer = client_for("reviewer")
    url = f"/intake/applications/{rich_app.pk}/grant/"
    refused = reviewer.post(url, {"decided_on": date.today().isoformat(), "reasons": ""})
    assert refused.status_code == 400
    rich_app.refresh_from_db()
    assert rich_app.status == S.UNDER_REVIEW
    done = reviewer.post(url, {"decided_on": date.today().isoformat(), "override_reason": "特殊困难，集体讨论同意"})
    assert done.status_code == 302
    detail = reviewer.get(f"/intake/applications/{rich_app.pk}/").content.decode()
    assert 'data-testid="override-note"' in detail and "特殊困难，集体讨论同意" in detail
    listed = reviewer.get("/intake/applications/?against_result=on").content.decode()
    assert rich_app.number in listed
    other = reviewer.get("/intake/applications/?against_result=on&status=refused").content.decode()
    assert rich_app.number not in other
    home = client_for("director").get("/").content.decode()
    assert 'data-testid="against-result-count"' in home


def test_the_home_count_is_the_number_granted_against_this_year(client_for, rich_app, reviewer):
    import re

    services.application_grant(application=rich_app, by=reviewer, override_reason="理由")
    home = client_for("reviewer").get("/").content.decode()
    found = re.search(r'data-testid="against-result-count"[^>]*>(\d+)<', home)
    assert found and found.group(1) == "1"


def test_a_capacity_declaration_is_eligible_when_its_matter_is_chosen(clerk):
    ward = PersonFactory(hukou="rural", household_income=1000, household_size=2)
    app = services.application_receive(application=Application(
        applicant=ward, received_on=date.today(), cause="other", matter_ground="capacity"), by=clerk)
    result = services.eligibility_for(app)
    assert result.result == "eligible"
    assert result.reasons[0] == "申请事项属于“请求认定公民无民事行为能力或者限制民事行为能力”（法律援助法第三十一条）"
    app.matter_ground = ""
    assert services.eligibility_for(app).result == "not_eligible"


def test_the_form_offers_only_matters_no_cause_expresses(client_for, clerk):
    from intake.forms import ApplicationForm

    form = ApplicationForm(user=clerk)
    codes = [code for code, _label in form.fields["matter_ground"].choices]
    assert codes == ["", "capacity"]


def test_assets_are_asked_and_tested_only_when_the_policy_switches_it_on(clerk):
    from django.utils import timezone

    from applicants.models import EligibilityPolicy
    from intake.forms import ApplicationForm

    assert "asset_deposits" not in ApplicationForm(user=clerk).fields
    poor = PersonFactory(hukou="rural", household_income=1000, household_size=2)
    app = services.application_receive(application=Application(
        applicant=poor, received_on=date.today(), cause="traffic", asset_deposits=Decimal("80000.00"),
        asset_property_count=1, asset_property_value=Decimal("150000.00")), by=clerk)
    assert services.assets_total(app) == Decimal("230000.00")
    assert services.eligibility_for(app).result == "eligible"  # switch off: assets change nothing
    EligibilityPolicy.objects.filter(year=timezone.localdate().year).update(asset_test=True,
                                                                             asset_limit=Decimal("200000"))
    form = ApplicationForm(user=clerk)
    assert {"asset_deposits", "asset_property_count", "asset_property_value", "asset_vehicle_value",
            "asset_other_value"} <= set(form.fields)
    result = services.eligibility_for(app)
    assert result.result == "not_eligible"
    assert result.reasons[-1] == "家庭财产 230,000.00 元 > 限额 200,000.00 元，不符合经济困难标准"
    app.asset_property_value = Decimal("100000.00")
    assert services.eligibility_for(app).result == "eligible"


def test_negative_assets_are_refused_by_the_form(clerk, person):
    from django.utils import timezone

    from applicants.models import EligibilityPolicy
    from intake.forms import ApplicationForm

    EligibilityPolicy.objects.filter(year=timezone.localdate().year).update(asset_test=True,
                                                                             asset_limit=Decimal("200000"))
    form = ApplicationForm({"received_on": date.today().isoformat(), "category": "civil", "cause": "traffic",
                            "recipient_count": 1, "asset_deposits": "-5"}, user=clerk)
    assert not form.is_valid() and "asset_deposits" in form.errors
