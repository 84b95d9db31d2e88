"""The permission table of the shell, and the check that every URL has a table somewhere."""

import pytest

from tests.permission_table import PERSONAS, all_url_names, check, expect, names_in_permission_tables

SHELL_TABLE = [
    # (url name, method, path, expected)
    ("home", "GET", "/", expect(200, outsider=200)),
    ("profile", "GET", "/accounts/me/", expect(200, outsider=200)),
    ("password_change", "GET", "/accounts/password/", expect(200, outsider=200)),
    ("password_change_done", "GET", "/accounts/password/done/", expect(200, outsider=200)),
    ("healthz", "GET", "/healthz", {p: 200 for p in PERSONAS}),
    ("login", "GET", "/accounts/login/", {**{p: 302 for p in PERSONAS}, "anonymous": 200}),
    ("set_language", "POST", "/i18n/setlang/", {p: 302 for p in PERSONAS}),
    ("logout", "POST", "/accounts/logout/", {p: 302 for p in PERSONAS}),
    ("admin:index", "GET", "/admin/", {**expect(302), "admin": 200, "director": 200, "outsider": 302}),
]


@pytest.mark.parametrize("name,method,path,expected", SHELL_TABLE, ids=[row[0] for row in SHELL_TABLE])
def test_shell_urls_answer_each_persona_as_the_table_says(client_for, name, method, path, expected):
    to_login = name not in {"set_language", "admin:index"}
    assert check(client_for, method, path, expected, anonymous_to_login=to_login) == []


def test_every_url_name_appears_in_a_permission_table(db):
    tables = names_in_permission_tables()
    missing = sorted(name for name in all_url_names() if f'"{name}"' not in tables)
    assert missing == [], f"URL names without a permission table row: {missing}"
