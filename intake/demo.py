"""A year and more of the service window (DOMAIN.md §3, §5): consultations over every channel at the
center and both stations, applications in every state (granted ones open their case through
`case_open`), criminal notices and duty/drafting matters. Idempotent: skipped once consultations exist."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from applicants.idcard import check_digit
from applicants.models import Person, VulnerableEntry
from stations.models import Handler, Station

from . import services
from .models import Application, Consultation, CriminalNotice, Matter

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = ["秀英", "桂兰", "建国", "志强", "春梅", "德明", "海燕", "国华", "小红", "永平", "玉兰", "振华", "丽娟", "文军",
         "晓东", "红霞", "金凤", "宏伟", "淑珍", "明亮", "家豪", "子涵", "雨轩", "浩然", "建军", "长青", "满仓", "凤英"]

TOPICS = [  # topic, weight, summary, answer
    ("labour_pay", 22, "在工地务工被拖欠工资，老板一直推脱", "告知可向劳动监察投诉或申请劳动仲裁，符合条件可申请法律援助"),
    ("work_injury", 7, "上班时受伤，单位不给申报工伤", "告知工伤认定申请时限及所需材料"),
    ("marriage_family", 14, "想离婚，咨询孩子抚养权和财产分割", "解答离婚诉讼程序及子女抚养的一般原则"),
    ("support", 8, "子女不支付赡养费", "告知可先行调解，调解不成可起诉，可申请法律援助"),
    ("traffic", 8, "交通事故对方保险公司赔偿太低", "解释交通事故赔偿项目及计算标准"),
    ("contract_debt", 10, "借钱给亲戚不还，只有微信聊天记录", "告知民间借贷证据要求及诉讼时效"),
    ("land", 6, "村里土地承包经营权调整有纠纷", "告知可向乡镇农村土地承包仲裁委员会申请调解仲裁"),
    ("housing", 5, "租房押金房东不退", "解答租赁合同押金返还的相关规定"),
    ("social_insurance", 4, "单位没有缴纳养老保险", "告知可向社保部门投诉，并可申请劳动仲裁"),
    ("medical", 2, "手术后出现并发症，怀疑医疗过错", "告知医疗损害鉴定和医疗纠纷调解途径"),
    ("criminal", 5, "家属被刑事拘留，咨询能否请律师", "告知可申请法律援助及通知辩护的条件"),
    ("administrative", 2, "对征收补偿决定不服", "告知行政复议和行政诉讼的期限"),
    ("other", 7, "咨询遗嘱怎么写才有效", "解答遗嘱形式要件"),
]
CHANNELS = [("visit", 40), ("phone", 25), ("hotline", 15), ("letter", 3), ("online", 7), ("event", 10)]
OUTCOMES = [("answered", 72), ("application", 8), ("referred", 10), ("other_channels", 10)]

APPLY = [  # cause, stage, facts, opposing party, amount, extra groups
    ("labour_pay", "arbitration", "在建筑工地务工，被拖欠工资", "县城建筑劳务有限公司", 36000, ["migrant_worker"]),
    ("labour_pay", "first_instance", "在食品厂务工被拖欠工资及经济补偿", "某食品加工厂", 18000, ["migrant_worker"]),
    ("work_injury", "first_instance", "在砖瓦厂工作时被机器压伤右手", "新桥镇砖瓦厂", 128000, ["migrant_worker"]),
    ("traffic", "first_instance", "骑电动车被货车撞伤，要求赔偿", "货运司机及其保险公司", 86000, []),
    ("support", "first_instance", "年老多病，子女不履行赡养义务", "被申请人子女", 24000, ["elderly"]),
    ("marriage_family", "first_instance", "长期遭受家庭暴力，要求离婚", "配偶", 0, []),
    ("social_insurance", "arbitration", "单位未依法缴纳社会保险", "某物业服务公司", 22000, []),
    ("medical", "first_instance", "医疗损害赔偿", "县某医院", 150000, []),
]
NOTICES = [  # organ, organ name, ground, stage, charge
    ("court", "示范县人民法院", "minor", "trial", "theft"),
    ("court", "示范县人民法院", "blind_deaf_mute", "trial", "theft"),
    ("procuratorate", "示范县人民检察院", "minor", "prosecution", "affray"),
    ("police", "示范县公安局", "minor", "investigation", "robbery"),
    ("court", "市中级人民法院", "life_or_death", "trial", "other_criminal"),
    ("court", "示范县人民法院", "other", "trial", "assault"),
    ("procuratorate", "示范县人民检察院", "mental", "prosecution", "assault"),
]
MATTER_PLACES = {"duty_lawyer": ["示范县人民法院", "示范县人民检察院", "示范县看守所"],
                 "drafting": ["县法律援助中心", "城关镇法律援助工作站", "新桥镇法律援助工作站"]}


class People:
    def __init__(self, rng):
        self.rng, self.n = rng, 0

    def make(self, *, born: date | None = None, female: bool | None = None, station=None, by=None, **extra):
        rng = self.rng
        self.n += 1
        female = rng.random() < 0.45 if female is None else female
        born = born or date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
        seq = (self.n % 450) * 2 + (0 if female else 1)
        first17 = f"341125{born:%Y%m%d}{seq:03d}"
        number = first17 + check_digit(first17)
        existing = Person.objects.filter(id_number=number).first()
        if existing:
            return existing
        size = rng.randint(1, 5)
        p = Person(name=rng.choice(SURNAMES) + rng.choice(GIVEN), sex="F" if female else "M", birth_date=born,
                   id_number=number, phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
                   hukou=rng.choice(["rural", "rural", "urban"]), household_size=size,
                   household_income=Decimal(size * rng.randint(450, 1150)),
                   township=rng.choice(["城关镇", "新桥镇", "柳树湾乡", "东关街道"]),
                   address=rng.choice(["城关镇东关社区", "新桥镇新桥村", "城关镇西河村", "新桥镇柳树湾村"]) +
                   f"{rng.randint(1, 60)}号", station=station, created_by=by, **extra)
        p._history_user = by
        p.save()
        return p


def _aware(day: date, rng) -> datetime:
    """A time of the office day; today's never later than now (the demo is never dated in the future)."""
    moment = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 16), rng.choice([0, 10, 20, 30, 45]))))
    return min(moment, timezone.now())


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def seed(*, rng, stdout) -> None:
    if Consultation.objects.exists():
        stdout.write("intake: already seeded")
        return
    users = {u.username: u for u in User.objects.filter(
        username__in=["clerk", "reviewer", "director", "staff_a", "staff_b"])}
    if len(users) < 5:
        stdout.write("intake: organisation missing, skipped")
        return
    with transaction.atomic():
        counts = _seed(rng, users)
    stdout.write("intake: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def _seed(rng, users) -> dict:
    today = timezone.localdate()
    stations = {s.code: s for s in Station.objects.filter(code__in=["station-a", "station-b"])}
    people = People(rng)
    clerk, reviewer = users["clerk"], users["reviewer"]

    # Consultations: ~1 per working day at the center, fewer at each station, outreach desks with many people.
    rows = []
    now = timezone.now()
    for age in range(460, -1, -1):
        day = today - timedelta(days=age)
        if day.weekday() >= 5 and rng.random() < 0.85:
            continue
        for _ in range(rng.choice([0, 1, 1, 1, 2])):
            occurred = _aware(day, rng)
            if occurred >= now:  # later today: not yet
                continue
            where = _weighted(rng, [("center", 55), ("station-a", 25), ("station-b", 20)])
            channel = _weighted(rng, CHANNELS)
            topic, _w, summary, answer = rng.choices(TOPICS, weights=[t[1] for t in TOPICS])[0]
            station = stations.get(where)
            handler = {"center": clerk, "station-a": users["staff_a"], "station-b": users["staff_b"]}[where]
            female = rng.random() < 0.5
            named = channel not in ("event",) and rng.random() < 0.75
            groups = []
            if topic in ("labour_pay", "work_injury") and rng.random() < 0.7:
                groups.append("migrant_worker")
            if female:
                groups.append("women")
            if rng.random() < 0.15:
                groups.append("elderly")
            rows.append(Consultation(
                occurred_at=occurred, channel=channel, station=station, handled_by=handler,
                person_name=(rng.choice(SURNAMES) + rng.choice(GIVEN)) if named else "",
                person_sex=("F" if female else "M") if named else "",
                person_phone=f"13{rng.randint(100000000, 999999999)}" if named and rng.random() < 0.6 else "",
                person_groups=groups if named else [], topic=topic, summary=summary, answer=answer,
                outcome=_weighted(rng, OUTCOMES) if channel != "event" else "answered",
                person_count=rng.randint(20, 60) if channel == "event" else rng.choice([1] * 12 + [2, 3]),
                created_by=handler,
            ))
    bulk_create_with_history(rows, Consultation, default_user=clerk)

    # Registry members come to the window too.
    for entry in VulnerableEntry.objects.all()[:4]:
        if not Person.objects.filter(id_number=entry.id_number).exists():
            p = Person(name=entry.name, id_number=entry.id_number, hukou="rural", household_size=2,
                       created_by=clerk)
            from applicants.idcard import parse

            info = parse(entry.id_number)
            p.birth_date, p.sex = info.birth_date, info.sex
            p._history_user = clerk
            p.save()

    # Applications in every state.
    counts = {"consultations": len(rows)}
    states: dict[str, int] = {}

    def new_app(received: date, *, by=clerk, station=None, **kw):
        cause, stage, facts, opposing, amount, extra = rng.choice(APPLY)
        person = kw.pop("person", None) or people.make(
            station=station, by=by, declared_groups=[g for g in extra if g == "migrant_worker"],
            born=date(received.year - rng.randint(62, 80), 3, 3) if "elderly" in extra else None)
        consultation = Consultation(occurred_at=_aware(received, rng), channel="visit", station=station,
                                    handled_by=by, person=person, person_name=person.name,
                                    person_sex=person.sex, topic=cause, summary=facts, answer="引导申请法律援助",
                                    outcome="application", created_by=by)
        consultation._history_user = by
        consultation.save()
        app = Application(applicant=person, received_on=received, category="civil", cause=cause, stage=stage,
                          facts=facts, opposing_party=opposing, amount_involved=Decimal(amount) or None,
                          green_channel=cause in ("labour_pay", "work_injury") and rng.random() < 0.4,
                          domestic_violence="家庭暴力" in facts,
                          individual_income=Decimal(rng.randint(0, 1000)) if cause == "support" or "家庭暴力" in facts
                          else None, **kw)
        return services.application_receive(application=app, by=by, consultation=consultation)

    def complete(app):
        services.materials_update(application=app, received={m.pk for m in app.materials.all()}, by=clerk,
                                  on=app.received_on)

    for i in range(70):
        age = int(440 * (i / 70) ** 1.2) + 12
        received = today - timedelta(days=age)
        app = new_app(received)
        complete(app)
        if i % 9 == 4:  # one notice, materials supplied later
            services.materials_update(application=app, received=set(), by=clerk)
            n = services.supplement_notice_issue(application=app, by=clerk, issued_on=received + timedelta(days=1))
            complete(app)
            services.materials_supplied(application=app, by=clerk, on=n.issued_on + timedelta(days=rng.randint(2, 8)))
        services.application_submit_review(application=app, by=clerk)
        decided = min(received + timedelta(days=rng.randint(1, 6)), today)
        if i % 11 == 7:
            app.cause = "contract_debt"
            app.save(update_fields=["cause"])
            services.application_refuse(application=app, by=reviewer, decided_on=decided,
                                        reasons="申请事项为一般合同债务纠纷，不属于法律援助法第三十一条及本省规定的法律援助事项范围。")
            if i % 2:
                services.objection_file(application=app, by=clerk, filed_on=decided + timedelta(days=2),
                                        grounds="认为本人经济困难，应当给予法律援助")
            states["refused"] = states.get("refused", 0) + 1
            continue
        if services.eligibility_for(app, decided).result == "not_eligible":
            services.application_refuse(application=app, by=reviewer, decided_on=decided,
                                        reasons="经审查，申请人家庭经济状况不符合法律援助经济困难标准。")
            states["refused"] = states.get("refused", 0) + 1
            continue
        services.application_grant(application=app, by=reviewer, decided_on=decided)
        states["granted"] = states.get("granted", 0) + 1

    # Open applications near today: received (some overdue), under review, incomplete, withdrawn, deemed withdrawn.
    for k in range(5):
        new_app(today - timedelta(days=k * 2 + 1))
        states["received"] = states.get("received", 0) + 1
    for k in range(4):
        app = new_app(today - timedelta(days=k + 2))
        complete(app)
        services.application_submit_review(application=app, by=clerk)
        states["under_review"] = states.get("under_review", 0) + 1
    for k in range(3):
        app = new_app(today - timedelta(days=k + 4))
        services.supplement_notice_issue(application=app, by=clerk, issued_on=app.received_on + timedelta(days=1))
        states["incomplete"] = states.get("incomplete", 0) + 1
    for k in range(2):
        app = new_app(today - timedelta(days=60 + k * 30))
        services.supplement_notice_issue(application=app, by=clerk, issued_on=app.received_on + timedelta(days=1))
    states["deemed_withdrawn"] = services.deem_withdrawn(today=today)
    for k in range(2):
        app = new_app(today - timedelta(days=100 + k * 50))
        services.application_withdraw(application=app, by=clerk, on=app.received_on + timedelta(days=2),
                                      reason="申请人与对方达成和解，撤回申请")
        states["withdrawn"] = states.get("withdrawn", 0) + 1
    for code in ("staff_a", "staff_b"):
        user = users[code]
        app = new_app(today - timedelta(days=1), by=user, station=user.station)
        states["draft"] = states.get("draft", 0) + 1
        fwd = new_app(today - timedelta(days=3), by=user, station=user.station)
        services.application_forward(application=fwd, by=user)
    app = new_app(today - timedelta(days=1), advance_aid=True,
                  advance_aid_reason="劳动仲裁申请时效将于5日内届满，先行指派后补充审查")
    services.application_grant(application=app, by=reviewer, decided_on=today)
    counts.update({f"applications {k}": v for k, v in states.items()})

    # Criminal notices: no eligibility, case awaiting assignment.
    for i in range(26):
        organ, organ_name, ground, stage, charge = rng.choice(NOTICES)
        received = today - timedelta(days=int(430 * (i / 26)) + rng.randint(0, 5))
        born = received - timedelta(days=365 * rng.randint(15, 17)) if ground == "minor" else None
        person = people.make(born=born, female=False, by=clerk)
        services.notice_register(notice=CriminalNotice(
            organ=organ, organ_name=organ_name, notice_number=f"（{received.year}）示刑通字第{i + 3}号",
            received_on=received, person=person, ground=ground, stage=stage, cause=charge), by=clerk)
    counts["criminal notices"] = 26

    # Duty-lawyer help and drafting.
    handlers = list(Handler.objects.all())
    matters = []
    for age in range(0, 450, 4):
        kind = rng.choice(["duty_lawyer", "duty_lawyer", "drafting"])
        h = rng.choice(handlers) if handlers else None
        where = rng.choice(MATTER_PLACES[kind])
        matters.append(Matter(
            kind=kind, date=today - timedelta(days=age + rng.randint(0, 3)), place=where, handler=h,
            lawyer_name=h.name if h else "", person_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            plea=kind == "duty_lawyer" and rng.random() < 0.7, person_count=rng.choice([1, 1, 1, 2]),
            station=stations.get("station-a") if "城关镇" in where else (
                stations.get("station-b") if "新桥镇" in where else None),
            note="认罪认罚具结书签署时在场" if kind == "duty_lawyer" else "代写民事起诉状", created_by=clerk))
    bulk_create_with_history(matters, Matter, default_user=clerk)
    counts["matters"] = len(matters)
    return counts


def demo_notice_of(case, *, number: str, ground: str):
    """The criminal notice a demo case of cases' own demo was opened from, linked to it from this side (offered
    to cases through core.registry: cases sit below intake and do not import it)."""
    from .models import CriminalNotice

    return CriminalNotice.objects.create(
        organ=case.organ, organ_name="示范县人民法院" if case.organ == "court" else "示范县人民检察院",
        notice_number=number, received_on=case.accepted_on, person=case.recipient, ground=ground, stage=case.stage,
        cause=case.cause, station=case.station, case=case)

