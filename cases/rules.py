"""Pure rules about cases, shared by services, the ledger import and statistics."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.choices import LITIGATION_FORMS, NON_LITIGATION_FORMS, NON_LITIGATION_STAGES


def is_litigation(*, aid_form: str, stage: str) -> bool:
    """诉讼 vs 非诉讼 (STATISTICS.md cases.accepted.litigation / non_litigation).

    The aid form decides when it is a litigation or non-litigation form; otherwise
    (empty or 其他) the stage does: arbitration, mediation and non-litigation stages
    are outside court, every other stage is litigation. So the two add up to the total.
    """
    if aid_form in LITIGATION_FORMS:
        return True
    if aid_form in NON_LITIGATION_FORMS:
        return False
    return stage not in NON_LITIGATION_STAGES


# The categories each aid form (Art. 22) serves: 刑事辩护与代理 for criminal matters, 劳动争议调解与仲裁代理 for
# labour (civil) disputes; 其他 for any. The intake derives a case's form within these (intake/_aid_form).
AID_FORM_CATEGORIES = {
    "criminal_defence": ("criminal",),
    "criminal_representation": ("criminal",),
    "civil_litigation": ("civil",),
    "admin_litigation": ("administrative",),
    "state_compensation": ("civil", "administrative"),
    "labour_arbitration": ("civil",),
    "labour_mediation": ("civil",),
    "non_litigation": ("civil", "administrative"),
    "other": ("criminal", "civil", "administrative"),
}


def aid_form_fits(aid_form: str, category: str) -> bool:
    """Whether the aid form serves the category (an unknown form is left to the field's own choices)."""
    return category in AID_FORM_CATEGORIES.get(aid_form, (category,))


def aid_form_choices(category: str, current: str = "") -> list[tuple[str, str]]:
    """The aid forms offered for a case of `category`, with the case's own value kept."""
    from core.choices import AID_FORM

    return [(code, label) for code, label in AID_FORM.choices
            if code == current or aid_form_fits(code, category)]


LIFE_OR_DEATH_GROUNDS = {"life_or_death", "death_review"}
MIN_CRIMINAL_YEARS_LIFE_OR_DEATH = 3


def notice_ground(case) -> str:
    # Linked from the intake side; only a case from a notice has one (no query for the others).
    notice = getattr(case, "notice", None) if case.source == "notice" else None
    return notice.ground if notice is not None else ""


def is_life_or_death(case) -> bool:
    return notice_ground(case) in LIFE_OR_DEATH_GROUNDS or case.stage == "death_review"


def is_minor_case(case) -> bool:
    return "minor" in (case.recipient_groups or []) or notice_ground(case) == "minor"


def suitability_problems(case, handler) -> list[str]:
    """Why `handler` is not suitable for `case` (DOMAIN.md §5): empty when suitable."""
    from django.utils.translation import gettext as _

    problems = []
    if is_life_or_death(case) and handler.criminal_years < MIN_CRIMINAL_YEARS_LIFE_OR_DEATH:
        problems.append(_("A case where life imprisonment or death may be imposed needs a handler with at least "
                          "3 years of criminal-defence experience; %(name)s has %(years)s.")
                        % {"name": handler.name, "years": handler.criminal_years})
    if is_minor_case(case) and not handler.juvenile_suitable:
        problems.append(_("A case of a minor needs a handler suited to juvenile cases; %(name)s is not marked so.")
                        % {"name": handler.name})
    return problems


# Archive review checklist (DOMAIN.md §6): code, label.
ARCHIVE_ITEMS = [
    ("request", _("Application or notice")),
    ("identity", _("Proof of identity")),
    ("hardship", _("Statement of hardship or ground for exemption")),
    ("decision", _("Decision to grant aid")),
    ("assignment", _("Assignment notice")),
    ("agreement", _("Aid agreement")),
    ("work_record", _("Records of work on the case")),
    ("final_document", _("Document the case was closed on")),
    ("closing_report", _("Closing report")),
    ("opinion_form", _("Opinion form")),
]


def archive_items(case) -> list[tuple[str, str]]:
    """Documents the file of `case` must contain: notice cases have no hardship statement or decision."""
    skip = {"hardship", "decision"} if case.source == "notice" else set()
    return [(code, label) for code, label in ARCHIVE_ITEMS if code not in skip]


def grade_for(score: int, scale) -> str:
    if score >= scale.excellent_min:
        return "excellent"
    if score >= scale.good_min:
        return "good"
    if score >= scale.pass_min:
        return "pass"
    return "fail"
