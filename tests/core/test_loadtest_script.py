"""The load test's Locust users (scripts/loadtest_locustfile.py, issue 14) still match the site, without running
Locust: the user mix, the accounts they log in as, and every URL they request (a renamed URL breaks this test)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from accounts import roles
from stations.demo_base import ACCOUNTS, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = ROOT / "scripts" / "loadtest_locustfile.py"
SAMPLES = {"id": "12", "code": "cases.accepted"}
ROLES = {"IntakeClerk": roles.CLERK, "Handler": roles.HANDLER, "StationStaff": roles.STATION_STAFF,
         "Director": roles.DIRECTOR}
# The helpers of the locustfile that take a key of PATHS, and the argument that is the key.
KEY_ARGS = {"path": 0, "name": 0, "href_re": 0, "links": 1, "pick_link": 1, "open_from": 1}


@pytest.fixture(scope="module")
def locustfile():
    """Imported as Locust would, but without gevent's monkey-patching of this test process."""
    patch = pytest.MonkeyPatch()
    patch.setenv("LOCUST_SKIP_MONKEY_PATCH", "1")
    try:
        spec = importlib.util.spec_from_file_location("loadtest_locustfile", LOCUSTFILE)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    finally:
        patch.undo()
    yield module
    sys.modules.pop("loadtest_locustfile", None)


def _user_classes(module) -> dict[str, type]:
    from locust import HttpUser

    return {name: value for name, value in vars(module).items()
            if isinstance(value, type) and issubclass(value, HttpUser) and value is not HttpUser
            and not value.__dict__.get("abstract", False)}


def test_the_user_mix_is_thirty_users_of_four_kinds(locustfile):
    classes = _user_classes(locustfile)
    assert set(classes) == set(locustfile.USER_MIX) == set(ROLES)
    assert {name: cls.weight for name, cls in classes.items()} == locustfile.USER_MIX
    # `locust -u 30` gives each kind exactly its weight
    assert sum(cls.weight for cls in classes.values()) == 30
    assert all(cls.tasks for cls in classes.values())
    assert "Mobile" in classes["StationStaff"].user_agent


def test_the_users_log_in_as_the_demo_accounts_of_their_role(locustfile):
    accounts = {username: role for username, _name, role, *_rest in ACCOUNTS}
    for name, cls in _user_classes(locustfile).items():
        assert cls.usernames
        for username in cls.usernames:
            assert accounts.get(username) == ROLES[name], (name, username)
    assert locustfile.PASSWORD == DEMO_PASSWORD


def test_every_path_resolves_to_its_url_name(locustfile):
    for key, (url_name, template) in locustfile.PATHS.items():
        url = urlsplit(template.format(**SAMPLES)).path
        match = resolve(url)
        assert match.view_name == url_name, (key, url, match.view_name)
        assert reverse(url_name, args=match.args, kwargs=match.captured_kwargs) == url, key


def test_links_are_found_as_the_site_writes_them(locustfile):
    case = reverse("cases:case_detail", args=[12])
    figure = reverse("reports:figure", args=["cases.accepted"]) + "?period=2026&amp;as_of=2026-12-02&amp;station=1"
    page = (f'<a href="{case}">x</a> <a href="{case}progress/">p</a> <a href="{figure}">f</a> '
            f'<a href="{reverse("intake:consultation_create")}">new</a>')
    assert [m["id"] for m in locustfile.links(page, "case_detail")] == ["12"]
    assert [m["id"] for m in locustfile.links(page, "case_progress")] == ["12"]
    assert [m["code"] for m in locustfile.links(page, "figure")] == ["cases.accepted"]
    assert locustfile.links(page, "consultation_detail") == []  # "new" is not an id


def test_forms_are_submitted_with_what_a_browser_sends(locustfile):
    page = """<form method="post" action="/i18n/setlang/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <select name="language"><option value="zh-hans" selected>中文</option></select></form>
      <form method="post" enctype="multipart/form-data"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <select name="kind"><option value="meeting">会见</option><option value="other">其他</option></select>
      <select name="topic"><option value="" selected>---</option><option value="land">土地</option></select>
      <input type="date" name="on" value="2026-12-02"><textarea name="note">
</textarea><input type="checkbox" name="groups" value="women" checked><input type="checkbox" name="groups" value="minor">
      <input type="file" name="files"><input name="gone" value="x" disabled><button type="submit">保存</button></form>"""
    form = locustfile.find_form(page, "kind", "note")
    assert form.enctype == "multipart/form-data"
    assert form.fields == [("csrfmiddlewaretoken", "t"), ("kind", "meeting"), ("topic", ""), ("on", "2026-12-02"),
                           ("note", ""), ("groups", "women")]
    assert form.choices["topic"] == ["", "land"]
    assert ("note", "开会") in form.data(note="开会") and ("note", "") not in form.data(note="开会")
    assert locustfile.find_form(page, "nothing") is None


def test_every_url_requested_comes_from_paths(locustfile):
    """No path written outside PATHS, and every key the tasks name is one of PATHS."""
    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    paths_node = next(n for n in tree.body if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "PATHS")
    inside = {id(n) for n in ast.walk(paths_node)}
    stray = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and n.value.startswith("/") and id(n) not in inside]
    assert stray == []
    keys = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = KEY_ARGS.get(func)
            if position is not None and len(node.args) > position and isinstance(node.args[position], ast.Constant):
                keys.append(node.args[position].value)
            keys += [k.value.value for k in node.keywords if k.arg == "expect" and isinstance(k.value, ast.Constant)]
    assert len(keys) > 20
    assert set(keys) <= set(locustfile.PATHS), set(keys) - set(locustfile.PATHS)
