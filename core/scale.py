"""`manage.py seed_demo --scale N`: what every app's generator (`<app>/scale.py`) shares.

Each app's `seed_scale(*, cases, rng, stdout)` writes its own tables with COPY (core/copy.py), reading what
the apps below it wrote from the database; the command calls them in INSTALLED_APPS order. This module is
core's part: the ten years the data covers (`Timeline`: days as integer offsets from the first day, with
working days and deadlines), names and phone numbers, and weighted sampling. core's own share of the data
is the center profile: statistics periods may not start before the founding year, so it must not lie
inside the ten years.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from django.utils import timezone

YEARS = 10
# Days after today the timeline also knows (deadlines of recent events fall after today).
MARGIN = 800

# Common surnames, weighted roughly by frequency, and given-name characters.
SURNAMES = ("王" * 9 + "李" * 9 + "张" * 8 + "刘" * 7 + "陈" * 6 + "杨" * 4 + "黄" * 3 + "赵" * 3 + "吴" * 3
            + "周" * 3 + "徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
GIVEN_ONE = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文斌辉鹏云凤琴俊峰宇浩"
GIVEN_TWO = ["秀英", "桂兰", "建国", "志强", "春梅", "德明", "海燕", "国华", "小红", "永平", "玉兰", "振华", "丽娟",
             "文军", "晓东", "红霞", "金凤", "宏伟", "淑珍", "明亮", "家豪", "子涵", "雨轩", "浩然", "建军", "长青",
             "满仓", "凤英", "俊杰", "欣怡", "梓萱", "思远", "国强", "秀兰", "春花", "建华", "立新", "海波", "晓燕",
             "文华", "志刚", "翠花", "德胜", "永红", "桂芳", "少华", "宇航", "诗涵", "一鸣", "佳琪"]
# Syllables of made-up place names (townships, villages, firms).
PLACE_FIRST = "东西南北中上下大小新老长青白黄石金银龙凤马桃李杨柳松竹梅兰清平安和永兴福寿德仁义光明红星胜利团结"
PLACE_SECOND = "山河湖塘桥湾沟坪岭坝口庄集店铺营堡寨溪洲港田园林泉峰岗"

# Month factors of the caseload: the rush of wage claims before the Spring Festival, the holiday itself.
MONTH_FACTOR = {1: 1.15, 2: 0.7, 3: 1.0, 4: 1.0, 5: 0.95, 6: 1.0, 7: 1.0, 8: 0.95, 9: 1.0, 10: 0.85, 11: 1.05,
                12: 1.15}


class Timeline:
    """Ten years ending today (Asia/Shanghai) as day offsets: 0 is the first day, `today` the last."""

    def __init__(self, today: date | None = None, years: int = YEARS):
        from .deadlines import is_working_day

        self.end = today or timezone.localdate()
        self.start = self.end.replace(year=self.end.year - years) + timedelta(days=1) \
            if not (self.end.month == 2 and self.end.day == 29) else date(self.end.year - years, 3, 1)
        self.today = (self.end - self.start).days
        self.span = self.today + 1
        self.dates = [self.start + timedelta(days=i) for i in range(self.span + MARGIN)]
        self.iso = [d.isoformat() for d in self.dates]
        self.years = [d.year for d in self.dates]
        self.working = [is_working_day(d) for d in self.dates]
        self._due: dict[str, list[int]] = {}
        self._stamps: dict[int, str] = {}
        # The rules are read now: row generators run while COPY holds the connection.
        from .deadlines import DEFAULT_RULES, rule

        self._rules = {code: (r.length, r.unit) for code, *_x in DEFAULT_RULES for r in [rule(code)]}

    # --- days ---------------------------------------------------------------------------------------
    def offset(self, day: date) -> int:
        return (day - self.start).days

    def date(self, off: int) -> date:
        return self.dates[off]

    def stamp(self, off: int, minute_of_day: int) -> str:
        """An aware timestamp as COPY text: the day at hh:mm Beijing time."""
        key = off * 1440 + minute_of_day
        text = self._stamps.get(key)
        if text is None:
            text = self._stamps[key] = f"{self.iso[off]} {minute_of_day // 60:02d}:{minute_of_day % 60:02d}:00+08"
        return text

    def next_working(self, off: int) -> int:
        while off < len(self.working) - 1 and not self.working[off]:
            off += 1
        return off

    def year_bounds(self, year: int) -> tuple[int, int]:
        """Offsets of the first and last day of `year` inside the timeline (clipped to it)."""
        first = max(0, self.offset(date(year, 1, 1)))
        last = min(self.today, self.offset(date(year, 12, 31)))
        return first, last

    # --- deadlines ----------------------------------------------------------------------------------
    def due(self, code: str, off: int) -> int:
        """Offset of the due date of deadline rule `code` counted from day `off` (core.deadlines, with
        the configured length and unit and the official holiday calendar)."""
        table = self.due_table(code)
        return table[off] if off < len(table) else table[-1] + (off - len(table) + 1)

    def due_table(self, code: str) -> list[int]:
        """due(code, off) for every day of the timeline (and months after it), as a list by offset."""
        table = self._due.get(code)
        if table is None:
            table = self._due[code] = _due_table(self.start, self.span + MARGIN - 60, *self._rules[code])
        return table

    # --- sampling -----------------------------------------------------------------------------------
    def day_weights(self, *, growth: float = 0.07, rest_day: float = 0.08, season: bool = True,
                    first: int = 0, last: int | None = None) -> list[float]:
        """Cumulative weights of the days [first, last]: a yearly growth, little on rest days, and the
        months' rhythm."""
        last = self.today if last is None else last
        total, cum = 0.0, []
        for off in range(first, last + 1):
            w = math.exp(growth * off / 365.25)
            if not self.working[off]:
                w *= rest_day
            if season:
                w *= MONTH_FACTOR[self.dates[off].month]
            total += w
            cum.append(total)
        return cum

    def sample_days(self, rng, k: int, cum: list[float], *, first: int = 0) -> list[int]:
        """k day offsets drawn with the cumulative weights `cum` (from `day_weights`), in ascending order."""
        if k <= 0:
            return []
        days = rng.choices(range(first, first + len(cum)), cum_weights=cum, k=k)
        days.sort()
        return days


@lru_cache(maxsize=32)
def _due_table(first: date, days: int, length: int, unit: str) -> list[int]:
    from .deadlines import add_period

    return [(add_period(first + timedelta(days=i), length, unit) - first).days for i in range(days)]


def cum_weights(pairs: Sequence[tuple[object, float]]) -> tuple[list, list[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


class Choice:
    """A weighted choice among codes that is cheap to call a million times."""

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.values, self.cum = cum_weights(pairs)
        self.total = self.cum[-1]

    def __call__(self, rng) -> object:
        return self.values[bisect.bisect(self.cum, rng.random() * self.total)]


def lognormal_days(rng, median: float, sigma: float, low: int, high: int) -> int:
    return max(low, min(high, int(rng.lognormvariate(math.log(median), sigma))))


def person_name(rng) -> str:
    r = rng.random
    if r() < 0.35:
        return SURNAMES[int(r() * len(SURNAMES))] + GIVEN_ONE[int(r() * len(GIVEN_ONE))]
    return SURNAMES[int(r() * len(SURNAMES))] + GIVEN_TWO[int(r() * len(GIVEN_TWO))]


def phone(rng) -> str:
    r = rng.random
    return f"1{'3578'[int(r() * 4)]}{100000000 + int(r() * 900000000)}"


def pick(rng, seq: Sequence):
    """rng.choice without its overhead (hot loops call it millions of times)."""
    return seq[int(rng.random() * len(seq))]


def between(rng, low: int, high: int) -> int:
    """rng.randint(low, high) without its overhead."""
    return low + int(rng.random() * (high - low + 1))


def place_names(rng, n: int, suffixes: Sequence[str], *, taken: set[str] | None = None) -> list[str]:
    """n different made-up place names (first syllable + second + suffix), none of them in `taken`."""
    if n <= 0:
        return []
    taken = set(taken or ())
    names = []
    combos = [a + b + s for s in suffixes for a in PLACE_FIRST for b in PLACE_SECOND]
    rng.shuffle(combos)
    for name in combos:
        if name not in taken:
            taken.add(name)
            names.append(name)
            if len(names) == n:
                return names
    extra = 2
    while len(names) < n:  # more names than syllables: number them
        for name in combos:
            numbered = f"{name[:-len(suffixes[0])]}{extra}{suffixes[0]}"
            if numbered not in taken:
                taken.add(numbered)
                names.append(numbered)
                if len(names) == n:
                    break
        extra += 1
    return names


def pg_array(values: Sequence[str]) -> str:
    """A text array literal for COPY ({a,b}); the values are plain codes."""
    return "{" + ",".join(values) + "}"


def user_ids() -> dict[str, int]:
    """The demo accounts by username (seed_organisation made them before any generator runs)."""
    from django.contrib.auth import get_user_model

    return dict(get_user_model().objects.values_list("username", "pk"))


def bump_sequences(last: dict[tuple[str, int], int]) -> None:
    """core.numbering.bump_to_at_least for many (scope, year) at once, queued behind the rows being written
    (core/copy.py): later numbers follow the generated ones."""
    from .copy import run_sql
    from .models import DocumentSequence

    if not last:
        return
    rows = sorted(last.items())
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    table = DocumentSequence._meta.db_table
    run_sql(f"INSERT INTO {table} (scope, year, last) VALUES {values} ON CONFLICT (scope, year) DO UPDATE SET "
            f"last = GREATEST({table}.last, EXCLUDED.last)",
            [value for (scope, year), seq in rows for value in (scope, year, seq)])


class Progress:
    """Writes one line per table: rows and seconds."""

    def __init__(self, stdout, app: str):
        self.stdout, self.app, self.began = stdout, app, time.perf_counter()
        self.last = self.began
        self.counts: dict[str, int] = {}

    def done(self, table: str, count: int) -> None:
        now = time.perf_counter()
        self.counts[table] = count
        self.stdout.write(f"  {self.app}: {table:<28} {count:>10,} rows {now - self.last:7.1f} s")
        self.last = now


def seed_scale(*, cases: int, rng, stdout) -> None:
    """core's share: the center must have been founded by the first day of the ten years, or the
    statistics of those years could not be asked for."""
    from .models import CenterProfile

    timeline = Timeline()
    profile = CenterProfile.get()
    if profile.founded_year > timeline.start.year:
        profile.founded_year = timeline.start.year
        profile.save(update_fields=["founded_year"])
    stdout.write(f"  core: {timeline.start} – {timeline.end} ({timeline.span} days), center founded "
                 f"{profile.founded_year}")

