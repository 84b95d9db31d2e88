"""Audit: a figure equals the list it opens, and the workbench's figures equal the dashboard's.

STATISTICS.md: "A dashboard figure opens the list of the records it counts, with the same filter: a count equals
the list's total" and "For a period that has not ended, stock figures (期末…, open cases, overdue items) are taken
as of today …; they equal the dashboard's."
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import CriminalNoticeFactory, make_case

pytestmark = pytest.mark.django_db

TODAY = "2026-12-07 10:00:00+08:00"  # a Monday of a running year


def _panel(response, title: str):
    found = [p for p in response.context["panels"] if str(p.title) == title]
    assert found, [str(p.title) for p in response.context["panels"]]
    return found[0].context


def _home(client, title: str):
    return _panel(client.get("/"), title)


def _case_list_count(client, link: str) -> int:
    response = client.get(f"/cases/{link}")
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


def test_it_counts_in_the_awaiting_assignment_panel_the_cases_its_show_all_link_lists(client_for, org, clerk):
    """STATISTICS.md: "a count equals the list's total". The clerk's panel 待指派案件 counts the cases waiting for
    the clerk (with assignment approval on, not those whose proposal awaits the reviewer) but its "show all"
    opens ?status=awaiting, every awaiting case, the proposed ones included."""
    from cases.services import case_propose_assignment
    from core.models import CenterProfile

    with freeze_time(TODAY):
        profile = CenterProfile.get()
        profile.assignment_approval = True
        profile.save()
        proposed = make_case(accepted_on=dt.date(2026, 12, 7))
        make_case(accepted_on=dt.date(2026, 12, 7))
        case_propose_assignment(case=proposed, handler=org["handlers"]["张伟"], by=clerk)
        c = client_for("clerk")
        ctx = _home(c, "待指派案件")
        assert ctx["count"] == 1  # the one the clerk still has to propose
        assert _case_list_count(c, ctx["link"]) == ctx["count"]


def test_it_counts_a_legal_aid_letter_past_due_in_the_overdue_items_as_the_workbench_and_its_list_do(
        client_for, org, clerk, handler, handler_profile):
    """STATISTICS.md: cases.overdue_at_end is "open applications and cases past any deadline at the end date"
    and, for a period not ended, is taken as of today and equals the dashboard's. DOMAIN.md §5: the 法律援助公函
    is due within 3 days of the notice. A notice case whose new stage's letter is past due and not sent is on the
    director's panel 全县案件逾期事项 and on its list (?overdue=1), but the dashboard's 期末逾期事项 leaves it out."""
    from cases import editing
    from cases.models import Assignment
    from cases.services import assignment_letter_sent, case_assign, case_sign_agreement

    with freeze_time(TODAY):
        notice = CriminalNoticeFactory(organ="police", organ_name="示范县公安局", stage="investigation",
                                       received_on=dt.date(2026, 11, 2), ground="other")
        case = make_case(category="criminal", source="notice", notice=notice, organ="police",
                         stage="investigation", aid_form="criminal_defence", role="defence", cause="theft",
                         accepted_on=dt.date(2026, 11, 2), recipient=notice.person)
        case_assign(case=case, handler=handler_profile, on=dt.date(2026, 11, 3), by=clerk)
        case.refresh_from_db()
        case_sign_agreement(case=case, signed_on=dt.date(2026, 11, 4), by=handler)
        assignment_letter_sent(assignment=Assignment.objects.get(case=case), on=dt.date(2026, 11, 3), by=clerk)
        case.refresh_from_db()
        editing.case_change_stage(case=case, to_stage="prosecution", on=dt.date(2026, 11, 20), by=clerk,
                                  organ="procuratorate", organ_name="示范县人民检察院",
                                  notice_number="示检通〔2026〕12号", notice_received_on=dt.date(2026, 11, 20))
        # the procuratorate's letter was due on 23 Nov and is not sent: the case is overdue today
        c = client_for("director")
        ctx = _home(c, "全县案件逾期事项")
        assert ctx["count"] == 1 and _case_list_count(c, ctx["link"]) == 1
        assert [r["case"].pk for r in ctx["rows"]] == [case.pk]
        figures = {f["code"]: f for f in c.get(f"/reports/?year={timezone.localdate().year}").context["figures"]}
        assert figures["cases.overdue_at_end"]["value"] == 1
        listed = c.get(figures["cases.overdue_at_end"]["url"]).context
        assert sum(s.total for s in listed["sections"]) == 1
