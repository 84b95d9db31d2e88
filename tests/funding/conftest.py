"""Cases ready for a subsidy. The cases app's archive and grading services are written
concurrently, so the state is set directly here, after opening through the real service."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from tests.factories import make_case


@pytest.fixture
def subsidy_defaults(db):
    """The shipped standards and policy; transactional tests flush data-migration rows, so seed them again."""
    importlib.import_module("funding.migrations.0002_defaults").create_defaults(apps, None)


@pytest.fixture
def ready_case(org, handler_profile, subsidy_defaults):
    """ready_case(grade="pass", **fields) → an archived, graded case handled by 张伟."""

    def make(grade: str = "pass", *, status: str = "archived", archived_on: dt.date | None = None,
             handler=None, **fields):
        open_fields = {k: fields.pop(k) for k in list(fields)
                       if k in {"category", "stage", "aid_form", "recipient_count", "is_mass", "accepted_on",
                                "cause", "recipient"}}
        case = make_case(**open_fields)
        case.handler = handler or handler_profile
        case.assigned_on = case.accepted_on
        case.status = status
        case.grade = grade if status == "archived" else fields.pop("grade_override", "")
        if status == "archived":
            case.closed_on = case.accepted_on
            case.archived_on = archived_on or case.accepted_on
            case.graded_on = case.archived_on
        elif status == "terminated":
            case.terminated_on = archived_on or case.accepted_on
        for key, value in fields.items():
            setattr(case, key, value)
        case.save()
        return case

    return make
