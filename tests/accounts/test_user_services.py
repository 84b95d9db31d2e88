"""Writes of user management: create, edit, deactivate, reset; the rules that keep the center running."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import roles, services
from accounts.models import User

pytestmark = pytest.mark.django_db


def _new_clerk(by, username="newclerk", **kwargs):
    return services.user_create(username=username, full_name="王新", role_codes=[roles.CLERK], by=by, **kwargs)


def test_the_director_creates_a_clerk_with_a_one_time_password(director):
    user, password = _new_clerk(director, phone="13800000001")
    user.refresh_from_db()
    assert user.check_password(password) and len(password) == services.ONE_TIME_PASSWORD_LENGTH
    assert user.must_change_password and user.is_active and user.station is None
    assert user.role_codes == {roles.CLERK} and user.can("application_intake")
    rows = list(user.history.order_by("history_id"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert all(r.history_user == director for r in rows)
    assert list(rows[-1].groups.values_list("group__name", flat=True)) == [roles.CLERK]


def test_a_username_is_taken_once_whatever_its_case(director, clerk):
    with pytest.raises(ValidationError) as exc:
        _new_clerk(director, username="CLERK")
    assert "username" in exc.value.message_dict


def test_station_staff_need_a_station(director, station_a):
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="s", full_name="s", role_codes=[roles.STATION_STAFF], by=director)
    assert "station" in exc.value.message_dict
    user, _ = services.user_create(username="s", full_name="s", role_codes=[roles.STATION_STAFF],
                                   station=station_a, by=director)
    assert user.station == station_a


def test_roles_and_station_change_in_one_history_row_with_the_roles_named(director, staff_a, station_b):
    before = staff_a.history.count()
    services.user_update(user=staff_a, full_name="冯城关", role_codes=[roles.STATION_STAFF, roles.HANDLER],
                         station=station_b, by=director)
    staff_a.refresh_from_db()
    staff_a.__dict__.pop("role_codes", None)
    assert staff_a.station == station_b and staff_a.role_codes == {roles.STATION_STAFF, roles.HANDLER}
    assert staff_a.history.count() == before + 1
    row = staff_a.history.latest("history_id")
    assert row.history_user == director and "承办人" in row.history_change_reason


def test_the_history_table_names_the_roles_not_their_codes(director, staff_a):
    from django.utils import translation

    from core.history import history_rows

    services.user_update(user=staff_a, full_name="冯城关", role_codes=[roles.STATION_STAFF, roles.HANDLER],
                         station=staff_a.station, by=director)
    with translation.override("zh-hans"):
        changes = history_rows(staff_a)[0]["changes"]
    roles_change = next(change for change in changes if change["field"] == "角色")
    assert "承办人" in roles_change["new"] and "handler" not in roles_change["new"]


def test_only_a_director_gives_the_director_role_or_touches_a_director(clerk, director, org):
    administrator, _ = services.user_create(username="adm", full_name="管理员", role_codes=[roles.ADMIN],
                                            by=director)
    with pytest.raises(PermissionDenied):  # refusals, not mistakes in the form (issue 15.4)
        services.user_update(user=clerk, full_name="吴窗口", role_codes=[roles.DIRECTOR], by=administrator)
    with pytest.raises(PermissionDenied):
        services.user_password_reset(user=director, by=administrator)
    services.user_password_reset(user=clerk, by=administrator)


def test_nobody_without_the_capability_manages_users(clerk, reviewer):
    with pytest.raises(PermissionDenied):
        _new_clerk(clerk)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(user=reviewer, by=clerk)


def test_a_deactivated_user_cannot_log_in_and_is_kept(director, clerk, client):
    services.user_deactivate(user=clerk, by=director)
    clerk.refresh_from_db()
    assert not clerk.is_active and User.objects.filter(pk=clerk.pk).exists()
    assert clerk.history.latest("history_id").history_user == director
    login = {"username": "clerk", "password": "legalaid-demo"}
    assert client.post(reverse("login"), login).status_code == 200  # the form again, with an error
    services.user_reactivate(user=clerk, by=director)
    assert client.post(reverse("login"), login).status_code == 302


def test_a_user_cannot_deactivate_themself(director):
    with pytest.raises(ValidationError):
        services.user_deactivate(user=director, by=director)


def test_the_last_active_director_is_neither_deactivated_nor_demoted(director, superuser):
    with pytest.raises(ValidationError):
        services.user_deactivate(user=director, by=superuser)
    with pytest.raises(ValidationError):
        services.user_update(user=director, full_name="周主任", role_codes=[roles.CLERK], by=superuser)
    second, _ = services.user_create(username="d2", full_name="副主任", role_codes=[roles.DIRECTOR], by=director)
    services.user_deactivate(user=director, by=second)
    director.refresh_from_db()
    assert not director.is_active


def test_a_password_reset_gives_a_new_one_time_password_and_ends_sessions(director, clerk, client):
    client.force_login(clerk)
    password = services.user_password_reset(user=clerk, by=director)
    clerk.refresh_from_db()
    assert clerk.check_password(password) and not clerk.check_password("legalaid-demo")
    assert clerk.must_change_password
    assert client.get("/").status_code == 302  # the session ended with the old password
    row = clerk.history.latest("history_id")
    assert row.history_user == director and row.history_change_reason == "重置密码"


def test_choosing_a_new_password_spends_the_one_time_password(director, clerk):
    services.user_password_reset(user=clerk, by=director)
    clerk.refresh_from_db()
    services.user_password_changed(user=clerk)
    clerk.refresh_from_db()
    assert not clerk.must_change_password
