"""Case documents: the printed documents (kept as first issued), their delivery receipts, and attachments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.access import get_visible
from core.issued import in_document_language, print_delivery, print_issued
from core.models import CenterProfile

from . import rules, services
from .documents import (
    DELIVERY_CAPABILITY,
    SERVED,
    document_of_assignment,
    notifying_on,
    printable_documents,
    stage_letters,
)
from .models import Attachment, Case
from .selectors import case_detail_qs, recipient_is_visible
from .views import _case, _need_case_access

# --- documents ------------------------------------------------------------------

@login_required
@in_document_language
def case_print(request, pk, doc):
    case = _case(request, pk)
    if not recipient_is_visible(request.user, case):  # the documents name the recipient (DOMAIN.md §13)
        raise Http404
    if doc not in dict(printable_documents(case)):
        raise Http404
    assignments = list(case.assignments.select_related("handler__provider").order_by("assigned_on", "pk"))
    doc, assignment_pk = document_of_assignment(doc)
    # The current assignment's documents, or an earlier one's (listed by printable_documents, so it exists).
    assignment = (next(a for a in assignments if a.pk == assignment_pk) if assignment_pk
                  else (assignments[-1] if assignments else None))
    if doc.startswith(("letter-", "delivery-letter-")):
        return _print_stage_letter(request, case, doc, assignments)
    if doc.startswith("delivery-"):
        return _print_delivery(request, case, doc.removeprefix("delivery-"), assignment)
    # The numbered documents are kept as first printed (core.issued); the closing report and the opinion
    # form carry the case's number only and are filled in as the case goes, so they print as the record is.
    obj, number = {"assignment": (assignment, assignment.number if assignment else ""),
                   "letter": (assignment, assignment.letter_number if assignment else ""),
                   "termination": (case, case.termination_number)}.get(doc, (case, ""))
    day = case.terminated_on if doc == "termination" else (assignment.assigned_on if assignment else None)
    return print_issued(request, f"cases/print/{doc}.html", {
        "case": case, "assignment": assignment, "profile": CenterProfile.get(), "today": timezone.localdate(),
        "notifying": notifying_on(case, day),
        "notice_ground": rules.notice_ground(case), "progress": case.progress.order_by("date", "pk"),
    }, obj=obj, document=doc, number=number)


def _print_stage_letter(request, case: Case, doc: str, assignments: list):
    """The 公函 a change of stage issued to the new organ (and its 送达回证): the handler then holding the case."""
    change = next(c for c in stage_letters(case) if doc.endswith(f"letter-{c.pk}"))  # listed: printable_documents
    held = [a for a in assignments if a.assigned_on <= change.changed_on] or assignments
    assignment = held[-1] if held else None
    notifying = notifying_on(case, change.notice_received_on or change.changed_on)
    if doc.startswith("delivery-"):
        return print_delivery(request, obj=change, document="letter", title=SERVED["letter"],
                              number=change.letter_number, served_to=notifying.organ_name,
                              capability=DELIVERY_CAPABILITY)
    return print_issued(request, "cases/print/letter.html", {
        "case": case, "assignment": assignment, "profile": CenterProfile.get(), "notifying": notifying,
        "letter_number": change.letter_number, "letter_date": change.changed_on,
    }, obj=change, document="letter", number=change.letter_number)


def _print_delivery(request, case: Case, served: str, assignment):
    """The 送达回证 of a served document: to the handler (or firm) for the assignment notice, to the notifying
    organ for the 公函, to the recipient for the termination decision and, for a criminal case, to the organ
    it is copied to. Issued (numbered) by the center's staff who serve documents; reprinted for those who see
    the case (core.issued.print_delivery)."""
    if served == "assignment":
        handler = assignment.handler if assignment else case.handler
        to = handler.provider.name if handler and handler.provider else (handler.name if handler else "")
        obj, number = (assignment or case), (assignment.number if assignment else "")
    elif served == "letter":
        to = notifying_on(case, assignment.assigned_on if assignment else None).organ_name
        obj, number = (assignment or case), (assignment.letter_number if assignment else "")
    elif served == "termination-organ":
        to, obj, number = notifying_on(case, case.terminated_on).organ_name, case, case.termination_number
    else:
        to, obj, number = case.recipient.name, case, case.termination_number
    return print_delivery(request, obj=obj, document=served, title=SERVED[served], number=number, served_to=to,
                          capability=DELIVERY_CAPABILITY)


# --- attachments -----------------------------------------------------------------

@login_required
def attachment_download(request, pk):
    _need_case_access(request.user)
    att = get_object_or_404(Attachment, pk=pk)
    case = get_visible(case_detail_qs(request.user), pk=att.case_id)
    if not recipient_is_visible(request.user, case):  # a judgment or agreement names the recipient (§13)
        raise Http404
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.attachment_downloaded(attachment=att, by=request.user)
    return FileResponse(handle, as_attachment=True, filename=att.original_name)
