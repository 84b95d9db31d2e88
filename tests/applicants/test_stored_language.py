"""Text a service stores is written in the site's language, whoever clicked (core.stored): persons merged by a
director who works in English leave their history, and that of the records moved, in Chinese."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applicants.services import person_merge
from tests.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db


def _last_reason(obj) -> str:
    return obj.history.order_by("-history_id").first().history_change_reason


def test_persons_merged_in_english_keep_their_history_in_chinese(org, director):
    keep, drop = PersonFactory(name="王小明"), PersonFactory(name="王小明", id_number="")
    case = make_case(recipient=drop)
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            person_merge(keep=keep, drop=keep, by=director)
        assert exc.value.messages == ["A record cannot be merged into itself."]
        person_merge(keep=keep, drop=drop, by=director)
    merged = f"当事人#{drop.pk}已合并至#{keep.pk}"
    case.refresh_from_db()
    assert (_last_reason(keep), _last_reason(drop), _last_reason(case)) == (merged, "已合并", merged)
