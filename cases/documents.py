"""Which documents a case has to print: those its steps issued (the assignment notice, the 公函 of a notice
case, the termination decision), the forms of a closed case, and the 送达回证 of each served document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from core.choices import STAGE

from .models import Case

DOCUMENTS = {
    "assignment": _("Assignment notice"),
    "letter": _("Legal-aid letter"),
    "termination": _("Decision to terminate legal aid"),
    "closing_report": _("Closing report form"),
    "opinion_form": _("Opinion form"),
    "delivery-assignment": _("Delivery receipt: assignment notice"),
    "delivery-letter": _("Delivery receipt: legal-aid letter"),
    "delivery-termination": _("Delivery receipt: termination decision"),
    "delivery-termination-organ": _("Delivery receipt: termination decision (copy to the notifying organ)"),
}
# 送达回证 of the documents the center serves: (title, whom it is served to).
SERVED = {
    "assignment": "指派通知书",
    "letter": "法律援助公函",
    "termination": "终止法律援助决定书",
    "termination-organ": "终止法律援助决定书（抄送）",
}


def printable_documents(case: Case) -> list[tuple[str, object]]:
    docs = []
    if case.assigned_on:
        docs.append("assignment")
        if case.source == "notice":
            docs.append("letter")
    if case.status == Case.Status.TERMINATED:
        docs.append("termination")
    if case.closed_on:
        docs += ["closing_report", "opinion_form"]
    docs += [f"delivery-{d}" for d in list(docs) if d in SERVED]
    if "termination" in docs and case.category == "criminal" and notifying_on(case, case.terminated_on).organ_name:
        docs.append("delivery-termination-organ")  # a criminal termination is notified to the organ (Art. 48)
    out = [(d, DOCUMENTS[d]) for d in docs]
    for change in stage_letters(case):  # the letters to the organs of later stages (Art. 36), with their receipts
        out.append((f"letter-{change.pk}", _("Legal-aid letter: %(stage)s") % {"stage": STAGE.label(change.to_stage)}))
        out.append((f"delivery-letter-{change.pk}",
                    _("Delivery receipt: legal-aid letter (%(stage)s)") % {"stage": STAGE.label(change.to_stage)}))
    return out


def stage_letters(case: Case) -> list:
    """The changes of stage that issued a 法律援助公函 to their organ."""
    if case.category != "criminal":
        return []
    return [c for c in case.stage_changes.order_by("changed_on", "pk") if c.letter_number]


@dataclass(frozen=True)
class Notifying:
    """The organ a criminal case's notice came from, as a document addresses it."""

    organ_name: str
    notice_number: str
    received_on: date | None


def notifying_on(case: Case, day: date | None) -> Notifying:
    """The organ notifying on `day`: the latest change of stage that brought its notice by then (侦查 → 审查起诉
    → 审判, each with its own organ and notice), else the notice the case opened with. A letter issued after
    the court's notice goes to the court, one issued before it to the procuratorate."""
    changes = [c for c in case.stage_changes.order_by("changed_on", "pk")
               if c.organ and (day is None or (c.notice_received_on or c.changed_on) <= day)]
    if changes:
        last = changes[-1]
        from core.choices import ORGAN

        return Notifying(last.organ_name or ORGAN.label(last.organ), last.notice_number, last.notice_received_on)
    notice = getattr(case, "notice", None) if case.source == "notice" else None  # linked from the intake side
    if notice is not None:
        return Notifying(notice.organ_name or case.get_organ_display(), notice.notice_number, notice.received_on)
    return Notifying(case.get_organ_display(), "", None)
