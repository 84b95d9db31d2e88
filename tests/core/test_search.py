"""core.search: a name of one or two characters matches its beginning (an index serves it), three or more any
part; phones are searched for three digits or more, and a name never reads the phone index."""

from __future__ import annotations

import pytest
from django.db.models import F, Q
from django.db.models.lookups import Contains

from core.search import PhoneDigits, name_q, phone_q

pytestmark = pytest.mark.django_db


def test_conditions():
    assert name_q("name", "王") == Q(name__startswith="王")
    assert name_q("name", "王伟") == Q(name__startswith="王伟")
    assert name_q("name", "王小伟") == Q(name__icontains="王小伟")
    assert phone_q("phone", "王伟") is None and phone_q("phone", "13") is None
    assert phone_q("phone", "138 0013") == Q(Contains(PhoneDigits(F("phone")), "1380013"))  # digits to digits


def test_consultation_search_by_short_name_and_phone(org, client_for):
    from django.utils import timezone

    from intake.models import Consultation

    def make(name, phone):
        return Consultation.objects.create(occurred_at=timezone.now(), channel="visit", person_name=name,
                                           person_phone=phone, topic="labour_pay", summary="s", answer="a",
                                           outcome="answered", person_count=1,
                                           handled_by=org["users"]["clerk"])

    wang, xiaowang, li = make("王伟", "13800138000"), make("小王伟", "13900000001"), make("李王伟强", "")
    c = client_for("clerk")

    def found(q):
        return {r.pk for r in c.get("/intake/consultations/", {"q": q}).context["page_obj"].object_list}

    assert found("王伟") == {wang.pk}  # two characters: the beginning of the name
    assert found("王伟强") == {li.pk}  # three: any part
    assert found("0013") == {wang.pk}
    assert found("小王") == {xiaowang.pk}
