"""STATISTICS.md: "A dashboard figure opens the list of the records it counts, with the same filter: a count
equals the list's total, a 人次 or money figure equals the list's sum row."

Two kinds of dashboard figure an independent check found that did not: a segment of the monthly chart (one
category's cases accepted in one month) opened the month's cases of every category, and the 上年同期 cells
opened no list at all."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from tests.reports.dataset import case


def _listed(response):
    """What the list a figure opens adds up to: its total, or its sum row for a sum."""
    s = response.context["sections"][0]
    return s.sum_value if s.measure.sum_field else s.total


def _segment_url(monthly: dict, d: int, i: int) -> str:
    """The link a click on dataset d (a category) of month i opens: one per dataset when the chart has them,
    else the month's link (what dashboard.js opens for any segment of that month)."""
    ds = monthly["datasets"][d]
    if ds.get("links"):
        return ds["links"][i]
    link = monthly["links"][i]
    return link[d] if isinstance(link, list | tuple) else link


def test_a_segment_of_the_monthly_chart_opens_the_list_of_its_own_category(client_for, org):
    case(accepted_on=date(2025, 3, 3), category="civil")
    case(accepted_on=date(2025, 3, 10), category="civil")
    case(accepted_on=date(2025, 3, 20), category="criminal")
    c = client_for("director")
    monthly = c.get("/reports/?year=2025").context["charts"]["monthly"]
    march = monthly["labels"].index("3月")
    shown = {ds["label"]: ds["data"][march] for ds in monthly["datasets"]}
    assert shown["民事"] == 2 and shown["刑事"] == 1
    opened = {}
    for d, ds in enumerate(monthly["datasets"]):
        if ds["data"][march]:
            response = c.get(_segment_url(monthly, d, march))
            assert response.status_code == 200
            opened[ds["label"]] = _listed(response)
    # 2 civil cases open a list of 2, the 1 criminal case a list of 1 (today both open the month's 3)
    assert opened == {"民事": 2, "刑事": 1}


def _last_year_cell(html: str, code: str) -> str:
    row = re.search(rf'<tr data-row="{re.escape(code)}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return cells[3]  # 指标, 单位, 本期, 上年同期, 同比


def test_the_same_period_last_year_opens_its_list(client_for, org):
    case(accepted_on=date(2024, 2, 1), amount_involved=Decimal("1000.00"))
    case(accepted_on=date(2024, 8, 1), amount_involved=Decimal("234.50"))
    case(accepted_on=date(2025, 5, 1), amount_involved=Decimal("99.00"))
    c = client_for("director")
    html = c.get("/reports/?year=2025").content.decode()
    for code, last in [("cases.accepted", 2), ("amount.involved", Decimal("1234.50"))]:
        cell = _last_year_cell(html, code)
        link = re.search(r'href="([^"]+)"', cell)
        assert link, f"{code}: the 上年同期 figure {re.sub(r'<[^>]+>', '', cell).strip()} opens no list"
        response = c.get(link.group(1).replace("&amp;", "&"))
        assert response.status_code == 200
        assert _listed(response) == last, code


def test_every_last_year_figure_of_a_year_not_ended_opens_a_list_of_that_figure(client_for, org):
    """2026 is running (today 2026-06-15): its 上年同期 is 1 Jan–15 Jun 2025, stock figures as of 15 Jun 2025 (a
    case closed on 20 Jun 2025 was still open then)."""
    from freezegun import freeze_time

    case(accepted_on=date(2025, 2, 1), amount_involved=Decimal("1000.00"))
    case(accepted_on=date(2025, 3, 1), status="closed", closed_on=date(2025, 6, 20))
    case(accepted_on=date(2025, 7, 1))
    case(accepted_on=date(2026, 3, 1))
    with freeze_time("2026-06-15 10:00:00+08:00"):
        c = client_for("director")
        figures = c.get("/reports/?year=2026").context["figures"]
        by_code = {f["code"]: f for f in figures}
        assert by_code["cases.accepted"]["last"] == 2 and by_code["cases.open_at_end"]["last"] == 2
        for f in figures:
            assert f["last_url"], f["code"]
            response = c.get(f["last_url"])
            assert response.status_code == 200, f["code"]
            assert response.context["value"] == f["last"], (f["code"], response.context["value"], f["last"])


def test_the_home_network_panel_figures_open_their_lists(client_for, org):
    """The workbench's station-network table shows each station's four figures of this year; each opens the
    list it counts, with the same total (STATISTICS.md: a figure equals its list)."""
    from freezegun import freeze_time

    from stations.models import Station

    station = Station.objects.get(code="station-a")
    with freeze_time("2026-06-15 10:00:00+08:00"):
        case(accepted_on=date(2026, 3, 1), station=station)
        case(accepted_on=date(2026, 4, 1), station=station)
        case(accepted_on=date(2025, 4, 1), station=station)  # last year: not this year's figure
        c = client_for("director")
        html = c.get("/").content.decode()
        table = html.split('data-testid="network-summary"')[1].split("</table>")[0]
        row = next(r for r in table.split("<tr>") if station.name in r)
        cells = re.findall(r'<td class="text-end"><a href="([^"]+)">(\d+)</a></td>', row)
        assert len(cells) == 4, row
        for url, shown in cells:
            response = c.get(url.replace("&amp;", "&"))
            assert response.status_code == 200
            assert response.context["value"] == int(shown), url
        assert cells[3][1] == "2"  # 受理案件: the two of this year
