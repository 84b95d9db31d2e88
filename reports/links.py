"""Every figure links to the filtered list of the records behind it (COMMON.md contract).

URLs are built with reverse() inside try/except, so a list that does not exist (yet)
leaves the figure unlinked instead of breaking the page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from .periods import Period


def list_url(name: str, params: list[tuple[str, object]] | None = None) -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    params = [(k, v) for k, v in (params or []) if v is not None and v != ""]
    return f"{url}?{urlencode(params)}" if params else url


def _station(station) -> list[tuple[str, object]]:
    return [("station", station.pk)] if station is not None else []


def indicator_url(code: str, p: Period, station=None) -> str | None:
    s, e = p.start.isoformat(), p.end.isoformat()
    st = _station(station)
    acc = [("accepted_from", s), ("accepted_to", e), *st]
    closed = [("closed_from", s), ("closed_to", e), *st]
    if code.startswith("applications.") or code == "rate.review_on_time":
        if code == "applications.received":
            # Station drafts not yet forwarded are not received applications (DECISIONS.md).
            statuses = ["received", "incomplete", "under_review", "granted", "refused", "withdrawn"]
            return list_url("intake:application_list", [("received_from", s), ("received_to", e),
                                                        *[("status", x) for x in statuses], *st])
        status = {"applications.granted": ["granted"], "applications.refused": ["refused"]}.get(
            code, ["granted", "refused"])
        return list_url("intake:application_list",
                        [("decided_from", s), ("decided_to", e), *[("status", x) for x in status], *st])
    if code in ("cases.accepted", "recipients.total", "amount.involved", "rate.closure"):
        return list_url("cases:case_list", acc)
    if code.startswith("cases.accepted.criminal."):
        tail = code.rsplit(".", 1)[1]
        extra = {"notified": [("source", "notice")], "investigation": [("stage", "investigation")],
                 "prosecution": [("stage", "prosecution")],
                 "trial": [("stage", "trial"), ("stage", "death_review")]}[tail]
        return list_url("cases:case_list", [*acc, ("category", "criminal"), *extra])
    if code in ("cases.accepted.criminal", "cases.accepted.civil", "cases.accepted.administrative"):
        return list_url("cases:case_list", [*acc, ("category", code.rsplit(".", 1)[1])])
    if code == "cases.accepted.litigation":
        return list_url("cases:case_list", [*acc, ("is_litigation", 1)])
    if code == "cases.accepted.non_litigation":
        return list_url("cases:case_list", [*acc, ("is_litigation", 0)])
    if code.startswith("cases.accepted.group."):
        return list_url("cases:case_list", [*acc, ("group", code.rsplit(".", 1)[1])])
    if code == "cases.accepted.migrant_wage":
        return list_url("cases:case_list", [*acc, ("group", "migrant_worker"), ("cause", "labour_pay")])
    if code == "cases.accepted.mass":
        return list_url("cases:case_list", [*acc, ("is_mass", 1)])
    if code in ("cases.accepted.by_lawyer", "rate.by_lawyer"):
        return list_url("cases:case_list", [*acc, ("handler_kind", "practising_lawyer"), ("handler_kind", "aid_lawyer")])
    if code in ("cases.closed", "amount.recovered", "followups.total", "rate.followup"):
        return list_url("cases:case_list", closed)
    if code.startswith("cases.closed."):
        return list_url("cases:case_list", [*closed, ("category", code.rsplit(".", 1)[1])])
    if code in ("quality.hearings", "rate.hearing"):
        return list_url("cases:case_list", [*closed, ("is_litigation", 1)])
    if code == "cases.terminated":
        return list_url("cases:case_list", [("terminated_from", s), ("terminated_to", e), *st])
    if code == "cases.open_at_end":
        return list_url("cases:case_list", [("accepted_to", e), ("status", "awaiting"), ("status", "assigned"), *st])
    if code == "cases.overdue_at_end":
        return list_url("cases:case_list", [("overdue", 1), *st])
    if code == "rate.assign_on_time":
        return list_url("cases:case_list", [("assigned_from", s), ("assigned_to", e), *st])
    if code in ("quality.graded", "rate.quality_pass"):
        return list_url("cases:case_list", [("graded_from", s), ("graded_to", e), *st])
    if code.startswith("quality.") and code.rsplit(".", 1)[1] in ("excellent", "good", "pass", "fail"):
        return list_url("cases:case_list", [("graded_from", s), ("graded_to", e), ("grade", code.rsplit(".", 1)[1]),
                                            *st])
    if code.startswith("consultations."):
        channel = code.rsplit(".", 1)[1]
        channels = {"total": [], "phone": ["phone", "hotline"]}.get(channel, [channel])
        return list_url("intake:consultation_list",
                        [("date_from", s), ("date_to", e), *[("channel", c) for c in channels], *st])
    if code.startswith("matters."):
        extra = [("kind", "drafting")] if code == "matters.drafting" else [("kind", "duty_lawyer")]
        if code.endswith(".plea"):
            extra.append(("plea", 1))
        return list_url("intake:matter_list", [("date_from", s), ("date_to", e), *extra, *st])
    if code == "services.total":
        return list_url("cases:case_list", acc)
    if code.startswith("subsidy."):
        return list_url("funding:subsidy_list", [("paid_from", s), ("paid_to", e), ("status", "paid")])
    if code.startswith("funding.budget") or code == "rate.funding_used":
        src = code.rsplit(".", 1)[1] if code.startswith("funding.budget.") else None
        years = [("year", y) for y in p.years()]
        return list_url("funding:budget_list", [*years, ("source", src)])
    if code.startswith("funding.spent") or code == "rate.subsidy_share":
        cat = {"funding.spent.subsidy": "case_subsidy", "funding.spent.publicity": "publicity"}.get(code)
        return list_url("funding:spending_list", [("date_from", s), ("date_to", e), ("category", cat)])
    if code.startswith("publicity.media_reports"):
        levels = [("level", x) for x in ("city", "province", "national")] if code.endswith("city_plus") else []
        return list_url("publicity:media_list", [("date_from", s), ("date_to", e), *levels, *st])
    if code.startswith("publicity."):
        return list_url("publicity:event_list", [("date_from", s), ("date_to", e), *st])
    if code == "network.volunteers":
        return list_url("stations:volunteer_list", st)
    if code.startswith("network."):
        return list_url("stations:station_list")
    if code == "quality.discussions":
        return list_url("cases:discussion_list", [("date_from", s), ("date_to", e), *st])
    if code == "complaints.total":
        return list_url("cases:complaint_list", [("date_from", s), ("date_to", e), *st])
    if code == "rate.satisfaction":
        return list_url("cases:case_list", closed)
    return None
