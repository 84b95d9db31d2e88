"""Text a service stores is written in the site's language, whoever clicked (core.stored): a case corrected or
moved to another stage by someone who works in English keeps its history in Chinese; what he is told (a
refusal) stays in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases import editing


def test_a_case_corrected_and_moved_on_in_english_keeps_its_history_in_chinese(assigned_case, clerk):
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            editing.case_edit(case=assigned_case, by=clerk, changes={})
        assert exc.value.messages == ["Nothing was changed."]
        editing.case_edit(case=assigned_case, by=clerk, changes={"opposing_party": "示范县某建筑公司"})
        editing.case_change_stage(case=assigned_case, to_stage="second_instance", on=dt.date(2025, 11, 15), by=clerk)
    reasons = list(assigned_case.history.order_by("-history_id").values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["2025-11-15进入二审阶段", "修改案件信息"]
