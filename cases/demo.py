"""Demo cases in every state with realistic work (DOMAIN.md §6), dated over the last ~15 months.

Uses cases the intake demo left awaiting assignment, and opens more through `case_open`.
Idempotent: does nothing once any archive review exists.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from applicants.idcard import check_digit
from applicants.models import Person
from core.registry import provided

from . import services
from .models import ArchiveReview, Case
from .rules import archive_items
from .selectors import suggest_handler

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ["秀英", "桂兰", "建国", "志强", "春梅", "德明", "海燕", "国华", "小红", "永平", "玉兰", "振华", "丽娟",
         "文军", "晓东", "红霞", "金凤", "宏伟", "淑珍", "明亮"]

CIVIL = [
    # cause, stage, aid form, role, opposing party, amount, outcome, extra groups
    ("labour_pay", "arbitration", "labour_arbitration", "plaintiff", "县城建筑劳务有限公司", 36000, "arbitration",
     ["migrant_worker"]),
    ("labour_pay", "first_instance", "civil_litigation", "plaintiff", "某建设工程项目部", 52000, "judgment_won",
     ["migrant_worker"]),
    ("work_injury", "first_instance", "civil_litigation", "plaintiff", "新桥镇砖瓦厂", 128000, "mediation",
     ["migrant_worker"]),
    ("traffic", "first_instance", "civil_litigation", "plaintiff", "货运司机及其保险公司", 86000, "judgment_partial", []),
    ("support", "first_instance", "civil_litigation", "plaintiff", "被告子女", 24000, "mediation", []),
    ("marriage_family", "first_instance", "civil_litigation", "plaintiff", "配偶", 0, "judgment_won", []),
    ("contract_debt", "mediation", "non_litigation", "plaintiff", "个体经营户", 15000, "settlement", []),
]
CRIMINAL = [
    # cause, ground, stage, outcome
    ("theft", "minor", "trial", "probation"),
    ("assault", "other", "prosecution", "non_prosecution"),
    ("robbery", "life_or_death", "trial", "judgment"),
    ("other_criminal", "blind_deaf_mute", "trial", "exempt"),
]
PROGRESS = [
    ("meeting", "会见受援人，了解案情，告知权利义务。"),
    ("file_reading", "到法院查阅、复制案卷材料。"),
    ("evidence", "调取劳动合同、工资条及考勤记录。"),
    ("mediation", "参加调解，对方同意分期支付。"),
    ("hearing", "出庭参加诉讼，发表代理意见。"),
    ("filing", "向法院提交起诉状及证据目录。"),
]


def _person(rng, n: int, *, born: date | None = None, female: bool | None = None) -> Person:
    female = rng.random() < 0.45 if female is None else female
    born = born or date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
    seq = 600 + (n % 190) * 2 + (0 if female else 1)
    first17 = f"341122{born:%Y%m%d}{seq:03d}"
    number = first17 + check_digit(first17)
    existing = Person.objects.filter(id_number=number).first()
    if existing:
        return existing
    return Person.objects.create(
        name=rng.choice(SURNAMES) + rng.choice(GIVEN), sex="F" if female else "M", birth_date=born,
        id_number=number, phone=f"139{rng.randint(10000000, 99999999)}", household_size=rng.randint(1, 5),
        household_income=Decimal(rng.randint(800, 3000)), township=rng.choice(["城关镇", "新桥镇"]),
    )


def _d(day: date, today: date) -> date:
    return min(day, today)


def _notify_organ(case: Case, *, today: date, clerk) -> None:
    """The clerk tells the organ of a criminal termination the next day; one terminated in the last two days
    is left on the to-do list, as on a real morning."""
    case.refresh_from_db()
    if services.awaits_termination_notice(case) and (today - case.terminated_on).days >= 2:
        services.case_termination_notified(case=case, on=case.terminated_on + timedelta(days=1),
                                           means=Case.NoticeMeans.SERVED, by=clerk)


def _walk(case: Case, *, rng, today: date, users: dict, target: str) -> None:
    """Move one case through the services up to `target`, with dates after its acceptance."""
    clerk, reviewer, director = users["clerk"], users["reviewer"], users["director"]
    if target == "awaiting":
        return
    if target == "terminated_early":
        services.case_terminate(case=case, reason=rng.choice(["own_counsel", "proceedings_ended"]),
                                on=_d(case.accepted_on + timedelta(days=2), today), by=reviewer,
                                note="受援人表示已自行委托律师。")
        _notify_organ(case, today=today, clerk=clerk)
        return
    handler = suggest_handler(case)
    on = _d(case.accepted_on + timedelta(days=rng.randint(0, 2)), today)
    assignment = services.case_assign(case=case, handler=handler, on=on, by=clerk)
    if assignment.letter_number and on < today:  # the 公函 goes to the organ the next day
        services.assignment_letter_sent(assignment=assignment, on=on + timedelta(days=1), by=clerk)
    case.refresh_from_db()
    worker = handler.user or clerk
    signed = _d(on + timedelta(days=rng.randint(1, 4)), today)
    if signed > on or target != "assigned":
        services.case_sign_agreement(case=case, signed_on=signed, by=worker)
    day = signed
    for kind, note in rng.sample(PROGRESS, rng.randint(2, 4)):
        day = day + timedelta(days=rng.randint(3, 20))
        if day > today:
            break
        services.case_record_progress(case=case, kind=kind, on=day, note=note, by=worker)
    if target == "assigned":
        return
    if target == "terminated":
        services.case_terminate(case=case, reason="recipient_request", on=_d(day + timedelta(days=1), today),
                                by=reviewer, note="受援人因已与对方和解，申请终止法律援助。", substantive_work=True)
        _notify_organ(case, today=today, clerk=clerk)
        return
    if case.major or rng.random() < 0.15:
        services.discussion_record(case=case, held_on=_d(signed + timedelta(days=2), today),
                                   participants="周主任、郑审查、" + handler.name, conclusion="案情复杂，建议先行调解，调解不成再诉讼。",
                                   by=director)
    if case.category != "administrative" and rng.random() < 0.4:
        services.hearing_record(case=case, by=director, date=_d(signed + timedelta(days=10), today),
                                attendee="周主任", court="示范县人民法院", assessment="庭前准备充分，代理意见条理清楚。")
    closed = _d(max(day, signed) + timedelta(days=rng.randint(1, 10)), today)
    outcome, amount = case._demo_outcome
    services.case_close(case=case, closed_on=closed, outcome=outcome, by=worker,
                        amount_recovered=Decimal(amount) if amount else None,
                        closing_report=f"本案已{'审结' if outcome.startswith('judgment') else '办结'}，承办人依法履行职责，维护了受援人合法权益。")
    if target == "closed":
        return
    submitted = _d(closed + timedelta(days=rng.randint(3, 20)), today)
    services.case_submit_file(case=case, submitted_on=submitted, by=worker)
    case.refresh_from_db()
    if target == "submitted":
        return
    reviewed = _d(submitted + timedelta(days=rng.randint(2, 10)), today)
    full = {code: True for code, _l in archive_items(case)}
    if rng.random() < 0.25:
        services.case_archive_review(case=case, result="returned", checklist=full | {"opinion_form": False},
                                     reasons="缺征询意见表，请补充后重新提交。", on=reviewed, by=reviewer)
        case.refresh_from_db()
        submitted = _d(reviewed + timedelta(days=3), today)
        services.case_submit_file(case=case, submitted_on=submitted, by=worker)
        case.refresh_from_db()
        reviewed = _d(submitted + timedelta(days=2), today)
    services.opinion_record(case=case, by=reviewer, organ="示范县人民法院", sent_on=closed,
                            received_on=_d(closed + timedelta(days=7), today), satisfaction="satisfied",
                            content="承办人认真负责，按时出庭。")
    services.case_archive_review(case=case, result="passed", checklist=full, on=reviewed, by=reviewer)
    case.refresh_from_db()
    services.case_grade(case=case, score=rng.choice([95, 92, 88, 85, 82, 76, 70, 65, 55]), on=reviewed,
                        by=director)
    services.followup_record(case=case, by=reviewer, date=_d(reviewed + timedelta(days=rng.randint(1, 10)), today),
                             channel=rng.choice(["phone", "phone", "visit"]),
                             satisfaction=rng.choice(["satisfied", "satisfied", "satisfied", "basically"]),
                             notes="电话回访受援人，对承办人工作表示满意。")
    if rng.random() < 0.1:
        services.inspection_record(case=case, by=reviewer, date=reviewed, inspector="郑审查", findings="案卷装订规范。")


def _target(age: int, rng) -> str:
    if age <= 3:
        return "awaiting"
    if age <= 45:
        return rng.choice(["assigned", "assigned", "assigned", "closed"])
    if age <= 90:
        return rng.choice(["closed", "submitted", "archived", "archived", "assigned"] * 3 + ["terminated"])
    return rng.choice(["archived"] * 14 + ["terminated", "terminated_early"])


@transaction.atomic
def seed(*, rng, stdout) -> None:
    if ArchiveReview.objects.exists():
        stdout.write("cases: already seeded")
        return
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "reviewer", "director"])}
    if len(users) < 3:
        stdout.write("cases: organisation missing, skipped")
        return
    from stations.models import Station

    stations = list(Station.objects.filter(code__in=["station-a", "station-b"])) + [None, None]
    walked = 0
    # the intake demo's cases awaiting assignment: assign most of them, leave the newest waiting
    for case in Case.objects.filter(status=Case.Status.AWAITING).order_by("accepted_on"):
        age = (today - case.accepted_on).days
        case._demo_outcome = ("judgment_won", None) if case.category == "criminal" else ("mediation", "5000")
        if case.category == "criminal":
            case._demo_outcome = ("probation", None)
        _walk(case, rng=rng, today=today, users=users, target=_target(age, rng) if age > 3 else "awaiting")
        walked += 1
    n = 0
    for i in range(48):
        age = int(450 * (i / 48) ** 1.3) + rng.randint(0, 3)
        accepted = today - timedelta(days=age)
        if i % 4 == 3:
            cause, ground, stage, outcome = rng.choice(CRIMINAL)
            born = accepted - timedelta(days=365 * 16) if ground == "minor" else None
            person = _person(rng, 1000 + i, born=born)
            organ = "court" if stage == "trial" else "procuratorate"
            case = services.case_open(
                recipient=person, category="criminal", accepted_on=accepted, by=users["clerk"], source="notice",
                organ=organ, stage=stage, aid_form="criminal_defence", role="defence", cause=cause, station=None)
            notice_of = provided("demo_notice_of", kind="demo")  # intake's demo writes the notice and links it
            if notice_of is not None:
                notice_of(case, number=f"（{accepted.year}）示刑援通字第{i + 1}号", ground=ground)
            case._demo_outcome = (outcome, None)
        else:
            cause, stage, form, role, opposing, amount, outcome, groups = rng.choice(CIVIL)
            person = _person(rng, 1000 + i)
            mass = cause == "labour_pay" and rng.random() < 0.25
            case = services.case_open(
                recipient=person, category="civil", accepted_on=accepted, by=users["clerk"], stage=stage,
                aid_form=form, role=role, cause=cause, recipient_count=rng.randint(3, 12) if mass else 1,
                is_mass=mass, opposing_party=opposing, amount_involved=Decimal(amount) if amount else None,
                station=rng.choice(stations), green_channel=cause in ("labour_pay", "work_injury"),
                extra_groups=groups)
            recovered = int(amount * rng.choice([1, 0.8, 0.6])) if amount else None
            case._demo_outcome = (outcome, recovered)
        _walk(case, rng=rng, today=today, users=users, target=_target(age, rng))
        n += 1
    _objection(today=today, clerk=users["clerk"])
    counts = dict(Case.objects.values_list("status").annotate(n=Count("pk")))
    stdout.write(f"cases: walked {walked} intake cases, opened {n} more; by status {counts}")


def _objection(*, today: date, clerk) -> None:
    """The recipient of the latest termination objected to it (Art. 49): the reviewers see it waiting for the
    justice bureau's decision."""
    case = Case.objects.filter(status=Case.Status.TERMINATED).order_by("-terminated_on", "-pk").first()
    if case is None:
        return
    services.termination_objection_file(case=case, by=clerk, filed_on=max(case.terminated_on, today - timedelta(days=2)),
                                        grounds="受援人认为终止理由不成立，对终止法律援助的决定有异议。")
