"""Text a service stores is written in the site's language, whoever clicked (core.stored): a clerk and a
reviewer who work in English leave the application's history in Chinese for their colleagues; what they are
told (a refusal of the step) stays in English."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from freezegun import freeze_time

from intake import services

from .conftest import tick_all

pytestmark = pytest.mark.django_db


def _reasons(obj) -> list[str]:
    return [r for r in obj.history.order_by("history_id").values_list("history_change_reason", flat=True) if r]


@freeze_time("2025-03-03 10:00:00+08:00")
def test_an_application_handled_in_english_keeps_its_history_in_chinese(make_app, clerk, reviewer):
    granted, lacking = make_app(), make_app()
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:  # told in the clicker's language
            services.application_submit_review(application=lacking, by=clerk)
        assert "Materials are missing" in exc.value.messages[0]
        tick_all(granted, clerk)
        services.application_submit_review(application=granted, by=clerk)
        services.application_grant(application=granted, by=reviewer, note="符合条件")
        notice = services.supplement_notice_issue(application=lacking, by=clerk)
        services.application_withdraw(application=lacking, by=clerk)
    assert _reasons(granted) == ["已提交审查", "给予援助"]
    assert _reasons(lacking) == [f"补充材料通知书 {notice.number}", "已撤回"]
