"""The link between a case and its application or notice moved to the intake side (issue 15.2): the migrations
carry every existing link over, history included, and back again when undone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from intake.models import Application, CriminalNotice
from tests.factories import ApplicationFactory, CriminalNoticeFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("cases", "0015_proposal_withdrawn"), ("intake", "0011_vocabulary_choices")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_links_move_to_the_intake_side_and_back(org):
    app = ApplicationFactory(status="granted")
    app_case = make_case(application=app)
    notice = CriminalNoticeFactory(ground="other")
    notice_case = make_case(category="criminal", source="notice", notice=notice, stage="trial",
                            aid_form="criminal_defence", cause="theft", recipient=notice.person)
    plain = make_case()  # a case from the ledger: neither

    try:
        old = _migrate(BEFORE)  # undone: the case holds the links again
        OldCase = old.get_model("cases", "Case")
        assert OldCase.objects.get(pk=app_case.pk).application_id == app.pk
        assert OldCase.objects.get(pk=notice_case.pk).notice_id == notice.pk
        assert OldCase.objects.get(pk=plain.pk).application_id is None
        OldCase.objects.filter(pk=plain.pk).update(application_id=None, notice_id=None)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert Application.objects.get(pk=app.pk).case_id == app_case.pk
    assert CriminalNotice.objects.get(pk=notice.pk).case_id == notice_case.pk
    assert not Application.objects.filter(case_id=plain.pk).exists()
    assert not CriminalNotice.objects.filter(case_id=plain.pk).exists()
    assert app_case.__class__.objects.get(pk=app_case.pk).application.pk == app.pk
    assert CriminalNotice.objects.get(pk=notice.pk).history.filter(case_id=notice_case.pk).exists()
