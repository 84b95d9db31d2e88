"""`seed_demo --scale N`: ten years of publicity for N cases (core/scale.py).

A county of 1,000 cases a year holds about sixty events a year (more in March for 3·8 and 3·15, in
December for the Constitution Day week and the winter wage campaign), at the center and at its stations,
with one or two lawyers and, at stations, their volunteers; about one event in five is reported, mostly
by county media and now and then by the city, the province or national media.
"""

from __future__ import annotations

from core.copy import copy_rows, loading, reserve_ids
from core.scale import Choice, Progress, Timeline, between, pick, user_ids
from stations.models import Handler, Station, Volunteer

from .models import Event, MediaReport

FORM = Choice([("onsite", 24), ("community", 14), ("village", 14), ("lecture", 8), ("school", 8), ("enterprise", 5),
               ("worksite", 7), ("poster", 6), ("new_media", 6), ("broadcast", 3), ("press", 2), ("other", 3)])
TITLES = {
    "onsite": ["“宪法宣传周”现场咨询", "“3·8”妇女维权周法律咨询", "法律援助进集市现场咨询", "残疾人权益保障法律咨询日"],
    "community": ["法律援助进社区宣传活动", "老年人防范养老诈骗宣传"], "village": ["《法律援助法》宣讲进村", "农村土地承包纠纷法律讲座"],
    "lecture": ["法律援助业务培训讲座", "退役军人法律服务专场"], "school": ["青少年法治教育讲座", "预防校园欺凌法治课"],
    "enterprise": ["企业劳动用工法律风险讲座"], "worksite": ["农民工讨薪法律援助专场", "根治欠薪冬季专项行动宣传"],
    "poster": ["法律援助宣传展板进集市"], "new_media": ["法律援助政策微信推送", "法律援助短视频发布"],
    "broadcast": ["“法援惠民生”广播访谈"], "press": ["法律援助典型案例专版"], "other": ["法律援助开放日"],
}
PLACES = {"onsite": "广场", "community": "社区服务中心", "village": "村委会", "lecture": "会议室", "school": "中学报告厅",
          "enterprise": "工业园区", "worksite": "建设项目工地", "poster": "农贸集市", "new_media": "中心微信公众号",
          "broadcast": "县广播电视台", "press": "县融媒体中心", "other": "县法律援助中心"}
LEVEL = Choice([("county", 60), ("city", 25), ("province", 12), ("national", 3)])
OUTLETS = {"county": ["县融媒体中心", "县广播电视台"], "city": ["市日报", "市广播电视台"], "province": ["省法治报", "省电视台"],
           "national": ["法治日报", "中国普法网"]}
MONTH_WEIGHT = {3: 2.0, 12: 1.8, 1: 1.2, 6: 1.1, 11: 1.1, 2: 0.5}


def seed_scale(*, cases: int, rng, stdout) -> None:
    t = Timeline()
    progress = Progress(stdout, "publicity")
    users = user_ids()
    stations = list(Station.objects.values_list("pk", "name", "opened_on", "closed_on", "code"))
    staff = {code: users.get(u) for code, u in (("station-a", "staff_a"), ("station-b", "staff_b"))}
    center_staff = [users.get("director"), users.get("clerk")]
    lawyers = list(Handler.objects.filter(active=True).values_list("pk", flat=True))
    volunteers: dict[int | None, list[int]] = {}
    for pk, station in Volunteer.objects.filter(active=True).values_list("pk", "station_id"):
        volunteers.setdefault(station, []).append(pk)
    n = max(10, int(cases * 0.06))
    cum, total = [], 0.0
    for off in range(t.span):
        total += (1.0 if t.working[off] else 0.3) * MONTH_WEIGHT.get(t.dates[off].month, 1.0) * (1.05 ** (off / 365))
        cum.append(total)
    days = t.sample_days(rng, n, cum)
    ids = reserve_ids(Event, n)
    r = rng.random
    events, staff_rows, lawyer_rows, volunteer_rows = [], [], [], []
    for pk, day in zip(ids, days, strict=True):
        form = FORM(rng)
        station = None
        if r() < 0.6:
            d = t.dates[day]
            for _attempt in range(4):
                candidate = pick(rng, stations)
                if (candidate[2] is None or candidate[2] <= d) and (candidate[3] is None or candidate[3] > d):
                    station = candidate
                    break
        media = form in ("broadcast", "new_media", "press")
        audience = between(rng, 1000, 20000) if media else between(rng, 30, 500)
        place = station[1].replace("法律援助工作站", "") + PLACES[form] if station and not media else PLACES[form]
        events.append((pk, t.iso[day], pick(rng, TITLES[form]), form, place, station[0] if station else None,
                       0 if media else between(rng, 50, 800), 0 if media or form == "poster" else between(rng, 5, 80),
                       audience, "", "", t.stamp(min(t.today, day + between(rng, 0, 3)), 1020),
                       staff.get(station[4]) if station else center_staff[1]))
        present = [staff[station[4]]] if station and staff.get(station[4]) else ([] if station else center_staff)
        staff_rows += [(pk, user) for user in present if user]
        if lawyers and not media:
            lawyer_rows += [(pk, h) for h in {pick(rng, lawyers) for _k in range(between(rng, 1, 2))}]
        pool = volunteers.get(station[0] if station else None, [])
        if pool and r() < 0.5:
            volunteer_rows += [(pk, v) for v in {pick(rng, pool) for _k in range(between(rng, 1, 2))}]
    with loading(Event):
        count = copy_rows(Event, ["id", "date", "title", "form", "place", "station_id", "materials", "onsite",
                                  "audience", "note", "import_fingerprint", "created_at", "created_by_id"], events)
    progress.done("events", count)
    for through, column, rows in ((Event.staff.through, "user_id", staff_rows),
                                  (Event.lawyers.through, "handler_id", lawyer_rows),
                                  (Event.volunteers.through, "volunteer_id", volunteer_rows)):
        with loading(through):
            count = copy_rows(through, ["event_id", column], rows)
        progress.done(f"event {column.removesuffix('_id')}s", count)

    def reports():
        for (pk, _iso, title, _form, _place, station, *_rest), day in zip(events, days, strict=True):
            if r() >= 0.2:
                continue
            level = LEVEL(rng)
            off = min(t.today, day + between(rng, 0, 3))
            yield (t.iso[off], pick(rng, OUTLETS[level]), level, title, f"https://news.example.cn/legal-aid/{pk}",
                   pk, station, "", t.stamp(off, 1080))

    with loading(MediaReport):
        count = copy_rows(MediaReport, ["date", "outlet", "level", "title", "link", "event_id", "station_id",
                                        "import_fingerprint", "created_at"], reports())
    progress.done("media reports", count)
