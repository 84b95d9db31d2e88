"""python manage.py build_report --period PERIOD [--station NAME_OR_CODE] --output FILE.xlsx [--docx FILE.docx]

The same builder the Celery job runs, synchronously (LEDGER.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.builder import build
from reports.periods import period_from_input
from reports.services import find_station


class Command(BaseCommand):
    help = "Build the statistics workbook (and optionally the Word work-summary draft) of a period."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2025, 2025H1, 2025H2 or 2025-01-01:2025-11-30")
        parser.add_argument("--station", default=None, help="station name or code (default: the whole county)")
        parser.add_argument("--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--docx", default=None, help="also write the Word draft to this .docx file")

    def handle(self, *args, period, station, output, docx, **options):
        try:
            p = period_from_input(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        st = None
        if station:
            st = find_station(station)
            if st is None:
                raise CommandError(f"未找到工作站：{station}")
        data = build(p, st, xlsx_path=output, docx_path=docx)
        self.stdout.write(f"{data.title}: {output}" + (f", {docx}" if docx else ""))
        self.stdout.write(f"受理案件 {data.values['cases.accepted']} 件，法律咨询 {data.values['consultations.total']} 人次")
