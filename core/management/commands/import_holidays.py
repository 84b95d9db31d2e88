"""`manage.py import_holidays`: the years the installed chinesecalendar package knows, into the center's
holiday calendar (core.holidays). Safe to run again: rows an administrator entered, changed or deleted stay
as they are."""

from django.core.management.base import BaseCommand, CommandError

from core.holidays import holidays_import, package_version, package_years


class Command(BaseCommand):
    help = ("Import the holidays and make-up working days the installed chinesecalendar package knows into the "
            "holiday calendar, keeping every row an administrator entered, changed or deleted.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", metavar="YEAR",
                            help="only this year (repeat for several); default: every year the package knows")

    def handle(self, *args, **options):
        known = package_years()
        years = set(options["years"] or known)
        unknown = sorted(years - set(known))
        if unknown:
            raise CommandError(f"{package_version()} does not know {', '.join(map(str, unknown))} "
                               f"(it knows {known[0]}–{known[-1]}); enter that year in the admin instead.")
        counts = holidays_import(years=years)
        self.stdout.write(self.style.SUCCESS(
            f"{package_version()}, {min(years)}–{max(years)}: {counts['years']} years and {counts['created']} days "
            f"added, {counts['updated']} days updated, {counts['kept']} days kept as an administrator changed "
            f"them, {counts['skipped']} days an administrator deleted left out."))
