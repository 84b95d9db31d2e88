"""Permission table of notifications: everyone has an inbox; a message is its recipient's alone (others: 404)."""

from __future__ import annotations

import pytest

from notifications.services import notify
from tests.permission_table import check, expect

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(org):
    return notify(recipient=org["users"]["handler"], kind="digest", title="提醒", url="/cases/")


def table(note):
    mine = {"handler": 302}
    return [
        ("notifications:inbox", "GET", "/notifications/", expect(200, outsider=200)),
        ("notifications:preferences", "GET", "/notifications/preferences/", expect(200, outsider=200)),
        # opening marks it read and goes to its link
        ("notifications:open", "GET", f"/notifications/{note.pk}/open/", expect(404, outsider=404, **mine)),
        ("notifications:read", "POST", f"/notifications/{note.pk}/read/", expect(404, outsider=404, **mine)),
        # one's own messages only: the others' are untouched
        ("notifications:read_all", "POST", "/notifications/read-all/", expect(302, outsider=302)),
    ]


def test_permission_table(client_for, note):
    problems = []
    for _name, method, url, expected in table(note):
        problems += check(client_for, method, url, expected)
    assert problems == []


def test_a_get_of_an_action_is_refused(client_for, note):
    assert client_for("handler").get(f"/notifications/{note.pk}/read/").status_code == 405
    assert client_for("handler").get("/notifications/read-all/").status_code == 405
