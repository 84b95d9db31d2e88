"""Dashboard, report runs, targets. Thin: selectors and services do the work."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import capability_required, get_visible, require
from core.flow import act, submit
from core.paging import paginate
from core.replica import reading_replica

from . import dashboard as dash
from .forms import ReportRequestForm, TargetForm, TargetSetForm
from .models import ReportRun, Target
from .services import report_run_request, report_run_retry, target_set, target_update


def _runs_visible(user):
    """Center staff who may request reports see every run; nobody else sees any."""
    if not user.can("report_request"):
        return ReportRun.objects.none()
    qs = ReportRun.objects.select_related("station", "requested_by")
    return qs if user.is_center else qs.filter(station_id=user.station_id)


@capability_required("dashboard_view")
def dashboard(request):
    with reading_replica():
        ctx = dash.dashboard_context(request)
        ctx["breadcrumbs"] = [(_("Statistics dashboard"), None)]
        return render(request, "reports/dashboard.html", ctx)


def _figure_period(request):
    """The period of a figure's link: ?period=… and, for a period that had not ended, ?as_of=<the day>."""
    from datetime import date

    from .periods import period_from_input

    today = timezone.localdate()
    as_of = today
    try:
        as_of = min(date.fromisoformat(request.GET.get("as_of") or ""), today)
    except ValueError:
        pass
    return period_from_input(request.GET.get("period") or str(today.year), today=as_of)


@capability_required("dashboard_view")
def figure(request, code):
    """The list of the records behind one figure (reports/drilldown.py)."""
    from core.indicators import CENTER

    from . import drilldown
    from .indicators import REGISTRY

    if code not in REGISTRY:
        raise Http404
    try:
        p = _figure_period(request)
    except ValidationError as exc:
        return render(request, "reports/figure.html", {"error": " ".join(exc.messages),
                                                       "breadcrumbs": [(_("Statistics dashboard"),
                                                                        reverse("reports:dashboard"))]}, status=400)
    if request.GET.get("station") == CENTER and request.user.is_center:
        station = CENTER
    else:
        station = dash._station_for(request)
    # Figures are for everyone with the dashboard; names and record pages only for those who may open the
    # records of each list (drilldown._people_seen).
    with reading_replica():  # the figures and the lists, read as the page renders
        ctx = drilldown.figure_list(code, p, station, request.GET.get("page"), viewer=request.user)
        ctx["station_name"] = (_("Center (no station)") if station == CENTER else station.name if station is not None
                               else _("Whole county"))
        ctx["dashboard_url"] = reverse("reports:dashboard") + (
            f"?year={p.start.year}" + (f"&station={station.pk}" if station not in (None, CENTER) else ""))
        ctx["breadcrumbs"] = [(_("Statistics dashboard"), ctx["dashboard_url"]), (REGISTRY[code].name, None)]
        return render(request, "reports/figure.html", ctx)


@capability_required("report_request")
def run_list(request):
    if request.method == "POST":
        form = ReportRequestForm(request.POST)
    else:
        form = ReportRequestForm(initial={"preset": f"{timezone.localdate().year - 1}", "want_docx": True})
    requested = submit(request, form, lambda data: report_run_request(
        period=data["parsed"].code, station=data["station"], want_docx=data["want_docx"], by=request.user),
        done=_("The report is requested: it is built in the background."),
        to=lambda run: reverse("reports:run_detail", args=[run.pk]))
    if requested:
        return requested
    page = paginate(request, _runs_visible(request.user))
    return render(request, "reports/run_list.html", {
        "form": form, "page_obj": page, "runs": page.object_list,
        "breadcrumbs": [(_("Reports"), None)],
    })


@capability_required("report_request")
def run_detail(request, pk: int):
    run = get_visible(_runs_visible(request.user), pk=pk)
    from .submission import submit_problem, submitted_version

    submitted = submitted_version(run.period, run.station, exclude=run) if run.submitted_at is None else None
    return render(request, "reports/run_detail.html", {
        "run": run, "breadcrumbs": [(_("Reports"), reverse("reports:run_list")), (run.period_label, None)],
        "can_submit": request.user.can("report_submit") and submit_problem(run) is None,
        "submit_problem": submit_problem(run) if request.user.can("report_submit") else None,
        "submitted": submitted,
    })


@login_required
@require_POST
def run_submit(request, pk: int):
    """The director marks a built half-year or annual report as submitted (上报): its figures are frozen."""
    from .submission import report_run_submit

    require(request.user, "report_submit")
    run = get_visible(_runs_visible(request.user), pk=pk)
    return act(request, lambda: report_run_submit(run=run, by=request.user),
               done=_("Submitted: this version's files and figures are kept unchanged."),
               to="reports:run_detail", args=(run.pk,))


@capability_required("report_request")
def run_status(request, pk: int):
    """The htmx fragment polled every 2 s while a run is queued or running."""
    run = get_visible(_runs_visible(request.user), pk=pk)
    return render(request, "reports/_run_status.html", {"run": run})


@login_required
@require_POST
def run_retry(request, pk: int):
    require(request.user, "report_request")
    run = get_visible(_runs_visible(request.user), pk=pk)
    return act(request, lambda: report_run_retry(run=run, by=request.user),
               done=_("The report is queued again."), to="reports:run_detail", args=(run.pk,))


@capability_required("report_request")
def run_download(request, pk: int, kind: str):
    run = get_visible(_runs_visible(request.user), pk=pk)
    if kind not in ("xlsx", "docx") or run.status != ReportRun.Status.DONE:
        raise Http404
    field = run.xlsx if kind == "xlsx" else run.docx
    if not field:
        raise Http404
    if run.submitted_at is not None:
        from .submission import verify_files

        if not verify_files(run):  # a submitted version is served only as it was built
            return render(request, "reports/figure.html", {"error": _(
                "The file of this submitted version is not the one that was built: it has been altered or lost. "
                "Ask the system administrator to restore it from the backup.")}, status=409)
    try:
        fh = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{run_title(run, kind)}.{kind}"
    response = FileResponse(fh, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if kind == "xlsx"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def run_title(run: ReportRun, kind: str = "xlsx") -> str:
    from core.models import CenterProfile

    who = run.station.name if run.station else CenterProfile.get().name
    label = run.period_label
    return f"{who}{label}法律援助统计" if kind == "xlsx" else f"{who}{label}法律援助工作总结"


def _target_year_url(target: Target) -> str:
    return f"{reverse('reports:target_list')}?year={target.year}"


@capability_required("target_manage")
def target_list(request):
    today = timezone.localdate()
    from core.params import query_year

    year = query_year(request, default=today.year)
    form = TargetSetForm(request.POST) if request.method == "POST" else TargetSetForm(initial={"year": year})
    saved = submit(request, form, lambda data: target_set(year=data["year"], code=data["code"],
                                                          station=data["station"], value=data["value"],
                                                          by=request.user),
                   done=_("Target saved."), to=_target_year_url)
    if saved:
        return saved
    rows = dash.target_table(year, today)
    return render(request, "reports/target_list.html", {
        "form": form, "rows": rows, "year": year, "years": [today.year + 1, today.year, today.year - 1],
        "breadcrumbs": [(_("Targets"), None)],
    })


@capability_required("target_manage")
def target_edit(request, pk: int):
    target = get_visible(Target.objects.all(), pk=pk)
    form = TargetForm(request.POST or None, instance=target)
    saved = submit(request, form, lambda data: target_update(target=form.save(commit=False), by=request.user),
                   done=_("Target saved."), to=_target_year_url)
    if saved:
        return saved
    return render(request, "reports/target_form.html", {
        "form": form, "target": target,
        "breadcrumbs": [(_("Targets"), reverse("reports:target_list")), (str(target), None)],
    })
