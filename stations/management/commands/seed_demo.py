"""Create the demo organisation and each app's sample records. Safe to run again.

With `--scale N` it generates a whole county or province instead of the sample records: N cases over ten
years with everything around them, written with COPY by each app's `scale.py` (core/scale.py).

The production image leaves the demo and scale modules out (.dockerignore); there the command stays and
says so instead of failing with an ImportError (tests/core/test_image_contents.py)."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core import copy
from core.models import DocumentSequence
from core.registry import modules

NOT_IN_IMAGE = ("Demo data is not included in the production image (演示数据不包含在生产镜像中): load it on a "
                "development machine from a checkout, with `make run` or `python manage.py seed_demo`.")


def demo_base():
    """stations/demo_base.py, or a CommandError where the image left it out."""
    try:
        import stations.demo_base as base
    except ModuleNotFoundError as exc:
        if exc.name != "stations.demo_base":
            raise
        raise CommandError(NOT_IN_IMAGE) from None
    return base


class Command(BaseCommand):
    help = "Create demo stations, one account per role (password legalaid-demo) and sample records."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025, help="random seed for sample records")
        parser.add_argument("--scale", type=int, metavar="N",
                            help="instead of the sample records, generate N cases over ten years with their "
                                 "applications, consultations, persons, money and publicity (needs a database "
                                 "without cases)")

    def handle(self, *args, **options):
        base = demo_base()
        rng = random.Random(options["seed"])
        if options["scale"] is not None:
            self.scale(options["scale"], rng, base)
            return
        base.seed_organisation(stdout=self.stdout)
        for module in modules("demo"):
            module.seed(rng=rng, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"demo ready; every demo account's password is {base.DEMO_PASSWORD}"))

    def scale(self, cases: int, rng: random.Random, base) -> None:
        if cases < 1:
            raise CommandError("--scale needs a number of cases of at least 1")
        # Generated numbers start at 1 in every year; a database that numbered cases already would collide.
        if DocumentSequence.objects.filter(scope__startswith="case:", last__gt=0).exists():
            raise CommandError("--scale generates into a freshly migrated database; this one already has cases")
        began = time.perf_counter()
        base.seed_organisation(stdout=self.stdout)
        timings = []
        with transaction.atomic(), copy.background():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO off")
                cursor.execute("SET LOCAL maintenance_work_mem TO '1GB'")  # index builds sort in memory
            copy.analyzed().clear()
            for module in modules("scale"):
                app = module.__name__.rpartition(".")[0]
                self.stdout.write(f"{app}:")
                start = time.perf_counter()
                module.seed_scale(cases=cases, rng=rng, stdout=self.stdout)
                timings.append((app, time.perf_counter() - start))
            # Rows are written in a second thread (core/copy.py), and indexes rebuilt, while the next app
            # generates; here the rest is done.
            start = time.perf_counter()
            copy.wait()
            timings.append(("(indexes)", time.perf_counter() - start))
            # The tables loaded with COPY were analyzed once their indexes were back; the others now.
            start = time.perf_counter()
            rest = sorted(set(connection.introspection.table_names()) - copy.analyzed())
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in rest))
            timings.append(("ANALYZE", time.perf_counter() - start))
        for app, seconds in timings:
            self.stdout.write(f"{app:<12} {seconds:8.1f} s")
        self.stdout.write(self.style.SUCCESS(
            f"{cases:,} cases generated in {time.perf_counter() - began:.1f} s; every demo account's password is "
            f"{base.DEMO_PASSWORD}"))
