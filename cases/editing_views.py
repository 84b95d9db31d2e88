"""Pages that change a case after it opened: its stage and corrections of its details (cases/editing.py)."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from . import editing
from .editing_forms import CaseEditForm, StageChangeForm
from .views import _case, _crumbs


def _page(request, case, form, title, help_text, run):
    if request.method == "POST" and form.is_valid():
        try:
            run()
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved: %(what)s") % {"what": title})
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/case_action.html", {
        "case": case, "form": form, "title": title, "spec": SimpleNamespace(help=help_text),
        "breadcrumbs": _crumbs(case, title),
    })


@login_required
def case_change_stage(request, pk):
    case = _case(request, pk)
    if not editing.may_change_stage(request.user, case):
        raise PermissionDenied
    form = StageChangeForm(request.POST or None, case=case)
    help_text = _("The case is now at: %(stage)s. Its stage at acceptance stays in the statistics; the new stage "
                  "and its date go into the case's stage history.") % {"stage": case.get_stage_display() or "—"}
    return _page(request, case, form, _("Change of stage"), help_text,
                 lambda: editing.case_change_stage(case=case, by=request.user, **form.cleaned_data))


@login_required
def case_edit(request, pk):
    case = _case(request, pk)
    if not editing.may_edit(request.user, case):
        raise PermissionDenied
    form = CaseEditForm(request.POST or None, case=case, user=request.user)
    help_text = _("A correction of what was recorded; it is kept in the case's history with who, when and why. "
                  "“Handled outside the county” counts for a subsidy computed after the change.")
    return _page(request, case, form, _("Change the case"), help_text,
                 lambda: editing.case_edit(case=case, by=request.user, changes=form.changes,
                                           reason=form.cleaned_data.get("reason", "")))
