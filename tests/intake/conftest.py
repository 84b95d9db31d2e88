import pytest

from tests.factories import PersonFactory
from tests.helpers import restore_default_policies


@pytest.fixture
def person(db):
    return PersonFactory(name="王小明", hukou="rural", declared_groups=["migrant_worker"])


@pytest.fixture
def make_app(org, clerk, person):
    """A received application at the center, through the real service."""
    from django.utils import timezone

    from intake.models import Application
    from intake.services import application_receive

    def make(**kw):
        kw.setdefault("applicant", person)
        kw.setdefault("received_on", timezone.localdate())
        kw.setdefault("category", "civil")
        kw.setdefault("cause", "labour_pay")
        return application_receive(application=Application(**kw), by=kw.pop("by", clerk) if "by" in kw else clerk)

    return make


def tick_all(app, by):
    from intake.services import materials_update

    materials_update(application=app, received={m.pk for m in app.materials.all()}, by=by)


@pytest.fixture(autouse=True)
def _default_policies(request):
    """Transactional tests flush the data migration's default eligibility policies: put them back."""
    restore_default_policies(request)
