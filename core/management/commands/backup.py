"""`manage.py backup`: the database and the private files, with a manifest, in one folder (core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create, backup_dir_default


class Command(BaseCommand):
    help = ("Write a consistent backup of the database (pg_dump) and the private files with a manifest "
            "into BACKUP_DIR (default: backups/ beside manage.py).")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help=f"folder for backups (default {backup_dir_default()})")
        parser.add_argument("--keep", type=int, metavar="N",
                            help="afterwards delete all but the newest N backups in that folder")

    def handle(self, *args, **options):
        try:
            path = backup_create(output=options["output"], keep=options["keep"], stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(f"backup written: {path}"))
