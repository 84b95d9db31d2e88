from __future__ import annotations

import json
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from core.access import get_visible, in_station_scope, station_scope
from core.choices import REGISTRY_CATEGORY

from . import idcard
from .models import Person, VulnerableEntry


def persons_visible_to(user) -> QuerySet[Person]:
    """Center staff see every person; station staff those registered by their station."""
    return station_scope(Person.objects.all(), user, capability="applicant_manage").select_related(
        "station", "merged_into")


def person_is_visible(user, person: Person) -> bool:
    """Whether `persons_visible_to(user)` holds this person: may the user see its name and open its page."""
    return in_station_scope(person, user, capability="applicant_manage")


# A registered person outside the user's scope, named by a duplicate-ID check, is carried to the intake
# forms as an encrypted reference bound to that user (never a bare id, which could be counted through,
# and not a merely signed one, whose payload anybody can read), so station staff can take an application
# for a person registered elsewhere without learning anything of it, its internal number included.
PERSON_REF_SALT = "applicants.person-ref"
PERSON_REF_MAX_AGE = 12 * 60 * 60


def _person_ref_box():
    """Fernet (AES with an HMAC, from the cryptography library) keyed from SECRET_KEY for this use alone."""
    import base64
    import hashlib

    from cryptography.fernet import Fernet
    from django.conf import settings

    key = hashlib.sha256(f"{PERSON_REF_SALT}:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def person_ref(*, person: Person, user) -> str:
    payload = json.dumps({"p": person.pk, "u": user.pk}).encode()
    return _person_ref_box().encrypt(payload).decode("ascii")


def _person_ref_read(ref: str) -> dict | None:
    from cryptography.fernet import InvalidToken

    try:
        data = json.loads(_person_ref_box().decrypt(ref.encode("ascii"), ttl=PERSON_REF_MAX_AGE))
    except (InvalidToken, UnicodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def person_for_intake(user, *, pk: str | int | None = None, ref: str | None = None) -> Person:
    """The person an intake form is for: one the user may see (by id), or one named to this user by a
    duplicate-ID check (by reference). Anything else answers 404."""
    if pk:
        return get_visible(persons_visible_to(user).filter(merged_into__isnull=True), pk=pk)
    if not ref or not user.is_authenticated or not user.can("applicant_manage"):
        raise Http404
    data = _person_ref_read(ref)
    if data is None or data.get("u") != user.pk or not isinstance(data.get("p"), int):
        raise Http404
    person = Person.objects.filter(pk=data.get("p")).select_related("station", "merged_into").first()
    while person is not None and person.merged_into_id:  # merged since: the kept record
        person = person.merged_into
    if person is None:
        raise Http404
    return person


def person_search(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    q = (q or "").strip()
    if not q:
        return qs
    return qs.filter(person_q(q))


def person_q(q: str) -> Q:
    """A person by the search box, each part index-served (core.search): the name (its beginning for one or
    two characters), three digits or more of the phone, four characters or more of the ID number."""
    from core.search import name_q, phone_q

    cond = name_q("name", q)
    phone = phone_q("phone", q)
    if phone is not None:
        cond |= phone
    n = idcard.normalise(q)
    if len(n) >= 4:
        cond |= Q(id_number__icontains=n)
    return cond


def registry_match(id_number: str, day: date) -> VulnerableEntry | None:
    """A valid registry entry for this ID number on `day` (valid_until not passed)."""
    n = idcard.normalise(id_number)
    if not n:
        return None
    return (VulnerableEntry.objects.filter(id_number=n)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day)).order_by("-valid_until").first())


def registry_label(entry: VulnerableEntry | None) -> str:
    if entry is None:
        return ""
    word = REGISTRY_CATEGORY.zh.get(entry.category, entry.category)
    return f"{word}（{entry.source}）" if entry.source else word
