"""A PostgreSQL without pg_trgm (`make run`'s embedded server) still migrates: the extension and its trigram
indexes are skipped there and made later by `manage.py trigram_indexes` (core.migration_ops)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.state import ProjectState

from core import migration_ops
from core.management.commands.trigram_indexes import trigram_indexes

pytestmark = pytest.mark.django_db

TRIGRAM = {"case_number_trgm", "case_opposing_trgm", "person_name_trgm", "person_id_trgm", "person_phone_trgm",
           "application_number_trgm", "application_decision_trgm", "consultation_name_trgm",
           "consultation_phone_trgm"}


def _sql_of(operation, app_label: str) -> list[str]:
    """The SQL the operation runs forwards (collected, not run)."""
    state = ProjectState.from_apps(global_apps)
    new = state.clone()
    operation.state_forwards(app_label, new)
    with connection.schema_editor(collect_sql=True) as editor:
        operation.database_forwards(app_label, editor, state, new)
    return editor.collected_sql


def _index_op():
    person = global_apps.get_model("applicants", "Person")
    index = next(i for i in person._meta.indexes if i.name == "person_name_trgm")
    return migration_ops.AddTrigramIndex(model_name="person", index=index.clone())


def test_every_trigram_index_of_the_models_is_known():
    assert {index.name for _model, index in trigram_indexes()} == TRIGRAM


def test_the_index_is_made_only_where_the_database_has_pg_trgm(monkeypatch):
    assert migration_ops.trigram_installed(connection)  # the test database's server has it
    assert any("CREATE INDEX" in sql and "gin_trgm_ops" in sql for sql in _sql_of(_index_op(), "applicants"))
    monkeypatch.setattr(migration_ops, "trigram_installed", lambda conn: False)
    assert _sql_of(_index_op(), "applicants") == []


def test_the_extension_is_skipped_where_the_server_lacks_it(monkeypatch):
    monkeypatch.setattr(migration_ops, "trigram_offered", lambda conn: False)
    assert _sql_of(migration_ops.TrigramExtensionIfOffered(), "core") == []


def test_the_command_makes_the_missing_indexes_once():
    out = StringIO()
    call_command("trigram_indexes", stdout=out)
    assert "0 trigram indexes made" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX person_name_trgm")
    out = StringIO()
    call_command("trigram_indexes", stdout=out)
    assert "made person_name_trgm" in out.getvalue() and "1 trigram indexes made" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_name_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
