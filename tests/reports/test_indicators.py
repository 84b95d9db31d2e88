"""Every indicator of STATISTICS.md against figures worked out by hand on tests/reports/dataset.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reports import indicators as ind
from reports.periods import parse_period
from tests.helpers import assert_max_queries
from tests.reports import dataset

H1 = parse_period("2025H1")

EXPECTED_2025H1 = {
    # a1, a2, a3, a4, a7, a8 received; a5 is a station draft; a6 is 2024.
    "applications.received": 6,
    "applications.granted": 2,  # a1, a8
    "applications.refused": 1,  # a3 (a2 is decided on 1 July)
    "cases.accepted": 6,  # c1, c2 (30 June), c5, c6, c7, c10; not c3 (1 July), c4 (31 Dec)
    "cases.accepted.criminal": 2,
    "cases.accepted.civil": 3,
    "cases.accepted.administrative": 1,
    "cases.accepted.criminal.notified": 1,
    "cases.accepted.criminal.investigation": 1,
    "cases.accepted.criminal.prosecution": 0,
    "cases.accepted.criminal.trial": 1,  # c5 at death-penalty review
    "cases.accepted.litigation": 5,
    "cases.accepted.non_litigation": 1,
    "cases.accepted.group.migrant_worker": 1,
    "cases.accepted.group.women": 2,
    "cases.accepted.group.minor": 2,
    "cases.accepted.group.elderly": 1,
    "cases.accepted.group.disabled": 1,
    "cases.accepted.group.military": 1,
    "cases.accepted.group.low_income": 1,
    "cases.accepted.migrant_wage": 1,  # c1; c2 has labour pay but is no migrant worker
    "cases.accepted.mass": 1,
    "recipients.total": 8,  # 3 + 5 × 1
    "cases.accepted.by_lawyer": 2,  # c1 practising, c6 legal-aid lawyer; c2 grassroots
    "rate.by_lawyer": 33.3,
    "cases.closed": 3,  # c1 (30 June), c4 (closed then archived), c10; c5 terminated is not closed
    "cases.closed.criminal": 1,
    "cases.closed.civil": 2,
    "cases.closed.administrative": 0,
    "rate.closure": 50.0,
    "cases.terminated": 1,  # c5; c9 is terminated on 2 July
    "cases.open_at_end": 4,  # c2, c6, c7, c9 (terminated after the end)
    "amount.recovered": Decimal("8000.25"),
    "amount.involved": Decimal("10000.50"),
    "consultations.total": 11,  # 2 + 3 + 1 + 4 + 1; not 31 Dec 23:59 nor 1 July 00:00
    "consultations.visit": 2,
    "consultations.phone": 4,  # phone 1 + 12348 3
    "consultations.hotline": 3,
    "consultations.letter": 0,
    "consultations.online": 1,
    "consultations.event": 4,
    "matters.duty_lawyer": 3,
    "matters.duty_lawyer.plea": 2,
    "matters.drafting": 3,
    "services.total": 25,  # 8 + 11 + 3 + 3
    "rate.review_on_time": 66.7,  # a1, a8 on time (a8 has no due date), a3 late
    "rate.assign_on_time": 66.7,  # c1 and c10 on time, c6 late
    "cases.overdue_at_end": 3,  # a2 review, c7 assignment, c10 file submission
    "quality.graded": 2,
    "quality.excellent": 1,
    "quality.good": 0,
    "quality.pass": 0,
    "quality.fail": 1,
    "rate.quality_pass": 50.0,
    "quality.hearings": 1,  # c1; c2's hearing is on an open case
    "rate.hearing": 33.3,  # of c1, c4, c10
    "followups.total": 2,  # c1, c4
    "rate.followup": 66.7,
    "rate.satisfaction": 66.7,  # satisfied + basically of 3 rated (c4's is unrated, c9's is in July)
    "quality.discussions": 1,
    "complaints.total": 1,
    "subsidy.paid.total": Decimal("1700.50"),
    "subsidy.paid.cases": 2,
    "subsidy.average": Decimal("850.25"),
    "funding.budget": Decimal("600000.00"),
    "funding.budget.central": Decimal("100000.00"),
    "funding.budget.provincial": Decimal("0.00"),
    "funding.budget.municipal": Decimal("0.00"),
    "funding.budget.county": Decimal("500000.00"),
    "funding.budget.other": Decimal("0.00"),
    "funding.spent": Decimal("4700.50"),
    "funding.spent.subsidy": Decimal("1700.50"),
    "funding.spent.publicity": Decimal("3000.00"),
    "rate.funding_used": 0.8,
    "rate.subsidy_share": 36.2,
    "publicity.events": 2,
    "publicity.materials": 300,
    "publicity.onsite": 40,
    "publicity.audience": 200,
    "publicity.media_reports": 3,
    "publicity.media_reports.city_plus": 2,
    "network.stations": 2,  # A and B; one closes on the end day, one opens after, one is switched off
    "network.contact_points": 4,
    "network.liaisons": 4,
    "network.volunteers": 1,
}


REPO = Path(__file__).resolve().parents[2]


def _table(text: str) -> list[tuple[str, str, str]]:
    rows = [line.split("|")[1:4] for line in text.splitlines() if line.startswith("| ") and "." in line.split("|")[1]]
    return [(c.strip(), n.strip(), u.strip()) for c, n, u in rows if c.strip() != "code"]


def test_the_indicator_list_follows_statistics_md_to_the_letter():
    """Against the copy in the repository, so it runs on any clean clone."""
    table = _table((REPO / "docs" / "STATISTICS.md").read_text(encoding="utf-8"))
    assert len(table) == 85
    assert table == ind.INDICATORS


def test_the_repositorys_copy_of_statistics_md_is_the_shared_contract():
    """Where the shared contracts lie beside the checkout (developers, CI), the copy must not have drifted."""
    shared = REPO.parent / "shared" / "STATISTICS.md"
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout; the copy in docs/ is the reference")
    assert (REPO / "docs" / "STATISTICS.md").read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")


def test_every_indicator_of_2025h1_matches_the_hand_computed_figure(data):
    values = ind.compute(H1)
    assert list(values) == ind.CODES
    assert set(EXPECTED_2025H1) == set(ind.CODES)
    wrong = {code: (values[code], want) for code, want in EXPECTED_2025H1.items() if values[code] != want}
    assert wrong == {}


def test_last_year_figures_and_change_percent(data):
    rows = {r.code: r for r in ind.indicator_rows(H1)}
    assert rows["cases.accepted"].last == 2  # c8, c9
    assert rows["cases.accepted"].change == 200.0
    assert rows["cases.closed"].last == 1  # c8
    assert rows["cases.closed"].change == 200.0
    assert rows["applications.received"].last == 1
    assert rows["applications.granted"].change == 100.0
    assert rows["network.stations"].last == 3  # the station closed in 2025 was still open in 2024
    # Last year 0 → change is empty, never a division by zero or 0.
    assert rows["consultations.total"].last == 0 and rows["consultations.total"].change is None
    assert rows["rate.by_lawyer"].last == 0.0 and rows["rate.by_lawyer"].change is None
    assert rows["rate.satisfaction"].last is None and rows["rate.satisfaction"].change is None


def test_station_report_counts_only_that_stations_records_and_leaves_funding_empty(data, station_a):
    v = ind.compute(H1, station_a)
    assert v["applications.received"] == 1 and v["applications.granted"] == 1
    assert v["cases.accepted"] == 2 and v["cases.accepted.criminal"] == 2
    assert v["cases.accepted.criminal.notified"] == 1
    assert v["cases.accepted.group.minor"] == 2 and v["cases.accepted.group.disabled"] == 1
    assert v["cases.closed"] == 0 and v["rate.closure"] == 0.0
    assert v["cases.terminated"] == 1 and v["cases.open_at_end"] == 1
    assert v["consultations.total"] == 1 and v["consultations.online"] == 1
    assert v["matters.duty_lawyer"] == 0
    assert v["publicity.events"] == 1 and v["publicity.materials"] == 200
    assert v["publicity.media_reports"] == 1 and v["publicity.media_reports.city_plus"] == 1
    assert v["rate.satisfaction"] == 0.0  # c6's one rated follow-up is unsatisfied
    assert v["quality.discussions"] == 1 and v["complaints.total"] == 0
    assert v["subsidy.paid.total"] == Decimal("0.00") and v["subsidy.average"] is None
    for code in ind.COUNTY_ONLY:
        assert v[code] is None
    assert (v["network.stations"], v["network.contact_points"], v["network.liaisons"],
            v["network.volunteers"]) == (1, 2, 2, 1)


def test_h2_starts_on_1_july(data):
    v = ind.compute(parse_period("2025H2"))
    assert v["cases.accepted"] == 1  # c3
    assert v["cases.closed"] == 1  # c3 on 5 July
    assert v["cases.terminated"] == 1  # c9
    assert v["consultations.total"] == 1  # the letter at 1 July 00:00
    assert v["applications.refused"] == 1  # a2


def test_year_2024_ends_on_31_december(data):
    v = ind.compute(parse_period("2024"))
    assert v["cases.accepted"] == 3  # c4 (31 Dec), c8, c9
    assert v["consultations.total"] == 1  # 31 Dec 23:59 Shanghai
    assert v["complaints.total"] == 1


def test_rates_are_empty_when_their_denominator_is_zero(org):
    v = ind.compute(parse_period("2019"))
    for code in ["rate.by_lawyer", "rate.closure", "rate.review_on_time", "rate.assign_on_time",
                 "rate.quality_pass", "rate.hearing", "rate.followup", "rate.satisfaction", "rate.funding_used",
                 "rate.subsidy_share"]:
        assert v[code] is None, code
    assert v["subsidy.average"] is None


def test_rate_and_change_rounding():
    assert ind.rate(1, 3) == 33.3
    assert ind.rate(2, 3) == 66.7
    assert ind.rate(1, 8) == 12.5
    assert ind.rate(0, 5) == 0.0
    assert ind.rate(5, 0) is None
    assert ind.change(328, 300) == 9.3
    assert ind.change(90, 100) == -10.0
    assert ind.change(5, 0) is None
    assert ind.change(Decimal("10.00"), Decimal("8.00")) == 25.0


def test_targets_add_a_target_row_and_a_completion_row(data, station_a):
    from reports.models import Target

    Target.objects.create(year=2025, code="cases.accepted", value=Decimal("12"))
    Target.objects.create(year=2025, code="services.total", value=Decimal("100"))
    Target.objects.create(year=2025, code="cases.accepted", station=station_a, value=Decimal("4"))
    rows = ind.indicator_rows(H1)
    codes = [r.code for r in rows]
    assert codes[: len(ind.CODES)] == ind.CODES
    extra = {r.code: r.value for r in rows[len(ind.CODES):]}
    assert extra == {"target.cases.accepted": 12, "rate.target.cases.accepted": 50.0,
                     "target.services.total": 100, "rate.target.services.total": 25.0}
    station_rows = {r.code: r.value for r in ind.indicator_rows(H1, station_a)}
    assert station_rows["rate.target.cases.accepted"] == 50.0  # 2 of 4


def test_the_whole_indicator_set_takes_a_fixed_small_number_of_queries(data):
    # two periods (this one and last year's), each: one aggregate per family, a second for the measures that
    # read a subquery (cases, applications) in a savepoint with its planner setting (4 round trips), targets
    with assert_max_queries(50) as few:
        before = {r.code: r.value for r in ind.indicator_rows(H1)}
    dataset.case(accepted_on=dataset.D(2025, 2, 2))
    dataset.case(accepted_on=dataset.D(2025, 2, 3))
    with assert_max_queries(len(few)):
        after = {r.code: r.value for r in ind.indicator_rows(H1)}
    assert after["cases.accepted"] == before["cases.accepted"] + 2


def test_overdue_at_end_counts_each_deadline_once_and_ignores_ledger_gaps(org):
    D = dataset.D
    # Still awaiting assignment, due before the end: overdue.
    dataset.case(accepted_on=D(2025, 6, 1), status="awaiting", assign_due=D(2025, 6, 4))
    # Due on the end date itself: not yet overdue.
    dataset.case(accepted_on=D(2025, 6, 27), status="awaiting", assign_due=D(2025, 6, 30))
    # Assigned after the end date: it was unassigned at the end and past due.
    dataset.case(accepted_on=D(2025, 6, 1), status="assigned", assigned_on=D(2025, 7, 2), assign_due=D(2025, 6, 4))
    # Imported closed case without an assignment date: a gap in the ledger, not a delay.
    dataset.case(accepted_on=D(2025, 6, 1), status="closed", closed_on=D(2025, 7, 10), assign_due=D(2025, 6, 4))
    # Assigned, agreement not signed by its due date, and file overdue too: counted once.
    dataset.case(accepted_on=D(2025, 5, 1), status="assigned", assigned_on=D(2025, 5, 2), assign_due=D(2025, 5, 5),
                 agreement_due=D(2025, 5, 5))
    # Closed, file submitted late but before the end; archive review past due: overdue.
    dataset.case(accepted_on=D(2025, 1, 1), status="closed", assigned_on=D(2025, 1, 2), closed_on=D(2025, 3, 1),
                 file_due=D(2025, 3, 31), file_submitted_on=D(2025, 4, 10), archive_due=D(2025, 5, 10))
    # Archived in time: nothing overdue.
    dataset.case(accepted_on=D(2025, 1, 1), status="archived", assigned_on=D(2025, 1, 2), closed_on=D(2025, 3, 1),
                 file_due=D(2025, 3, 31), file_submitted_on=D(2025, 3, 20), archive_due=D(2025, 4, 20),
                 archived_on=D(2025, 4, 1))
    assert ind.compute(H1)["cases.overdue_at_end"] == 4
