"""Audit: hostile POSTs (forms and buttons) never give a 500, and refused input changes nothing.

The project's definition of done: "Bad input gets a clear message and changes nothing; no input, parameter or
file ever gives a 500" (also /work/shared/hooks/before-stop: "Does bad input give a clear message on the form and
change nothing?"). tests/core/test_junk_params.py covers GET query parameters; this file covers POSTed forms,
buttons and uploads.

The failing tests each prove one bug (the URL and the value in the name or the parameter id); the last test is a
broad sweep that guards the rest: every POST form the director is shown on every page, each field set to each
hostile value at once, plus an empty body and a junk body to every URL pattern of the project.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.core.test_every_page_clock import PAGES, build_records, urls_of

pytestmark = pytest.mark.django_db

LONG = "长" * 10000
HOSTILE = {"long": LONG, "abc": "abc", "zero_date": "0000-00-00", "feb30": "2025-02-30", "max_date": "9999-12-31",
           "neg": "-1", "1e309": "1e309", "nan": "NaN", "fullwidth": "１２３", "nul": "a\x00b",
           "script": "<script>alert(1)</script>", "big": "99999999999999999999"}
# Rows a request may write whatever it posts: the figures kept for the navigation, the session, the login log, the
# unconfirmed authenticator the two-step page makes to show its QR code.
IGNORED_TABLES = {"core_keptfigures", "django_session", "axes_accessattempt", "axes_accesslog",
                  "axes_accessfailurelog", "otp_totp_totpdevice"}


class _Rollback(Exception):
    pass


def _writes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table."""
    with connection.cursor() as cur:
        cur.execute("select relname, n_tup_ins + n_tup_upd + n_tup_del from pg_stat_xact_user_tables")
        return dict(cur.fetchall())


def post_and_undo(client: Client, url: str, data) -> dict:
    """POST inside a savepoint that is rolled back afterwards (every request sees the same records): the status,
    the exception of a 500, the tables written, the error messages queued, and the status of the page the
    answer redirects to."""
    out: dict = {}
    before = _writes()
    try:
        with transaction.atomic():
            response = client.post(url, data)
            after = _writes()
            exc = getattr(response, "exc_info", None)
            storage = getattr(getattr(response, "wsgi_request", None), "_messages", None)
            out = {"status": response.status_code, "exc": repr(exc[1])[:200] if exc else None,
                   "changed": sorted(t for t in after if after[t] != before.get(t, 0) and t not in IGNORED_TABLES),
                   "errors": [str(m.message) for m in getattr(storage, "_queued_messages", []) if m.level >= 40],
                   "follow": None}
            if response.status_code in (301, 302) and response["Location"].startswith("/"):
                followed = client.get(response["Location"])
                out["follow"] = followed.status_code
            raise _Rollback
    except _Rollback:
        pass
    return out


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# --- Bugs --------------------------------------------------------------------------------------------------------

REASON_150 = "因" * 150  # within every reason field's own limit (200 or 500 characters, or none)


def _funding_reason_posts(rec, today):
    from funding.models import SubsidyPayment

    payment = SubsidyPayment.objects.filter(batch=rec["batch"]).first()
    return {
        "budget_edit": (f"/funding/budgets/{rec['budget'].pk}/edit/",
                        {"year": rec["budget"].year, "source": "county", "amount": "1324901.00", "note": "",
                         "reason": REASON_150}),
        "spending_edit": (f"/funding/spending/{rec['spending'].pk}/edit/",
                          {"date": today, "category": "publicity", "amount": "3001.00", "description": "印刷",
                           "reason": REASON_150}),
        "spending_correct": (f"/funding/spending/{rec['spending'].pk}/correct/", {"reason": REASON_150}),
        "subsidy_adjust": (f"/funding/subsidies/{rec['subsidy'].pk}/adjust/", {"amount": "1.00", "reason": REASON_150}),
        "batch_reverse": (f"/funding/batches/{rec['batch'].pk}/reverse/",
                          {"payment": [payment.pk], "reason": REASON_150}),
    }


def test_it_takes_a_150_character_funding_reason_without_a_500(org):
    """Definition of done: "no input ... ever gives a 500". The budget and spending edit forms allow a reason of
    200 characters, the spending correction 500, the subsidy adjustment and the reversal request no limit; a
    reason of 150 characters passes every form, then funding.services._save puts it whole into the history's
    change reason (varchar(100)) and PostgreSQL refuses it: 500 on five money pages."""
    rec = build_records(org)
    director = logged_in(org["users"]["director"])
    results = {name: post_and_undo(director, url, data)
               for name, (url, data) in _funding_reason_posts(rec, timezone.localdate().isoformat()).items()}
    assert {name: r["exc"] for name, r in results.items() if r["status"] >= 500} == {}


def test_it_takes_a_150_character_deactivation_reason_of_a_station_point_or_liaison_without_a_500(org):
    """Definition of done: "no input ... ever gives a 500". The deactivation form allows a reason of 200
    characters (stations.forms, max_length=200); stations.services writes it whole as the history's change reason
    (varchar(100)): a reason of 150 characters is a 500 when a station, a contact point or a liaison is closed."""
    rec = build_records(org)
    director = logged_in(org["users"]["director"])
    today = timezone.localdate().isoformat()
    urls = [f"/stations/{rec['station'].pk}/deactivate/", f"/stations/points/{rec['point'].pk}/deactivate/",
            f"/stations/liaisons/{rec['liaison'].pk}/deactivate/"]
    results = {url: post_and_undo(director, url, {"closed_on": today, "reason": REASON_150}) for url in urls}
    assert {url: r["exc"] for url, r in results.items() if r["status"] >= 500} == {}


def test_it_takes_a_150_character_withdrawal_reason_of_an_application_without_a_500(org):
    """Definition of done: "no input ... ever gives a 500". WithdrawForm allows a reason of 200 characters;
    intake.services writes it whole as the history's change reason (varchar(100)): 500 on
    POST /intake/applications/<pk>/withdraw/ with a reason of 150 characters."""
    rec = build_records(org)
    clerk = logged_in(org["users"]["clerk"])
    result = post_and_undo(clerk, f"/intake/applications/{rec['received'].pk}/withdraw/", {"reason": REASON_150})
    assert result["status"] < 500, result["exc"]


def test_it_takes_a_150_character_merge_reason_without_a_500(org):
    """Definition of done: "no input ... ever gives a 500". The merge form allows a reason of 200 characters
    (applicants.forms, max_length=200); applicants.services.person_merge writes it whole as the history's change
    reason (varchar(100)): 500 on POST /applicants/<pk>/merge/ with a reason of 150 characters."""
    from tests.factories import PersonFactory

    keep, drop = PersonFactory(name="王小明"), PersonFactory(name="王晓明")
    director = logged_in(org["users"]["director"])
    result = post_and_undo(director, f"/applicants/{keep.pk}/merge/", {"other": drop.pk, "reason": REASON_150})
    assert result["status"] < 500, result["exc"]


def test_it_refuses_a_nul_byte_in_a_new_batch_title_with_a_message_not_a_500(org):
    """Definition of done: "Bad input gets a clear message and changes nothing; no input ... ever gives a 500".
    POST /funding/batches/new/ title="a\\x00b": the view read the title straight from request.POST and the
    service saved it; PostgreSQL refuses a NUL in text: 500. Control characters are now taken out of every
    posted field before a view reads it (core.input_guard), as out of a query."""
    from funding.models import PaymentBatch

    rec = build_records(org)
    finance = logged_in(org["users"]["finance"])
    result = post_and_undo(finance, "/funding/batches/new/", {"subsidy": [str(rec["subsidy"].pk)], "title": "a\x00b",
                                                             "vouchers_per": "handler"})
    assert result["status"] < 500, result["exc"]
    assert not any("\x00" in t for t in PaymentBatch.objects.values_list("title", flat=True))


def test_it_refuses_a_nul_byte_in_a_reversal_reason_with_a_message_not_a_500(org):
    """Definition of done: "Bad input gets a clear message and changes nothing; no input ... ever gives a 500".
    POST /funding/batches/<pk>/reverse/ reason="a\\x00b": the view reads the reason straight from request.POST;
    PostgreSQL refuses a NUL in text: 500."""
    from funding.models import SubsidyPayment

    rec = build_records(org)
    payment = SubsidyPayment.objects.filter(batch=rec["batch"]).first()
    finance = logged_in(org["users"]["finance"])
    result = post_and_undo(finance, f"/funding/batches/{rec['batch'].pk}/reverse/",
                           {"payment": [payment.pk], "reason": "a\x00b"})
    assert result["status"] < 500, result["exc"]


@pytest.mark.parametrize("url", ["/notifications/read-all/", "read-one"])
def test_it_goes_back_to_the_inbox_not_a_500_when_next_is_not_a_path(org, url):
    """Definition of done: "no input, parameter ... ever gives a 500". The "mark read" buttons post a hidden
    `next`; notifications.views._back accepts any value url_has_allowed_host_and_scheme allows ("abc" is a
    relative URL) and hands it to redirect(), which takes a word without "/" for a URL name: NoReverseMatch, 500."""
    from notifications.models import Notification

    handler = org["users"]["handler"]
    rec = build_records(org)  # noqa: F841 - the records give the handler notifications
    if url == "read-one":
        note = Notification.objects.filter(recipient=handler).first()
        assert note is not None
        url = f"/notifications/{note.pk}/read/"
    result = post_and_undo(logged_in(handler), url, {"next": "abc"})  # as "-1" or "9999-12-31"
    assert result["status"] < 500, result["exc"]


def test_it_answers_the_login_form_not_a_500_for_a_username_of_300_characters():
    """Definition of done: "no input ... ever gives a 500" — on the one page anyone on the network can post to.
    Django's AuthenticationForm does not enforce the username's length on the server; the failed login is logged
    by django-axes with the username in a varchar(255): a username of 300 characters is a 500 on /accounts/login/."""
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": "a" * 300, "password": "x"})
    exc = getattr(response, "exc_info", None)
    assert response.status_code == 200, repr(exc[1]) if exc else response.status_code


@pytest.mark.parametrize("target", ["batch_create:subsidy", "batch_reverse:payment", "application_materials:received"])
def test_it_ignores_a_superscript_digit_among_ticked_ids_not_a_500(org, target):
    """Definition of done: "no input ... ever gives a 500". Three button views keep the ticked ids with
    `int(i) for i in request.POST.getlist(...) if i.isdigit()`; "²".isdigit() is True but int("²") raises
    ValueError: 500 (funding.views.batches.batch_create and batch_reverse, intake.views.materials
    .application_materials)."""
    rec = build_records(org)
    view, field = target.split(":")
    url, persona, data = {
        "batch_create": ("/funding/batches/new/", "finance", {"title": "t", "vouchers_per": "handler"}),
        "batch_reverse": (f"/funding/batches/{rec['batch'].pk}/reverse/", "finance", {"reason": "金额有误"}),
        "application_materials": (f"/intake/applications/{rec['received'].pk}/materials/", "clerk", {}),
    }[view]
    result = post_and_undo(logged_in(org["users"][persona]), url, {**data, field: ["²"]})
    assert result["status"] < 500, result["exc"]


# --- The sweep that guards the rest -----------------------------------------------------------------------------

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Posted by the sweep elsewhere or proven above: leaving the language or logging out ends the sweep's session;
# a `next` that is not a path is test_it_goes_back_to_the_inbox_not_a_500_when_next_is_not_a_path.
NOT_SWEPT_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")
NOT_SWEPT_FIELDS = {("/notifications/", "next")}


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): htmllib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in ATTR.finditer(text)}


def post_forms(html: str, page_url: str) -> list[tuple[str, dict[str, str]]]:
    """(action, {field: kind}) of each POST form of a page."""
    out = []
    for attrs, body in FORM.findall(html):
        a = _attrs(attrs)
        if a.get("method", "get").lower() != "post" or a.get("action", "").startswith("http"):
            continue
        fields = {}
        for m in FIELD.finditer(body):
            tag, fa = m.group(1).lower(), _attrs(m.group(2))
            name = fa.get("name")
            if name and name != "csrfmiddlewaretoken":
                kind = fa.get("type", "text").lower() if tag == "input" else tag
                if kind not in ("submit", "button", "reset", "file"):
                    fields.setdefault(name, kind)
        out.append((a.get("action") or page_url, fields))
    return out


def _every_pattern() -> list[tuple[str, URLPattern]]:
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                found.append((prefix + p.name, p))

    walk(get_resolver().url_patterns)
    return found


def _url_of(name: str, pattern: URLPattern, rec: dict) -> str | None:
    """The URL of a pattern with real records for its <pk> (a missing one: 999999, which must answer 404)."""
    keys = {"case_pk": rec["closed"].pk, "subsidy_pk": rec["paid_subsidy"].pk, "reversal_pk": 999999,
            "code": "cases.accepted", "kind": "person", "doc": "decision", "uidb64": "x", "token": "y"}
    args = PAGES.get(name, (None, None))[1]
    pk = rec[args].pk if isinstance(args, str) else None
    post_only = {"intake:application_": "received", "cases:case_": "assigned", "funding:batch_": "batch",
                 "reports:run_": "run", "ledger:import_": "ledger", "ledger:export_": "export",
                 "intake:material_files": "received"}
    if name.startswith("user_"):
        from accounts.models import User

        pk = User.objects.get(username="clerk").pk
    if name.startswith("publicity:photo_"):
        from publicity.models import EventPhoto

        pk = EventPhoto.objects.first().pk
    for prefix, key in post_only.items():
        if pk is None and name.startswith(prefix) and key:
            pk = rec[key].pk
    kwargs = {k: (pk or 999999) if k == "pk" else keys.get(k, 1) for k in pattern.pattern.converters}
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:
        return None


def test_no_hostile_post_to_any_form_or_button_gives_a_500_and_a_refused_one_changes_nothing(org):
    """Every POST form the director is shown on every page (the records: an application in each state, a case in
    each state, a consultation, an event, a paid batch …) gets an empty body and, for each hostile value, every
    field set to it at once (a list of two where one value is expected too); every URL pattern of the project
    gets an empty body and a junk body. Nothing may answer 5xx (nor the page a redirect leads to), and a
    refused post (the form again, or an error message) writes nothing."""
    rec = build_records(org)
    director = logged_in(org["users"]["director"])
    forms: dict[str, dict[str, str]] = {}
    for _name, _persona, url in urls_of(rec):
        response = director.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for action, fields in post_forms(response.content.decode(), url):
                forms.setdefault(action, {}).update(fields)
    assert len(forms) > 80  # the crawl really found the forms

    failures, requests = [], 0

    def check(url, data, label, refused_writes_nothing=True):
        nonlocal requests
        requests += 1
        r = post_and_undo(director, url, data)
        if r["status"] >= 500 or (r["follow"] or 0) >= 500:
            failures.append(f"{url} {label}: {r['status']} {r['exc']} (then {r['follow']})")
        elif refused_writes_nothing and (r["status"] not in (301, 302) or r["errors"]) and r["changed"]:
            failures.append(f"{url} {label}: refused ({r['status']} {r['errors'][:1]}) but wrote {r['changed']}")

    for action, fields in sorted(forms.items()):
        if action.startswith(NOT_SWEPT_ACTIONS):
            continue
        names = [n for n in fields if not any(action.startswith(a) and n == f for a, f in NOT_SWEPT_FIELDS)]
        check(action, {}, "empty body")
        for label, value in {**HOSTILE, "list": None}.items():
            check(action, {n: (["1", "2"] if value is None else value) for n in names}, f"every field={label}")
    for name, pattern in _every_pattern():
        url = _url_of(name, pattern, rec)
        if url is None or url.startswith(NOT_SWEPT_ACTIONS):
            continue
        # Pages that answer a POST as a GET write what a GET writes (the access log, a printed document's record).
        check(url, {}, "empty body", refused_writes_nothing=False)
        check(url, {"x": "a\x00b", "id": "99999999999999999999", "pk": "-1"}, "junk body", refused_writes_nothing=False)
    assert requests > 1300
    assert not failures, f"{len(failures)} of {requests} posts:\n" + "\n".join(failures[:100])
