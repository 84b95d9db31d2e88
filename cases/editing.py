"""Changing a case after it opened (issue 16, item 2): its stage, as an event with its own date (and for a
criminal case the notice of the new stage), and corrections of what was recorded at opening — the opposing
party, the amounts, "handled outside the county", the aid form and the role.

Who may: the case's own handler and center staff who assign cases, while the case is open; the aid form and
the role only center staff who assign cases; once the case is closed, archived or terminated only those
center staff, and with a reason. A refusal is PermissionDenied (403); a bad value is a ValidationError.

How the figures take it (STATISTICS.md "facts as they were when the event happened"):
- a stage change is an event: `Case.stage` becomes the new stage, `Case.stage_at_acceptance` keeps the stage
  the case was accepted at, which is what cases.accepted.criminal.<stage> counts; past periods do not move;
- the other fields are corrections of the record, kept in the case's history with who, when and why: the
  figures read the corrected value (amount.involved sums the amount in dispute as now recorded over the cases
  accepted in the period; a corrected aid form re-derives 诉讼/非诉讼 from the stage at acceptance), and
  "handled outside the county" feeds the subsidy of a case graded after the change (funding reads the case
  field when it computes; a subsidy computed before is not recomputed — finance corrects it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import deadlines, numbering
from core.choices import CASE_ROLE, ORGAN, STAGE, not_offered
from core.history import history_rows
from core.stored import site_language

from . import rules
from .models import Case, StageChange
from .services import letter_sent, may_work_on
from .workflow import WORKFLOW

OPEN = (Case.Status.AWAITING, Case.Status.ASSIGNED)
# Corrections anybody who may edit the case may make, and those only center staff who assign cases may make.
FIELDS = ("opposing_party", "amount_involved", "amount_recovered", "outside_county")
CENTER_FIELDS = ("aid_form", "role")
EDITABLE = FIELDS + CENTER_FIELDS


def _center_assigner(user) -> bool:
    return bool(user and user.is_authenticated and user.is_center and user.can("case_assign"))


def may_edit(user, case: Case) -> bool:
    """The button and the page: open cases by those who work on them; closed ones by center staff only."""
    if case.status in OPEN:
        return may_work_on(user, case)
    return _center_assigner(user)


def may_change_stage(user, case: Case) -> bool:
    return may_work_on(user, case)


def editable_fields(user, case: Case) -> list[str]:
    """The fields this user may correct on this case (the form offers only these)."""
    if not may_edit(user, case):
        return []
    fields = [f for f in FIELDS if f != "amount_recovered" or case.closed_on]
    return fields + (list(CENTER_FIELDS) if _center_assigner(user) else [])


def stage_choices(case: Case) -> list[tuple[str, str]]:
    """Stages this case may move to: those the vocabulary offers for its category (core.VocabularyTerm)."""
    return [(code, label) for code, label in STAGE.choices_for(case.category) if code != case.stage]


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("handler").get(pk=case.pk)


def _not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": label})


class Changes(dict):
    """{field: value} as an edit page posts it, with `seen`: {field: value} as the page showed it when it was opened
    (cases.editing_forms.CaseEditForm). case_edit takes from it only what the user changed on that page."""

    def __init__(self, values: dict, *, seen: dict | None = None):
        super().__init__(values)
        self.seen = seen


def _same(a, b) -> bool:
    """Two values of a field are the same correction (an empty text and no value alike)."""
    return (a if a is not None else "") == (b if b is not None else "")


@transaction.atomic
def case_edit(*, case: Case, by, changes: dict, reason: str = "", seen: dict | None = None) -> Case:
    """Correct fields of the case recorded at opening (or the amount recovered at closing).

    `seen`: the values the user's page showed when it was opened (by default `changes.seen`, see Changes). A
    field posted as it was shown is not the user's change, whatever the case holds now: a correction a colleague
    saved in the meantime stays. A field both the colleague and this user changed is refused, not overwritten.
    Without `seen`, every posted value that differs from the case is a change."""
    seen = getattr(changes, "seen", None) if seen is None else seen
    case = _lock(case)
    if not may_edit(by, case):
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s.")
                              % {"fields": ", ".join(sorted(unknown))})
    if seen:
        changes = {name: value for name, value in changes.items() if name not in seen or not _same(value, seen[name])}
        if any(name in seen and not _same(getattr(case, name), seen[name])
               and not _same(getattr(case, name), value) for name, value in changes.items()):
            raise ValidationError(_("This case was changed by someone else since you opened this page; reload it "
                                    "and make your change again."))
    changed = {name: value for name, value in changes.items() if value != getattr(case, name)}
    if any(name in CENTER_FIELDS for name in changed) and not _center_assigner(by):
        raise PermissionDenied
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    if "amount_recovered" in changed and not case.closed_on:
        raise ValidationError(_("The amount recovered is recorded when the case is closed."))
    reason = (reason or "").strip()
    if case.status not in OPEN and not reason:
        raise ValidationError(_("The case is %(status)s: give the reason for the correction.")
                              % {"status": case.get_status_display()})
    for name, value in changed.items():
        if name.startswith("amount_") and value is not None and Decimal(value) < 0:
            raise ValidationError(_("An amount cannot be negative."))
        setattr(case, name, case._meta.get_field(name).clean(value, case))
    if changed.get("aid_form") and not rules.aid_form_fits(case.aid_form, case.category):
        raise ValidationError(_("“%(form)s” is not an aid form of a %(category)s case.")
                              % {"form": case.get_aid_form_display(), "category": case.get_category_display()})
    if {"aid_form", "role"} & set(changed):
        # The role must be one the vocabulary offers for the aid form (no 原告 in a labour arbitration).
        problem = not_offered(CASE_ROLE, case.role, case.aid_form) if case.role and case.aid_form else ""
        if problem:
            raise ValidationError(problem)
    if "aid_form" in changed:
        accepted_stage = case.stage if case.stage_at_acceptance is None else case.stage_at_acceptance
        case.is_litigation = rules.is_litigation(aid_form=case.aid_form, stage=accepted_stage)
    if not reason:
        with site_language():  # the history is read in the center's language, whoever clicked (core.stored)
            reason = _("Case details corrected")
    case._history_user = by
    case._change_reason = reason[:100]
    case.save()
    return case


@transaction.atomic
def case_change_stage(*, case: Case, to_stage: str, on: date, by, organ: str = "", organ_name: str = "",
                      notice_number: str = "", notice_received_on: date | None = None,
                      note: str = "") -> StageChange:
    """The case moves to another stage on `on`; a criminal case from a notice brings the new stage's notice."""
    case = _lock(case)
    if not may_change_stage(by, case):
        raise PermissionDenied
    if case.status not in OPEN:
        raise ValidationError(_("This cannot be done while the case is %(status)s.")
                              % {"status": case.get_status_display()})
    if to_stage not in dict(stage_choices(case)):
        raise ValidationError(_("Choose a stage of a %(category)s case other than the current one.")
                              % {"category": case.get_category_display()})
    last = case.stage_changes.order_by("-changed_on", "-pk").first()
    earliest = max(case.accepted_on, last.changed_on if last else case.accepted_on)
    if on is None or on < earliest:
        raise ValidationError(_("The new stage cannot be dated before %(date)s (the acceptance or the last "
                                "change of stage).") % {"date": earliest.isoformat()})
    _not_future(on, _("The date of the new stage"))
    notice = _notice_details(case, organ=organ, organ_name=organ_name, notice_number=notice_number,
                             received_on=notice_received_on)
    change = StageChange(case=case, from_stage=case.stage, to_stage=to_stage, changed_on=on, recorded_by=by,
                         note=(note or "").strip(), **notice)
    if notice["organ"] and case.status == Case.Status.ASSIGNED:
        # The new organ is told who defends, as the first one was by the assignment's letter (Art. 36).
        change.letter_number = numbering.issue_document_number(kind="letter", year=on.year)
        change.letter_due = deadlines.due_date("notice_assign", notice["notice_received_on"])
    change._history_user = by
    change.save()
    if case.stage_at_acceptance is None:
        case.stage_at_acceptance = case.stage  # a record written without it: its stage never moved until now
    case.stage = to_stage
    case._history_user = by
    with site_language():
        case._change_reason = (_("Stage changed to %(stage)s on %(date)s")
                               % {"stage": STAGE.label(to_stage), "date": on.isoformat()})[:100]
    case.save()
    return change


@transaction.atomic
def stage_letter_sent(*, change: StageChange, on: date | None, by) -> StageChange:
    """The 法律援助公函 of a change of stage went to its organ on `on`."""
    change = StageChange.objects.select_for_update().select_related("case").get(pk=change.pk)
    WORKFLOW.authorize(by, change.case, "letter_sent")
    if not change.letter_number:
        raise ValidationError(_("This change of stage issued no legal-aid letter."))
    return letter_sent(change, on=on, by=by, not_before=change.changed_on,
                       too_early=_("The letter cannot be sent before the change of stage (%(date)s)."))


def _notice_details(case: Case, *, organ: str, organ_name: str, notice_number: str,
                    received_on: date | None) -> dict:
    """The notice of the new stage: required for a criminal case that came from a notice, all or nothing for
    another criminal case, none for a civil or administrative one."""
    given = {"organ": (organ or "").strip(), "organ_name": (organ_name or "").strip(),
             "notice_number": (notice_number or "").strip(), "notice_received_on": received_on}
    if case.category != "criminal":
        return {"organ": "", "organ_name": "", "notice_number": "", "notice_received_on": None}
    core_fields = (given["organ"], given["notice_number"], given["notice_received_on"])
    if not any(core_fields) and case.source != "notice":
        return given
    if not all(core_fields):
        raise ValidationError(_("Enter the notice of the new stage: the notifying organ, the notice number and "
                                "the date it was received."))
    if given["organ"] not in ORGAN.codes:
        raise ValidationError(_("Choose the notifying organ."))
    if received_on < case.accepted_on:
        raise ValidationError(_("The notice cannot have been received before the case was accepted (%(date)s).")
                              % {"date": case.accepted_on.isoformat()})
    _not_future(received_on, _("The date the notice was received"))
    return given


# --- reads ---------------------------------------------------------------------------------------------

def stage_history(case: Case) -> list[dict]:
    """Each stage of the case with the date it began: the stage at acceptance, then every change."""
    changes = list(case.stage_changes.select_related("recorded_by").order_by("changed_on", "pk"))
    first = changes[0].from_stage if changes else case.stage
    rows = [{"stage": STAGE.label(first) if first else "—", "on": case.accepted_on, "accepted": True,
             "notice": getattr(case, "notice", None) if case.source == "notice" else None, "change": None}]
    rows += [{"stage": STAGE.label(c.to_stage), "on": c.changed_on, "accepted": False, "notice": None,
              "organ": ORGAN.label(c.organ) if c.organ else "", "change": c} for c in changes]
    return rows


def correction_rows(case: Case, limit: int = 100) -> list[dict]:
    """The case's history reduced to the corrections of this module's fields (who, when, why, old → new),
    shown to everyone who sees the case; the full history stays for those with history_view."""
    labels = {str(Case._meta.get_field(name).verbose_name) for name in EDITABLE}
    rows = []
    for row in history_rows(case, limit=limit):
        changes = [c for c in row["changes"] if c["field"] in labels]
        if changes:
            rows.append(row | {"changes": changes})
    return rows
