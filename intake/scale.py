"""`seed_demo --scale N`: ten years of the service window for N cases (core/scale.py).

Every one of the N cases comes from here: a criminal notice (通知辩护, the case accepted the day it is
received) or an application granted on its decision day; cases/scale.py opens the case of each. Around
them: refused applications (matters outside Art. 31, income above the line), withdrawn ones, the open ones
of the last two weeks (some past their review date), supplementation notices, objections, the materials
of every application, about N consultations (a third of the applications began with one), and duty-lawyer
help and document drafting.

Assumed, from the published county work summaries: criminal cases grow from a quarter to over 40 % of the
caseload (full defence coverage, 2017 on), 85 % of them notified; administrative cases 1.5 %; civil
causes led by wages (a quarter), marriage and family, traffic accidents, support and work injury. Each
application is decided with the eligibility check of its decision day (applicants/eligibility.py), so
refusals follow from the rules, and the reasons are stored as the service stores them.
"""

from __future__ import annotations

import bisect
import json

from django.db import connection

from applicants import eligibility
from applicants.groups import age_on
from applicants.scale import PersonTable
from core.copy import copy_rows, loading, reserve_ids, run_sql
from core.models import CenterProfile
from core.numbering import DOCUMENT_WORDS
from core.scale import Choice, Progress, Timeline, between, bump_sequences, person_name, phone, pick, user_ids
from stations.models import ContactPoint, DutyShift, Handler, Station

from .models import (
    Application,
    ApplicationMaterial,
    Consultation,
    CriminalNotice,
    Matter,
    Objection,
    SupplementNotice,
)
from .services import AGENT_MATERIAL, DEFAULT_MATERIALS

CIVIL_CAUSE = Choice([("labour_pay", 26), ("work_injury", 7), ("traffic", 13), ("medical", 1.5), ("food_drug", 0.3),
                      ("support", 9), ("marriage_family", 16), ("social_insurance", 3), ("environment", 0.2),
                      ("state_compensation", 0.3),
                      # outside the Art. 31 list: refused (the clerk explains, the applicant insists)
                      ("contract_debt", 1.0), ("other_injury", 0.8), ("land", 0.4), ("housing", 0.3),
                      ("other", 0.3)])
ADMIN_CAUSE = Choice([("social_insurance", 45), ("work_injury", 25), ("state_compensation", 15),
                      ("administrative", 10)])
CRIMINAL_CAUSE = Choice([("theft", 30), ("assault", 20), ("affray", 10), ("robbery", 5), ("other_criminal", 35)])
GROUND = Choice([("other", 77), ("minor", 15), ("life_or_death", 3), ("blind_deaf_mute", 2), ("mental", 2),
                 ("compulsory_medical", 0.6), ("death_review", 0.3), ("absentia", 0.1)])
NOTICE_STAGE = Choice([("trial", 59), ("prosecution", 28), ("investigation", 13)])
STAGE_ORGAN = {"investigation": "police", "prosecution": "procuratorate", "trial": "court", "death_review": "court"}
ORGAN_WORD = {"police": "公安局", "procuratorate": "人民检察院", "court": "人民法院"}
CIVIL_STAGE = Choice([("first_instance", 78), ("second_instance", 7), ("mediation", 7), ("enforcement", 3),
                      ("non_litigation", 4), ("retrial", 1)])
LABOUR_STAGE = Choice([("arbitration", 45), ("first_instance", 38), ("mediation", 10), ("enforcement", 4),
                       ("second_instance", 3)])
ADMIN_STAGE = Choice([("first_instance", 80), ("second_instance", 10), ("non_litigation", 10)])
CRIMINAL_APP_STAGE = Choice([("trial", 60), ("prosecution", 30), ("investigation", 10)])
CHANNEL = Choice([("visit", 42), ("phone", 25), ("hotline", 15), ("letter", 2), ("online", 10), ("event", 6)])
OUTCOME = Choice([("answered", 78), ("referred", 11), ("other_channels", 11)])
TOPIC = Choice([("labour_pay", 22), ("work_injury", 6), ("marriage_family", 15), ("support", 7), ("traffic", 8),
                ("contract_debt", 10), ("land", 6), ("housing", 5), ("social_insurance", 4), ("medical", 2),
                ("criminal", 6), ("administrative", 2), ("other_injury", 2), ("other", 5)])
AMOUNT_MEDIAN = {"labour_pay": 20000, "work_injury": 120000, "traffic": 90000, "medical": 150000, "food_drug": 20000,
                 "support": 30000, "marriage_family": 50000, "social_insurance": 30000, "environment": 60000,
                 "state_compensation": 80000, "contract_debt": 40000, "other_injury": 30000, "land": 30000,
                 "housing": 80000, "other": 20000, "administrative": 50000}
FACTS = {
    "labour_pay": ("在建筑工地务工，被拖欠工资", "劳务有限公司"), "work_injury": ("工作时受伤，单位不申报工伤", "厂"),
    "traffic": ("骑电动车被货车撞伤，要求赔偿", "货运司机及其保险公司"), "medical": ("手术后出现并发症，要求医疗损害赔偿", "人民医院"),
    "food_drug": ("食用过期食品中毒住院", "超市"), "support": ("年老多病，子女不履行赡养义务", "被申请人子女"),
    "marriage_family": ("婚姻家庭纠纷，要求离婚并分割财产", "配偶"), "social_insurance": ("单位未依法缴纳社会保险", "物业服务公司"),
    "environment": ("养殖场被附近企业排污污染", "化工有限公司"), "state_compensation": ("被错误羁押，请求国家赔偿", "公安局"),
    "contract_debt": ("借款到期未还", "个体经营户"), "other_injury": ("邻里纠纷中被打伤", "邻居"),
    "land": ("土地承包经营权被调整", "村民委员会"), "housing": ("租房押金不退", "房东"), "other": ("遗产继承纠纷", "亲属"),
    "administrative": ("不服征收补偿决定", "县人民政府"), "theft": ("涉嫌盗窃", ""), "assault": ("涉嫌故意伤害", ""),
    "affray": ("涉嫌寻衅滋事", ""), "robbery": ("涉嫌抢劫", ""), "other_criminal": ("涉嫌犯罪", ""),
}
TOPIC_TEXT = {
    "labour_pay": ("在工地务工被拖欠工资，老板一直推脱", "告知可向劳动监察投诉或申请劳动仲裁，符合条件可申请法律援助"),
    "work_injury": ("上班时受伤，单位不给申报工伤", "告知工伤认定申请时限及所需材料"),
    "marriage_family": ("想离婚，咨询孩子抚养权和财产分割", "解答离婚诉讼程序及子女抚养的一般原则"),
    "support": ("子女不支付赡养费", "告知可先行调解，调解不成可起诉，可申请法律援助"),
    "traffic": ("交通事故对方保险公司赔偿太低", "解释交通事故赔偿项目及计算标准"),
    "contract_debt": ("借钱给亲戚不还，只有微信聊天记录", "告知民间借贷证据要求及诉讼时效"),
    "land": ("村里土地承包经营权调整有纠纷", "告知可向乡镇农村土地承包仲裁委员会申请调解仲裁"),
    "housing": ("租房押金房东不退", "解答租赁合同押金返还的相关规定"),
    "social_insurance": ("单位没有缴纳养老保险", "告知可向社保部门投诉，并可申请劳动仲裁"),
    "medical": ("手术后出现并发症，怀疑医疗过错", "告知医疗损害鉴定和医疗纠纷调解途径"),
    "criminal": ("家属被刑事拘留，咨询能否请律师", "告知可申请法律援助及通知辩护的条件"),
    "administrative": ("对征收补偿决定不服", "告知行政复议和行政诉讼的期限"),
    "other_injury": ("被邻居打伤，对方不赔医药费", "告知可报警处理并可提起民事诉讼"),
    "other": ("咨询遗嘱怎么写才有效", "解答遗嘱形式要件"),
}
# The groups the eligibility check reads (applicants/eligibility.py); the others are left out of its facts so
# that equal facts, and their verdict, repeat more often.
CHECKED_GROUPS = {"migrant_worker", "minor", "elderly", "disabled", "low_income"}
REFUSAL_SCOPE = "申请事项不属于法律援助法第三十一条及本省规定的法律援助事项范围，决定不予法律援助。"
REFUSAL_INCOME = "经审查，申请人经济状况不符合法律援助经济困难标准，决定不予法律援助。"
WITHDRAW_NOTE = "申请人与对方达成和解，撤回申请"
ADVANCE_REASON = "仲裁时效即将届满，先行指派后补充审查"


class People(PersonTable):
    """The persons applicants/scale.py wrote, in pools by kind, sex and birth year, each pool ordered by the
    day the person was registered: a person is used only from that day on, most often soon after it."""

    def __init__(self, t: Timeline, rng):
        super().__init__(t)
        self.rng = rng
        self.pools: dict[tuple, tuple[list[int], list[int]]] = {}
        self.everyone: tuple[list[int], list[int]] = ([], [])
        for i, row in enumerate(self.rows):
            created, disability = row[11], row[4]
            kinds = (("migrant", row[1], row[2].year),) if "migrant_worker" in row[3] else ()
            for key in kinds + (("any", row[1], row[2].year),) + (
                    (("sense",),) if disability in ("visual", "hearing", "speech") else ()) + (
                    (("mental",),) if disability in ("mental", "intellectual") else ()):
                pool = self.pools.setdefault(key, ([], []))
                pool[0].append(created)
                pool[1].append(i)
            self.everyone[0].append(created)
            self.everyone[1].append(i)

    def _from(self, pool, day: int) -> int | None:
        k = bisect.bisect_right(pool[0], day)
        if not k:
            return None
        return pool[1][k - 1 - int(k * self.rng.random() ** 3)]

    def pick(self, day: int, *, kind: str = "any", sex: str | None = None, ages: tuple[int, int] = (20, 59)) -> int:
        """Index of a person registered by `day` of the kind, sex and age range (at that day), or failing
        that of anyone."""
        r = self.rng.random
        year = self.t.years[day]
        low, high = ages
        # An age strictly inside the range: born in year - age or the year before, the person's age at `day`
        # is within it, whatever the birthday.
        inner_low, inner_high = (low + 1, high - 1) if high - low >= 2 else (low, high)
        pools = self.pools
        for _attempt in range(8):
            age = inner_low + int(r() * (inner_high - inner_low + 1))
            pool = pools.get((kind, sex or ("M" if r() < 0.5 else "F"), year - age - (r() < 0.5)))
            if pool:
                found = self._from(pool, day)
                if found is not None and (inner_low > low or low <= age_on(self.rows[found][2], self.t.dates[day])
                                          <= high):
                    return found
        return self._from(self.everyone, day) or 0

    def special(self, day: int, which: str) -> int | None:
        """A person with a disability of the kind (sense: sight, hearing, speech; mental), 14 or older."""
        pool = self.pools.get((which,))
        for _attempt in range(8 if pool else 0):
            found = self._from(pool, day)
            if found is not None and age_on(self.rows[found][2], self.t.dates[day]) >= 14:
                return found
        return None


def seed_scale(*, cases: int, rng, stdout) -> None:
    Window(cases, rng, stdout).run()


class Window:
    def __init__(self, cases: int, rng, stdout):
        self.n, self.rng = cases, rng
        self.t = t = Timeline()
        self.progress = Progress(stdout, "intake")
        self.people = People(t, rng)
        self.progress.done("(persons read)", len(self.people.rows))
        self.users = user_ids()
        self.profile = CenterProfile.get()
        self.stations = list(Station.objects.values_list("pk", "code", "opened_on", "closed_on", "name"))
        self.organ_stations = list(Station.objects.filter(host_partner__in=["detention", "court", "procuratorate"])
                                   .values_list("pk", flat=True))
        self.counties = sorted({name[:name.index("县") + 1] for *_x, name in self.stations if "县" in name}) or ["示范县"]
        # Everything read from the database is read now: later reads would wait for the rows being written.
        self.points: dict[int, list[int]] = {}
        for pk, station in ContactPoint.objects.values_list("pk", "station_id"):
            self.points.setdefault(station, []).append(pk)
        self.shifts = list(DutyShift.objects.filter(date__lte=t.end, place_kind__in=["court", "procuratorate",
                                                                                    "detention"])
                           .values_list("date", "place", "handler_id", "station_id"))
        self.handler_names = dict(Handler.objects.values_list("pk", "name"))
        self.drafters = list(Handler.objects.filter(active=True, kind__in=["practising_lawyer", "aid_lawyer",
                                                                           "grassroots_worker"])
                             .values_list("pk", flat=True))
        self.specs: dict[int, eligibility.PolicySpec | None] = {
            year: eligibility.spec_for_year(year) for year in range(t.start.year, t.end.year + 1)}
        self.verdicts: dict = {}
        self.amounts: dict[str, list[str]] = {}
        self.numbers: dict[tuple[str, int], int] = {}

    # --- helpers ---------------------------------------------------------------------------------------
    def station_on(self, day: int, share: float) -> int | None:
        if self.rng.random() >= share:
            return None
        d = self.t.dates[day]
        for _attempt in range(4):
            pk, _code, opened, closed, _name = pick(self.rng, self.stations)
            if (opened is None or opened <= d) and (closed is None or closed > d):
                return pk
        return None

    def number(self, kind: str, year: int) -> str:
        key = (kind, year)
        seq = self.numbers[key] = self.numbers.get(key, 0) + 1
        return self.profile.document_number_pattern.format(year=year, abbr=self.profile.abbr,
                                                           word=DOCUMENT_WORDS[kind], seq=seq)

    def verdict(self, facts: tuple, year: int) -> eligibility.Result:
        key = (facts, year)
        found = self.verdicts.get(key)
        if found is None:
            category, cause, hukou, income, size, own_income, groups, registry, no_fixed, dv, role = facts
            found = self.verdicts[key] = eligibility.evaluate(policy=self.specs[year], facts=eligibility.Facts(
                category=category, cause=cause, hukou=hukou, household_income=income, household_size=size,
                individual_income=own_income, groups=frozenset(groups), registry=registry, no_fixed_income=no_fixed,
                domestic_violence=dv, criminal_role=role))
            found.json = json.dumps(found.reasons, ensure_ascii=False)  # stored as the service stores them
        return found

    def amount(self, cause: str) -> str | None:
        """The amount in dispute, drawn from a table per cause (lognormal around the cause's median)."""
        if cause in ("marriage_family", "other") and self.rng.random() < 0.4:
            return None
        table = self.amounts.get(cause)
        if table is None:
            median = AMOUNT_MEDIAN.get(cause)
            if median is None:
                return None
            table = self.amounts[cause] = [f"{round(min(5_000_000, self.rng.lognormvariate(0, 0.8) * median), -2):.2f}"
                                           for _k in range(2048)]
        return pick(self.rng, table)

    # --- the run ---------------------------------------------------------------------------------------
    def run(self) -> None:
        t, rng = self.t, self.rng
        cum = t.day_weights(growth=0.07, rest_day=0.03)
        days = t.sample_days(rng, self.n, cum)
        self.daily_rate = self.n / t.span
        notices, applications = [], []
        for day in days:
            share = 0.25 + 0.20 * day / t.span
            r = rng.random()
            if r < share:
                if rng.random() < 0.78 + 0.10 * day / t.span:
                    notices.append(day)
                else:
                    applications.append((day, "criminal"))
            elif r < share + 0.015:
                applications.append((day, "administrative"))
            else:
                applications.append((day, "civil"))
        self.write_notices(notices)
        apps = self.decided_applications(applications)
        apps += self.withdrawn_applications(int(len(applications) * 0.025))
        apps += self.open_applications()
        self.write_applications(apps)
        self.write_consultations(apps)
        self.write_matters()
        bump_sequences({(f"doc:{kind}", year): last for (kind, year), last in self.numbers.items()})

    # --- criminal notices ------------------------------------------------------------------------------
    def write_notices(self, days: list[int]) -> None:
        t, rng, people = self.t, self.rng, self.people
        organ_numbers: dict[tuple[str, int], int] = {}
        clerk = self.users.get("clerk")
        detention = self.organ_stations

        def rows():
            for day in days:
                ground = GROUND(rng)
                stage = "death_review" if ground == "death_review" else NOTICE_STAGE(rng)
                if ground == "life_or_death" and stage == "investigation":
                    stage = "trial"
                organ = STAGE_ORGAN[stage]
                cause = CRIMINAL_CAUSE(rng) if ground not in ("life_or_death", "death_review") else pick(
                    rng, ["robbery", "other_criminal", "assault"])
                person = None
                if ground == "minor":
                    person = people.pick(day, sex="M" if rng.random() < 0.9 else "F", ages=(14, 17))
                elif ground == "blind_deaf_mute":
                    person = people.special(day, "sense")
                elif ground in ("mental", "compulsory_medical"):
                    person = people.special(day, "mental")
                if person is None:
                    person = people.pick(day, sex="M" if rng.random() < 0.88 else "F", ages=(18, 65))
                county = pick(rng, self.counties)
                organ_name = ("市中级" + ORGAN_WORD[organ]) if stage == "death_review" or (
                    ground == "life_or_death" and organ == "court") else county + ORGAN_WORD[organ]
                year = t.years[day]
                key = (organ, year)
                seq = organ_numbers[key] = organ_numbers.get(key, 0) + 1
                word = {"police": "公", "procuratorate": "检", "court": "法"}[organ]
                station = pick(rng, detention) if detention and rng.random() < 0.03 else None
                yield (organ, organ_name, f"（{year}）{county[:1]}{word}援通字第{seq}号", t.iso[day],
                       people.rows[person][0], ground, stage, cause, station, "",
                       t.stamp(day, 510 + int(rng.random() * 480)), clerk)

        with loading(CriminalNotice):
            count = copy_rows(CriminalNotice, ["organ", "organ_name", "notice_number", "received_on", "person_id",
                                               "ground", "stage", "cause", "station_id", "note", "created_at",
                                               "created_by_id"], rows())
        self.progress.done("criminal notices", count)

    # --- applications ------------------------------------------------------------------------------------
    def candidate(self, day: int, category: str) -> dict:
        """An application that may be decided on `day`: its matter, applicant and the facts of the check."""
        rng, people, t = self.rng, self.people, self.t
        r = rng.random
        stage, role, agent, no_fixed, dv, own_income = "", "", "", False, False, None
        if category == "criminal":
            cause, stage = CRIMINAL_CAUSE(rng), CRIMINAL_APP_STAGE(rng)
            role = "defendant" if r() < 0.65 else "victim"
            person = people.pick(day, sex="M" if role == "defendant" and r() < 0.85 else None, ages=(18, 70))
        else:
            cause = CIVIL_CAUSE(rng) if category == "civil" else ADMIN_CAUSE(rng)
            if cause in ("labour_pay", "work_injury"):
                person = people.pick(day, kind="migrant" if r() < 0.85 else "any", ages=(19, 58))
                stage = LABOUR_STAGE(rng) if category == "civil" and cause == "labour_pay" else ""
            elif cause == "support":
                if r() < 0.6:
                    person, no_fixed = people.pick(day, ages=(62, 90)), r() < 0.5
                else:
                    person, agent = people.pick(day, ages=(3, 16)), person_name(rng)
                own_income = f"{int(r() * 10) * 100:.2f}"
            elif cause == "marriage_family":
                person = people.pick(day, sex="F" if r() < 0.72 else "M", ages=(22, 60))
                dv = r() < 0.25
                if dv:
                    own_income = f"{int(r() * 15) * 100:.2f}"
            else:
                person = people.pick(day, ages=(20, 75) if r() < 0.85 else (60, 85))
            if not stage:
                stage = CIVIL_STAGE(rng) if category == "civil" else ADMIN_STAGE(rng)
        row = people.rows[person]
        groups = people.groups(person, t.dates[day])
        if "minor" in groups and not agent:
            agent = person_name(rng)
        mass = cause == "labour_pay" and "migrant_worker" in groups and r() < 0.08
        # The facts of the eligibility check, as a key first: the check runs once per distinct key.
        facts = (category, cause, row[5], row[7], row[6], own_income,
                 tuple([g for g in groups if g in CHECKED_GROUPS]), people.registry_label(person, t.dates[day]),
                 no_fixed, dv, role)
        return {
            "day": day, "category": category, "cause": cause, "stage": stage, "role": role, "person": person,
            "agent": agent, "no_fixed": no_fixed, "dv": dv, "own_income": own_income, "groups": groups,
            "mass": mass, "recipients": between(rng, 3, 40) if mass else 1,
            "green": cause in ("labour_pay", "work_injury") and "migrant_worker" in groups and category == "civil"
            and r() < 0.7,
            "facts": facts,
        }

    def decided_applications(self, slots: list[tuple[int, str]]) -> list[dict]:
        """One granted application per slot, decided on the slot's day; applications the check refuses
        on the way are kept as refusals."""
        t, rng = self.t, self.rng
        r = rng.random
        apps = []
        for day, category in slots:
            year = t.years[day]
            while True:
                app = self.candidate(day, category)
                verdict = self.verdict(app["facts"], year)
                app["verdict"] = verdict
                if verdict.result != eligibility.NOT_ELIGIBLE:
                    break
                app["status"] = "refused"
                self.dates(app, day)
                apps.append(app)
            app["status"] = "granted"
            app["advance"] = category == "civil" and not app["green"] and r() < 0.01
            self.dates(app, day)
            apps.append(app)
        return apps

    def dates(self, app: dict, decided: int) -> None:
        """Receipt, supplementation and review days of an application decided on `decided`."""
        t, rng = self.t, self.rng
        r = rng.random
        app["decided"], app["notice"] = decided, None
        if app.get("advance") or (app["green"] and r() < 0.8):
            received = decided  # advance aid and the green channel: decided the day they arrive
        elif r() < 0.07:
            # one supplementation notice; the review clock stops until the materials arrive
            fulfilled = decided - between(rng, 1, 5)
            issued = fulfilled - between(rng, 3, 12)
            received = issued - between(rng, 1, 3)
            if received >= 0:
                app["notice"] = (issued, t.due("supplement", issued), fulfilled)
            else:
                received = max(0, decided - between(rng, 1, 6))
        else:
            received = max(0, decided - (between(rng, 8, 14) if r() < 0.03 else between(rng, 1, 6)))
        paused = app["notice"][2] - app["notice"][0] if app["notice"] else 0
        app["received"] = received
        app["review_due"] = t.due("application_review", received + paused)

    def withdrawn_applications(self, k: int) -> list[dict]:
        t, rng = self.t, self.rng
        apps = []
        cum = t.day_weights(growth=0.07, rest_day=0.03, last=t.today - 60)
        for day in t.sample_days(rng, k, cum):
            app = self.candidate(day, "civil")
            app.update(status="withdrawn", received=day, decided=None, verdict=None, notice=None,
                       review_due=t.due("application_review", day))
            if rng.random() < 0.3:  # a supplementation notice never answered: deemed withdrawn
                issued = day + between(rng, 1, 3)
                due = t.due("supplement", issued)
                app["notice"] = (issued, due, None)
                app["withdrawn"], app["deemed"] = due + 1, True
            else:
                app["withdrawn"], app["deemed"] = day + between(rng, 1, 20), False
            apps.append(app)
        return apps

    def open_applications(self) -> list[dict]:
        """Applications of the last two weeks not yet decided: received, under review, waiting for
        materials, a station's preliminary intake; some of them past their review date."""
        t, rng = self.t, self.rng
        apps = []
        per_day = self.daily_rate * 0.9
        station_users = {code: self.users.get(u) for code, u in (("station-a", "staff_a"), ("station-b", "staff_b"))}
        drafts = [(pk, station_users[code]) for pk, code, *_x in self.stations if code in station_users]
        for day in range(t.today - 14, t.today + 1):
            if not t.working[day]:
                continue
            age = t.today - day
            k = int(per_day * (0.15 if age > 8 else 0.6 if age > 3 else 1.0) + rng.random())
            for _i in range(k):
                app = self.candidate(day, "civil" if rng.random() < 0.9 else "criminal")
                app.update(received=day, decided=None, verdict=None, notice=None,
                           review_due=t.due("application_review", day))
                if age <= 2:
                    app["status"] = "received"
                elif rng.random() < 0.2 and age >= 2:
                    app["status"] = "incomplete"
                    issued = day + 1
                    app["notice"] = (issued, t.due("supplement", issued), None)
                else:
                    app["status"] = "under_review"
                    app["verdict"] = self.verdict(app["facts"], t.years[t.today])
                apps.append(app)
        for pk, user in drafts:
            for back in (0, 1):
                app = self.candidate(t.today - back, "civil")
                app.update(status="draft", received=t.today - back, decided=None, verdict=None, notice=None,
                           review_due=None, station=pk, by=user)
                apps.append(app)
        return apps

    def write_applications(self, apps: list[dict]) -> None:
        t, rng, people, users = self.t, self.rng, self.people, self.users
        r = rng.random
        apps.sort(key=lambda a: (a["received"], a["decided"] or 0))
        ids = reserve_ids(Application, len(apps))
        clerk, reviewer = users.get("clerk"), users.get("reviewer")
        for pk, app in zip(ids, apps, strict=True):
            app["id"] = pk
            if "station" not in app:
                app["station"] = self.station_on(app["received"], 0.3)
            if app["status"] != "draft":
                app["number"] = self.number("receipt", t.years[app["received"]])
        # decision numbers in the order of the decisions
        for app in sorted((a for a in apps if a["status"] in ("granted", "refused")), key=lambda a: (a["decided"],
                                                                                                   a["id"])):
            kind = "grant" if app["status"] == "granted" else "refusal"
            app["decision_number"] = self.number(kind, t.years[app["decided"]])
        notices = sorted((a for a in apps if a["notice"]), key=lambda a: (a["notice"][0], a["id"]))
        for app in notices:
            app["notice_number"] = self.number("supplement", t.years[app["notice"][0]])

        def rows():
            for app in apps:
                status, day, cause = app["status"], app["received"], app["cause"]
                verdict = app["verdict"]
                facts, opposing = FACTS[cause]
                decided = app["decided"]
                advance = app.get("advance", False)
                review_on = None
                if advance and decided is not None:
                    review_on = decided + between(rng, 3, 15)
                    review_on = review_on if review_on <= t.today else None
                if status == "refused":
                    reasons = REFUSAL_SCOPE if verdict.reasons and "不属于" in verdict.reasons[-1] else REFUSAL_INCOME
                else:
                    reasons = ""
                person = people.rows[app["person"]]
                yield (app["id"], app.get("number", ""), status, person[0], app["agent"], app["station"], t.iso[day],
                       app["category"], cause, app["stage"], facts, opposing if app["category"] != "criminal" else "",
                       self.amount(cause) if app["category"] != "criminal" else None, app["recipients"], app["mass"],
                       app["green"], advance, ADVANCE_REASON if advance else "", app["role"], "", "",
                       app["no_fixed"], app["dv"], app["own_income"], verdict.result if verdict else "",
                       verdict.json if verdict else "[]",
                       t.iso[app["review_due"]] if app["review_due"] is not None else None,
                       t.iso[app["notice"][1]] if status == "incomplete" else None,  # the open notice's date
                       None, status != "draft",
                       t.iso[decided] if decided is not None else None,
                       t.iso[decided] if decided is not None else None,
                       reviewer if decided is not None else None, app.get("decision_number", ""), reasons,
                       t.iso[review_on] if review_on is not None else None,
                       True if review_on is not None else None,
                       t.iso[app["withdrawn"]] if status == "withdrawn" else None, app.get("deemed", False), "",
                       t.stamp(day, 510 + int(r() * 480)), app.get("by", clerk))

        with loading(Application):
            count = copy_rows(Application, [
                "id", "number", "status", "applicant_id", "agent_name", "station_id", "received_on", "category",
                "cause", "stage", "facts", "opposing_party", "amount_involved", "recipient_count", "is_mass",
                "green_channel", "advance_aid", "advance_aid_reason", "criminal_role", "no_hardship_ground",
                "exemption_ground", "no_fixed_income", "domestic_violence", "individual_income",
                "eligibility_result", "eligibility_reasons", "review_due", "materials_due", "forwarded_at",
                "reached_center", "decided_on", "first_decided_on", "decided_by_id", "decision_number",
                "decision_reasons",
                "advance_review_on", "advance_review_confirmed", "withdrawn_on", "deemed_withdrawn",
                "import_fingerprint", "created_at", "created_by_id"], rows())
        self.progress.done("applications", count)

        def materials():
            for app in apps:
                names = DEFAULT_MATERIALS[app["category"]] + ([AGENT_MATERIAL] if app["agent"] else [])
                day, status = app["received"], app["status"]
                notice = app["notice"]
                missing = set()
                if notice is not None or status in ("received", "draft") and r() < 0.3:
                    missing = {names[-1]} if r() < 0.7 else {names[2], names[-1]}
                app["missing"] = [n for n in names if n in missing]
                for name in names:
                    if name not in missing:
                        yield (app["id"], name, True, True, t.iso[day], "")
                    elif notice is not None and notice[2] is not None:
                        yield (app["id"], name, True, True, t.iso[notice[2]], "")
                    else:
                        yield (app["id"], name, True, False, None, "")

        with loading(ApplicationMaterial):
            count = copy_rows(ApplicationMaterial, ["application_id", "name", "required", "received", "received_on",
                                                    "note"], materials())
        self.progress.done("application materials", count)

        def supplement_rows():
            for app in notices:
                issued, due, fulfilled = app["notice"]
                yield (app["id"], app["notice_number"], t.iso[issued], t.iso[due],
                       json.dumps(app["missing"], ensure_ascii=False),
                       t.iso[fulfilled] if fulfilled is not None else None, clerk, "")

        with loading(SupplementNotice):
            count = copy_rows(SupplementNotice, ["application_id", "number", "issued_on", "due_on", "items",
                                                 "fulfilled_on", "issued_by_id", "reason"], supplement_rows())
        self.progress.done("supplementation notices", count)

        def objections():
            for app in apps:
                if app["status"] != "refused" or r() >= 0.08:
                    continue
                filed = app["decided"] + between(rng, 1, 10)
                if filed > t.today:
                    continue
                decided = filed + between(rng, 1, 5)
                due = t.iso[t.due("objection_decide", filed)]
                if decided > t.today:
                    yield (app["id"], t.iso[filed], "认为本人经济困难，应当给予法律援助", due, "pending", None, "", None)
                else:
                    yield (app["id"], t.iso[filed], "认为本人经济困难，应当给予法律援助", due, "upheld", t.iso[decided],
                           "经审查，维持不予法律援助决定。", reviewer)

        with loading(Objection):
            count = copy_rows(Objection, ["application_id", "filed_on", "grounds", "due_on", "outcome", "decided_on",
                                          "note", "decided_by_id"], objections())
        self.progress.done("objections", count)

    # --- consultations -------------------------------------------------------------------------------
    def write_consultations(self, apps: list[dict]) -> None:
        t, rng, people, users = self.t, self.rng, self.people, self.users
        r = rng.random
        center_staff = [users.get(u) for u in ("clerk", "clerk", "clerk", "reviewer", "director")]
        staff = {pk: users.get("staff_a" if code == "station-a" else "staff_b") for pk, code, *_x in self.stations
                 if code in ("station-a", "station-b")}
        points = self.points
        led = [a for a in apps if a["status"] != "draft" and r() < 0.33]
        others = max(0, self.n - len(led))
        cum = t.day_weights(growth=0.06, rest_day=0.12)
        days = t.sample_days(rng, others, cum)

        def row(day, minute, channel, station, person, name, sex, groups, topic, outcome, count, application):
            summary, answer = TOPIC_TEXT.get(topic, TOPIC_TEXT["other"])
            point = pick(rng, points[station]) if station in points and r() < 0.1 else None
            handler = staff.get(station) if station else pick(rng, center_staff)
            stamp = t.stamp(day, minute)
            return (stamp, channel, station, point, handler, person, name, sex, phone(rng) if r() < 0.7 else "",
                    "{" + ",".join(groups) + "}", topic, summary, answer, outcome, count, application, "", stamp,
                    handler)

        def rows():
            for app in led:
                day = max(0, app["received"] - (0 if r() < 0.6 else between(rng, 1, 10)))
                person = people.rows[app["person"]]
                topic = app["cause"] if app["category"] != "criminal" else "criminal"
                yield row(day, 510 + int(r() * 450), "visit", app["station"], person[0], person[9], person[1],
                          [g for g in app["groups"] if g != "women"], topic if topic in TOPIC_TEXT else "other",
                          "application", 1, app["id"])
            for day in days:
                channel = CHANNEL(rng)
                minute = 480 + int(r() * (780 if channel == "hotline" else 570))
                station = None if channel in ("hotline", "online", "letter") else self.station_on(day, 0.45)
                count = between(rng, 2, 10) if channel == "event" else (2 if r() < 0.05 else 1)
                person, name, sex, groups = None, "", "", []
                if r() < 0.12:
                    i = people.pick(day, ages=(18, 80))
                    prow = people.rows[i]
                    person, name, sex = prow[0], prow[9], prow[1]
                    groups = [g for g in prow[3] if g != "ethnic_minority"]
                elif channel not in ("letter",) and r() < 0.8:
                    name, sex = person_name(rng), "M" if r() < 0.5 else "F"
                    if r() < 0.25:
                        groups = ["migrant_worker"]
                yield row(day, minute, channel, station, person, name, sex, groups, TOPIC(rng), OUTCOME(rng), count,
                          None)

        with loading(Consultation):
            count = copy_rows(Consultation, [
                "occurred_at", "channel", "station_id", "contact_point_id", "handled_by_id", "person_id",
                "person_name", "person_sex", "person_phone", "person_groups", "topic", "summary", "answer", "outcome",
                "person_count", "application_id", "import_fingerprint", "created_at", "created_by_id"], rows())
        self.progress.done("consultations", count)

    # --- duty-lawyer help and drafting ---------------------------------------------------------------
    def write_matters(self) -> None:
        t, rng, people, users = self.t, self.rng, self.people, self.users
        r = rng.random
        shifts, names, lawyers = self.shifts, self.handler_names, self.drafters
        station_names = {pk: name for pk, _c, _o, _cl, name in self.stations}
        clerk = users.get("clerk")
        duty = int(self.n * 0.4)
        drafting = int(self.n * 0.08)
        cum = t.day_weights(growth=0.05, rest_day=0.02)
        draft_days = t.sample_days(rng, drafting, cum)

        def rows():
            if shifts:
                for _k in range(duty):
                    day, place, handler, station = pick(rng, shifts)
                    off = t.offset(day)
                    plea = r() < 0.78
                    person, name = None, person_name(rng)
                    if r() < 0.05:
                        prow = people.rows[people.pick(off, sex="M", ages=(18, 60))]
                        person, name = prow[0], prow[9]
                    yield ("duty_lawyer", t.iso[off], place, handler, names.get(handler, ""), person, name, plea,
                           1 if r() < 0.92 else between(rng, 2, 4), station,
                           "认罪认罚具结书签署时在场" if plea else "为犯罪嫌疑人提供法律咨询", "",
                           t.stamp(off, 540 + int(r() * 420)), clerk)
            for off in draft_days:
                handler = pick(rng, lawyers) if lawyers and r() < 0.7 else None
                station = self.station_on(off, 0.35)
                person, name = None, person_name(rng)
                if r() < 0.3:
                    prow = people.rows[people.pick(off, ages=(20, 80))]
                    person, name = prow[0], prow[9]
                yield ("drafting", t.iso[off], station_names[station] if station else "县法律援助中心", handler,
                       names.get(handler, "") if handler else "", person, name, False, 1 if r() < 0.9 else 2,
                       station, pick(rng, ["代写民事起诉状", "代写劳动仲裁申请书", "代写答辩状", "代写离婚协议"]), "",
                       t.stamp(off, 540 + int(r() * 420)), clerk)

        with loading(Matter):
            count = copy_rows(Matter, ["kind", "date", "place", "handler_id", "lawyer_name", "person_id", "person_name",
                                       "plea", "person_count", "station_id", "note", "import_fingerprint",
                                       "created_at", "created_by_id"], rows())
        self.progress.done("matters", count)


# --- offered to cases' generator through core.registry (cases sit below intake and do not import it) --------

def case_origins(start) -> tuple[list[tuple], list[tuple]]:
    """The granted applications and the notices, with their day numbers counted from `start`, that cases'
    generator opens cases from."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, decided_on - %s, category, cause, stage, station_id, applicant_id, recipient_count, "
            f"is_mass, opposing_party, amount_involved::text, green_channel, advance_aid, criminal_role "
            f"FROM {quote(Application._meta.db_table)} WHERE status = 'granted'", [start])
        applications = cursor.fetchall()
        cursor.execute(
            f"SELECT id, received_on - %s, stage, cause, station_id, person_id, organ, ground "
            f"FROM {quote(CriminalNotice._meta.db_table)}", [start])
        notices = cursor.fetchall()
    return applications, notices


def link_cases(source: str, pairs: list[tuple[int, int]]) -> None:
    """Link each application (or notice) to the case opened from it: (its id, the case's id) pairs."""
    model = Application if source == "application" else CriminalNotice
    table = connection.ops.quote_name(model._meta.db_table)
    for i in range(0, len(pairs), 100_000):
        chunk = pairs[i:i + 100_000]
        run_sql(f"UPDATE {table} AS t SET case_id = v.case_id "
                f"FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, case_id) WHERE t.id = v.id",
                [[origin for origin, _case in chunk], [case for _origin, case in chunk]])

