"""`seed_demo --scale N`: the service network for N cases over ten years (core/scale.py).

A county of about 1,000 cases a year has some twenty stations (its townships and a few hosted by partners
such as the women's federation), five or six contact points per station, about forty handlers from a
dozen firms and offices, and duty lawyers at the court, the procuratorate and the detention center every
working day. The network grows with N, so 1,000,000 cases make a province of some 2,000 stations.
"""

from __future__ import annotations

from datetime import date

from core.choices import CRIMINAL_CAUSES, HOST_PARTNER, SEED_CIVIL_CAUSES
from core.copy import copy_rows, loading, reserve_ids
from core.scale import Choice, Progress, Timeline, person_name, pg_array, phone, place_names

from .models import ContactPoint, DutyShift, Handler, Liaison, Provider, Station, Volunteer

PARTNERS = [code for code in HOST_PARTNER.codes if code != "other"]
CIVIL_SPECIALTIES = sorted(SEED_CIVIL_CAUSES)
SCHOOLS = ["县职业技术学院", "省政法学院（实习）", "市师范学院", "县人民法院（退休）", "县司法局（退休）",
           "县人民检察院（退休）", "县第一中学", "人民调解委员会", "社区居委会", "律师协会青年委员会"]
SKILLS = ["法律咨询接待、普法宣讲", "代写法律文书", "婚姻家庭纠纷调解", "劳动争议咨询", "普法宣讲、视频拍摄",
          "邻里纠纷调解", "未成年人保护宣传", "刑事案件咨询", "校园普法"]
PLACE_KIND = Choice([("court", 35), ("procuratorate", 30), ("detention", 25), ("center", 5), ("station", 5)])
ORGAN_WORD = {"court": "人民法院", "procuratorate": "人民检察院", "detention": "看守所"}
# The duty-lawyer system (值班律师) runs everywhere from the 2018 amendment of the Criminal Procedure Law.
DUTY_FROM = date(2018, 10, 26)


def sizes(cases: int) -> dict[str, int]:
    return {"stations": min(2000, max(3, cases // 500)), "providers": max(4, cases // 2500),
            "handlers": max(5, cases // 250), "shifts": cases // 4}


def seed_scale(*, cases: int, rng, stdout) -> None:
    t = Timeline()
    progress = Progress(stdout, "stations")
    want = sizes(cases)
    today = t.end
    existing = list(Station.objects.values_list("name", "township"))
    taken_names = {name for name, _t in existing}

    # --- stations ------------------------------------------------------------------------------------
    new = max(0, want["stations"] - len(existing))
    towns = place_names(rng, new, ["镇", "乡", "街道"], taken={t for _n, t in existing if t})
    counties = ["示范县"] + place_names(rng, max(0, want["stations"] // 20), ["县"])
    ids = reserve_ids(Station, new)
    rows, station_rows = [], []
    for i, (pk, town) in enumerate(zip(ids, towns, strict=True)):
        if rng.random() < 0.2:
            partner = rng.choice(PARTNERS)
            county = counties[i % len(counties)]
            name = f"{county}{HOST_PARTNER.zh[partner]}法律援助工作站"
            kind, township = "specialised", ""
        else:
            partner, kind, township = "", "street" if town.endswith("街道") else "township", town
            name = f"{town}法律援助工作站"
        if name in taken_names:
            name = f"{town}{name}"
        taken_names.add(name)
        opened = t.date(rng.randrange(t.today)) if rng.random() < 0.3 else date(rng.randint(2008, t.start.year),
                                                                                 rng.randint(1, 12), 1)
        closed = None
        if rng.random() < 0.03 and max(0, t.offset(opened)) < t.today - 60:
            closed = t.date(rng.randrange(max(0, t.offset(opened)) + 30, t.today + 1))
        station_rows.append((pk, name, opened, closed, township or town))
        rows.append((pk, name, f"g{pk}", kind, partner, township, f"{town}人民路{rng.randint(1, 300)}号",
                     f"0{rng.randint(550, 599)}-{rng.randint(2000000, 8999999)}", opened, closed, closed is None))
    with loading(Station):
        copy_rows(Station, ["id", "name", "code", "kind", "host_partner", "township", "address", "phone", "opened_on",
                            "closed_on", "active"], rows)
    progress.done("stations", len(rows))
    stations = [(pk, name, opened) for pk, name, opened, _c, _t in station_rows] + list(
        Station.objects.exclude(pk__in=ids).values_list("pk", "name", "opened_on"))

    # --- providers and handlers ----------------------------------------------------------------------
    aid_center = Provider.objects.filter(kind="aid_center").values_list("pk", flat=True).first()
    n_providers = max(0, want["providers"] - Provider.objects.count())
    firm_count = int(n_providers * 0.65)
    provider_names = set(Provider.objects.values_list("name", flat=True))
    firm_names = place_names(rng, firm_count, ["律师事务所"], taken=provider_names)
    office_names = []
    for town in towns + place_names(rng, n_providers, ["镇"], taken=set(towns)):
        if len(office_names) == n_providers - firm_count:
            break
        if f"{town}法律服务所" not in provider_names:
            office_names.append(f"{town}法律服务所")
    ids = reserve_ids(Provider, n_providers)
    providers = []
    rows = []
    for pk, (name, kind) in zip(ids, [(n, "law_firm") for n in firm_names] + [(n, "grassroots_office")
                                                                             for n in office_names], strict=True):
        providers.append((pk, kind))
        rows.append((pk, name, kind, f"0{rng.randint(550, 599)}-{rng.randint(2000000, 8999999)}",
                     f"{name[:2]}大道{rng.randint(1, 500)}号", True))
    with loading(Provider):
        copy_rows(Provider, ["id", "name", "kind", "phone", "address", "active"], rows)
    progress.done("providers", len(rows))
    providers += [(pk, kind) for pk, kind in Provider.objects.exclude(pk__in=ids).values_list("pk", "kind")]
    firm_ids = [pk for pk, kind in providers if kind == "law_firm"]
    office_ids = [pk for pk, kind in providers if kind == "grassroots_office"]
    taken = set(Handler.objects.values_list("name", "provider_id"))
    n_handlers = max(0, want["handlers"] - Handler.objects.count())
    ids = reserve_ids(Handler, n_handlers)
    rows, lawyers = [], list(Handler.objects.filter(active=True, kind__in=["practising_lawyer", "aid_lawyer"])
                             .values_list("pk", flat=True))
    for pk in ids:
        r = rng.random()
        if r < 0.08 and aid_center:
            provider, kind, years = aid_center, "aid_lawyer", rng.randint(1, 15)
        elif r < 0.72 and firm_ids:
            provider = rng.choice(firm_ids)
            kind = "practising_lawyer" if rng.random() < 0.96 else "other"
            years = min(30, int(rng.expovariate(1 / 6))) if kind == "practising_lawyer" else 0
        else:
            provider, kind, years = rng.choice(office_ids or firm_ids), "grassroots_worker", 0
        name = person_name(rng)
        while (name, provider) in taken:
            name = person_name(rng)
        taken.add((name, provider))
        criminal = years >= 3 and rng.random() < 0.6
        pool = sorted(CRIMINAL_CAUSES) if criminal else CIVIL_SPECIALTIES
        specialties = rng.sample(pool, rng.randint(1, 3))
        active = rng.random() < 0.92
        is_lawyer = kind in ("practising_lawyer", "aid_lawyer")
        if active and is_lawyer:
            lawyers.append(pk)
        licence = f"1{rng.randrange(10 ** 15, 10 ** 16)}" if is_lawyer else (
            f"3{rng.randrange(10 ** 12, 10 ** 13)}" if kind == "grassroots_worker" else "")
        rows.append((pk, name, kind, provider, phone(rng), licence, pg_array(specialties), years,
                     is_lawyer and rng.random() < 0.3, active))
    with loading(Handler):
        copy_rows(Handler, ["id", "name", "kind", "provider_id", "phone", "licence_number", "specialties",
                            "criminal_years", "juvenile_suitable", "active"], rows)
    progress.done("handlers", len(rows))

    # --- contact points, liaisons, volunteers ----------------------------------------------------------
    villages = place_names(rng, min(3000, max(50, want["stations"] * 3)), ["村", "社区"])
    points, point_rows = [], []
    for station_pk, _name, opened in stations:
        opened = opened or t.start
        for _k in range(rng.randint(3, 8)):
            village = rng.choice(villages)
            first = max(t.offset(opened), 0)
            point_open = t.date(rng.randrange(first, t.today)) if first < t.today and rng.random() < 0.5 \
                else opened
            start = max(t.offset(point_open), 0)
            closed = t.date(rng.randrange(start + 1, t.today + 1)) if rng.random() < 0.05 and start < t.today \
                else None
            adviser = rng.choice(lawyers) if lawyers and closed is None and rng.random() < 0.6 else None
            points.append((station_pk, point_open, closed))
            point_rows.append([station_pk, f"{village}联系点", village, f"{village}村委会" if village.endswith("村")
                               else f"{village}居委会", phone(rng), adviser,
                               date(today.year, 1, 1) if adviser else None,
                               date(today.year, 12, 31) if adviser else None, point_open, closed, closed is None])
    ids = reserve_ids(ContactPoint, len(point_rows))
    with loading(ContactPoint):
        copy_rows(ContactPoint, ["id", "station_id", "name", "village", "address", "phone", "legal_adviser_id",
                                 "adviser_from", "adviser_until", "opened_on", "closed_on", "active"],
                  ((pk, *row) for pk, row in zip(ids, point_rows, strict=True)))
    progress.done("contact points", len(point_rows))

    def liaisons():
        for pk, (_station, opened, closed) in zip(ids, points, strict=True):
            start = t.offset(opened)
            if rng.random() < 0.2 and start < t.today - 400:
                change = rng.randrange(max(start, 0) + 200, t.today - 100)
                yield (pk, person_name(rng), phone(rng), opened, t.date(change), False)
                opened = t.date(change)
            yield (pk, person_name(rng), phone(rng), opened, closed, closed is None)

    with loading(Liaison):
        count = copy_rows(Liaison, ["contact_point_id", "name", "phone", "opened_on", "closed_on", "active"],
                          liaisons())
    progress.done("liaisons", count)

    def volunteers():
        for station_pk in [pk for pk, _n, _o in stations] + [None] * max(2, len(stations) // 5):
            for _k in range(rng.randint(0, 4) if station_pk else 1):
                joined = rng.randrange(t.today - 1)
                left = rng.randrange(joined + 1, t.today + 1) if rng.random() < 0.15 else None
                yield (person_name(rng), rng.choice(SCHOOLS), rng.choice(SKILLS), phone(rng), station_pk,
                       t.date(joined), t.date(left) if left is not None else None, left is None)

    with loading(Volunteer):
        count = copy_rows(Volunteer, ["name", "organisation", "skills", "phone", "station_id", "opened_on",
                                      "closed_on", "active"], volunteers())
    progress.done("volunteers", count)

    # --- duty shifts: every working day since the duty-lawyer system began -----------------------------
    first = max(0, t.offset(DUTY_FROM))
    days = [off for off in range(first, t.today + 15) if t.working[off]]
    station_list = [(pk, name) for pk, name, _o in stations]

    def shifts():
        if not lawyers or not days:
            return
        per_day = want["shifts"] / len(days)
        for off in days:
            n = int(per_day) + (rng.random() < per_day - int(per_day))
            for _k in range(n):
                kind = PLACE_KIND(rng)
                station = None
                if kind == "station":
                    station, place = rng.choice(station_list)
                elif kind == "center":
                    place = "县法律援助中心接待大厅"
                else:
                    place = rng.choice(counties) + ORGAN_WORD[kind]
                note = "认罪认罚案件值班" if kind == "procuratorate" else ("工作站坐班" if kind == "station" else "")
                yield (t.iso[off], kind, place, rng.choice(lawyers), station, note)

    with loading(DutyShift):
        count = copy_rows(DutyShift, ["date", "place_kind", "place", "handler_id", "station_id", "note"], shifts())
    progress.done("duty shifts", count)
