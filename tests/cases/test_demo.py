import io
import random

import pytest
from django.utils import timezone

from cases.models import Case


@pytest.mark.django_db
def test_the_demo_seeds_cases_in_every_state_and_is_idempotent(org):
    from cases import demo
    from tests.factories import make_case

    make_case()  # one left awaiting by the intake demo
    out = io.StringIO()
    demo.seed(rng=random.Random(7), stdout=out)
    states = set(Case.objects.values_list("status", flat=True))
    assert states == {"awaiting", "assigned", "closed", "archived", "terminated"}
    archived = Case.objects.filter(status="archived")
    assert archived.exclude(grade="").count() == archived.count() > 5
    assert Case.objects.filter(followups__isnull=False).exists()
    assert Case.objects.filter(progress__isnull=False).exists()
    assert Case.objects.filter(hearings__isnull=False).exists()
    objection = Case.objects.get(termination_objections__isnull=False).termination_objections.get()
    assert objection.outcome == "pending" and objection.due_on >= timezone.localdate()  # a to-do, not overdue
    count = Case.objects.count()
    demo.seed(rng=random.Random(7), stdout=out)
    assert Case.objects.count() == count
