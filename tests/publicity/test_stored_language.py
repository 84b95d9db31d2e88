"""Text a service stores is written in the site's language, whoever clicked (core.stored): a photo removed by
station staff who work in English is noted in the event's history in Chinese."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from publicity import services
from publicity.models import EventPhoto
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_a_photo_removed_in_english_is_noted_in_chinese(station_a, staff_a):
    event = EventFactory(station=station_a)
    photo = EventPhoto(event=event, caption="错传.png")
    photo.file.save("p.png", ContentFile(PNG), save=True)
    long = EventPhoto(event=event, caption="很长的文件名" * 30 + ".png")
    long.file.save("q.png", ContentFile(PNG), save=True)
    with translation.override("en"):
        services.photo_remove(photo=photo, by=staff_a)
        services.photo_remove(photo=long, by=staff_a)  # a long file name: the history keeps 100 characters
    reasons = list(event.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2] == "照片已移除：错传.png"
    assert reasons[-1].startswith("照片已移除：很长的文件名") and len(reasons[-1]) == 100
