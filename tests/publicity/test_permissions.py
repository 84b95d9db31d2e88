"""Permission table of publicity: publicity_log (the director and station staff; DOMAIN.md §2, §8, §10: not the
intake clerk, not the administrator); station staff see their own station's events and reports only (another
station → 404)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from publicity.models import EventPhoto
from tests.factories import EventFactory, MediaReportFactory
from tests.permission_table import check, expect

ALL = expect(403, director=200, staff_a=200, staff_b=200)
OWN = expect(403, director=200, staff_a=200, staff_b=404)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def objects(org, station_a):
    event = EventFactory(station=station_a)
    photo = EventPhoto(event=event, caption="现场")
    photo.file.save("a.png", ContentFile(PNG), save=True)
    return {"event": event.pk, "photo": photo.pk, "media": MediaReportFactory(station=station_a, event=event).pk}


TABLE = [
    ("publicity:event_list", None, ALL),
    ("publicity:event_create", None, ALL),
    ("publicity:event_detail", "event", OWN),
    ("publicity:event_edit", "event", OWN),
    ("publicity:event_photo", "photo", OWN),
    ("publicity:media_list", None, ALL),
    ("publicity:media_create", None, ALL),
    ("publicity:media_detail", "media", OWN),
    ("publicity:media_edit", "media", OWN),
]


def test_removing_a_photo_answers_each_persona_as_the_table_says(client_for, objects):
    # publicity:photo_remove: POST only; a removed photo is gone for everyone, so each persona gets a fresh one.
    from publicity.models import Event

    event = Event.objects.get(pk=objects["event"])
    for persona, status in {**OWN, "anonymous": 302}.items():
        photo = EventPhoto(event=event, caption=persona)
        photo.file.save("p.png", ContentFile(PNG), save=True)
        url = reverse("publicity:photo_remove", args=[photo.pk])
        assert client_for(persona).get(url).status_code == (302 if persona == "anonymous" else 405)
        response = client_for(persona).post(url)
        assert response.status_code == (302 if status == 200 else status), persona
        photo.refresh_from_db()
        assert (photo.removed_at is not None) == (status == 200), persona


@pytest.mark.parametrize("name,obj,expected", TABLE, ids=[row[0] for row in TABLE])
def test_publicity_urls_answer_each_persona_as_the_table_says(client_for, objects, name, obj, expected):
    url = reverse(name, args=[objects[obj]] if obj else [])
    assert check(client_for, "GET", url, expected) == []


def test_center_and_own_station_exports_answer_and_others_are_refused(client_for, objects):
    for name in ("publicity:event_list", "publicity:media_list"):
        url = reverse(name) + "?export=xlsx"
        assert check(client_for, "GET", url, {**ALL, "anonymous": 302}) == []
