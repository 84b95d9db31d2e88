"""Which documents a case has to print: those its steps issued (the assignment notice, the 公函 of a notice
case, the termination decision), the forms of a closed case, and the 送达回证 of each served document.

The assignment notice and the 公函 are the current assignment's; those of the earlier assignments (a change of
handler, Art. 55, keeps the history) stay printable as issued under their own codes, `assignment-a<pk>`,
`letter-a<pk>` and their receipts' `delivery-assignment-a<pk>`, `delivery-letter-a<pk>`."""

from __future__ import annotations

import re
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
# The 送达回证 are issued by the center's staff who serve its documents: those who assign the cases.
DELIVERY_CAPABILITY = "case_assign"
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
    out += earlier_assignment_documents(case)
    for change in stage_letters(case):  # the letters to the organs of later stages (Art. 36), with their receipts
        out.append((f"letter-{change.pk}", _("Legal-aid letter: %(stage)s") % {"stage": STAGE.label(change.to_stage)}))
        out.append((f"delivery-letter-{change.pk}",
                    _("Delivery receipt: legal-aid letter (%(stage)s)") % {"stage": STAGE.label(change.to_stage)}))
    return out


def earlier_assignment_documents(case: Case) -> list[tuple[str, object]]:
    """The notices (and 公函) of the assignments a change of handler ended, with their 送达回证: each was issued
    and served, and the case file keeps it."""
    out = []
    for a in list(case.assignments.select_related("handler").order_by("assigned_on", "pk"))[:-1]:
        name = {"handler": a.handler.name}
        out += [(f"assignment-a{a.pk}", _("Earlier assignment notice (%(handler)s)") % name),
                (f"delivery-assignment-a{a.pk}", _("Delivery receipt: earlier assignment notice (%(handler)s)") % name)]
        if a.letter_number:
            out += [(f"letter-a{a.pk}", _("Earlier legal-aid letter (%(handler)s)") % name),
                    (f"delivery-letter-a{a.pk}",
                     _("Delivery receipt: earlier legal-aid letter (%(handler)s)") % name)]
    return out


_OF_ASSIGNMENT = re.compile(r"^(?P<doc>(?:delivery-)?(?:assignment|letter))-a(?P<pk>\d+)$")


def document_of_assignment(doc: str) -> tuple[str, int | None]:
    """(`assignment` / `letter` / their `delivery-…`, the assignment's pk) of an earlier assignment's document
    code; (doc, None) for the others, which are the current assignment's."""
    match = _OF_ASSIGNMENT.match(doc)
    return (match["doc"], int(match["pk"])) if match else (doc, None)


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
