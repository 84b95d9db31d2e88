"""Demo entries of the vulnerable-persons registry (困难群体信息库). Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from .idcard import check_digit
from .models import VulnerableEntry

ENTRIES = [
    ("刘桂兰", "dibao", "县民政局"), ("陈德明", "tekun", "县民政局"), ("赵春花", "disabled", "县残疾人联合会"),
    ("孙永平", "youfu", "县退役军人事务局"), ("周玉兰", "dibao", "城关镇人民政府"), ("吴国华", "disabled", "县残疾人联合会"),
    ("郑秀英", "dibao", "新桥镇人民政府"), ("冯建军", "other", "县总工会"), ("何金凤", "tekun", "县民政局"),
    ("马振华", "disabled", "县残疾人联合会"), ("朱淑珍", "dibao", "县民政局"), ("胡小红", "youfu", "县退役军人事务局"),
]


def registry_id(n: int, born: date) -> str:
    first17 = f"341124{born:%Y%m%d}{(n % 400) * 2 + 1:03d}"
    return first17 + check_digit(first17)


def seed(*, rng, stdout) -> None:
    if VulnerableEntry.objects.exists():
        stdout.write("applicants: already seeded")
        return
    today = timezone.localdate()
    rows = []
    for i, (name, category, source) in enumerate(ENTRIES):
        born = date(rng.randint(1945, 1995), rng.randint(1, 12), rng.randint(1, 28))
        until = today + timedelta(days=rng.randint(-60, 540))
        rows.append(VulnerableEntry(name=name, id_number=registry_id(i, born), category=category, source=source,
                                    valid_until=until))
    VulnerableEntry.objects.bulk_create(rows)
    stdout.write(f"applicants: {len(rows)} registry entries")
