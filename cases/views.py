"""Case pages: list, detail, one form page per transition, printed documents, attachments,
and the handler roster."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from applicants.services import full_id_shown
from core.access import get_visible, require
from core.choices import GROUP
from core.flow import act_with, submit
from core.paging import paginate
from core.redirects import safe_next

from . import editing, forms, rules, services, workflow
from .documents import printable_documents
from .filters import CaseFilter, ComplaintFilter, DiscussionFilter
from .models import (
    ArchiveReview,
    Assignment,
    AssignmentProposal,
    Case,
    Complaint,
    Discussion,
    ProgressEntry,
    TerminationObjection,
)
from .selectors import (
    case_detail_qs,
    may_list_cases,
    quality_records_visible_to,
    recipient_is_visible,
    with_approval,
    with_recipient_hidden,
)
from .selectors import case_list as case_list_qs
from .workflow import WORKFLOW


def _need_case_access(user):
    if not may_list_cases(user):
        raise PermissionDenied


def _case(request, pk) -> Case:
    _need_case_access(request.user)
    return get_visible(case_detail_qs(request.user), pk=pk)


def _crumbs(case=None, *extra):
    items = [(_("Cases"), reverse("cases:case_list"))]
    if case is not None:
        items.append((case.number, reverse("cases:case_detail", args=[case.pk])))
    return items + [(label, None) for label in extra]


@login_required
def case_list(request):
    _need_case_access(request.user)
    qs = with_approval(case_list_qs(request.user))
    flt = CaseFilter(request.GET, queryset=qs, request=request)
    rows = flt.qs
    if request.GET.get("export") == "xlsx":
        from core.exports import export_response

        return export_response("案件", with_recipient_hidden(rows, request.user),
                               filename=f"案件-{timezone.localdate():%Y%m%d}.xlsx",
                               full=request.user.can("applicant_view_full"), request=request)
    page = paginate(request, rows)
    return render(request, "cases/case_list.html", {
        "filter": flt, "page_obj": page, "breadcrumbs": [(_("Cases"), None)],
        "title": _("Cases"),
    })


QUALITY_LISTS = {
    "discussion": (Discussion, DiscussionFilter, _("Collective discussions")),
    "complaint": (Complaint, ComplaintFilter, _("Complaints")),
}


@login_required
def quality_record_list(request, kind):
    """Collective discussions or complaints across the cases the user may see (the figures
    quality.discussions and complaints.total link here)."""
    _need_case_access(request.user)
    model, filter_class, title = QUALITY_LISTS[kind]
    flt = filter_class(request.GET, queryset=quality_records_visible_to(request.user, model), request=request)
    page = paginate(request, flt.qs)
    return render(request, "cases/quality_list.html", {
        "filter": flt, "page_obj": page, "kind": kind, "title": title,
        "may_handle": request.user.can("quality_manage") and request.user.is_center,
        "breadcrumbs": [(_("Cases"), reverse("cases:case_list")), (title, None)],
    })


case_actions = workflow.actions  # the buttons: the table decides (cases/workflow.py)
next_step = workflow.next_step


@login_required
def case_detail(request, pk):
    case = _case(request, pk)
    case = Case.objects.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("handler__provider", "assigned_by",
                                                                            "proposal__proposed_by")),
        Prefetch("progress", queryset=ProgressEntry.objects.select_related("recorded_by").prefetch_related(
            "attachments")),
        Prefetch("archive_reviews", queryset=ArchiveReview.objects.select_related("reviewer")),
        "attachments", "discussions", "hearings", "inspections", "opinions", "followups", "complaints",
        Prefetch("termination_objections", queryset=TerminationObjection.objects.select_related(
            "decided_by", "resumed_by", "created_by")),
    ).select_related("recipient", "handler__provider", "station", "notice", "application").get(pk=case.pk)
    user = request.user
    labels = dict(rules.ARCHIVE_ITEMS)
    reviews = [(r, [(labels.get(code, code), ok) for code, ok in r.checklist.items()])
               for r in case.archive_reviews.all()]
    # A recipient registered outside a station user's scope is not named, nor its groups, nor printed
    # (the documents name the recipient): as on the application (DOMAIN.md §13).
    hidden = not recipient_is_visible(user, case)
    docs = [] if hidden else printable_documents(case)
    step, step_due = next_step(case)
    subsidy = None
    if user.can("subsidy_manage"):  # funding's record, reached by its reverse accessor: cases imports no funding
        subsidy = getattr(case, "subsidy", None)  # None when it has none (the accessor raises AttributeError)
    return render(request, "cases/case_detail.html", {
        "subsidy": subsidy,
        "termination_notice_form": forms.TerminationNoticeForm(auto_id="tn_%s"),
        "letter_form": forms.LetterSentForm(auto_id="ls_%s"),
        "may_record_letters": WORKFLOW["letter_sent"].permitted(user, case),
        "case": case, "actions": case_actions(user, case), "reviews": reviews, "docs": docs,
        "next_step": step, "next_due": step_due, "notice_ground": rules.notice_ground(case),
        "life_or_death": rules.is_life_or_death(case), "minor_case": not hidden and rules.is_minor_case(case),
        "recipient_hidden": hidden,
        "show_full": not hidden and full_id_shown(person=case.recipient, by=user,
                                                  asked=request.GET.get("show_id") == "1"),
        "can_reveal": not hidden and user.can("applicant_view_full"),
        "groups": [] if hidden else [GROUP.label(g) for g in case.recipient_groups],
        "stage_history": editing.stage_history(case), "corrections": editing.correction_rows(case),
        "breadcrumbs": _crumbs(case), "title": case.number, **_approval_context(user, case),
    })


# --- transitions --------------------------------------------------------------

@dataclass
class Action:
    """The form page of one step of the table (who may take it and when: cases/workflow.py)."""

    form: type
    run: Callable
    case_form: bool = False
    files: bool = False
    help: object = ""


def _assign(case, d, by):
    return services.case_assign(case=case, handler=d["handler"], on=d["on"], by=by,
                                override_reason=d.get("override_reason", ""))


def _change(case, d, by):
    return services.case_change_handler(case=case, handler=d["handler"], on=d["on"], reason=d["reason"], by=by,
                                        override_reason=d.get("override_reason", ""))


def _d(service, **fixed):
    """A step whose service takes the form's fields as they are."""
    return lambda c, d, by: service(case=c, by=by, **d, **fixed)


ACTIONS: dict[str, Action] = {
    "assign": Action(forms.AssignForm, _assign, case_form=True,
                     help=_("The first handler offered is the suggestion: suitable, specialised in the cause, "
                            "with the fewest open cases.")),
    "change_handler": Action(forms.ChangeHandlerForm, _change, case_form=True),
    "agreement": Action(forms.AgreementForm,
                        lambda c, d, by: services.case_sign_agreement(case=c, signed_on=d["signed_on"], by=by,
                                                                      late_reason=d.get("late_reason", ""))),
    "progress": Action(forms.ProgressForm,
                       lambda c, d, by: services.case_record_progress(case=c, kind=d["kind"], on=d["on"],
                                                                      note=d["note"], by=by, files=d["files"]),
                       files=True),
    "attach": Action(forms.AttachmentForm,
                     lambda c, d, by: services.attachment_add(case=c, upload=d["file"], kind=d["kind"], by=by),
                     files=True),
    "close": Action(forms.CloseForm,
                    lambda c, d, by: services.case_close(
                        case=c, closed_on=d["closed_on"], outcome=d["outcome"], closing_report=d["closing_report"],
                        amount_recovered=d.get("amount_recovered"), judgment=d.get("judgment"), by=by),
                    files=True, case_form=True, help=_("The case file is due within 30 days of closing.")),
    "submit_file": Action(forms.SubmitFileForm,
                          lambda c, d, by: services.case_submit_file(case=c, submitted_on=d["submitted_on"], by=by)),
    "archive_review": Action(forms.ArchiveReviewForm,
                             lambda c, d, by: services.case_archive_review(
                                 case=c, result=d["result"], checklist=d["checklist"], on=d["on"],
                                 reasons=d.get("reasons", ""), by=by), case_form=True,
                             help=_("Tick every document found in the file. A file passes only when all are "
                                    "present; otherwise return it with the reasons.")),
    "grade": Action(forms.GradeForm, lambda c, d, by: services.case_grade(case=c, score=d["score"], on=d["on"], by=by)),
    "terminate": Action(forms.TerminateForm,
                        lambda c, d, by: services.case_terminate(case=c, reason=d["reason"], on=d["on"],
                                                                 note=d.get("note", ""), by=by,
                                                                 substantive_work=d.get("substantive_work", False))),
    "object": Action(forms.TerminationObjectionForm, _d(services.termination_objection_file),
                     help=_("The recipient objects to the termination before the justice bureau, which decides within "
                            "5 days of receiving it (Art. 49). Record the day it was received.")),
    "objection_outcome": Action(forms.ObjectionOutcomeForm, _d(services.termination_objection_decide),
                                help=_("Upheld, the termination stands. Overturned, the center is ordered to correct "
                                       "it: legal aid then resumes.")),
    "resume": Action(forms.ResumeForm, _d(services.case_resume),
                     help=_("The termination is revoked: the handler it ended is assigned again (or, without one, "
                            "the case awaits assignment), and the case no longer counts as terminated. A "
                            "termination subsidy in a batch or paid is handled by finance first.")),
    "discussion": Action(forms.DiscussionForm, _d(services.discussion_record)),
    "hearing": Action(forms.HearingForm, _d(services.hearing_record)),
    "inspection": Action(forms.InspectionForm, _d(services.inspection_record)),
    "opinion": Action(forms.OpinionForm, _d(services.opinion_record)),
    "followup": Action(forms.FollowUpForm, _d(services.followup_record)),
    "complaint": Action(forms.ComplaintForm, _d(services.complaint_record)),
    "propose": Action(forms.ProposeForm,
                      lambda c, d, by: services.case_propose_assignment(
                          case=c, handler=d["handler"], note=d.get("note", ""), by=by,
                          override_reason=d.get("override_reason", "")),
                      case_form=True,
                      help=_("A reviewer approves the proposal (the case is then assigned and the assignment "
                             "notice issued) or returns it. The 3-day assignment deadline keeps running.")),
    "propose_change": Action(forms.ProposeChangeForm,
                             lambda c, d, by: services.case_propose_change_of_handler(
                                 case=c, handler=d["handler"], reason=d["reason"], note=d.get("note", ""), by=by,
                                 override_reason=d.get("override_reason", "")),
                             case_form=True,
                             help=_("A reviewer approves the change (it takes effect that day, with a new "
                                    "assignment notice) or returns it. Until then the current handler goes on.")),
}


@login_required
def case_action(request, pk, action):
    """The form page of one step: the table says who may take it, the service whether the case allows it."""
    spec = ACTIONS[action]
    case = _case(request, pk)
    WORKFLOW.authorize(request.user, case, action)
    title = WORKFLOW[action].label
    kwargs = {"case": case} if spec.case_form else {}
    form = spec.form(request.POST if request.method == "POST" else None,
                     request.FILES if spec.files and request.method == "POST" else None, **kwargs)
    done = submit(request, form, lambda d: spec.run(case, {**d, "checklist": getattr(form, "checklist", None)}
                                                    if action == "archive_review" else d, request.user),
                  done=_("Saved: %(what)s") % {"what": title}, to="cases:case_detail", args=(case.pk,))
    if done:
        return done
    return render(request, "cases/case_action.html", {
        "case": case, "form": form, "action": action, "spec": spec, "title": title,
        "multipart": spec.files, "breadcrumbs": _crumbs(case, title),
        "life_or_death": rules.is_life_or_death(case), "minor_case": rules.is_minor_case(case),
    })


@login_required
@require_POST
def case_termination_notified(request, pk):
    """Record the notice of a termination to the organ (Art. 48); errors come back as messages on the case."""
    case = _case(request, pk)
    WORKFLOW.authorize(request.user, case, "termination_notice")
    return act_with(request, forms.TerminationNoticeForm(request.POST),
                    lambda d: services.case_termination_notified(case=case, on=d["on"], means=d["means"],
                                                                 by=request.user),
                    done=_("Notice to the organ recorded."), to="cases:case_detail", args=(case.pk,))


@login_required
@require_POST
def case_letter_sent(request, pk):
    """Record the day the legal-aid letter of one of this case's assignments was sent."""
    case = _case(request, pk)
    WORKFLOW.authorize(request.user, case, "letter_sent")

    def run(d):
        assignment = case.assignments.filter(pk=d["assignment"]).first()
        if assignment is None:
            raise ValidationError(_("This assignment is not one of this case's."))
        return services.assignment_letter_sent(assignment=assignment, on=d["on"], by=request.user)

    return act_with(request, forms.LetterSentForm(request.POST), run,
                    done=_("Sending of the legal-aid letter recorded."), to="cases:case_detail", args=(case.pk,))


@login_required
@require_POST
def case_stage_letter_sent(request, pk):
    """Record the day the legal-aid letter of one of this case's changes of stage was sent to its organ."""
    case = _case(request, pk)
    WORKFLOW.authorize(request.user, case, "letter_sent")

    def run(d):
        change = case.stage_changes.filter(pk=d["assignment"]).first()  # the form's hidden key: the change's
        if change is None:
            raise ValidationError(_("This change of stage is not one of this case's."))
        return editing.stage_letter_sent(change=change, on=d["on"], by=request.user)

    return act_with(request, forms.LetterSentForm(request.POST), run,
                    done=_("Sending of the legal-aid letter recorded."), to="cases:case_detail", args=(case.pk,))


@login_required
def complaint_handle(request, pk):
    _need_case_access(request.user)
    complaint = get_object_or_404(Complaint.objects.select_related("case"), pk=pk)
    case = get_visible(case_detail_qs(request.user), pk=complaint.case_id)
    require(request.user, "quality_manage")
    if not request.user.is_center:
        raise PermissionDenied
    form = forms.ComplaintHandleForm(request.POST or None, initial={
        "handling": complaint.handling, "resolved_on": complaint.resolved_on or timezone.localdate(),
        "substantiated": complaint.substantiated})
    done = submit(request, form, lambda d: services.complaint_handle(complaint=complaint, by=request.user, **d),
                  done=_("Saved: %(what)s") % {"what": _("Complaint handling")},
                  to=safe_next(request, reverse("cases:case_detail", args=[case.pk])))
    if done:
        return done
    title = _("Complaint handling")
    return render(request, "cases/case_action.html", {
        "case": case, "form": form, "title": title, "breadcrumbs": _crumbs(case, title), "complaint": complaint,
    })


# --- assignment approval (a center setting, issue 16.3) ---------------------------

def _approval_context(user, case: Case) -> dict:
    proposals = list(case.assignment_proposals.select_related("handler", "proposed_by", "decided_by"))
    pending = next((p for p in proposals if p.status == AssignmentProposal.Status.PENDING), None)
    return {
        "proposals": proposals, "pending_proposal": pending,
        "may_decide": pending is not None and WORKFLOW.allowed(user, case, services.approval_step(pending)),
    }


def _decide_proposal(request, pk, decide: Callable, done) -> object:
    case = _case(request, pk)
    WORKFLOW.authorize(request.user, case, "approve_change" if case.status == Case.Status.ASSIGNED else "approve")

    def run(d):
        proposal = case.assignment_proposals.filter(pk=d["proposal"]).first()
        if proposal is None:
            raise ValidationError(_("This proposal is no longer awaiting approval."))
        return decide(proposal, d.get("reason", ""))

    form = forms.ProposalDecisionForm(request.POST)
    if not form.is_valid():  # a tampered proposal number: the same message as a proposal decided meanwhile
        messages.error(request, _("This proposal is no longer awaiting approval."))
        return redirect("cases:case_detail", pk=case.pk)
    return act_with(request, form, run, done=done, to="cases:case_detail", args=(case.pk,))


@login_required
@require_POST
def case_assignment_approve(request, pk):
    return _decide_proposal(request, pk, lambda p, _r: services.case_approve_assignment(proposal=p, by=request.user),
                            _("Approved: the case is assigned and the assignment notice issued."))


@login_required
@require_POST
def case_assignment_return(request, pk):
    return _decide_proposal(request, pk, lambda p, r: services.case_return_assignment(proposal=p, reason=r,
                                                                                       by=request.user),
                            _("Returned: the clerk will propose again."))
