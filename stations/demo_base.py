"""The organisation every demo and test starts from: the center, stations A and B
with contact points and liaisons, a roster of handlers, and one account per role."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles
from accounts.models import User
from accounts.services import roles_sync
from core.deadlines import DEFAULT_RULES
from core.models import CenterProfile, DeadlineRule
from stations.models import ContactPoint, Handler, Liaison, Provider, Station

DEMO_PASSWORD = "legalaid-demo"

STATIONS = [
    # code, name, kind, host, township
    ("station-a", "城关镇法律援助工作站", "township", "", "城关镇"),
    ("station-b", "新桥镇法律援助工作站", "township", "", "新桥镇"),
    ("women-federation", "县妇联法律援助工作站", "specialised", "women_federation", ""),
]

CONTACT_POINTS = [
    ("station-a", "东关社区联系点", "东关社区", "李秀兰"),
    ("station-a", "西河村联系点", "西河村", "王建国"),
    ("station-b", "新桥村联系点", "新桥村", "赵春梅"),
    ("station-b", "柳树湾村联系点", "柳树湾村", "孙德明"),
]

PROVIDERS = [
    ("县法律援助中心", "aid_center"),
    ("明正律师事务所", "law_firm"),
    ("公信律师事务所", "law_firm"),
    ("城关镇法律服务所", "grassroots_office"),
]

HANDLERS = [
    # name, kind, provider, criminal years, juvenile, specialties
    ("张伟", "aid_lawyer", "县法律援助中心", 8, True, ["labour_pay", "work_injury", "theft"]),
    ("李娜", "practising_lawyer", "明正律师事务所", 5, False, ["marriage_family", "support"]),
    ("王强", "practising_lawyer", "公信律师事务所", 12, True, ["assault", "robbery", "other_criminal"]),
    ("刘芳", "practising_lawyer", "明正律师事务所", 1, False, ["traffic", "contract_debt"]),
    ("陈明", "grassroots_worker", "城关镇法律服务所", 0, False, ["labour_pay", "land"]),
]

ACCOUNTS = [
    # username, full name, role, station code, staff (admin site), superuser
    # The administrator role (users, stations, configuration: DOMAIN.md §2) with the Django admin's access, not a
    # superuser: a superuser holds every capability and would open every person's record and case file.
    ("admin", "系统管理员", roles.ADMIN, None, True, False),
    ("director", "周主任", roles.DIRECTOR, None, True, False),
    ("clerk", "吴窗口", roles.CLERK, None, False, False),
    ("reviewer", "郑审查", roles.REVIEWER, None, False, False),
    ("finance", "钱会计", roles.FINANCE, None, False, False),
    ("handler", "张伟", roles.HANDLER, None, False, False),
    ("staff_a", "冯城关", roles.STATION_STAFF, "station-a", False, False),
    ("staff_b", "陈新桥", roles.STATION_STAFF, "station-b", False, False),
]


def _admin_model_permissions() -> None:
    """The Django admin's model permissions of each role (accounts.roles.ROLE_ADMIN_MODELS), as migration 0012
    gave them, for a role group made afresh by roles_sync (a test that flushes the tables loses the groups)."""
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    for role, models in roles.ROLE_ADMIN_MODELS.items():
        group = Group.objects.get(name=role)
        if group.permissions.exclude(content_type__app_label="accounts", content_type__model="capability").exists():
            continue  # kept as the migration or an administrator left it
        for label, actions in models.items():
            ct = ContentType.objects.get_for_model(apps.get_model(label))
            model_name = label.partition(".")[2]
            group.permissions.add(*Permission.objects.filter(
                content_type=ct, codename__in=[f"{action}_{model_name}" for action in actions]))


@transaction.atomic
def seed_organisation(stdout=None) -> dict:
    roles_sync()
    _admin_model_permissions()
    CenterProfile.get()
    for code, name, length, unit, basis in DEFAULT_RULES:
        DeadlineRule.objects.get_or_create(code=code, defaults={"name": name, "length": length, "unit": unit,
                                                                "basis": basis})
    stations = {}
    for code, name, kind, host, township in STATIONS:
        stations[code], _ = Station.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "host_partner": host, "township": township,
                                 "opened_on": date(2019, 3, 1), "phone": "0000-1234567",
                                 "address": f"{township or '县城'}人民路1号"},
        )
    for station_code, name, village, liaison in CONTACT_POINTS:
        point, _ = ContactPoint.objects.get_or_create(
            station=stations[station_code], name=name, defaults={"village": village, "opened_on": date(2020, 5, 1)}
        )
        Liaison.objects.get_or_create(contact_point=point, name=liaison,
                                      defaults={"phone": "13800000000", "opened_on": date(2020, 5, 1)})
    providers = {}
    for name, kind in PROVIDERS:
        providers[name], _ = Provider.objects.get_or_create(name=name, defaults={"kind": kind})
    handlers = {}
    for name, kind, provider, years, juvenile, specialties in HANDLERS:
        handlers[name], _ = Handler.objects.get_or_create(
            name=name, provider=providers[provider],
            defaults={"kind": kind, "criminal_years": years, "juvenile_suitable": juvenile,
                      "specialties": specialties, "phone": "13900000000"},
        )
    users = {}
    for username, full_name, role, station_code, is_staff, is_superuser in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, is_staff=is_staff, is_superuser=is_superuser,
                        station=stations.get(station_code))
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif user.is_superuser and not is_superuser:  # the demo `admin` of an older seed was a superuser
            user.is_superuser, user.is_staff = False, is_staff
            user.save(update_fields=["is_superuser", "is_staff"])
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    if handlers["张伟"].user_id is None:
        handlers["张伟"].user = users["handler"]
        handlers["张伟"].save(update_fields=["user"])
    if stdout:
        stdout.write(f"organisation: {len(stations)} stations, {len(handlers)} handlers, {len(users)} accounts")
    return {"stations": stations, "handlers": handlers, "users": users, "providers": providers}
