"""Vocabularies as configuration in a real browser (issue 16, item 9): the director adds a charge in the admin,
the clerk records a criminal notice with it, and the application form offers the causes and stages of the
category chosen."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from core import choices
from core.models import VocabularyTerm
from intake.models import CriminalNotice
from tests import factories as f
from tests.helpers import fill_form


@pytest.fixture
def seeded(transactional_db):
    if not VocabularyTerm.objects.exists():  # a flushed database has lost the migration's rows
        importlib.import_module("core.migrations.0009_vocabulary_terms").seed_terms(apps, None)
    choices.forget()
    yield
    choices.forget()


def _options(page, select: str) -> list[str]:
    return page.eval_on_selector_all(f"{select} option:not([hidden])", "els => els.map(e => e.value)")


@pytest.mark.browser
def test_the_director_adds_a_charge_and_the_clerk_records_a_notice_with_it(
        org, seeded, live_server, page, login, screenshot):
    login(page, "director")
    page.goto(f"{live_server.url}/admin/core/vocabularyterm/?vocabulary__exact=cause")
    assert "故意杀人" in page.locator("#result_list").inner_text()
    screenshot(page, "vocabulary-admin-charges")

    page.goto(f"{live_server.url}/admin/core/vocabularyterm/add/?vocabulary=cause")
    fill_form(page, code="perjury", label_zh="伪证", label_en="Perjury")
    page.check("input[name=applies_to][value=criminal]")
    screenshot(page, "vocabulary-admin-add-charge")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/core/vocabularyterm/**")
    term = VocabularyTerm.objects.get(vocabulary="cause", code="perjury")
    assert term.applies_to == ["criminal"] and term.active
    assert term.history.get().history_user.username == "director"

    page.context.clear_cookies()
    login(page, "clerk")
    page.goto(f"{live_server.url}/intake/notices/new/")
    assert "perjury" in _options(page, "#id_cause") and "labour_pay" not in _options(page, "#id_cause")
    page.select_option("#id_organ", "court")
    page.fill("#id_organ_name", "示范县人民法院")
    page.fill("#id_p_name", "赵某")
    page.select_option("#id_ground", "minor")
    page.select_option("#id_stage", "trial")
    page.select_option("#id_cause", label="伪证")
    screenshot(page, "vocabulary-notice-form-new-charge")
    page.get_by_role("button", name="登记并立案").click()
    assert "通知辩护已登记" in page.content()
    assert "伪证" in page.content()
    screenshot(page, "vocabulary-notice-saved")
    notice = CriminalNotice.objects.get()
    assert notice.cause == "perjury" and notice.case.cause == "perjury" and notice.case.category == "criminal"


@pytest.mark.browser
def test_the_application_form_offers_the_causes_and_stages_of_the_category(
        org, seeded, live_server, page, login, screenshot):
    person = f.PersonFactory()
    login(page, "clerk")
    page.goto(f"{live_server.url}/intake/applications/new/?person={person.pk}")
    page.select_option("#id_category", "civil")
    causes, stages = _options(page, "#id_cause"), _options(page, "#id_stage")
    assert "labour_pay" in causes and "homicide" not in causes and "theft" not in causes
    assert "first_instance" in stages and "death_review" not in stages
    page.select_option("#id_cause", "labour_pay")
    page.select_option("#id_category", "criminal")
    causes, stages = _options(page, "#id_cause"), _options(page, "#id_stage")
    assert "homicide" in causes and "labour_pay" not in causes
    assert stages == ["", "investigation", "prosecution", "trial", "death_review"]
    assert page.input_value("#id_cause") == ""  # a civil cause no longer fits: emptied
    page.select_option("#id_cause", "homicide")
    page.select_option("#id_stage", "death_review")
    screenshot(page, "vocabulary-application-criminal")
    assert page.locator("#id_stage option[value=death_review]").inner_text() == "死刑复核"
