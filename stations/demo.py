"""Demo data for the station network: volunteers, village legal advisers and duty rosters
for the past four weeks and the coming two."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import ContactPoint, DutyShift, Handler, Station, Volunteer

VOLUNTEERS = [
    # name, organisation, skills, station code
    ("林晓雨", "县职业技术学院", "法律咨询接待、普法宣讲", "station-a"),
    ("高志远", "省政法学院（实习）", "代写法律文书", "station-a"),
    ("孙桂英", "县人民法院（退休）", "婚姻家庭纠纷调解", "station-a"),
    ("何建军", "县司法局（退休）", "劳动争议咨询", "station-b"),
    ("许佳琪", "县职业技术学院", "普法宣讲、视频拍摄", "station-b"),
    ("罗德胜", "新桥镇人民调解委员会", "邻里纠纷调解", "station-b"),
    ("杨梦婷", "市师范学院", "未成年人保护宣传", "women-federation"),
    ("黄立新", "县人民检察院（退休）", "刑事案件咨询", None),
    ("谢文静", "县第一中学", "校园普法", None),
]

PLACES = [
    ("court", "示范县人民法院"),
    ("procuratorate", "示范县人民检察院"),
    ("detention", "示范县看守所"),
]


@transaction.atomic
def seed(*, rng, stdout) -> None:
    if Volunteer.objects.exists():
        stdout.write("stations: already seeded")
        return
    today = timezone.localdate()
    stations = {s.code: s for s in Station.objects.all()}
    for i, (name, organisation, skills, code) in enumerate(VOLUNTEERS):
        Volunteer.objects.create(name=name, organisation=organisation, skills=skills,
                                 phone=f"1370000{1000 + i:04d}", station=stations.get(code),
                                 opened_on=today - dt.timedelta(days=rng.randint(60, 700)))
    handlers = list(Handler.objects.filter(active=True).order_by("name"))
    if not handlers:
        return
    for i, point in enumerate(ContactPoint.objects.filter(legal_adviser__isnull=True).order_by("pk")):
        point.legal_adviser = handlers[i % len(handlers)]
        point.adviser_from = dt.date(today.year, 1, 1)
        point.adviser_until = dt.date(today.year, 12, 31)
        point.save()
    lawyers = [h for h in handlers if h.is_lawyer] or handlers  # a court, procuratorate or detention center: a lawyer
    monday = today - dt.timedelta(days=today.weekday())
    day = monday - dt.timedelta(weeks=4)
    shifts = 0
    while day < monday + dt.timedelta(weeks=2):
        if day.weekday() < 5:
            offset = rng.randint(0, len(handlers) - 1)
            for j, (kind, place) in enumerate(PLACES):
                handler = lawyers[(offset + j) % len(lawyers)]
                DutyShift.objects.create(date=day, place_kind=kind, place=place, handler=handler,
                                         note="认罪认罚案件值班" if kind == "procuratorate" else "")
                shifts += 1
            if day.weekday() == 2 and "station-a" in stations:
                handler = handlers[(offset + 3) % len(handlers)]
                DutyShift.objects.create(date=day, place_kind="station", place="城关镇法律援助工作站",
                                         handler=handler, station=stations["station-a"], note="工作站坐班")
                shifts += 1
        day += dt.timedelta(days=1)
    stdout.write(f"stations: {len(VOLUNTEERS)} volunteers, {shifts} duty shifts")
