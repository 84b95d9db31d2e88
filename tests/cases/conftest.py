"""Cases at each stage, built through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl  # noqa: F401 - imported before any freeze_time, so its date types stay real
import pytest
from freezegun import freeze_time

from tests.factories import make_case

TODAY = dt.date(2025, 11, 20)


@pytest.fixture
def frozen():
    with freeze_time("2025-11-20 10:00:00+08:00"):
        yield TODAY


@pytest.fixture
def awaiting_case(org, frozen):
    return make_case(accepted_on=dt.date(2025, 11, 3), station=org["stations"]["station-a"])


@pytest.fixture
def assigned_case(awaiting_case, clerk, handler_profile):
    from cases.services import case_assign

    case_assign(case=awaiting_case, handler=handler_profile, on=dt.date(2025, 11, 4), by=clerk)
    awaiting_case.refresh_from_db()
    return awaiting_case


@pytest.fixture
def closed_case(assigned_case, handler):
    from cases.services import case_close

    case_close(case=assigned_case, closed_on=dt.date(2025, 11, 10), outcome="mediation",
               closing_report="调解结案，对方支付工资。", amount_recovered=Decimal("12000"), by=handler)
    assigned_case.refresh_from_db()
    return assigned_case


@pytest.fixture
def submitted_case(closed_case, handler):
    from cases.services import case_submit_file

    case_submit_file(case=closed_case, submitted_on=dt.date(2025, 11, 12), by=handler)
    closed_case.refresh_from_db()
    return closed_case


def full_checklist(case):
    from cases import rules

    return {code: True for code, _l in rules.archive_items(case)}


@pytest.fixture
def archived_case(submitted_case, reviewer):
    from cases.services import case_archive_review

    case_archive_review(case=submitted_case, result="passed", checklist=full_checklist(submitted_case),
                        on=dt.date(2025, 11, 14), by=reviewer)
    submitted_case.refresh_from_db()
    return submitted_case
