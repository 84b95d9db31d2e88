"""The case's numbered documents (指派通知书, 法律援助公函, 终止决定书) are kept as issued; the closing report and the
opinion form, which carry only the case number and are filled in as the case goes, print as the record is."""

from __future__ import annotations

import pytest

from core.models import IssuedDocument

pytestmark = pytest.mark.django_db


def test_the_assignment_notice_keeps_the_handler_it_named(assigned_case, client_for, handler_profile):
    c = client_for("clerk")
    first = c.get(f"/cases/{assigned_case.pk}/print/assignment/").content.decode()
    original = handler_profile.name
    assert original in first and "重印件" not in first
    handler_profile.name = "张伟伟"
    handler_profile.save()
    again = c.get(f"/cases/{assigned_case.pk}/print/assignment/").content.decode()
    assert original in again and "张伟伟" not in again and "重印件" in again
    assignment = assigned_case.assignments.get()
    kept = IssuedDocument.objects.get(document="assignment")
    assert kept.object_id == assignment.pk and kept.number == assignment.number and kept.reprints == 1


def test_forms_without_a_number_of_their_own_print_live(closed_case, client_for):
    c = client_for("clerk")
    html = c.get(f"/cases/{closed_case.pk}/print/closing_report/").content.decode()
    assert closed_case.number in html and "重印件" not in html
    assert c.get(f"/cases/{closed_case.pk}/print/closing_report/").content.decode().count("重印件") == 0
    assert not IssuedDocument.objects.filter(document="closing_report").exists()
