"""`seed_demo --scale N`: about N/3 persons, the vulnerable-persons registry and ten years of eligibility
policies (core/scale.py).

Who comes to a county center: migrant workers claiming wages or compensation (one in eight persons but a
third of the cases, most of them men from rural households), older people claiming support, children (support claims, and minors
notified for a defence), and working-age people of the county. Declared groups: 低保/特困 5 %, 军人军属 1 %,
少数民族 2 %; a disability type 4 %. Monthly household income per person is mostly well under twice the
rural 低保 standard, so most pass the economic check and a few do not. Each person is registered on a day of
the ten years (a child not before 12), and the intake generator only uses a person from that day on.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection

from core.choices import GROUP, REGISTRY_CATEGORY
from core.copy import copy_rows, loading, reserve_ids
from core.scale import Choice, Progress, Timeline, person_name, phone, pick, user_ids
from stations.models import Station

from .groups import groups_at
from .idcard import _CHECK as CHECK
from .idcard import _WEIGHTS as WEIGHTS
from .models import EligibilityItem, EligibilityPolicy, Person, VulnerableEntry

# Fictional county codes of the province, none of them used by the ordinary demo (341122/4/5).
REGIONS = [f"3411{c}" for c in range(31, 49)]
PROFILE = Choice([("migrant", 13), ("child", 12), ("elderly", 17), ("adult", 58)])
MIGRANT_JOBS = ["建筑工人", "装修工", "工厂工人", "保洁员", "餐饮服务员", "快递员", "货车司机", "保安"]
OLD_JOBS = ["务农", "退休", "无业"]
JOBS = ["务农", "个体经营", "无业", "企业职工", "退休", "家政服务", "灵活就业"]
MINORITIES = ["回族", "苗族", "彝族", "土家族", "壮族", "满族", "蒙古族", "侗族"]
DISABILITY = Choice([("physical", 45), ("visual", 12), ("hearing", 12), ("speech", 4), ("intellectual", 12),
                     ("mental", 10), ("multiple", 5)])
REGISTRY_SOURCES = {"dibao": "县民政局", "tekun": "县民政局", "disabled": "县残疾人联合会", "youfu": "县退役军人事务局",
                    "other": "县总工会"}
GROUP_ORDER = GROUP.codes
BIT = {code: 1 << n for n, code in enumerate(GROUP_ORDER)}
# Every set of groups as the list groups_at gives (in the vocabulary's order), by its bits.
GROUP_LISTS = [tuple(code for code in GROUP_ORDER if mask & BIT[code]) for mask in range(1 << len(GROUP_ORDER))]
HOUSEHOLD = Choice([(1, 14), (2, 22), (3, 26), (4, 22), (5, 11), (6, 5)])
# 低保 standards of the newest shipped policy, going back about 4 % a year.
YEARLY_RISE = Decimal("1.04")


def seed_scale(*, cases: int, rng, stdout) -> None:
    t = Timeline()
    progress = Progress(stdout, "applicants")
    progress.done("eligibility policies", _policies(t))
    users = user_ids()
    towns = list(Station.objects.values_list("pk", "township", "code"))
    staff = {"station-a": users.get("staff_a"), "station-b": users.get("staff_b")}
    township_names = [town for _pk, town, _c in towns if town] or ["城关镇"]
    n = max(10, cases // 3)
    ids = reserve_ids(Person, n)
    used: dict[tuple[str, int, str], int] = {}
    registry = []
    born_text: dict[int, tuple[date, str, int]] = {}
    region_sum = {region: sum(int(d) * w for d, w in zip(region, WEIGHTS[:6], strict=True)) for region in REGIONS}
    r = rng.random

    def id_number(born: int, sex: str) -> str:
        """A valid resident ID number, unique, for a birth date (ordinal) and sex."""
        day, ymd, day_sum = born_text.get(born) or born_text.setdefault(born, _birth_digits(born))
        while True:
            region = REGIONS[int(r() * len(REGIONS))]
            key = (region, born, sex)
            k = used.get(key, 0)
            if k < 499:
                used[key] = k + 1
                seq = 2 * k + (1 if sex == "M" else 2)
                total = region_sum[region] + day_sum + (seq // 100) * 6 + (seq // 10 % 10) * 3 + (seq % 10) * 7
                return f"{region}{ymd}{seq:03d}{CHECK[total % 11]}"

    def persons():
        first_year, last_year = t.start.year, t.end.year
        ordinal = date.toordinal
        clerk = users.get("clerk")
        for pk in ids:
            profile = PROFILE(rng)
            groups = []
            if profile == "migrant":
                sex = "M" if r() < 0.75 else "F"
                years = (first_year - 58, last_year - 19)
                groups.append("migrant_worker")
                hukou, job = "rural", pick(rng, MIGRANT_JOBS)
            elif profile == "child":
                sex = "M" if r() < 0.6 else "F"
                years = (first_year - 17, last_year - 12)
                hukou, job = "rural" if r() < 0.65 else "urban", "学生"
            elif profile == "elderly":
                sex = "F" if r() < 0.55 else "M"
                years = (first_year - 85, last_year - 62)
                hukou, job = "rural" if r() < 0.7 else "urban", pick(rng, OLD_JOBS)
            else:
                sex = "F" if r() < 0.5 else "M"
                years = (first_year - 55, last_year - 20)
                hukou, job = "rural" if r() < 0.6 else "urban", pick(rng, JOBS)
            low, high = ordinal(date(years[0], 1, 1)), ordinal(date(years[1], 12, 31))
            born = low + int(r() * (high - low))
            adult = profile != "child"
            if adult and r() < 0.05:
                groups.append("low_income")
            if adult and r() < 0.012:
                groups.append("military")
            ethnicity = "汉族"
            if r() < 0.02:
                ethnicity = pick(rng, MINORITIES)
                groups.append("ethnic_minority")
            disability = DISABILITY(rng) if r() < 0.04 else ""
            # Registered on a day of the ten years; a child not before the age of 12.
            earliest = 0 if adult else max(0, born + 4383 - start_ordinal)
            created = earliest + int(r() * (t.span - earliest)) if earliest < t.today else t.today
            size = HOUSEHOLD(rng)
            income = round(1220 * min(3.0, rng.lognormvariate(-0.8, 0.35)) * size, -2)
            number = id_number(born, sex)
            name = person_name(rng)
            if "low_income" in groups or (adult and r() < 0.015):
                registry.append((name, number, "tekun" if r() < 0.3 else "dibao", created))
            if disability and r() < 0.7:
                registry.append((name, number, "disabled", created))
            if "military" in groups and r() < 0.5:
                registry.append((name, number, "youfu", created))
            station = pick(rng, towns) if r() < 0.25 else None
            town = station[1] if station and station[1] else pick(rng, township_names)
            yield (pk, name, sex, ethnicity, "resident", number, born_text[born][0], phone(rng),
                   f"{town}{1 + int(r() * 80)}号", hukou, town, job, "{" + ",".join(groups) + "}", disability,
                   size, f"{income:.2f}", "", station[0] if station else None,
                   t.stamp(created, 480 + int(r() * 540)), staff.get(station[2]) if station else clerk)

    start_ordinal = t.start.toordinal()
    with loading(Person):
        count = copy_rows(Person, ["id", "name", "sex", "ethnicity", "id_type", "id_number", "birth_date", "phone",
                                   "address", "hukou", "township", "occupation", "declared_groups",
                                   "disability_type", "household_size", "household_income", "assets_note",
                                   "station_id", "created_at", "created_by_id"], persons())
    progress.done("persons", count)

    def entries():
        for name, number, category, created in registry:
            listed = rng.randrange(0, created + 1)
            until = None if rng.random() < 0.5 else t.date(min(t.today + 540, listed + rng.randint(365, 1460)))
            yield (name, number, category, REGISTRY_SOURCES[category], until, "",
                   t.stamp(listed, rng.randint(9 * 60, 17 * 60)))
        # People on the lists who never came to the center.
        for _k in range(len(registry) // 2):
            born = date(rng.randint(1935, 2005), rng.randint(1, 12), rng.randint(1, 28)).toordinal()
            category = rng.choice(["dibao", "tekun", "disabled", "youfu", "other"])
            listed = rng.randrange(t.span)
            yield (person_name(rng), id_number(born, rng.choice("MF")), category, REGISTRY_SOURCES[category],
                   None if rng.random() < 0.5 else t.date(min(t.today + 540, listed + rng.randint(365, 1460))), "",
                   t.stamp(listed, rng.randint(9 * 60, 17 * 60)))

    with loading(VulnerableEntry):
        count = copy_rows(VulnerableEntry, ["name", "id_number", "category", "source", "valid_until",
                                            "import_fingerprint", "created_at"], entries())
    progress.done("registry entries", count)


def _birth_digits(born: int) -> tuple[date, str, int]:
    day = date.fromordinal(born)
    ymd = f"{day.year:04d}{day.month:02d}{day.day:02d}"
    return day, ymd, sum(int(d) * w for d, w in zip(ymd, WEIGHTS[6:14], strict=True))


def _policies(t: Timeline) -> int:
    """An eligibility policy for every year of the ten (the shipped ones cover only the last two): the
    earliest shipped policy's lists, with 低保 standards about 4 % lower for each year back."""
    model = EligibilityPolicy.objects.prefetch_related("items").order_by("year").first()
    if model is None:
        return 0
    made = 0
    for year in range(t.start.year, model.year):
        if EligibilityPolicy.objects.filter(year=year).exists():
            continue
        factor = YEARLY_RISE ** (model.year - year)
        policy = EligibilityPolicy.objects.create(
            year=year, urban_base=(model.urban_base / factor).quantize(Decimal("1")),
            rural_base=(model.rural_base / factor).quantize(Decimal("1")), multiplier=model.multiplier,
            basis=model.basis, asset_test=model.asset_test, asset_limit=model.asset_limit)
        EligibilityItem.objects.bulk_create([
            EligibilityItem(policy=policy, kind=i.kind, code=i.code, name=i.name, causes=i.causes, active=i.active,
                            sort=i.sort) for i in model.items.all()])
        made += 1
    return made


class PersonTable:
    """The persons and the registry as generators above read them back: rows of (id, sex, birth_date,
    declared_groups, disability_type, hukou, household_size, household_income, id_number, name, phone,
    day registered as a Timeline offset), ordered by the day registered; `groups` and `registry_label` as
    applicants.groups and applicants.selectors give them, without a query per person."""

    def __init__(self, t: Timeline):
        self.t = t
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, sex, birth_date, declared_groups, disability_type, hukou, household_size, "
                f"household_income, id_number, name, phone, "
                f"((created_at AT TIME ZONE 'Asia/Shanghai')::date - %s) FROM {quote(Person._meta.db_table)} "
                f"ORDER BY 12, id", [t.start])
            self.rows = cursor.fetchall()
            cursor.execute(f"SELECT id_number, category, source, valid_until FROM "
                           f"{quote(VulnerableEntry._meta.db_table)}")
            self.registry: dict[str, list] = {}
            for number, category, source, until in cursor.fetchall():
                self.registry.setdefault(number, []).append((category, source, until))
        self.static = [sum(BIT[g] for g in set(row[3]) | ({"disabled"} if row[4] else set())) for row in self.rows]

    def index_of(self) -> dict[int, int]:
        return {row[0]: i for i, row in enumerate(self.rows)}

    def groups(self, i: int, day: date) -> list[str]:
        """groups_at(person, day) of the person in row i."""
        row = self.rows[i]
        entries = self.registry.get(row[8])
        if entries:
            person = SimpleNamespace(declared_groups=row[3], disability_type=row[4], birth_date=row[2],
                                     sex=row[1], id_number=row[8])
            return groups_at(person, day, registry={(c, until) for c, _s, until in entries})
        # No registry entry: what groups_at gives (declared groups, a disability, the groups of age and sex),
        # as bits, without building a person.
        mask = self.static[i]
        born = row[2]
        minor = False
        if born is not None:
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
            if age < 18:
                mask |= BIT["minor"]
                minor = True
            elif age >= 60:
                mask |= BIT["elderly"]
        if row[1] == "F" and not minor:
            mask |= BIT["women"]
        return GROUP_LISTS[mask]

    def registry_label(self, i: int, day: date) -> str:
        """registry_label(registry_match(id_number, day)): the entry valid on `day`, open-ended first."""
        valid = [(until or date.max, c, s) for c, s, until in self.registry.get(self.rows[i][8], ())
                 if until is None or until >= day]
        if not valid:
            return ""
        _until, category, source = max(valid)
        word = REGISTRY_CATEGORY.zh.get(category, category)
        return f"{word}（{source}）" if source else word
