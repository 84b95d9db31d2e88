"""工作台 panels: the year's key figures (dashboard users) and report runs (directors)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.counts import cached
from core.registry import Panel

HOME_FIGURES = ["cases.accepted", "cases.closed", "consultations.total", "services.total"]


# What a station's page and the network summary show, as (indicator, key): the indicators' own figures.
STATION_FIGURES = [("consultations.total", "consultations"), ("applications.received", "applications"),
                   ("publicity.events", "events"), ("cases.accepted", "cases")]


def station_figures(user, station, today=None) -> list[dict]:
    """This year's four figures of one station, from the indicators' definitions, each opening its list."""
    from . import indicators as ind
    from .dashboard import dashboard_period
    from .links import indicator_url

    today = today or timezone.localdate()
    p = dashboard_period(today.year, today)
    codes = [c for c, _k in STATION_FIGURES]
    values = cached("station-figures", f"{p.code}:{p.end}:{station.pk if station else '-'}",
                    lambda: ind.REGISTRY.evaluate(p, station, codes=codes), settle=True)
    linked = user.can("dashboard_view")
    return [{"code": key, "indicator": code, "label": f"{ind.REGISTRY[code].name}（{ind.REGISTRY[code].unit}）",
             "value": values[code], "url": indicator_url(code, p, station) if linked else None}
            for code, key in STATION_FIGURES]


def station_figure_urls(user, station, today=None) -> dict[str, str]:
    """{key: the list behind it} of one station's figures this year, for the network panel's cells; none for
    a user who may not open the dashboard's lists."""
    from .dashboard import dashboard_period
    from .links import indicator_url

    if not user.can("dashboard_view"):
        return {}
    today = today or timezone.localdate()
    p = dashboard_period(today.year, today)
    return {key: indicator_url(code, p, station) for code, key in STATION_FIGURES}


def home_figures(p, station) -> tuple[str, Callable[[], dict]]:
    """The cache scope and the making of the workbench's figures of one period and scope."""
    from . import indicators as ind

    return (f"{p.code}:{p.end}:{station.pk if station else '-'}",
            lambda: ind.REGISTRY.evaluate(p, station, codes=HOME_FIGURES))


def network_figures(today=None) -> dict:
    """{station pk: {key: value}} for this year: one grouped query per family."""
    from .dashboard import dashboard_period

    today = today or timezone.localdate()
    p = dashboard_period(today.year, today)
    return cached("network-figures", f"{p.code}:{p.end}", _network(p), settle=True)


def _network(p) -> Callable[[], dict]:
    from . import indicators as ind

    def make() -> dict:
        out: dict = {}
        for code, key in STATION_FIGURES:
            for station_pk, vals in ind.REGISTRY.grouped([code], p, "station").items():
                out.setdefault(station_pk, {})[key] = vals[code]
        return out

    return make


def warm_figures(today=None) -> int:
    """Make the county's figures of this year afresh (dashboard, workbench, network) in the shared cache, so
    that no page view waits for them even after a quiet night: reports.warm_figures, every few minutes.
    Returns how many were made (one being made by a page already is left to it)."""
    from core.counts import refresh

    from .dashboard import _scope, dashboard_period, figure_makers

    today = today or timezone.localdate()
    p = dashboard_period(today.year, today)
    made = sum(refresh(name, _scope(p, None), make) for name, make in figure_makers(p, None).items())
    made += refresh("home-figures", *home_figures(p, None))
    made += refresh("network-figures", f"{p.code}:{p.end}", _network(p))
    from funding.home import to_compute, year_figures

    made += refresh("home-funding", *year_figures(today))
    made += refresh("home-to-compute", *to_compute())
    return made


def panels(request) -> list[Panel]:
    user = request.user
    out: list[Panel] = []
    if user.can("dashboard_view"):
        from . import indicators as ind
        from .dashboard import dashboard_period
        from .links import indicator_url

        today = timezone.localdate()
        station = None if user.is_center else user.station
        p = dashboard_period(today.year, today)
        # only the figures shown, from the shared cache until a record changes (core.counts)
        values = cached("home-figures", *home_figures(p, station), settle=True)
        figures = [{"code": c, "name": ind.BY_CODE[c][0], "unit": ind.BY_CODE[c][1], "value": values[c],
                    "url": indicator_url(c, p, station)} for c in HOME_FIGURES]
        out.append(Panel(_("This year so far"), "reports/panel_figures.html",
                         {"figures": figures, "station": station}, order=5))
    if user.can("report_request") and user.is_center:
        from .models import ReportRun

        runs = list(ReportRun.objects.select_related("station", "requested_by")
                    .order_by("-created_at", "-pk")[:8])
        waiting = sum(1 for r in runs if r.status in (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING))
        out.append(Panel(_("Reports"), "reports/panel_runs.html", {"runs": runs, "waiting": waiting}, order=6))
    return out
