"""`python manage.py import_ledger FILE.xlsx [--station NAME_OR_CODE] [--dry-run]` (LEDGER.md)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from ledger.importing import LimitReached, Stations, import_ledger


class Command(BaseCommand):
    help = "Import an Excel ledger (LEDGER.md): all rows or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx ledger")
        parser.add_argument("--station", default=None, help="station name or code for rows without 工作站")
        parser.add_argument("--dry-run", action="store_true", help="validate and count, import nothing")

    def handle(self, *args, file, station=None, dry_run=False, **options):
        if not os.path.isfile(file):
            raise CommandError(f"{file}: 文件不存在")
        default_station = None
        if station:
            default_station = Stations().get(station.strip())
            if default_station is None:
                raise CommandError(f"--station: 未知的工作站「{station}」")
        try:
            result = import_ledger(file, user=None, station=default_station, filename=os.path.basename(file),
                                   dry_run=dry_run)
        except LimitReached as exc:
            for error in exc.errors:  # the errors found before the limit: "correct the errors listed"
                self.stderr.write(error)
            raise CommandError(f"{exc}，未导入任何数据") from None
        for warning in result.warnings:
            self.stderr.write(f"警告 {warning}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} 处错误，未导入任何数据")
        for line in result.lines():
            self.stdout.write(line)
        total = sum(c["created"] for c in result.counts.values())
        if dry_run:
            self.stdout.write(f"试运行：可导入 {total} 条记录，未写入数据库")
        else:
            self.stdout.write(self.style.SUCCESS(f"导入完成：新增 {total} 条记录"))
