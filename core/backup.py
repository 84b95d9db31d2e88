"""Backup and restore of a whole installation: the database and the private files.

A backup is one folder named after its Beijing time, `legalaid-backup-20261203-213005/`:

- `database.dump`: `pg_dump --format=custom` of the configured database;
- `files.tar.gz`: every file under MEDIA_ROOT (PRIVATE_FILES_ROOT: uploads, attachments, built reports);
- `manifest.json`: when, which version, the migrations applied, the row count of every table,
  the number of files and the SHA-256 of each part.

The row counts are taken in the very snapshot pg_dump saves (an exported snapshot), so a restore can
check that it brought back exactly what was saved. The files are packed after that snapshot: every
file a saved row refers to was complete before the row was committed, and no file is ever deleted.

`manage.py backup` and `manage.py restore` are thin commands over `backup_create` and `backup_restore`.
This module talks to PostgreSQL with its own psycopg connections and the PostgreSQL client tools, never
through the ORM, and knows no app of the project.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import psycopg
from django.conf import settings
from django.db import connections
from django.utils import timezone
from psycopg import sql

FORMAT = 1
PREFIX = "legalaid-backup-"
NAME_RE = re.compile(rf"^{PREFIX}\d{{8}}-\d{{6}}(?:-(\d+))?$")
DATABASE_PART = "database.dump"
FILES_PART = "files.tar.gz"
MANIFEST = "manifest.json"

# libpq settings Django may carry in OPTIONS, handed on to psycopg and to the client tools.
_LIBPQ_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                  "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT"}
_SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells the administrator why."""


@dataclass(frozen=True)
class DbParams:
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] = field(default_factory=dict)

    def connect(self, *, dbname: str | None = None, autocommit: bool = False) -> psycopg.Connection:
        kwargs = {"dbname": dbname or self.name, "user": self.user, "password": self.password,
                  "host": self.host, "port": self.port, **self.options}
        try:
            return psycopg.connect(**{k: v for k, v in kwargs.items() if v}, autocommit=autocommit)
        except psycopg.OperationalError as exc:
            raise BackupError(f"cannot connect to database {dbname or self.name!r}: {exc}".strip())

    def tool_args(self) -> list[str]:
        args = [f"--host={self.host}"] if self.host else []
        args += [f"--port={self.port}"] if self.port else []
        args += [f"--username={self.user}"] if self.user else []
        return [*args, "--no-password", f"--dbname={self.name}"]

    def tool_env(self) -> dict[str, str]:
        # The password goes through the environment, never the command line (`ps` shows that).
        env = {**os.environ, **{_LIBPQ_OPTIONS[k]: v for k, v in self.options.items()}}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def db_params(*, dbname: str | None = None) -> DbParams:
    """The configured database's connection, or another database on the same server (`dbname`)."""
    conf = connections["default"].settings_dict
    options = {k: str(v) for k, v in (conf.get("OPTIONS") or {}).items() if k in _LIBPQ_OPTIONS}
    return DbParams(name=dbname or conf["NAME"], user=conf.get("USER") or "", password=conf.get("PASSWORD") or "",
                    host=conf.get("HOST") or "", port=str(conf.get("PORT") or ""), options=options)


def backup_dir_default() -> Path:
    configured = getattr(settings, "BACKUP_DIR", None) or os.environ.get("BACKUP_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "backups"


def pg_tool(name: str, *, at_least: int) -> str:
    """A pg_dump or pg_restore at least as new as the server (and the dump): older ones refuse to work.

    Debian installs one per major version under /usr/lib/postgresql/N/bin; the embedded server of
    `make run` (the pgserver wheel) brings its own.
    """
    candidates = [shutil.which(name)]
    versioned = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += [f"{d}/{name}" for d in sorted(versioned, key=_dir_version, reverse=True)]
    spec = importlib.util.find_spec("pgserver")
    if spec and spec.origin:
        candidates.append(str(Path(spec.origin).parent / "pginstall" / "bin" / name))
    found = []
    for candidate in filter(None, candidates):
        if not os.access(candidate, os.X_OK):
            continue
        major = _tool_major(candidate)
        found.append(f"{candidate} ({major})")
        if major >= at_least:
            return candidate
    seen = "; found " + ", ".join(found) if found else ""
    raise BackupError(f"no {name} of PostgreSQL {at_least} or newer on PATH or in /usr/lib/postgresql/*/bin"
                      f"{seen}. Install postgresql-client-{at_least}.")


def _dir_version(path: str) -> float:
    try:
        return float(Path(path).parent.name)
    except ValueError:
        return 0.0


def _tool_major(path: str) -> int:
    out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def _run(args: list[str], *, env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-20:])
        raise BackupError(f"{what} failed (exit {result.returncode}):\n{detail}")


def _tables(cur: psycopg.Cursor) -> list[tuple[str, str]]:
    cur.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname <> ALL(%s) "
                "AND schemaname NOT LIKE 'pg\\_%%' ORDER BY 1, 2", [list(_SYSTEM_SCHEMAS)])
    return list(cur.fetchall())


def _table_key(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def row_counts(cur: psycopg.Cursor) -> dict[str, int]:
    """The exact row count of every table (count(*), not the planner's estimate)."""
    counts = {}
    for schema, table in _tables(cur):
        cur.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[_table_key(schema, table)] = cur.fetchone()[0]
    return counts


def _applied_migrations(cur: psycopg.Cursor) -> set[tuple[str, str]]:
    cur.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
    if not cur.fetchone()[0]:
        return set()
    cur.execute("SELECT app, name FROM django_migrations")
    return set(cur.fetchall())


def _latest_migrations(cur: psycopg.Cursor) -> dict[str, str]:
    """The latest applied migration of each app (migration names start with their number)."""
    latest: dict[str, str] = {}
    for app, name in sorted(_applied_migrations(cur)):
        latest[app] = name
    return latest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _app_version() -> dict[str, str | None]:
    try:
        version = importlib.metadata.version("legalaid")
    except importlib.metadata.PackageNotFoundError:
        version = None
    commit = None
    base = Path(settings.BASE_DIR)
    if (base / ".git").exists() and shutil.which("git"):
        result = subprocess.run(["git", "-C", str(base), "rev-parse", "HEAD"], capture_output=True, text=True)
        if result.returncode == 0:
            commit = result.stdout.strip() or None
    return {"name": "legalaid", "version": version, "git_commit": commit}


def _pack_files(root: Path, dest: Path) -> tuple[int, int]:
    """Every regular file under root, with paths relative to it; returns (files, bytes)."""
    count = size = 0
    with tarfile.open(dest, "w:gz") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                    count += 1
                    size += path.stat().st_size
    return count, size


def _new_name(output: Path) -> str:
    base = PREFIX + timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name, n = base, 1
    while (output / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def backup_create(*, output: Path | None = None, keep: int | None = None, stdout: TextIO | None = None) -> Path:
    """Write one complete backup folder into output (BACKUP_DIR by default) and return its path.

    The folder appears under its final name only once every part and the manifest are written.
    """
    output = Path(output or backup_dir_default()).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if output == media_root or media_root in output.parents:
        raise BackupError(f"the backup folder {output} is inside the private files folder {media_root}; "
                          f"choose another BACKUP_DIR")
    if keep is not None and keep < 1:
        raise BackupError("--keep must be at least 1")
    output.mkdir(parents=True, exist_ok=True)
    name = _new_name(output)
    tmp = output / f".{name}.tmp"
    # Backups hold people's ID numbers and case files: readable by their owner only.
    tmp.mkdir(mode=0o700)
    try:
        manifest = _write_parts(tmp, name=name, media_root=media_root)
        manifest_path = tmp / MANIFEST
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for part in (DATABASE_PART, FILES_PART, MANIFEST):
            os.chmod(tmp / part, 0o600)
            _fsync(tmp / part)
        final = output / name
        os.rename(tmp, final)
        _fsync(output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if stdout:
        tables = manifest["database"]["tables"]
        stdout.write(f"backup {final}: {len(tables)} tables, {sum(tables.values())} rows, "
                     f"{manifest['files']['count']} files\n")
        if not tables:
            stdout.write(f"warning: database {manifest['database']['name']!r} has no tables; "
                         f"is DATABASE_URL the live database?\n")
    if keep:
        for old in backup_prune(output=output, keep=keep):
            if stdout:
                stdout.write(f"removed old backup {old}\n")
    return final


def _write_parts(tmp: Path, *, name: str, media_root: Path) -> dict[str, Any]:
    params = db_params()
    dump = tmp / DATABASE_PART
    with params.connect() as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        server_version = conn.info.server_version
        pg_dump = pg_tool("pg_dump", at_least=server_version // 10000)
        with conn.cursor() as cur:
            # The first statement fixes this transaction's snapshot; pg_dump imports the same one,
            # so the counts below describe exactly the rows in the dump.
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            counts = row_counts(cur)
            migrations = _latest_migrations(cur)
            # The snapshot lives only as long as this transaction: pg_dump runs inside it.
            _run([pg_dump, "--format=custom", f"--file={dump}", f"--snapshot={snapshot}", *params.tool_args()],
                 env=params.tool_env(), what="pg_dump")
        conn.rollback()
    file_count, file_bytes = _pack_files(media_root, tmp / FILES_PART)
    return {
        "format": FORMAT,
        "name": name,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "app": _app_version(),
        "postgresql": {"server": server_version, "pg_dump": _tool_major(pg_dump)},
        "database": {"name": params.name, "tables": counts},
        "migrations": migrations,
        "files": {"root": str(media_root), "count": file_count, "bytes": file_bytes},
        "parts": {part: {"sha256": _sha256(tmp / part), "bytes": (tmp / part).stat().st_size}
                  for part in (DATABASE_PART, FILES_PART)},
    }


def backups_in(output: Path) -> list[Path]:
    """Complete backups in a folder, oldest first (names sort by time)."""
    if not output.is_dir():
        return []
    found = [p for p in output.iterdir() if NAME_RE.match(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=lambda p: (p.name[:len(PREFIX) + 15], int(NAME_RE.match(p.name).group(1) or "-1")))


def backup_prune(*, output: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in output; returns the deleted ones."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    old = backups_in(Path(output))[:-keep]
    for path in old:
        shutil.rmtree(path)
    return old


def backup_verify(path: Path) -> dict[str, Any]:
    """The manifest of an intact backup; BackupError names the first part that is missing or damaged."""
    manifest_path = Path(path) / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} is not a backup: it has no {MANIFEST}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        parts = manifest["parts"]
        manifest["database"]["tables"]
        manifest["files"]["count"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"the manifest of {path} is damaged ({exc!r}); this backup cannot be restored")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}; use the matching version")
    for part in (DATABASE_PART, FILES_PART):
        part_path = Path(path) / part
        expected = (parts.get(part) or {}).get("sha256")
        if not part_path.is_file():
            raise BackupError(f"backup damaged: {part} is missing from {path}")
        actual = _sha256(part_path)
        if actual != expected:
            raise BackupError(f"backup damaged: the SHA-256 of {part} is {actual}, the manifest says {expected}; "
                              f"do not use this backup, restore an older one")
    return manifest


def _check_archive(archive: Path, root: Path) -> int:
    """Refuse an archive that would write outside root (`../`, absolute paths, links, devices).

    Checked member by member before anything is changed; returns the number of files.
    """
    count = 0
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            try:
                tarfile.data_filter(member, str(root))
            except tarfile.FilterError as exc:
                raise BackupError(f"backup refused: {FILES_PART} holds an unsafe member {member.name!r} ({exc})")
            count += member.isfile()
    return count


@dataclass
class RestoreResult:
    database: str
    tables: int = 0
    rows: int = 0
    files: int = 0
    mismatches: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    extra_tables: list[str] = field(default_factory=list)
    unapplied_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def resolve_backup(value: str | Path) -> Path:
    """A backup given by path, or by name inside BACKUP_DIR."""
    path = Path(value)
    if not path.exists() and not path.is_absolute() and (backup_dir_default() / path).exists():
        path = backup_dir_default() / path
    return path


def backup_restore(*, path: Path, dbname: str | None = None, force: bool = False) -> RestoreResult:
    """Bring the database and the private files back to the state of the backup at path.

    Everything that can be checked is checked before anything changes: the checksums, the archive's
    paths, an empty target. The database is restored in one transaction, so a failure leaves it as it was.
    """
    path = Path(path)
    manifest = backup_verify(path)
    media_root = Path(settings.MEDIA_ROOT).resolve()
    file_count = _check_archive(path / FILES_PART, media_root)
    params = db_params(dbname=dbname)

    with params.connect(autocommit=True) as conn, conn.cursor() as cur:
        server_major = conn.info.server_version // 10000
        existing = row_counts(cur)
    if existing and not force:
        raise BackupError(f"database {params.name!r} is not empty ({len(existing)} tables, "
                          f"{sum(existing.values())} rows); restore into a new empty database, "
                          f"or give --force to replace its contents")
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(f"the private files folder {media_root} is not empty; "
                          f"empty it, or give --force to write the backup's files over it")

    dump_major = int((manifest.get("postgresql") or {}).get("pg_dump") or 0)
    pg_restore = pg_tool("pg_restore", at_least=max(server_major, dump_major))
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
          "--exit-on-error", *params.tool_args(), str(path / DATABASE_PART)],
         env=params.tool_env(), what="pg_restore")

    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path / FILES_PART, "r:gz") as tar:
        tar.extractall(media_root, filter="data")

    result = RestoreResult(database=params.name, files=file_count)
    expected: dict[str, int] = manifest["database"]["tables"]
    with params.connect(autocommit=True) as conn, conn.cursor() as cur:
        restored = row_counts(cur)
        applied = _applied_migrations(cur)
    for table, count in sorted(expected.items()):
        if restored.get(table) != count:
            result.mismatches.append((table, count, restored.get(table)))
    result.extra_tables = sorted(set(restored) - set(expected))
    if file_count != manifest["files"]["count"]:
        result.mismatches.append(("(files)", manifest["files"]["count"], file_count))
    result.tables = len(expected)
    result.rows = sum(restored.get(t, 0) for t in expected)
    on_disk = _migrations_on_disk()
    result.unapplied_migrations = sorted(f"{a}.{n}" for a, n in on_disk - applied)
    apps_on_disk = {a for a, _ in on_disk}
    result.unknown_migrations = sorted(f"{a}.{n}" for a, n in applied - on_disk if a in apps_on_disk)
    return result


def _migrations_on_disk() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
