"""Personal data as on the person page (DOMAIN.md §13): the case and notice pages mask the recipient's ID number
as lists do; a role that may see it in full asks for it, and that view is logged."""

from __future__ import annotations

import pytest

from core.models import AccessLog
from tests.factories import CriminalNoticeFactory, PersonFactory, make_case

pytestmark = pytest.mark.django_db
ID = "341122198506150011"
MASKED = "341122********0011"


@pytest.fixture
def recipient(db):
    return PersonFactory(name="刘桂兰", id_number=ID)


def _views_logged(person) -> list[str]:
    return list(AccessLog.objects.filter(action="view_person", object_id=str(person.pk))
                .values_list("user__username", flat=True))


@pytest.mark.parametrize("persona", ["clerk", "reviewer", "director"])
def test_the_case_page_masks_the_id_until_asked_and_logs_the_full_view(org, client_for, recipient, persona):
    case = make_case(recipient=recipient)
    c = client_for(persona)
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert ID not in page and MASKED in page
    may = org["users"][persona].can("applicant_view_full")
    assert ('data-testid="reveal-id"' in page) is may
    assert _views_logged(recipient) == []
    full = c.get(f"/cases/{case.pk}/?show_id=1").content.decode()
    assert (ID in full) is may
    assert _views_logged(recipient) == ([org["users"][persona].username] if may else [])


def test_a_handler_never_sees_the_full_id_on_the_case_page(org, client_for, recipient, handler, handler_profile):
    from cases.services import case_assign

    case = make_case(recipient=recipient)
    case_assign(case=case, handler=handler_profile, on=case.accepted_on, by=org["users"]["clerk"])
    page = client_for("handler").get(f"/cases/{case.pk}/?show_id=1")
    assert page.status_code == 200
    assert ID not in page.content.decode() and 'data-testid="reveal-id"' not in page.content.decode()
    assert _views_logged(recipient) == []


def test_the_notice_page_masks_the_id_until_asked(client_for, recipient, clerk):
    notice = CriminalNoticeFactory(person=recipient)
    c = client_for("clerk")
    page = c.get(f"/intake/notices/{notice.pk}/").content.decode()
    assert ID not in page and MASKED in page and 'data-testid="reveal-id"' in page
    assert ID in c.get(f"/intake/notices/{notice.pk}/?show_id=1").content.decode()
    assert _views_logged(recipient) == [clerk.username]
