"""Vocabularies as configuration (issue 16, item 9): charges, stages, roles and closing outcomes are rows of
core.VocabularyTerm, edited in the admin with history, offered per category or aid form, and old values stay
readable."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from cases.forms import CloseForm
from core import choices
from core.choices import CASE_OUTCOME, CASE_ROLE, CAUSE, STAGE, criminal_causes
from core.models import VocabularyTerm
from intake.forms import ApplicationForm, NoticeForm
from intake.models import CriminalNotice
from ledger.importing import choice
from reports import indicators as ind
from reports.periods import parse_period
from tests import factories as f

pytestmark = pytest.mark.django_db

OLD_TRIPLES = {
    "stage": [("investigation", "Investigation", "侦查"), ("prosecution", "Prosecution review", "审查起诉"),
              ("trial", "Trial", "审判"), ("death_review", "Death-penalty review", "死刑复核"),
              ("first_instance", "First instance", "一审"), ("second_instance", "Second instance", "二审"),
              ("retrial", "Retrial", "再审"), ("arbitration", "Arbitration", "仲裁"),
              ("mediation", "Mediation", "调解"), ("enforcement", "Enforcement", "执行"),
              ("non_litigation", "Non-litigation", "非诉讼")],
    "role": [("defence", "Defence", "辩护"), ("victim", "Victim representation", "被害人代理"),
             ("plaintiff", "Plaintiff / applicant", "原告"), ("defendant", "Defendant / respondent", "被告"),
             ("third_party", "Third party", "第三人")],
}


@pytest.fixture(autouse=True)
def seeded(db):
    """The migration's rows (a browser test earlier in the run may have flushed them), and no copy of the
    table kept past the test (its rows are rolled back)."""
    migration = importlib.import_module("core.migrations.0009_vocabulary_terms")
    if not VocabularyTerm.objects.exists():
        migration.seed_terms(apps, None)
    choices.forget()
    yield migration
    choices.forget()


def _charge(code="perjury", zh="伪证", en="Perjury", **extra) -> VocabularyTerm:
    return VocabularyTerm.objects.create(vocabulary="cause", code=code, label_zh=zh, label_en=en,
                                         applies_to=["criminal"], **extra)


def _rows(name):
    return list(VocabularyTerm.objects.filter(vocabulary=name).order_by("order").values_list(
        "code", "label_en", "label_zh"))


def test_the_seeded_table_equals_the_old_triples_plus_the_charges(seeded):
    assert _rows("stage") == OLD_TRIPLES["stage"]
    assert _rows("role")[:5] == OLD_TRIPLES["role"]
    assert [code for code, _en, _zh in _rows("role")[5:]] == ["applicant", "respondent"]
    assert _rows("outcome") == [(c, en, zh) for c, en, zh in CASE_OUTCOME.triples]
    causes = _rows("cause")
    assert len(causes) == 21 + len(seeded.SEED["cause"]) - 21 == 59
    old_five = {"theft": "盗窃", "assault": "故意伤害", "robbery": "抢劫", "affray": "寻衅滋事",
                "other_criminal": "其他刑事"}
    assert {code: zh for code, _en, zh in causes if code in old_five} == old_five
    assert {"故意杀人", "诈骗", "危险驾驶", "帮助信息网络犯罪活动", "妨害公务"} <= {zh for _c, _en, zh in causes}
    assert all(len(code) <= 20 for code, _en, _zh in causes)
    # The table read back is the declared seed: nothing differs between the two.
    assert [(t.code, t.label_zh, t.applies_to) for t in CAUSE.terms()] == [
        (t.code, t.label_zh, t.applies_to) for t in CAUSE.seed_terms()]


def test_stage_labels_are_stage_names_in_both_languages():
    assert STAGE.label("death_review") == "死刑复核"
    assert STAGE.zh["death_review"] == "死刑复核"
    with translation.override("en"):
        assert STAGE.label("death_review") == "Death-penalty review"
        assert CAUSE.label("homicide") == "Intentional homicide"
        assert str(dict(CAUSE.choices)["theft"]) == "Theft"
    with translation.override("zh-hans"):
        assert str(dict(CAUSE.choices)["theft"]) == "盗窃"


def test_old_ledger_labels_and_full_charge_names_still_read():
    assert STAGE.from_zh("死刑复核案件被告人") == "death_review"
    assert STAGE.from_zh("死刑复核") == "death_review"
    assert CAUSE.from_zh("走私贩卖运输制造毒品罪") == "drug_trafficking"
    assert CAUSE.from_zh("故意杀人罪") == "homicide"
    assert CAUSE.from_zh("不存在的罪名") is None
    assert choice(STAGE)("死刑复核案件被告人") == "death_review"


def test_a_charge_added_in_the_table_is_offered_saved_and_counted_as_criminal(client_for):
    _charge()
    assert "perjury" in criminal_causes() and "labour_pay" not in criminal_causes()
    assert ("perjury", "伪证") in NoticeForm().fields["cause"].widget.choices
    r = client_for("clerk").post("/intake/notices/new/", {
        "organ": "court", "organ_name": "示范县人民法院", "received_on": date.today().isoformat(),
        "p_name": "王某", "ground": "minor", "stage": "trial", "cause": "perjury"})
    assert r.status_code == 302
    notice = CriminalNotice.objects.get()
    assert notice.cause == "perjury" and notice.get_cause_display() == "伪证"
    assert notice.case.category == "criminal" and notice.case.cause == "perjury"
    period = parse_period(str(date.today().year))
    assert ind.REGISTRY.grouped(["cases.accepted"], period, "cause")["perjury"]["cases.accepted"] == 1
    assert ind.REGISTRY.evaluate(period, codes=["cases.accepted.criminal"])["cases.accepted.criminal"] == 1
    # The ledger reads the new charge too.
    assert choice(CAUSE)("伪证") == "perjury"


def test_a_notice_offers_only_criminal_stages_and_charges():
    form = NoticeForm()
    stages = {code for code, _label in form.fields["stage"].widget.choices}
    causes = {code for code, _label in form.fields["cause"].widget.choices}
    assert stages == {"investigation", "prosecution", "trial", "death_review"}
    assert {"homicide", "theft", "other_criminal", ""} <= causes
    assert not causes & {"labour_pay", "other", "administrative"}


def test_a_deactivated_term_is_no_longer_offered_but_old_records_keep_showing_it(client_for, clerk):
    case = f.make_case(category="criminal", cause="theft", stage="trial", aid_form="criminal_defence")
    term = VocabularyTerm.objects.get(vocabulary="cause", code="theft")
    term.active = False
    term.save()
    assert "theft" not in {code for code, _l in NoticeForm().fields["cause"].widget.choices}
    case.refresh_from_db()
    assert case.get_cause_display() == "盗窃" and CAUSE.label("theft") == "盗窃"
    case.full_clean()  # the old code still validates on the record
    assert "盗窃" in client_for("clerk").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    # An unknown code (no row, no seed) shows as itself rather than failing.
    assert CAUSE.label("gone_code") == "gone_code"


def test_a_civil_closing_outcome_of_non_prosecution_is_refused_with_a_message():
    civil = f.make_case(category="civil")
    form = CloseForm({"closed_on": date.today().isoformat(), "outcome": "non_prosecution",
                      "closing_report": "结案"}, case=civil)
    assert not form.is_valid()
    offered = {code for code, _label in form.fields["outcome"].widget.choices}
    assert "non_prosecution" not in offered and "probation" not in offered and "judgment_won" in offered
    assert "不起诉" in form.errors["outcome"][0] and "民事" in form.errors["outcome"][0]
    criminal = f.make_case(category="criminal", cause="theft", stage="trial", aid_form="criminal_defence")
    form = CloseForm({"closed_on": date.today().isoformat(), "outcome": "probation", "closing_report": "缓刑"},
                     case=criminal)
    assert form.is_valid(), form.errors
    assert CASE_OUTCOME.allows("probation", "criminal") and not CASE_OUTCOME.allows("probation", "civil")


def test_closing_a_civil_case_as_non_prosecution_through_the_page_changes_nothing(client_for, clerk,
                                                                                   handler_profile):
    from cases import services

    case = f.make_case(category="civil")
    services.case_assign(case=case, handler=handler_profile, on=date.today(), by=clerk)
    r = client_for("handler").post(reverse("cases:case_close", args=[case.pk]), {
        "closed_on": date.today().isoformat(), "outcome": "non_prosecution", "closing_report": "结案"})
    assert r.status_code == 200
    assert "outcome" in r.context["form"].errors
    case.refresh_from_db()
    assert case.status == "assigned" and case.outcome == ""


def _application_data(**values):
    data = {"received_on": date.today().isoformat(), "category": "civil", "cause": "labour_pay",
            "stage": "first_instance", "recipient_count": 1}
    data.update(values)
    return data


def test_the_application_form_refuses_a_charge_or_a_stage_of_another_category(clerk):
    form = ApplicationForm(_application_data(cause="homicide"), user=clerk)
    assert not form.is_valid()
    assert "故意杀人" in form.errors["cause"][0] and "民事" in form.errors["cause"][0]
    form = ApplicationForm(_application_data(category="criminal", cause="theft", stage="first_instance",
                                             criminal_role="defendant"), user=clerk)
    assert not form.is_valid() and "stage" in form.errors and "cause" not in form.errors
    form = ApplicationForm(_application_data(), user=clerk)
    form.is_valid()
    assert "cause" not in form.errors and "stage" not in form.errors
    # The page narrows too: every option says which categories it is offered for.
    html = str(form["cause"])
    assert 'data-scoped-by="category"' in html and 'value="homicide" data-for="criminal"' in html


def test_an_old_value_is_kept_on_an_unrelated_edit(clerk):
    app = f.ApplicationFactory(category="civil", cause="theft", stage="trial")  # recorded before the narrowing
    form = ApplicationForm(_application_data(cause="theft", stage="trial", facts="补充事实"), instance=app,
                           user=clerk)
    form.is_valid()
    assert "cause" not in form.errors and "stage" not in form.errors


def test_roles_follow_the_aid_form():
    assert CASE_ROLE.choices_for("labour_arbitration") == [("applicant", "申请人"), ("respondent", "被申请人")]
    assert "plaintiff" not in dict(CASE_ROLE.choices_for("labour_arbitration"))
    assert dict(CASE_ROLE.choices_for("civil_litigation"))["plaintiff"] == "原告"
    assert choices.default_role("labour_arbitration") == "applicant"
    assert choices.default_role("civil_litigation") == "plaintiff"
    assert choices.default_role("criminal_defence") == "defence"


def test_the_director_edits_terms_in_the_admin_with_history_and_nobody_deletes_them(client_for, director):
    client = client_for("director")
    add = reverse("admin:core_vocabularyterm_add")
    r = client.post(add, {"vocabulary": "cause", "code": "perjury", "label_zh": "伪证", "label_en": "Perjury",
                          "applies_to": ["criminal"], "active": "on", "order": "1000"})
    assert r.status_code == 302, r.content.decode()[:2000]
    term = VocabularyTerm.objects.get(code="perjury")
    assert term.applies_to == ["criminal"] and "perjury" in criminal_causes()
    change = reverse("admin:core_vocabularyterm_change", args=[term.pk])
    r = client.post(change, {"label_zh": "伪证", "label_en": "Perjury (Art. 305)", "applies_to": ["criminal"],
                             "order": "1000"})
    assert r.status_code == 302
    term.refresh_from_db()
    assert term.code == "perjury" and not term.active and term.label_en == "Perjury (Art. 305)"
    assert [h.history_type for h in term.history.order_by("history_date")] == ["+", "~"]
    assert {h.history_user.username for h in term.history.all()} == {"director"}
    assert "perjury" in criminal_causes() and not CAUSE.allows("perjury", "criminal")  # a charge, not offered
    assert client.get(reverse("admin:core_vocabularyterm_history", args=[term.pk])).status_code == 200
    assert client.post(reverse("admin:core_vocabularyterm_delete", args=[term.pk]), {"post": "yes"}).status_code == 403
    assert VocabularyTerm.objects.filter(pk=term.pk).exists()


def test_the_admin_refuses_a_role_offered_for_a_category_and_a_bad_code(client_for):
    client = client_for("director")
    add = reverse("admin:core_vocabularyterm_add")
    r = client.post(add, {"vocabulary": "role", "code": "agent", "label_zh": "代理人", "label_en": "Agent",
                          "applies_to": ["civil"], "active": "on", "order": "1000"})
    assert r.status_code == 200 and "applies_to" in r.context["adminform"].form.errors
    r = client.post(add, {"vocabulary": "cause", "code": "Bad Code", "label_zh": "某罪", "label_en": "X",
                          "order": "1000"})
    assert r.status_code == 200 and "code" in r.context["adminform"].form.errors
    r = client.post(add, {"vocabulary": "cause", "code": "theft_again", "label_zh": "盗窃", "label_en": "X",
                          "order": "1000"})
    assert r.status_code == 200  # the Chinese label is taken: the ledger could not tell them apart
    assert not VocabularyTerm.objects.filter(code__in=["agent", "theft_again"]).exists()


def test_only_those_who_keep_the_vocabularies_open_them(client_for):
    url = reverse("admin:core_vocabularyterm_changelist")
    assert client_for("director").get(url).status_code == 200
    assert client_for("admin").get(url).status_code == 200
    assert client_for("clerk").get(url).status_code == 302  # not staff: sent to the admin login


def test_without_the_table_the_seed_serves(monkeypatch):
    monkeypatch.setattr(choices, "_load", lambda: None)
    choices.forget()
    assert CAUSE.label("homicide") == "故意杀人"
    assert len(CAUSE.codes) == 59 and "death_review" in STAGE.codes


def test_a_notice_with_a_civil_cause_or_stage_is_refused_with_a_message(client_for):
    r = client_for("clerk").post("/intake/notices/new/", {
        "organ": "court", "received_on": date.today().isoformat(), "p_name": "王某", "ground": "minor",
        "stage": "first_instance", "cause": "labour_pay"})
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert "一审" in errors["stage"][0] and "劳动报酬" in errors["cause"][0]
    assert not CriminalNotice.objects.exists()


def test_another_process_sees_a_change_once_it_is_announced(monkeypatch):
    from django.core.cache import caches

    assert CAUSE.label("theft") == "盗窃"
    VocabularyTerm.objects.filter(vocabulary="cause", code="theft").update(label_zh="盗窃（改）")  # no signal
    assert CAUSE.label("theft") == "盗窃"  # this process keeps its copy…
    monkeypatch.setattr(choices, "RECHECK_SECONDS", 0)
    caches[choices.CACHE_ALIAS].set(choices.GENERATION_KEY, "changed elsewhere", None)
    assert CAUSE.label("theft") == "盗窃（改）"  # …until another process announces a change


def test_a_granted_labour_arbitration_application_makes_the_recipient_the_applicant():
    from intake.models import Application
    from intake.services import _aid_form

    assert _aid_form(Application(category="civil", cause="labour_pay", stage="arbitration")) == (
        "labour_arbitration", "applicant")
    assert _aid_form(Application(category="civil", cause="labour_pay", stage="first_instance")) == (
        "civil_litigation", "plaintiff")
    assert _aid_form(Application(category="criminal", cause="theft", criminal_role="victim")) == (
        "criminal_representation", "victim")
    assert CASE_ROLE.label("applicant") == "申请人"


def test_the_label_filter_shows_what_django_shows_for_fixed_choices_in_each_language():
    """core.templatetags.legalaid.label reads a per-language table instead of Django's display (lists)."""
    from core.templatetags.legalaid import label
    from funding.models import Spending

    for code in ["office", "training", "unknown_code", ""]:
        spending = Spending(category=code)
        for language in ["zh-hans", "en"]:
            with translation.override(language):
                assert label(spending, "category") == spending.get_category_display()
    with translation.override("zh-hans"):
        assert label(Spending(category="training"), "category") == "培训"
    with translation.override("en"):
        assert label(Spending(category="training"), "category") == "Training"
