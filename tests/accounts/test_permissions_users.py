"""Who may open the user management pages, the second-factor pages and the e-mail password reset."""

import pytest
from django.test import override_settings

from tests.permission_table import PERSONAS, check, expect

MANAGERS = {"director": 200, "admin": 200}


def _table(target_pk: int) -> list[tuple[str, str, str, dict]]:
    user = f"/accounts/users/{target_pk}/"
    return [
        ("user_list", "GET", "/accounts/users/", expect(403, **MANAGERS)),
        ("user_create", "GET", "/accounts/users/new/", expect(403, **MANAGERS)),
        ("user_detail", "GET", user, expect(403, **MANAGERS)),
        ("user_edit", "GET", f"{user}edit/", expect(403, **MANAGERS)),
        ("user_password_reset", "GET", f"{user}password/", expect(403, **MANAGERS)),
        ("user_password_shown", "GET", f"{user}password/shown/", expect(403, **MANAGERS)),
        ("user_otp_reset", "POST", f"{user}two-step-reset/", expect(403, director=302, admin=302)),
        ("user_reactivate", "POST", f"{user}reactivate/", expect(403, director=302, admin=302)),
        ("user_deactivate", "POST", f"{user}deactivate/", expect(403, director=302, admin=302)),
        ("otp_setup", "GET", "/accounts/me/two-step/", expect(200, outsider=200)),
        ("login_code", "GET", "/accounts/login/code/", {p: 302 for p in PERSONAS}),
    ]


def test_user_pages_answer_each_persona_as_the_table_says(client_for, outsider):
    problems = []
    for _name, method, path, expected in _table(outsider.pk):
        problems += check(client_for, method, path, expected)
    assert problems == []


RESET = [
    ("password_reset", "/accounts/password/forgot/"),
    ("password_reset_done", "/accounts/password/forgot/sent/"),
    ("password_reset_confirm", "/accounts/password/forgot/MQ/set-password/"),
    ("password_reset_complete", "/accounts/password/forgot/done/"),
]


@pytest.mark.parametrize("name,path", RESET, ids=[r[0] for r in RESET])
def test_the_email_reset_pages_are_not_there_without_mail(client_for, name, path):
    assert check(client_for, "GET", path, {p: 404 for p in PERSONAS}) == []


@pytest.mark.parametrize("name,path", RESET, ids=[r[0] for r in RESET])
@override_settings(PASSWORD_RESET_BY_EMAIL=True)
def test_the_email_reset_pages_open_to_anyone_where_mail_is_configured(client_for, name, path):
    assert check(client_for, "GET", path, {p: 200 for p in PERSONAS}, anonymous_to_login=False) == []
