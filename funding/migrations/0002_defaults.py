"""Default subsidy standards and policy for the current and the previous year (DOMAIN.md §7).

Amounts per grade (合格 / 良好 / 优秀) in yuan; an empty scope covers the whole category.
An administrator adjusts them in the admin; history is kept.
"""

import datetime
from decimal import Decimal

from django.db import migrations

STANDARDS = [
    # category, scope (stage or aid form; "" = whole category), pass, good, excellent
    ("criminal", "", 1500, 1700, 1900),
    ("criminal", "investigation", 1000, 1200, 1400),
    ("criminal", "prosecution", 1000, 1200, 1400),
    ("criminal", "trial", 1500, 1700, 1900),
    ("criminal", "death_review", 2500, 2800, 3000),
    ("civil", "", 1200, 1400, 1600),
    ("civil", "first_instance", 1200, 1400, 1600),
    ("civil", "second_instance", 1000, 1200, 1400),
    ("civil", "retrial", 1000, 1200, 1400),
    ("civil", "enforcement", 800, 900, 1000),
    ("civil", "arbitration", 1000, 1100, 1200),
    ("civil", "mediation", 800, 900, 1000),
    ("civil", "non_litigation", 800, 900, 1000),
    ("administrative", "", 1200, 1400, 1600),
    ("administrative", "non_litigation", 800, 900, 1000),
]


def create_defaults(apps, schema_editor):
    SubsidyStandard = apps.get_model("funding", "SubsidyStandard")
    SubsidyPolicy = apps.get_model("funding", "SubsidyPolicy")
    this_year = datetime.date.today().year
    for year in (this_year - 1, this_year):
        for category, scope, amount_pass, good, excellent in STANDARDS:
            SubsidyStandard.objects.get_or_create(
                year=year, category=category, scope=scope,
                defaults={"amount_pass": Decimal(amount_pass), "amount_good": Decimal(good),
                          "amount_excellent": Decimal(excellent)},
            )
        SubsidyPolicy.objects.get_or_create(year=year)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
