import datetime as dt
import io

import openpyxl
from django.urls import reverse
from freezegun import freeze_time

from stations.models import DutyShift, Station, Volunteer
from tests.factories import HandlerFactory, StationFactory
from tests.helpers import queries_for


def test_station_list_shows_type_host_township_and_contact_point_counts(client_for, org):
    body = client_for("director").get(reverse("stations:station_list")).content.decode()
    assert "城关镇法律援助工作站" in body and "乡镇工作站" in body and "妇联" in body
    assert "联系点" in body


def test_station_list_uses_a_fixed_number_of_queries(client_for, org):
    client = client_for("director")
    client.get(reverse("stations:station_list"))
    before = queries_for(client, reverse("stations:station_list"))
    for _ in range(10):
        StationFactory()
    assert queries_for(client, reverse("stations:station_list")) == before


def test_a_province_s_stations_are_paged_and_searched(client_for, org):
    client = client_for("director")
    url = reverse("stations:station_list")
    shown = client.get(url).context["page_obj"].paginator.count
    for n in range(30):
        StationFactory(name=f"远山{n:02d}号法律援助工作站", township=f"远山{n:02d}镇")
    page = client.get(url)
    assert len(page.context["stations"]) == 25 and page.context["page_obj"].paginator.count == shown + 30
    assert 'data-testid="pagination"' in page.content.decode()
    found = client.get(url, {"q": "远山07"})
    assert [s.name for s in found.context["stations"]] == ["远山07号法律援助工作站"]
    assert "没有找到工作站" in client.get(url, {"q": "不存在的站"}).content.decode()


def test_station_page_shows_contact_points_liaisons_staff_and_figure_links(client_for, station_a):
    body = client_for("staff_a").get(reverse("stations:station_detail", args=[station_a.pk])).content.decode()
    for text in ("东关社区联系点", "李秀兰", "冯城关", "法律咨询（人次）", "宣传活动（场次）", "本年度"):
        assert text in body
    # Each figure opens its indicator's list for this station (reports/drilldown.py).
    assert "/reports/figures/publicity.events/?period=" in body and f"station={station_a.pk}" in body


def test_station_staff_get_no_management_buttons(client_for, station_a):
    body = client_for("staff_a").get(reverse("stations:station_detail", args=[station_a.pk])).content.decode()
    assert reverse("stations:station_edit", args=[station_a.pk]) not in body


def test_my_station_takes_station_staff_to_their_page(client_for, station_a):
    response = client_for("staff_a").get(reverse("stations:my_station"))
    assert response["Location"] == reverse("stations:station_detail", args=[station_a.pk])


def test_director_creates_a_station_through_the_form(client_for, org):
    response = client_for("director").post(reverse("stations:station_create"), {
        "name": "河口镇法律援助工作站", "code": "station-c", "kind": "township", "township": "河口镇"})
    station = Station.objects.get(code="station-c")
    assert response["Location"] == reverse("stations:station_detail", args=[station.pk])


def test_a_duplicate_station_name_is_shown_on_the_form_and_nothing_is_created(client_for, org):
    response = client_for("director").post(reverse("stations:station_create"), {
        "name": "城关镇法律援助工作站", "code": "dup", "kind": "township"})
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert not Station.objects.filter(code="dup").exists()


@freeze_time("2026-11-24 10:00")
def test_a_future_deactivation_date_is_refused_on_the_form(client_for, station_a):
    response = client_for("director").post(reverse("stations:station_deactivate", args=[station_a.pk]),
                                           {"closed_on": "2026-12-01"})
    assert response.status_code == 200
    assert "停用日期不能晚于今天" in response.content.decode()
    station_a.refresh_from_db()
    assert station_a.active


def test_the_deactivation_page_says_what_closes_with_the_station(client_for, station_a):
    from stations.models import ContactPoint, Liaison

    point = ContactPoint.objects.create(station=station_a, name="南街联系点")
    Liaison.objects.create(contact_point=point, name="李四")
    page = client_for("director").get(reverse("stations:station_deactivate", args=[station_a.pk]))
    from stations.services import closing_with

    n = closing_with(station_a)
    assert n["points"] >= 1 and n["liaisons"] >= 1
    assert f"{n['points']}个在用联系点和{n['liaisons']}名联络员将随之停用" in page.content.decode()


def test_station_staff_manage_volunteers_of_their_station_only(client_for, station_a, station_b):
    response = client_for("staff_a").post(reverse("stations:volunteer_create"), {"name": "林晓雨",
                                                                                  "station": station_b.pk})
    volunteer = Volunteer.objects.get(name="林晓雨")
    assert volunteer.station == station_a
    assert response.status_code == 302
    Volunteer.objects.create(name="许佳琪", station=station_b)
    body = client_for("staff_a").get(reverse("stations:volunteer_list")).content.decode()
    assert "林晓雨" in body and "许佳琪" not in body


def test_volunteer_list_uses_a_fixed_number_of_queries(client_for, station_a):
    client = client_for("director")
    Volunteer.objects.create(name="志愿者", station=station_a)
    client.get(reverse("stations:volunteer_list"))
    before = queries_for(client, reverse("stations:volunteer_list"))
    Volunteer.objects.bulk_create([Volunteer(name=f"志愿者{i}", station=station_a) for i in range(30)])
    assert queries_for(client, reverse("stations:volunteer_list")) == before


def test_week_view_shows_monday_to_sunday_with_navigation(client_for, handler_profile):
    DutyShift.objects.create(date=dt.date(2026, 11, 25), place="示范县人民法院", handler=handler_profile)
    body = client_for("clerk").get(reverse("stations:duty_list") + "?week=2026-11-27").content.decode()
    assert "2026-11-23 – 2026-11-29" in body
    assert "示范县人民法院" in body and "张伟" in body
    assert "week=2026-11-16" in body and "week=2026-11-30" in body


def test_a_bad_week_parameter_falls_back_to_this_week(client_for, org):
    assert client_for("clerk").get(reverse("stations:duty_list") + "?week=2026-13-45").status_code == 200


def test_week_view_uses_a_fixed_number_of_queries(client_for, handler_profile):
    client = client_for("clerk")
    url = reverse("stations:duty_list") + "?week=2026-11-23&date_from=2026-11-01&date_to=2026-11-30"
    DutyShift.objects.create(date=dt.date(2026, 11, 23), place="法院", handler=handler_profile)
    client.get(url)
    before = queries_for(client, url)
    for i in range(1, 7):
        DutyShift.objects.create(date=dt.date(2026, 11, 23) + dt.timedelta(days=i), place="法院",
                                 handler=HandlerFactory())
    assert queries_for(client, url) == before


def test_duty_roster_exports_to_excel_with_the_agreed_columns(client_for, handler_profile, station_a):
    DutyShift.objects.create(date=dt.date(2026, 11, 25), place_kind="detention", place="示范县看守所",
                             handler=handler_profile, station=station_a, note="=1+1")
    DutyShift.objects.create(date=dt.date(2026, 12, 25), place="示范县人民法院", handler=handler_profile)
    response = client_for("clerk").get(reverse("stations:duty_list"),
                                       {"export": "xlsx", "date_from": "2026-11-23", "date_to": "2026-11-29"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("日期", "地点类型", "地点", "值班律师", "工作站", "备注")
    assert len(rows) == 2
    assert rows[1][1:5] == ("看守所", "示范县看守所", "张伟", "城关镇法律援助工作站")
    assert rows[1][5] == "'=1+1"


def test_a_duty_shift_clash_is_shown_on_the_form(client_for, handler_profile):
    DutyShift.objects.create(date=dt.date(2026, 11, 25), place="示范县人民法院", handler=handler_profile)
    response = client_for("clerk").post(reverse("stations:duty_create"), {
        "date": "2026-11-25", "place_kind": "detention", "place": "示范县看守所", "handler": handler_profile.pk})
    assert response.status_code == 200
    assert "该律师当天已有值班安排" in response.content.decode()
    assert DutyShift.objects.count() == 1


def test_director_home_shows_the_network_summary(client_for, org):
    body = client_for("director").get("/").content.decode()
    assert "工作站网络本年概况" in body and "新桥镇法律援助工作站" in body


def test_director_home_shows_only_the_busiest_stations_of_a_large_network(client_for, org, monkeypatch):
    from stations import home

    monkeypatch.setattr(home, "NETWORK_ROWS", 1)
    body = client_for("director").get("/").content.decode()
    table = body.split('data-testid="network-summary"')[1].split("</table>")[0]
    assert table.count("<tr><td>") == 1  # one station row below the header
    assert 'data-testid="network-busiest"' in body and "个工作站中最活跃的 1 个" in body
    assert reverse("stations:station_list") in body.split('data-testid="network-busiest"')[1][:400]


def test_station_staff_home_shows_their_station_this_year(client_for, org):
    body = client_for("staff_a").get("/").content.decode()
    assert "本站本年概况" in body and "城关镇法律援助工作站" in body


def test_demo_seed_is_idempotent(org):
    import random

    from publicity import demo as publicity_demo
    from publicity.models import Event
    from stations import demo as stations_demo

    class Out:
        def write(self, text):
            pass

    for _ in range(2):
        stations_demo.seed(rng=random.Random(1), stdout=Out())
        publicity_demo.seed(rng=random.Random(1), stdout=Out())
    assert Volunteer.objects.count() == 9
    assert Event.objects.count() == 40
    assert DutyShift.objects.exists()


def test_pages_render_in_chinese_with_the_demo_data(client_for, org):
    import random

    from publicity import demo as publicity_demo
    from publicity.models import Event
    from stations import demo as stations_demo

    class Out:
        def write(self, text):
            pass

    stations_demo.seed(rng=random.Random(7), stdout=Out())
    publicity_demo.seed(rng=random.Random(7), stdout=Out())
    station = org["stations"]["station-a"]
    event = Event.objects.filter(station=station).first()
    pages = [
        ("director", reverse("stations:station_list")),
        ("director", reverse("stations:station_detail", args=[station.pk])),
        ("director", "/"),
        ("staff_a", "/"),
        ("clerk", "/"),
        ("clerk", reverse("stations:duty_list")),
        ("staff_a", reverse("stations:volunteer_list")),
        ("staff_a", reverse("publicity:event_list")),
        ("staff_a", reverse("publicity:event_detail", args=[event.pk])),
        ("director", reverse("publicity:media_list")),
        ("director", reverse("publicity:event_create")),
    ]
    for persona, url in pages:
        response = client_for(persona).get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for english in (">Name<", ">Filter<", ">Materials<", ">History<", ">Station<", ">Date<"):
            assert english not in body, f"{english} on {url}"


def test_director_reactivates_a_deactivated_station_by_post(client_for, station_a, director):
    from stations import services

    services.station_deactivate(station=station_a, closed_on=dt.date(2026, 1, 1), by=director)
    client = client_for("director")
    assert "确定重新启用" in client.get(reverse("stations:station_reactivate", args=[station_a.pk])).content.decode()
    response = client.post(reverse("stations:station_reactivate", args=[station_a.pk]))
    assert response.status_code == 302
    station_a.refresh_from_db()
    assert station_a.active and station_a.closed_on is None


def test_reactivating_an_active_station_shows_why_and_changes_nothing(client_for, station_a):
    response = client_for("director").post(reverse("stations:station_reactivate", args=[station_a.pk]))
    assert response.status_code == 200
    assert "该记录已在启用状态" in response.content.decode()


def test_director_edits_and_deactivates_a_contact_point(client_for, station_a, handler_profile):
    from stations.models import ContactPoint

    point = ContactPoint.objects.filter(station=station_a).first()
    client = client_for("director")
    response = client.post(reverse("stations:contactpoint_edit", args=[point.pk]), {
        "name": point.name, "village": "东关社区", "legal_adviser": handler_profile.pk,
        "adviser_from": "2026-01-01", "adviser_until": "2026-12-31"})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.legal_adviser == handler_profile
    client.post(reverse("stations:contactpoint_deactivate", args=[point.pk]), {"closed_on": "2026-06-30"})
    point.refresh_from_db()
    assert not point.active and point.closed_on == dt.date(2026, 6, 30)
    body = client.get(reverse("stations:contactpoint_detail", args=[point.pk])).content.decode()
    assert "张伟" in body and "已停用" in body


def test_a_liaison_cannot_be_moved_to_another_stations_contact_point(client_for, station_a, station_b):
    from stations.models import ContactPoint, Liaison

    liaison = Liaison.objects.filter(contact_point__station=station_a).first()
    foreign = ContactPoint.objects.filter(station=station_b).first()
    response = client_for("director").post(reverse("stations:liaison_edit", args=[liaison.pk]), {
        "contact_point": foreign.pk, "name": "改名"})
    assert response.status_code == 200
    liaison.refresh_from_db()
    assert liaison.contact_point.station == station_a and liaison.name != "改名"


def test_station_staff_deactivate_and_reactivate_their_volunteer(client_for, station_a):
    volunteer = Volunteer.objects.create(name="林晓雨", station=station_a, opened_on=dt.date(2025, 1, 1))
    client = client_for("staff_a")
    client.post(reverse("stations:volunteer_deactivate", args=[volunteer.pk]), {"closed_on": "2026-01-01"})
    volunteer.refresh_from_db()
    assert not volunteer.active
    client.post(reverse("stations:volunteer_reactivate", args=[volunteer.pk]))
    volunteer.refresh_from_db()
    assert volunteer.active


def test_clerk_edits_a_duty_shift_and_the_history_shows_who(client_for, handler_profile, other_handler, clerk):
    shift = DutyShift.objects.create(date=dt.date(2026, 11, 25), place="示范县人民法院", handler=handler_profile)
    response = client_for("clerk").post(reverse("stations:duty_edit", args=[shift.pk]), {
        "date": "2026-11-25", "place_kind": "court", "place": "示范县人民法院", "handler": other_handler.pk})
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.handler == other_handler
    assert shift.history.order_by("-history_id").first().history_user == clerk


def test_admin_lists_stations_and_events_without_a_delete_action(client_for, org):
    client = client_for("superuser")
    for url in ("/admin/stations/station/", "/admin/stations/dutyshift/", "/admin/publicity/event/",
                "/admin/publicity/mediareport/", "/admin/stations/volunteer/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "delete_selected" not in response.content.decode()


def test_volunteer_page_lists_the_events_they_attended(client_for, station_a):
    from tests.factories import EventFactory

    volunteer = Volunteer.objects.create(name="林晓雨", station=station_a)
    event = EventFactory(station=station_a, title="青少年法治教育讲座")
    event.volunteers.add(volunteer)
    body = client_for("staff_a").get(reverse("stations:volunteer_detail", args=[volunteer.pk])).content.decode()
    assert "参加的宣传活动" in body and "青少年法治教育讲座" in body


def test_the_lookup_finds_names_for_a_filter(client_for, org):
    """The type-ahead of the list filters: up to 20 names containing the text, a handler with its provider."""
    from stations.models import Handler, Station

    handler = Handler.objects.order_by("pk").first()
    found = client_for("clerk").get(reverse("stations:lookup", args=["handlers"]), {"q": handler.name[-1]}).json()
    assert handler.pk in [r["id"] for r in found["results"]]
    assert all(handler.name[-1] in r["text"] for r in found["results"])
    station = Station.objects.order_by("pk").first()
    found = client_for("clerk").get(reverse("stations:lookup", args=["stations"]), {"q": station.name[:3]}).json()
    assert {"id": station.pk, "text": station.name} in found["results"]
    for i in range(25):
        Station.objects.create(name=f"测试站{i:02d}", code=f"t{i}")
    found = client_for("clerk").get(reverse("stations:lookup", args=["stations"]), {"q": "测试站"}).json()
    assert [r["text"] for r in found["results"]] == [f"测试站{i:02d}" for i in range(20)]
    assert client_for("clerk").get(reverse("stations:lookup", args=["stations"]), {"q": " "}).json() == {
        "results": []}
    assert client_for("clerk").get(reverse("stations:lookup", args=["nothing"]), {"q": "a"}).status_code == 404
    assert client_for("clerk").get(reverse("stations:lookup", args=["stations"]), {"q": "x" * 5000}).status_code == 200
    response = client_for("anonymous").get(reverse("stations:lookup", args=["handlers"]), {"q": "张"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
