"""Every state change of a case is a function here (STYLE.md): it checks the state,
writes the change with its history, and moves the deadlines, in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from applicants.groups import groups_at
from core import deadlines, numbering

from . import rules
from .models import Case


@transaction.atomic
def case_open(
    *,
    recipient,
    category: str,
    accepted_on: date,
    by=None,
    source: str = "application",
    application=None,
    notice=None,
    organ: str = "",
    stage: str = "",
    aid_form: str = "",
    role: str = "",
    cause: str = "",
    recipient_count: int = 1,
    is_mass: bool = False,
    opposing_party: str = "",
    amount_involved: Decimal | None = None,
    station=None,
    green_channel: bool = False,
    advance_aid: bool = False,
    extra_groups: list[str] | None = None,
    number: str | None = None,
    seq: int | None = None,
) -> Case:
    """Open a case awaiting assignment, with the next gapless number of its year and kind.

    `number`/`seq` are given only by the ledger import for cases that already have one.
    """
    year = accepted_on.year
    if number is None:
        number, seq = numbering.issue_case_number(year=year, category=category)
    case = Case(
        number=number, year=year, seq=seq, category=category, source=source, application=application,
        notice=notice, organ=organ, stage=stage, aid_form=aid_form, role=role, cause=cause,
        is_litigation=rules.is_litigation(aid_form=aid_form, stage=stage),
        recipient=recipient, recipient_groups=groups_at(recipient, accepted_on, extra=extra_groups),
        recipient_count=recipient_count, is_mass=is_mass, opposing_party=opposing_party,
        amount_involved=amount_involved, station=station, green_channel=green_channel, advance_aid=advance_aid,
        accepted_on=accepted_on, created_by=by,
        assign_due=deadlines.due_date("notice_assign" if source == "notice" else "case_assign", accepted_on),
    )
    case._history_user = by
    case.full_clean(exclude=["recipient", "application", "notice", "station"])
    case.save()
    return case
