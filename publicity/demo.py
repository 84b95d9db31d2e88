"""Demo data for publicity: about forty events over the last year across stations, and media reports."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from stations.models import Handler, Station, Volunteer

from .models import Event, MediaReport

EVENTS = [
    # title, form, place
    ("法律援助进社区宣传活动", "community", "东关社区广场"),
    ("农民工讨薪法律援助专场", "worksite", "城南安置房项目工地"),
    ("“3·8”妇女维权周法律咨询", "onsite", "县妇联门前广场"),
    ("《法律援助法》宣讲进村", "village", "西河村村委会"),
    ("青少年法治教育讲座", "school", "县第一中学报告厅"),
    ("“宪法宣传周”现场咨询", "onsite", "人民路步行街"),
    ("企业劳动用工法律风险讲座", "enterprise", "经济开发区管委会会议室"),
    ("老年人防范养老诈骗宣传", "community", "新桥镇敬老院"),
    ("残疾人权益保障法律咨询日", "onsite", "县残联服务大厅"),
    ("法律援助宣传展板进集市", "poster", "新桥镇农贸集市"),
    ("“法援惠民生”广播访谈", "broadcast", "县广播电视台"),
    ("法律援助政策微信推送", "new_media", "中心微信公众号"),
    ("退役军人法律服务专场", "onsite", "县退役军人服务中心"),
    ("农村土地承包纠纷法律讲座", "village", "柳树湾村文化礼堂"),
    ("根治欠薪冬季专项行动宣传", "worksite", "滨河路市政工地"),
]

MEDIA = [
    # outlet, level, title
    ("示范县融媒体中心", "county", "县法律援助中心开展“法援惠民生”系列宣传活动"),
    ("示范县融媒体中心", "county", "法律援助进工地 为农民工讨薪撑腰"),
    ("市日报", "city", "示范县：法律援助工作站覆盖全部乡镇"),
    ("市广播电视台", "city", "家门口的法律援助：城关镇工作站见闻"),
    ("省法治报", "province", "示范县打造15分钟法律援助服务圈"),
    ("法治日报", "national", "县级法律援助机构如何打通服务“最后一公里”"),
]


@transaction.atomic
def seed(*, rng, stdout) -> None:
    if Event.objects.exists():
        stdout.write("publicity: already seeded")
        return
    today = timezone.localdate()
    stations = list(Station.objects.filter(active=True).order_by("pk"))
    handlers = list(Handler.objects.filter(active=True))
    center_staff = list(User.objects.filter(station__isnull=True, username__in=["director", "clerk"]))
    events = []
    for i in range(40):
        title, form, place = EVENTS[i % len(EVENTS)]
        day = today - dt.timedelta(days=rng.randint(1, 360))
        station = stations[i % len(stations)] if stations and i % 4 != 3 else None
        audience = rng.randint(30, 400) if form not in {"broadcast", "new_media"} else rng.randint(1000, 8000)
        event = Event.objects.create(
            date=day, title=title, form=form, place=place, station=station,
            materials=rng.randint(50, 600) if form not in {"broadcast", "new_media"} else 0,
            onsite=rng.randint(5, 80) if form not in {"broadcast", "new_media", "poster"} else 0,
            audience=audience, note="",
            created_by=(station.users.first() if station else None) or (center_staff[0] if center_staff else None),
        )
        staff = list(station.users.all()) if station else center_staff
        event.staff.set(staff[:2])
        if handlers:
            event.lawyers.set(rng.sample(handlers, k=min(len(handlers), rng.randint(1, 2))))
        pool = list(Volunteer.objects.filter(station=station, active=True)) if station else []
        if pool:
            event.volunteers.set(rng.sample(pool, k=min(len(pool), rng.randint(1, 2))))
        events.append(event)
    events.sort(key=lambda e: e.date)
    for i, (outlet, level, title) in enumerate(MEDIA):
        event = events[(i * 6) % len(events)] if i % 2 == 0 else None
        MediaReport.objects.create(
            date=(event.date + dt.timedelta(days=1)) if event else today - dt.timedelta(days=rng.randint(10, 300)),
            outlet=outlet, level=level, title=title, event=event, station=event.station if event else None,
            link=f"https://news.example.cn/legal-aid/{2000 + i}",
        )
    stdout.write(f"publicity: {len(events)} events, {len(MEDIA)} media reports")
