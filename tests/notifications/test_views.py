"""The inbox, opening and reading messages, the channel choice, and the bell on every page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


def send(user, n=1, **kw):
    return [notify(recipient=user, kind="digest", title=f"提醒{i}", body="正文", url=kw.get("url", "/cases/"),
                   dedupe_key=f"t:{i}") for i in range(n)]


def test_the_inbox_costs_the_same_queries_for_few_messages_or_many(client_for, handler):
    send(handler, 2)
    client = client_for("handler")
    few = queries_for(client, reverse("notifications:inbox"))
    for i in range(30):
        notify(recipient=handler, kind="digest", title=f"更多{i}", url="/cases/", dedupe_key=f"more:{i}")
    assert queries_for(client, reverse("notifications:inbox")) == few
    page = client.get(reverse("notifications:inbox")).context["page_obj"]
    assert page.paginator.count == 32 and len(page.object_list) == 25


def test_the_inbox_lists_the_persons_own_messages_newest_first_with_the_unread_marked(client_for, handler, clerk):
    first, second = send(handler, 2)
    send(clerk, 1)
    first.read_at = first.created_at
    first.save()
    response = client_for("handler").get(reverse("notifications:inbox"))
    html = response.content.decode()
    assert [n.pk for n in response.context["page_obj"]] == [second.pk, first.pk]
    assert html.count('data-unread="1"') == 1 and html.count('data-unread="0"') == 1
    assert "提醒1" in html and "正文" in html


def test_the_unread_filter_hides_what_was_read(client_for, handler):
    first, second = send(handler, 2)
    client_for("handler").get(reverse("notifications:open", args=[first.pk]))
    response = client_for("handler").get(reverse("notifications:inbox"), {"unread": "1"})
    assert [n.pk for n in response.context["page_obj"]] == [second.pk]


def test_the_inbox_pages_through_many_messages(client_for, handler):
    send(handler, 30)
    response = client_for("handler").get(reverse("notifications:inbox"), {"page": "2"})
    assert len(response.context["page_obj"]) == 5
    assert client_for("handler").get(reverse("notifications:inbox"), {"page": "x'"}).status_code == 200


def test_opening_a_message_marks_it_read_and_follows_its_link(client_for, handler):
    (note,) = send(handler, 1, url="/cases/?overdue=1")
    response = client_for("handler").get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/?overdue=1"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_message_without_a_link_or_with_a_foreign_one_opens_the_inbox(client_for, handler):
    (plain,) = send(handler, 1, url="")
    foreign = notify(recipient=handler, kind="digest", title="x", url="https://evil.example/")
    assert client_for("handler").get(reverse("notifications:open", args=[plain.pk]))["Location"] == "/notifications/"
    assert client_for("handler").get(reverse("notifications:open", args=[foreign.pk]))["Location"] == \
        "/notifications/"


def test_someone_elses_message_is_not_found_and_stays_unread(client_for, handler):
    (note,) = send(handler, 1)
    assert client_for("clerk").get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client_for("clerk").post(reverse("notifications:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_touches_only_ones_own(client_for, handler, clerk):
    send(handler, 3)
    send(clerk, 2)
    response = client_for("handler").post(reverse("notifications:read_all"), follow=True)
    assert "已将 3 条通知标为已读" in response.content.decode()
    assert Notification.objects.filter(recipient=handler, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=clerk, read_at__isnull=True).count() == 2


def test_mark_one_read_goes_back_to_the_page_it_came_from_and_never_elsewhere(client_for, handler):
    a, b = send(handler, 2)
    client = client_for("handler")
    assert client.post(reverse("notifications:read", args=[a.pk]), {"next": "/notifications/?unread=1"})[
        "Location"] == "/notifications/?unread=1"
    assert client.post(reverse("notifications:read", args=[b.pk]), {"next": "https://evil.example/"})[
        "Location"] == "/notifications/"
    assert Notification.objects.filter(recipient=handler, read_at__isnull=True).count() == 0


def test_the_bell_shows_the_unread_count_on_every_page(client_for, handler):
    send(handler, 3)
    html = client_for("handler").get(reverse("home")).content.decode()
    assert 'data-testid="notification-count">3<' in html
    client_for("handler").post(reverse("notifications:read_all"))
    html = client_for("handler").get(reverse("home")).content.decode()
    assert 'data-testid="notification-count"' not in html and 'data-testid="notification-bell"' in html


def test_the_bell_costs_no_query_once_warm(client_for, handler):
    send(handler, 2)
    client = client_for("handler")
    client.get(reverse("notifications:preferences"))  # warm: the navigation's counts and the bell
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("notifications:preferences"))
    assert not [q for q in warm.captured_queries if '"notifications_notification"' in q["sql"]]
    send_more = notify(recipient=handler, kind="digest", title="新提醒")  # a new message clears the count
    assert send_more is not None
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert 'data-testid="notification-count">3<' in html


def test_preferences_are_saved_with_history(client_for, handler):
    handler.email = "zw@example.cn"
    handler.save()
    response = client_for("handler").post(reverse("notifications:preferences"),
                                          {"email": "on", "sms": "on", "phone": "139 1234 5678"})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=handler)
    assert (pref.email, pref.sms, pref.phone) == (True, True, "13912345678")
    assert pref.history.get().history_user == handler


@pytest.mark.parametrize("data, field, message", [
    ({"sms": "on", "phone": "12345"}, "phone", "请填写以1开头的11位手机号码。"),
    ({"sms": "on", "phone": ""}, "phone", "请填写接收短信的手机号码。"),
    ({"email": "on"}, "email", "您的账户没有电子邮箱，请联系管理员添加。"),
])
def test_bad_preferences_are_refused_with_a_clear_message_and_nothing_saved(client_for, handler, data, field,
                                                                            message):
    response = client_for("handler").post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not NotificationPreference.objects.exists()


def test_assigning_a_case_rings_the_handlers_bell(client_for, clerk, handler_profile):
    import datetime as dt

    from cases.services import case_assign
    from tests.factories import make_case

    today = dt.date.today()
    case = make_case(accepted_on=today)
    case_assign(case=case, handler=handler_profile, on=today, by=clerk)
    html = client_for("handler").get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="notification-count">1<' in html and "已指派给您" in html
