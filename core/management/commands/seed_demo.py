"""Create the demo organisation and each app's sample records. Safe to run again."""

import random

from django.core.management.base import BaseCommand

from core.demo_base import DEMO_PASSWORD, seed_organisation
from core.registry import modules


class Command(BaseCommand):
    help = "Create demo stations, one account per role (password legalaid-demo) and sample records."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025, help="random seed for sample records")

    def handle(self, *args, **options):
        seed_organisation(stdout=self.stdout)
        rng = random.Random(options["seed"])
        for module in modules("demo"):
            module.seed(rng=rng, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"demo ready; every demo account's password is {DEMO_PASSWORD}"))
