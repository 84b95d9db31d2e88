import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from publicity.models import Event, EventPhoto, MediaReport
from stations.models import Volunteer
from tests.factories import EventFactory, MediaReportFactory
from tests.helpers import queries_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def event_post(**kw):
    data = {"date": "2026-11-20", "title": "法律援助进社区宣传活动", "form": "community", "place": "东关社区广场",
            "materials": "200", "onsite": "30", "audience": "150", "note": ""}
    data.update(kw)
    return data


@freeze_time("2026-11-24 10:00")
def test_station_staff_record_an_event_of_their_own_station_with_people_and_photos(client_for, station_a, staff_a,
                                                                                    handler_profile):
    volunteer = Volunteer.objects.create(name="林晓雨", station=station_a)
    response = client_for("staff_a").post(reverse("publicity:event_create"), event_post(
        station=station_a.pk, staff=[staff_a.pk], lawyers=[handler_profile.pk], volunteers=[volunteer.pk],
        photos=[SimpleUploadedFile("现场.jpg", JPG), SimpleUploadedFile("b.PNG", PNG)]))
    event = Event.objects.get()
    assert response["Location"] == reverse("publicity:event_detail", args=[event.pk])
    assert event.station == station_a and event.created_by == staff_a
    assert list(event.staff.all()) == [staff_a] and list(event.volunteers.all()) == [volunteer]
    assert event.photos.count() == 2
    photo = event.photos.first()
    served = client_for("staff_a").get(reverse("publicity:event_photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == JPG
    assert event.history.first().history_user == staff_a


@freeze_time("2026-11-24 10:00")
def test_a_form_error_says_the_chosen_photos_must_be_chosen_again(client_for, station_a):
    response = client_for("staff_a").post(reverse("publicity:event_create"), event_post(
        station=station_a.pk, materials="-5", photos=[SimpleUploadedFile("现场.jpg", JPG)]))
    assert response.status_code == 200
    assert "重新选择照片" in response.context["form"].errors["photos"][0]
    assert not Event.objects.exists() and not EventPhoto.objects.exists()
    without_photos = client_for("staff_a").post(reverse("publicity:event_create"), event_post(
        station=station_a.pk, materials="-5"))
    assert "photos" not in without_photos.context["form"].errors


@freeze_time("2026-11-24 10:00")
def test_station_staff_cannot_post_another_stations_id(client_for, station_b):
    response = client_for("staff_a").post(reverse("publicity:event_create"), event_post(station=station_b.pk))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Event.objects.exists()


@freeze_time("2026-11-24 10:00")
def test_station_staff_cannot_edit_another_stations_event(client_for, station_b):
    event = EventFactory(station=station_b, title="原标题")
    response = client_for("staff_a").post(reverse("publicity:event_edit", args=[event.pk]),
                                          event_post(title="改过的标题"))
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.title == "原标题"


@freeze_time("2026-11-24 10:00")
def test_negative_counts_are_refused_and_nothing_is_saved(client_for, station_a):
    response = client_for("staff_a").post(reverse("publicity:event_create"),
                                          event_post(station=station_a.pk, materials="-5", audience="abc"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "确保该值大于或等于0" in body and "输入整数" in body
    assert "尚未保存" in body
    assert not Event.objects.exists()


@freeze_time("2026-11-24 10:00")
def test_a_future_event_date_is_refused(client_for, station_a):
    response = client_for("staff_a").post(reverse("publicity:event_create"),
                                          event_post(station=station_a.pk, date="2026-11-25"))
    assert "日期不能晚于今天" in response.content.decode()
    assert not Event.objects.exists()


@freeze_time("2026-11-24 10:00")
def test_photos_other_than_real_jpg_or_png_are_refused(client_for, station_a, settings):
    cases = [
        (SimpleUploadedFile("a.gif", b"GIF89a" + b"\x00" * 20), "只能上传JPG或PNG"),
        (SimpleUploadedFile("fake.png", b"not a picture at all"), "不是有效的JPG或PNG图片"),
    ]
    for upload, message in cases:
        response = client_for("staff_a").post(reverse("publicity:event_create"),
                                              event_post(station=station_a.pk, photos=[upload]))
        assert message in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 50
    response = client_for("staff_a").post(reverse("publicity:event_create"),
                                          event_post(station=station_a.pk, photos=[SimpleUploadedFile("big.jpg", JPG)]))
    assert "文件过大" in response.content.decode()
    assert not Event.objects.exists() and not EventPhoto.objects.exists()


@freeze_time("2026-11-24 10:00")
def test_center_staff_record_an_event_of_the_center_itself(client_for, director):
    client_for("director").post(reverse("publicity:event_create"), event_post(station="", staff=[director.pk]))
    assert Event.objects.get().station is None


def test_station_staff_list_only_their_station_and_totals_follow_the_filters(client_for, station_a, station_b):
    EventFactory(station=station_a, date=dt.date(2026, 3, 1), form="school", materials=100, onsite=10, audience=50)
    EventFactory(station=station_a, date=dt.date(2026, 6, 1), form="community", materials=7, onsite=3, audience=20)
    EventFactory(station=station_b, date=dt.date(2026, 6, 1), materials=999, onsite=999, audience=999)
    response = client_for("staff_a").get(reverse("publicity:event_list"))
    assert response.context["totals"] == {"count": 2, "materials": 107, "onsite": 13, "audience": 70}
    response = client_for("director").get(reverse("publicity:event_list"), {
        "date_from": "2026-05-01", "date_to": "2026-12-31", "station": [station_a.pk, station_b.pk]})
    assert response.context["totals"]["count"] == 2 and response.context["totals"]["materials"] == 1006
    response = client_for("director").get(reverse("publicity:event_list"), {"form": ["school"]})
    assert response.context["totals"]["count"] == 1


def test_station_center_filter_means_the_centers_own_events(client_for, station_a):
    EventFactory(station=None, title="中心本级活动")
    EventFactory(station=station_a, title="工作站活动")
    response = client_for("director").get(reverse("publicity:event_list"), {"station": "center"})
    assert [e.title for e in response.context["events"]] == ["中心本级活动"]


def test_a_malformed_filter_date_shows_an_error_not_a_crash(client_for, org):
    response = client_for("director").get(reverse("publicity:event_list"), {"date_from": "2026-02-31"})
    assert response.status_code == 200


def test_event_list_uses_a_fixed_number_of_queries(client_for, station_a):
    client = client_for("director")
    EventFactory(station=station_a)
    client.get(reverse("publicity:event_list"))
    before = queries_for(client, reverse("publicity:event_list"))
    EventFactory.create_batch(30, station=station_a)
    assert queries_for(client, reverse("publicity:event_list")) == before


def test_media_list_uses_a_fixed_number_of_queries(client_for, station_a):
    client = client_for("director")
    MediaReportFactory(event=EventFactory(station=station_a))
    client.get(reverse("publicity:media_list"))
    before = queries_for(client, reverse("publicity:media_list"))
    for _ in range(10):
        MediaReportFactory(event=EventFactory(station=station_a))
    assert queries_for(client, reverse("publicity:media_list")) == before


def _rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book.sheetnames, list(book.active.iter_rows(values_only=True))


def test_event_export_follows_the_filters_in_the_ledger_columns(client_for, station_a, station_b):
    EventFactory(station=station_a, title="=HYPERLINK(1)", date=dt.date(2026, 3, 1))
    EventFactory(station=station_b, date=dt.date(2026, 3, 1))
    response = client_for("director").get(reverse("publicity:event_list"),
                                          {"export": "xlsx", "station": station_a.pk})
    sheets, rows = _rows(response)
    assert sheets == ["宣传活动"]
    assert rows[0][:8] == ("日期", "活动名称", "活动形式", "地点", "工作站", "发放资料", "现场咨询", "受众")
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)" and rows[1][4] == "城关镇法律援助工作站"


def test_media_report_is_recorded_and_exported(client_for, station_a):
    with freeze_time("2026-11-24 10:00"):
        response = client_for("director").post(reverse("publicity:media_create"), {
            "date": "2026-11-20", "outlet": "省法治报", "level": "province", "title": "法援服务圈",
            "link": "https://news.example.cn/1", "station": ""})
    report = MediaReport.objects.get()
    assert response["Location"] == reverse("publicity:media_detail", args=[report.pk])
    sheets, rows = _rows(client_for("director").get(reverse("publicity:media_list"),
                                                    {"export": "xlsx", "level": "province"}))
    assert sheets == ["媒体报道"]
    assert rows[0][:5] == ("日期", "媒体", "级别", "标题", "链接")
    assert rows[1][1:4] == ("省法治报", "省级", "法援服务圈")


@freeze_time("2026-11-24 10:00")
def test_media_report_with_a_javascript_link_or_future_date_is_refused(client_for, org):
    response = client_for("director").post(reverse("publicity:media_create"), {
        "date": "2027-01-01", "outlet": "市日报", "level": "city", "link": "javascript:alert(1)"})
    body = response.content.decode()
    assert "日期不能晚于今天" in body and "URL" in body
    assert not MediaReport.objects.exists()


def test_station_staff_media_list_hides_other_stations(client_for, station_a, station_b):
    MediaReportFactory(station=station_a, title="甲站报道")
    MediaReportFactory(station=station_b, title="乙站报道")
    body = client_for("staff_a").get(reverse("publicity:media_list")).content.decode()
    assert "甲站报道" in body and "乙站报道" not in body


def test_event_detail_shows_people_photos_and_history(client_for, station_a, staff_a):
    event = EventFactory(station=station_a)
    event.staff.set([staff_a])
    body = client_for("director").get(reverse("publicity:event_detail", args=[event.pk])).content.decode()
    assert "冯城关" in body and "变更记录" in body and "发放资料" in body


def test_station_staff_cannot_edit_another_stations_media_report(client_for, station_b):
    report = MediaReportFactory(station=station_b, title="乙站报道")
    response = client_for("staff_a").post(reverse("publicity:media_edit", args=[report.pk]), {
        "date": "2026-11-20", "outlet": "改", "level": "county"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.outlet == "示范县融媒体中心"


def test_station_staff_cannot_see_another_stations_photo(client_for, station_b):
    from django.core.files.base import ContentFile

    photo = EventPhoto(event=EventFactory(station=station_b))
    photo.file.save("b.png", ContentFile(PNG), save=True)
    assert client_for("staff_a").get(reverse("publicity:event_photo", args=[photo.pk])).status_code == 404


@freeze_time("2026-11-24 10:00")
def test_staff_edit_their_event_and_add_a_photo(client_for, station_a, staff_a):
    event = EventFactory(station=station_a, date=dt.date(2026, 11, 1))
    response = client_for("staff_a").post(reverse("publicity:event_edit", args=[event.pk]), event_post(
        station=station_a.pk, title="改后的标题", photos=[SimpleUploadedFile("x.png", PNG)]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "改后的标题" and event.photos.count() == 1
    assert event.history.order_by("-history_id").first().history_user == staff_a


def test_a_removed_photo_is_hidden_everywhere_kept_on_disk_and_noted_in_the_history(client_for, station_a, staff_a):
    from django.core.files.base import ContentFile

    from publicity import services

    event = EventFactory(station=station_a)
    keep, wrong = (EventPhoto(event=event, caption=name) for name in ("合影.png", "错传.png"))
    for photo in (keep, wrong):
        photo.file.save("p.png", ContentFile(PNG), save=True)
    c = client_for("staff_a")
    response = c.post(reverse("publicity:photo_remove", args=[wrong.pk]), follow=True)
    assert "照片已移除" in response.content.decode()
    wrong.refresh_from_db()
    assert wrong.removed_by == staff_a and wrong.removed_at is not None and wrong.file.storage.exists(wrong.file.name)
    detail = c.get(reverse("publicity:event_detail", args=[event.pk])).content.decode()
    assert reverse("publicity:event_photo", args=[keep.pk]) in detail
    assert reverse("publicity:event_photo", args=[wrong.pk]) not in detail
    history = client_for("director").get(reverse("publicity:event_detail", args=[event.pk])).content.decode()
    assert "照片已移除：错传.png" in history  # the event's history says who removed which photo
    assert c.get(reverse("publicity:event_photo", args=[wrong.pk])).status_code == 404
    listing = c.get(reverse("publicity:event_list"))
    assert [e.photo_count for e in listing.context["page_obj"] if e.pk == event.pk] == [1]
    with pytest.raises(ValidationError):
        services.photo_remove(photo=wrong, by=staff_a)


@freeze_time("2026-11-24 10:00")
def test_a_province_s_lawyers_and_volunteers_are_chosen_by_type_ahead(client_for, station_a, station_b,
                                                                      handler_profile, monkeypatch):
    """Past core.forms_renderer.LONG_LIST choices the event form lists no lawyers or volunteers: they are searched
    by name (stations:lookup), station staff finding only their station's volunteers and the center's pool."""
    from core import forms_renderer

    ours = Volunteer.objects.create(name="林晓雨", station=station_a)
    pool = Volunteer.objects.create(name="林中鹿")
    Volunteer.objects.create(name="林其他", station=station_b)
    monkeypatch.setattr(forms_renderer, "LONG_LIST", 0)
    staff = client_for("staff_a")
    html = staff.get(reverse("publicity:event_create")).content.decode()
    assert 'data-lookup="/stations/lookup/handlers/"' in html and 'data-lookup="/stations/lookup/volunteers/"' in html
    assert "林晓雨" not in html and handler_profile.name not in html
    found = staff.get(reverse("stations:lookup", args=["volunteers"]), {"q": "林"}).json()["results"]
    assert {r["text"] for r in found} == {"林晓雨", "林中鹿"}
    center = client_for("clerk").get(reverse("stations:lookup", args=["volunteers"]), {"q": "林"}).json()["results"]
    assert len(center) == 3
    staff.post(reverse("publicity:event_create"), event_post(
        station=station_a.pk, lawyers=[handler_profile.pk], volunteers=[ours.pk, pool.pk]))
    event = Event.objects.get()
    assert list(event.lawyers.all()) == [handler_profile]
    assert set(event.volunteers.all()) == {ours, pool}
    edit = staff.get(reverse("publicity:event_edit", args=[event.pk])).content.decode()
    assert "林晓雨" in edit and "林中鹿" in edit  # the chosen ones stay in the select
