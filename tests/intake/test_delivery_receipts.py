"""送达回证 of the service window's documents: decisions and supplementation notices."""

from __future__ import annotations

import pytest

from core.models import DeliveryReceipt
from intake import services as intake_services
from tests.intake.conftest import tick_all

pytestmark = pytest.mark.django_db


def test_decisions_and_supplement_notices_have_their_delivery_receipts(make_app, clerk, reviewer, client_for):
    app = make_app()
    notice = intake_services.supplement_notice_issue(application=app, by=clerk)
    c = client_for("clerk")
    html = c.get(f"/intake/supplement-notices/{notice.pk}/print/?delivery=1").content.decode()
    assert "补充材料通知书" in html and notice.number in html and app.applicant.name in html
    tick_all(app, clerk)
    intake_services.materials_supplied(application=app, by=clerk)
    intake_services.application_submit_review(application=app, by=clerk)
    app = intake_services.application_refuse(application=app, by=reviewer, reasons="不符合经济困难标准。")
    page = c.get(f"/intake/applications/{app.pk}/").content.decode()
    assert 'data-testid="print-delivery"' in page
    html = c.get(f"/intake/applications/{app.pk}/print/decision/?delivery=1").content.decode()
    assert "不予法律援助决定书" in html and app.decision_number in html
    numbers = list(DeliveryReceipt.objects.order_by("pk").values_list("number", flat=True))
    assert len(numbers) == 2 and numbers[0].endswith("第1号") and numbers[1].endswith("第2号")
