"""`manage.py seed_demo --scale N` (core/scale.py, each app's scale.py): generated data is data the services
could have left — counts, model validation, states consistent with their dates, number sequences moved on —
and the statistics and the director's pages work on it."""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from applicants.groups import groups_at
from applicants.models import Person
from cases.models import Assignment, Case
from core.models import DocumentSequence
from funding.models import Subsidy
from intake.models import Application, Consultation, CriminalNotice
from reports import indicators as ind
from reports.links import indicator_url
from reports.periods import parse_period
from tests.reports.test_links import check_every_figure_equals_its_list

CASES = 2000
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """Generated once for the module, in a transaction rolled back at its end (each test runs in a
    savepoint of it)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command("seed_demo", "--scale", str(CASES), stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_it_generates_the_counts_asked_for(scaled):
    assert Case.objects.count() == CASES
    assert abs(Consultation.objects.count() - CASES) <= CASES * 0.1
    assert abs(Person.objects.count() - CASES / 3) <= CASES / 3 * 0.1
    # Every case comes from a granted application or a criminal notice, accepted the day of either.
    assert (Application.objects.filter(status="granted").count() + CriminalNotice.objects.count()) == CASES
    assert not Case.objects.filter(application__isnull=False).exclude(accepted_on=F("application__decided_on"))
    assert not Case.objects.filter(notice__isnull=False).exclude(accepted_on=F("notice__received_on"))
    today = timezone.localdate()
    years = sorted(set(Case.objects.values_list("year", flat=True)))  # ten years ending today
    assert years[0] >= today.year - 10 and years[-1] == today.year and len(years) >= 10
    assert Case.objects.filter(accepted_on__gt=today).count() == 0
    assert f"{CASES:,} cases generated" in scaled


def test_sampled_cases_and_applications_pass_full_clean(scaled):
    rng = random.Random(5)
    for pk in rng.sample(list(Case.objects.values_list("pk", flat=True)), 50):
        case = Case.objects.select_related("recipient").get(pk=pk)
        case.full_clean()
        assert case.recipient_groups == groups_at(case.recipient, case.accepted_on)
    for pk in rng.sample(list(Application.objects.values_list("pk", flat=True)), 50):
        Application.objects.get(pk=pk).full_clean()


def test_states_agree_with_their_dates(scaled):
    cases = Case.objects.all()
    assert not cases.filter(status="awaiting").exclude(handler=None, assigned_on=None, closed_on=None)
    assert not cases.filter(status__in=["assigned", "closed", "archived"], handler=None)
    assert not cases.filter(assigned_on__lt=F("accepted_on"))
    assert not cases.filter(closed_on__lt=F("assigned_on"))
    assert not cases.filter(status__in=["closed", "archived"], closed_on=None)
    assert not cases.filter(status="archived").filter(Q(archived_on__lt=F("file_submitted_on"))
                                                       | Q(file_submitted_on__lt=F("closed_on")))
    assert not cases.exclude(grade="").exclude(status="archived", graded_on__gte=F("archived_on"))
    assert not cases.filter(status="terminated").filter(Q(terminated_on=None) | Q(termination_number=""))
    assert not Subsidy.objects.exclude(Q(case__status="archived") & ~Q(case__grade="")
                                       | Q(case__status="terminated", case__substantive_work=True))
    # One current assignment per assigned case, whose handler the case names.
    for case in cases.filter(status__in=["assigned", "closed", "archived"]).order_by("?")[:30]:
        current = Assignment.objects.get(case=case, ended_on=None)
        assert current.handler_id == case.handler_id
        assert case.assigned_on == case.assignments.order_by("assigned_on").first().assigned_on
    decided = Application.objects.filter(status__in=["granted", "refused"])
    assert not decided.filter(Q(decision_number="") | Q(decided_on=None) | Q(decided_on__lt=F("received_on")))
    # Some cases are still open, and some of those are past a deadline.
    assert cases.filter(status__in=["awaiting", "assigned", "closed"]).exists()
    from cases.selectors import overdue_q

    assert cases.filter(overdue_q()).exists()


def test_the_flags_on_the_cases_agree_with_their_follow_ups_and_hearings(scaled):
    """The generated case rows carry the flags the database keeps (Case.has_followup, has_hearing)."""
    for flag, related in [("has_followup", "followups"), ("has_hearing", "hearings")]:
        having = Case.objects.filter(**{f"{related}__isnull": False}).distinct()
        assert having.exists()
        assert not having.filter(**{flag: False})
        assert not Case.objects.filter(**{flag: True}).exclude(pk__in=having.values("pk"))


def test_the_next_numbers_follow_the_generated_ones(scaled, org):
    from cases.services import case_open
    from core import numbering

    today = timezone.localdate()
    last = Case.objects.filter(year=today.year, category="civil").order_by("-seq").first()
    assert DocumentSequence.objects.get(scope="case:civil", year=today.year).last == last.seq
    case = case_open(recipient=Person.objects.first(), category="civil", accepted_on=today, by=org["users"]["clerk"])
    assert case.seq == last.seq + 1
    assert Case.objects.filter(number=case.number).count() == 1
    grant = numbering.issue_document_number(kind="grant", year=today.year)
    assert not Application.objects.filter(decision_number=grant).exists()


def test_a_past_years_indicators_equal_their_lists(scaled, client_for):
    year = timezone.localdate().year - 1
    p = parse_period(str(year))
    values = ind.compute(p)
    cases = Case.objects.filter(accepted_on__year=year)
    assert values["cases.accepted"] == cases.count() > 0
    assert values["cases.accepted.criminal"] == cases.filter(category="criminal").count() > 0
    assert values["consultations.total"] == Consultation.objects.filter(
        occurred_at__gte=p.datetime_range()[0], occurred_at__lt=p.datetime_range()[1]).aggregate(
        n=Sum("person_count"))["n"]
    assert values["cases.closed"] > 0 and values["quality.graded"] > 0 and values["subsidy.paid.total"] > 0
    assert check_every_figure_equals_its_list(client_for("director"), p) == {}


def test_the_directors_pages_answer(scaled, client_for):
    c = client_for("director")
    for name in ["cases:case_list", "intake:consultation_list", "intake:application_list", "applicants:person_list",
                 "reports:dashboard"]:
        assert c.get(reverse(name)).status_code == 200, name
    # Generated records have no history rows; their pages work all the same.
    case = Case.objects.filter(status="archived").first()
    assert c.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    application = getattr(case, "application", None) or Application.objects.first()  # linked from intake's side
    assert c.get(reverse("intake:application_detail", args=[application.pk])).status_code == 200
    assert c.get(reverse("applicants:person_detail", args=[case.recipient_id])).status_code == 200
    p = parse_period(str(timezone.localdate().year - 1))
    assert c.get(indicator_url("recipients.total", p)).status_code == 200
