"""DOMAIN §5 / Art. 44: advance aid is granted first and its review completed afterwards."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case
from intake import services
from intake.models import Application
from tests.intake.conftest import tick_all


@pytest.fixture
def advance(make_app, reviewer):
    app = make_app(advance_aid=True, advance_aid_reason="仲裁时效7日内届满", received_on=timezone.localdate()
                   - timedelta(days=2))
    app, case = services.application_grant(application=app, by=reviewer)
    return app, case


def test_an_advance_aid_grant_opens_the_case_before_the_materials_are_complete(advance):
    app, case = advance
    assert services.missing_materials(app)
    assert case.status == Case.Status.AWAITING
    assert services.awaits_advance_review(app)


def test_materials_can_still_be_ticked_while_the_review_is_open(advance, clerk):
    app, _case = advance
    tick_all(app, clerk)
    assert services.missing_materials(app) == []


def test_confirming_needs_the_complete_file_and_records_the_eligibility(advance, clerk, reviewer):
    app, _case = advance
    with pytest.raises(ValidationError):
        services.application_advance_review(application=app, by=reviewer, confirmed=True)
    tick_all(app, clerk)
    services.application_advance_review(application=app, by=reviewer, confirmed=True)
    app.refresh_from_db()
    assert app.advance_review_confirmed is True and app.advance_review_on == timezone.localdate()
    assert app.eligibility_reasons
    assert not services.awaits_advance_review(app)


def test_revoking_requires_reasons_and_terminates_the_case(advance, reviewer):
    app, case = advance
    with pytest.raises(ValidationError):
        services.application_advance_review(application=app, by=reviewer, confirmed=False, reasons=" ")
    services.application_advance_review(application=app, by=reviewer, confirmed=False, reasons="经核查不符合经济困难条件")
    case.refresh_from_db()
    assert case.status == Case.Status.TERMINATED
    assert "经核查" in case.termination_note


def test_an_ordinary_grant_has_no_follow_up_review(make_app, reviewer, clerk):
    app = make_app()
    tick_all(app, clerk)
    services.application_submit_review(application=app, by=clerk)
    app, _case = services.application_grant(application=app, by=reviewer)
    with pytest.raises(ValidationError):
        services.application_advance_review(application=app, by=reviewer, confirmed=True)


def test_a_clerk_cannot_complete_the_review(advance, clerk):
    app, _case = advance
    with pytest.raises(Exception) as exc:
        services.application_advance_review(application=app, by=clerk, confirmed=True)
    assert exc.type.__name__ == "PermissionDenied"


def test_the_detail_page_offers_the_follow_up_review(advance, client_for):
    app, _case = advance
    body = client_for("reviewer").get(f"/intake/applications/{app.pk}/").content.decode()
    assert 'data-testid="advance-review"' in body
    response = client_for("reviewer").post(f"/intake/applications/{app.pk}/advance-review/",
                                           {"confirmed": "0", "reasons": "不符合条件"})
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).advance_review_confirmed is False


def test_the_reviewers_workbench_lists_advance_aid_awaiting_its_follow_up_review(advance, client_for):
    app, _case = advance
    body = client_for("reviewer").get("/").content.decode()
    assert "先行援助待事后审查" in body
    assert app.number in body
