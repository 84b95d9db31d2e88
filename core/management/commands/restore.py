"""`manage.py restore <backup>`: a backup made by `manage.py backup` back into this installation."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore, backup_verify, resolve_backup


class Command(BaseCommand):
    help = ("Restore a backup folder made by `manage.py backup` into the configured database and private "
            "files folder, after checking its checksums; then compare every table's row count with it.")

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup folder (a path, or a name inside BACKUP_DIR)")
        parser.add_argument("--force", action="store_true",
                            help="replace the contents of a database or files folder that is not empty")
        parser.add_argument("--dbname", help="restore into this database on the configured server instead")
        parser.add_argument("--check", action="store_true",
                            help="only verify the backup's checksums; change nothing")

    def handle(self, *args, **options):
        path = resolve_backup(options["backup"])
        try:
            if options["check"]:
                manifest = backup_verify(path)
                self.stdout.write(self.style.SUCCESS(f"{path}: intact (made {manifest['created_at']})"))
                return
            result = backup_restore(path=path, dbname=options["dbname"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc))

        self.stdout.write(f"restored {path} into database {result.database!r}: "
                          f"{result.tables} tables, {result.rows} rows, {result.files} files")
        for table in result.extra_tables:
            self.stdout.write(self.style.WARNING(f"table {table} is not in the backup; it was left as it was"))
        if result.unapplied_migrations:
            self.stdout.write(self.style.WARNING(
                f"this code has {len(result.unapplied_migrations)} migrations the backup lacks: "
                f"run `manage.py migrate` before starting the site"))
        if result.unknown_migrations:
            self.stdout.write(self.style.WARNING(
                f"the backup was made by a newer version ({', '.join(result.unknown_migrations[:5])} …): "
                f"install that version before starting the site"))
        if not result.ok:
            for table, expected, actual in result.mismatches:
                self.stderr.write(f"  {table}: backup {expected}, restored {actual}")
            raise CommandError(f"{len(result.mismatches)} counts differ from the backup's manifest")
        self.stdout.write(self.style.SUCCESS("every table's row count and the file count match the backup"))
