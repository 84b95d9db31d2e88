"""User management pages, the forced password change, the e-mail reset and the TOTP second factor."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles, services
from accounts.models import User
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


# Session, user, its two permission sets, count, page keys, page rows, their roles, stations for the filter,
# the navigation's to-do counts (core.counts, made afresh by queries_for), the session's save: the same for
# 9 users or 39.
USERS_LIST_QUERIES = 19


def test_the_users_list_costs_the_same_queries_for_ten_users_or_forty(client_for, director, station_a):
    client = client_for("director")
    few = queries_for(client, reverse("user_list"), {"active": "all"})
    for i in range(30):
        services.user_create(username=f"u{i}", full_name=f"用户{i}", role_codes=[roles.STATION_STAFF, roles.HANDLER],
                             station=station_a, by=director)
    assert queries_for(client, reverse("user_list"), {"active": "all"}) == few <= USERS_LIST_QUERIES
    response = client.get(reverse("user_list"), {"active": "all"})
    assert len(response.context["users"]) == 25 and "用户1" in response.content.decode()


def test_the_users_list_filters_by_role_station_status_and_search(client_for, director, clerk, staff_a, station_a):
    services.user_deactivate(user=clerk, by=director)
    client = client_for("director")

    def names(**params):
        return {u.username for u in client.get(reverse("user_list"), params).context["users"]}

    assert "clerk" not in names() and "clerk" in names(active="inactive")
    assert names(role=roles.STATION_STAFF) == {"staff_a", "staff_b"}
    assert names(station=str(station_a.pk)) == {"staff_a"}
    assert "staff_a" not in names(station="center")
    assert names(q="冯") == {"staff_a"}


def test_the_director_creates_a_user_and_sees_the_password_once(client_for, station_a):
    client = client_for("director")
    response = client.post(reverse("user_create"), {
        "username": "wang", "full_name": "王站", "phone": "", "email": "", "roles": [roles.STATION_STAFF],
        "station": station_a.pk})
    user = User.objects.get(username="wang")
    assert response["Location"] == reverse("user_password_shown", args=[user.pk])
    page = client.get(response["Location"]).content.decode()
    password = page.split('data-testid="one-time-password">')[1].split("<")[0]
    assert user.check_password(password)
    assert password not in client.get(response["Location"]).content.decode()


def test_a_user_with_a_one_time_password_must_change_it_first(director, clerk):
    password = services.user_password_reset(user=clerk, by=director)
    client = Client()
    assert client.post(reverse("login"), {"username": "clerk", "password": password}).status_code == 302
    assert client.get("/")["Location"] == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(reverse("password_change"), {
        "old_password": password, "new_password1": "Qingshui-2026-xyz", "new_password2": "Qingshui-2026-xyz"})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.must_change_password
    assert client.get("/").status_code == 200


def test_the_detail_page_refuses_to_deactivate_oneself(client_for, director):
    client = client_for("director")
    assert 'data-testid="deactivate"' not in client.get(reverse("user_detail", args=[director.pk])).content.decode()
    client.post(reverse("user_deactivate", args=[director.pk]))
    director.refresh_from_db()
    assert director.is_active


@override_settings(PASSWORD_RESET_BY_EMAIL=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_where_mail_is_configured_a_user_resets_their_password_by_email(clerk):
    clerk.email = "clerk@example.org"
    clerk.save()
    client = Client()
    assert "忘记密码" in client.get(reverse("login")).content.decode()
    client.post(reverse("password_reset"), {"email": "clerk@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/forgot/" in line)
    form = client.get(link.split("testserver")[1], follow=True)
    assert form.context["validlink"]
    client.post(form.redirect_chain[-1][0], {"new_password1": "Qingshui-2026-xyz",
                                              "new_password2": "Qingshui-2026-xyz"})
    clerk.refresh_from_db()
    assert clerk.check_password("Qingshui-2026-xyz")


@override_settings(PASSWORD_RESET_BY_EMAIL=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_director_may_send_a_reset_link_instead(client_for, clerk):
    clerk.email = "clerk@example.org"
    clerk.save()
    client_for("director").post(reverse("user_password_reset", args=[clerk.pk]), {"method": "email"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["clerk@example.org"]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrol(client: Client, user: User) -> TOTPDevice:
    assert "<svg" in client.get(reverse("otp_setup")).content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert client.post(reverse("otp_setup"), {"token": _code(device)}).status_code == 302
    user.refresh_from_db()
    assert user.otp_enrolled
    return device


def test_an_enrolled_user_logs_in_with_a_code(director):
    client = Client()
    client.force_login(director)
    device = _enrol(client, director)
    client = Client()
    response = client.post(reverse("login"), {"username": "director", "password": "legalaid-demo"})
    assert response["Location"] == reverse("login_code")
    assert client.get("/").status_code == 302  # not logged in yet
    assert "不正确" in client.post(reverse("login_code"), {"token": "000000"}).content.decode()
    device.refresh_from_db()
    device.last_t = -1  # the enrolment used this time step's code, which TOTP refuses twice
    device.throttle_reset()  # a wrong code makes the next one wait
    response = client.post(reverse("login_code"), {"token": _code(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_session_opened_without_the_code_ends(director):
    client = Client()
    client.force_login(director)
    _enrol(client, director)
    other = Client()
    other.force_login(director)  # as the admin's own login form would
    assert other.get("/")["Location"].startswith(reverse("login"))


def test_the_director_resets_a_lost_device(director, clerk):
    client = Client()
    client.force_login(clerk)
    _enrol(client, clerk)
    services.user_otp_reset(user=clerk, by=director)
    clerk.refresh_from_db()
    assert not clerk.otp_enrolled and not TOTPDevice.objects.filter(user=clerk).exists()
    assert Client().post(reverse("login"), {"username": "clerk", "password": "legalaid-demo"})["Location"] == "/"


@override_settings(OTP_REQUIRED_ROLES=[roles.DIRECTOR, roles.ADMIN])
def test_a_role_that_requires_the_second_factor_enrols_before_anything_else(client_for):
    assert client_for("director").get("/")["Location"] == reverse("otp_setup")
    assert client_for("clerk").get("/").status_code == 200


def test_an_administrator_is_not_offered_the_director_role_and_is_refused_a_directors_account(client_for, director,
                                                                                              clerk):
    """The `admin` persona is a superuser too: an administrator who is not one is made here."""
    administrator, _ = services.user_create(username="adm", full_name="管理员", role_codes=[roles.ADMIN], by=director)
    User.objects.filter(pk=administrator.pk).update(must_change_password=False)
    admin = Client()
    admin.force_login(administrator)
    offered = dict(admin.get(reverse("user_edit", args=[clerk.pk])).context["form"].fields["roles"].choices)
    assert roles.DIRECTOR not in offered and roles.CLERK in offered
    by_director = client_for("director").get(reverse("user_edit", args=[clerk.pk])).context["form"]
    assert roles.DIRECTOR in dict(by_director.fields["roles"].choices)
    response = admin.post(reverse("user_edit", args=[director.pk]), {"full_name": "周主任", "roles": [roles.CLERK]})
    assert response.status_code == 403  # a refusal, not a form error (issue 15.4)
    director.refresh_from_db()
    assert director.has_role(roles.DIRECTOR)
