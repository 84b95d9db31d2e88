"""Which documents a case has to print: those its steps issued (the assignment notice, the 公函 of a notice
case, the termination decision), the forms of a closed case, and the 送达回证 of each served document."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
}
# 送达回证 of the documents the center serves: (title, whom it is served to).
SERVED = {
    "assignment": "指派通知书",
    "letter": "法律援助公函",
    "termination": "终止法律援助决定书",
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
    return [(d, DOCUMENTS[d]) for d in docs]
