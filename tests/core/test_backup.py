"""Backup and restore against the real PostgreSQL: a dump restored into a new, empty database is the same.

pg_dump sees only committed rows, so the round trip commits its records (transaction=True); the
refusals need no records and stay in the faster rolled-back transaction.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from psycopg import sql

from core.backup import DATABASE_PART, FILES_PART, MANIFEST, _sha256, backups_in, db_params, row_counts
from tests.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch_db():
    """A new empty database on the same server, dropped afterwards."""
    params = db_params()
    name = f"{params.name}_restore"[:63]
    with params.connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with params.connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def records():
    from cases.models import Attachment

    person = PersonFactory(name="王小红")
    case = make_case(recipient=person, opposing_party="某劳务公司")
    attachment = Attachment.objects.create(case=case, kind="judgment", original_name="判决书.pdf",
                                           file=ContentFile(b"%PDF-1.4 judgment", name="判决书.pdf"), size=17)
    return {"person": person, "case": case, "attachment": attachment}


def _backup(tmp_path: Path) -> Path:
    call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())
    [path] = backups_in(tmp_path / "backups")
    return path


def _query(dbname: str, query: str) -> list[tuple]:
    with db_params(dbname=dbname).connect() as conn:
        return conn.execute(query).fetchall()


def _counts(dbname: str) -> dict[str, int]:
    with db_params(dbname=dbname).connect() as conn, conn.cursor() as cur:
        return row_counts(cur)


def _rewrite_checksums(path: Path) -> None:
    manifest = json.loads((path / MANIFEST).read_text())
    for part in (DATABASE_PART, FILES_PART):
        manifest["parts"][part]["sha256"] = _sha256(path / part)
    (path / MANIFEST).write_text(json.dumps(manifest))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_the_same_rows_and_files(
    records, tmp_path, settings, scratch_db
):
    source = db_params().name
    path = _backup(tmp_path)
    manifest = json.loads((path / MANIFEST).read_text())
    source_counts = _counts(source)
    assert manifest["database"]["tables"] == source_counts
    assert source_counts["cases_case"] == 1 and source_counts["cases_attachment"] == 1
    assert manifest["files"]["count"] == 1
    assert manifest["migrations"]["cases"].startswith("0")
    assert path.name.startswith("legalaid-backup-")

    settings.MEDIA_ROOT = tmp_path / "restored-files"
    out = io.StringIO()
    call_command("restore", str(path), dbname=scratch_db, stdout=out)

    assert "match the backup" in out.getvalue()
    assert _counts(scratch_db) == source_counts
    for query in (
        "SELECT id, name, id_number, phone FROM applicants_person ORDER BY id",
        "SELECT id, number, status, recipient_id, opposing_party, accepted_on FROM cases_case ORDER BY id",
        "SELECT id, case_id, file, original_name FROM cases_attachment ORDER BY id",
        "SELECT app, name FROM django_migrations ORDER BY id",
    ):
        assert _query(scratch_db, query) == _query(source, query)
    restored_file = settings.MEDIA_ROOT / records["attachment"].file.name
    assert restored_file.read_bytes() == b"%PDF-1.4 judgment"


def test_it_refuses_to_restore_over_a_database_that_is_not_empty(tmp_path, settings):
    path = _backup(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "restored-files"

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(path))


def test_it_refuses_a_backup_whose_checksum_does_not_match(tmp_path, settings, scratch_db):
    path = _backup(tmp_path)
    with (path / DATABASE_PART).open("r+b") as fh:
        fh.seek(100)
        byte = fh.read(1)
        fh.seek(100)
        fh.write(bytes([byte[0] ^ 0xFF]))
    settings.MEDIA_ROOT = tmp_path / "restored-files"

    with pytest.raises(CommandError, match="backup damaged: the SHA-256 of database.dump"):
        call_command("restore", str(path), dbname=scratch_db)
    with pytest.raises(CommandError, match="backup damaged"):
        call_command("restore", str(path), check=True)
    assert _counts(scratch_db) == {}


def test_it_refuses_an_archive_member_that_escapes_the_files_folder(tmp_path, settings, scratch_db):
    path = _backup(tmp_path)
    with tarfile.open(path / FILES_PART, "w:gz") as tar:
        member = tarfile.TarInfo("../escaped.txt")
        member.size = 4
        tar.addfile(member, io.BytesIO(b"evil"))
    _rewrite_checksums(path)
    settings.MEDIA_ROOT = tmp_path / "restored-files"

    with pytest.raises(CommandError, match="unsafe member '../escaped.txt'"):
        call_command("restore", str(path), dbname=scratch_db)
    assert not (tmp_path / "escaped.txt").exists()
    assert _counts(scratch_db) == {}


def test_keep_removes_all_but_the_newest_backups(tmp_path):
    for _ in range(3):
        call_command("backup", output=tmp_path / "backups", keep=2, stdout=io.StringIO())

    kept = backups_in(tmp_path / "backups")
    assert len(kept) == 2
    assert [p.name for p in kept] == sorted(p.name for p in kept)
    assert not [p for p in (tmp_path / "backups").iterdir() if p.name.endswith(".tmp")]
