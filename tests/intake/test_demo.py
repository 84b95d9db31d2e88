import io
import random

import pytest


@pytest.mark.django_db
def test_demo_seeds_a_year_of_consultations_and_applications_in_every_state(org):
    from applicants import demo as applicants_demo
    from intake import demo
    from intake.models import Application, Consultation, CriminalNotice, Matter

    out = io.StringIO()
    applicants_demo.seed(rng=random.Random(1), stdout=out)
    demo.seed(rng=random.Random(1), stdout=out)
    assert Consultation.objects.count() > 250
    assert set(Consultation.objects.values_list("channel", flat=True)) == {
        "visit", "phone", "hotline", "letter", "online", "event"}
    assert Consultation.objects.filter(person_count__gte=20).exists()
    assert set(Application.objects.values_list("status", flat=True)) == {s for s, _l in Application.Status.choices}
    assert Application.objects.filter(deemed_withdrawn=True).exists()
    granted = Application.objects.filter(status="granted")
    assert granted.count() > 30 and all(a.case for a in granted)
    assert CriminalNotice.objects.filter(case__status="awaiting").count() == CriminalNotice.objects.count()
    assert Matter.objects.count() > 50
    demo.seed(rng=random.Random(1), stdout=out)
    assert "already seeded" in out.getvalue()
