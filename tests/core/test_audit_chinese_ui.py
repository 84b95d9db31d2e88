"""Audit: the interface language. Simplified Chinese is the default (settings.LANGUAGE_CODE = "zh-hans"); English is
offered from the user menu (README: "The interface is in Simplified Chinese (English available from the user
menu)"; LANGUAGES, LocaleMiddleware, /i18n/setlang/). STYLE.md: "Every user-facing string goes through
`gettext_lazy`; source strings in English; `locale/zh_Hans/` compiled and committed."

A clerk working in Chinese must never meet an English word: not on a page, not in an error message, an export, a
printed document or an e-mail. The product knows the hard case itself — notifications.receivers: "Stored text is
written in the site's language, whatever the language of the person who assigned", and funding.services computes
a subsidy's lines under `translation.override(settings.LANGUAGE_CODE)`. Every other text a service *stores* is
written in the language of whoever clicked, so a colleague who switched to English leaves English behind for
every Chinese reader.

How the pages were searched (the exploration behind these tests): the records of tests/core/test_every_page_clock
(every workflow state, made through the services) plus every app's demo seed (consultations, applications in every
status, cases in every phase, subsidies, batches, spending, events, notices, complaints, discussions); every URL of
the URLconf opened as admin, director, clerk, reviewer, finance, handler, staff_a, staff_b and anonymous with the
default language; every list exported (?export=xlsx) and every report file (xlsx, docx) opened; every form page
posted empty and with junk; the admin's lists, change and history pages. The visible text (tags, scripts and
styles stripped; title / placeholder / aria-label / alt values and <option> texts included) was searched for ASCII
words of three letters or more. Built and used in Chinese, the pages were clean but for the cases below; indicator
codes ("cases.accepted", shown as 指标代码), usernames, file names, "PDF/Excel/Word/JPG/PNG", "Email"/"URL" in
Django's own Chinese messages and the language switcher's "English" are allowed.
"""

from __future__ import annotations

import html as htmlmod
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db

# A word of three letters or more; a snake_case code ("view_person") counts, a dotted indicator code
# ("cases.accepted", shown on purpose as 指标代码), a file name or a path does not.
WORD = re.compile(r"(?<![A-Za-z0-9./-])[A-Za-z][A-Za-z'’-]{2,}(?![A-Za-z0-9/-]|\.[A-Za-z0-9])")
URL = re.compile(r"https?://\S+")
# Genuine words a Chinese page may hold: formats and products, words inside Django's own Chinese messages, the
# language switcher's own name for English.
ALLOWED = {"PDF", "Excel", "xlsx", "Word", "JPG", "JPEG", "PNG", "URL", "Email", "English"}
BREADCRUMB = frozenset({"breadcrumb"})  # templates/base.html's aria-label: test_every_page_names_its_breadcrumb_…
USERNAMES = re.compile(r"\b(?:admin|director|clerk|reviewer|finance|handler|staff_a|staff_b|testserver)\b")


def visible_text(html: str) -> list[str]:
    """What a reader sees or hears: text nodes (option texts among them) and the title / placeholder / aria-label /
    alt attribute values; no scripts, styles or comments."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    attrs = re.findall(r'\b(?:title|placeholder|aria-label|alt)\s*=\s*"([^"]*)"', html)
    text = re.sub(r"<[^>]*>", "\n", html)
    return [htmlmod.unescape(t).strip() for t in [*attrs, *text.split("\n")] if t.strip()]


def english_in(lines: list[str], *, allowed: set[str] = frozenset()) -> list[str]:
    """The English words of `lines` (each with the line it stands in), genuine ones left out."""
    found = []
    for line in lines:
        bare = USERNAMES.sub(" ", URL.sub(" ", line)).replace("_", " ")
        words = [w for w in WORD.findall(bare) if w not in ALLOWED | set(allowed)]
        if words:
            found.append(f"{' '.join(words)}  ← {line[:120]!r}")
    return sorted(set(found))


def english_on(client: Client, url: str, *, allowed: set[str] = BREADCRUMB, start: str = "") -> list[str]:
    """The English words of a page (by default without the breadcrumb's aria-label, which has its own test), or
    of its part from the marker `start` on."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    if start:
        assert start in html, url
        html = html[html.rfind("<", 0, html.index(start)):]
    return english_in(visible_text(html), allowed=allowed)


def in_english(org, persona: str) -> Client:
    """A colleague who chose English from the user menu (the language switch of the navigation bar)."""
    c = Client()
    c.force_login(org["users"][persona])
    assert c.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return c


def in_chinese(org, persona: str) -> Client:
    """A client of the persona ("it": IT's superuser, who alone opens every page of the Django admin)."""
    from tests.conftest import _superuser

    c = Client()
    c.force_login(_superuser() if persona == "it" else org["users"][persona])
    return c


def _day() -> str:
    return timezone.localdate().isoformat()


# --- Error messages a Chinese user meets ---------------------------------------------------------------------------


def test_the_password_change_page_says_in_english_that_a_new_password_is_too_short(org):
    """/accounts/password/ (修改密码), in Chinese: a clerk choosing a password shorter than 8 characters reads
    "This password is too short. It must contain at least 8 characters." Django 5.2 changed the msgid of
    MinimumLengthValidator's message ("…at least %d character(s)."), and its zh_Hans catalogue still translates only
    the old "%(min_length)d" one, so the project's own catalogue must carry it (the help text under the field, a
    different msgid, is Chinese)."""
    clerk = in_chinese(org, "clerk")
    response = clerk.post("/accounts/password/", {"old_password": "legalaid-demo", "new_password1": "Qs-7x",
                                                  "new_password2": "Qs-7x"})
    assert response.status_code == 200
    assert english_in(visible_text(response.content.decode())) == []


def test_a_request_django_refuses_as_bad_answers_with_an_english_page(org):
    """README: pages answer "with the Chinese error pages (未找到 / 无权操作 / 系统出错了)": templates/403.html, 404.html
    and 500.html exist, 400.html does not, and no handler400 is set. A request Django refuses as bad (here a form posted
    with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS; django.core.handlers.exception answers every
    SuspiciousOperation, BadRequest and MultiPartParserError — a cut-off upload — the same way) gets Django's
    built-in page: <title>Bad Request (400)</title><h1>Bad Request (400)</h1>."""
    clerk = in_chinese(org, "clerk")
    response = clerk.post("/intake/consultations/new/", {f"f{i}": "1" for i in range(1100)})
    assert response.status_code == 400
    assert english_in(visible_text(response.content.decode())) == []


def test_the_csrf_failure_page_is_partly_english(org):
    """A form sent without a valid CSRF token (cookies cleared; a form left open in one tab while the user logged in
    again in another, which rotates the token) answers Django's built-in CSRF page: its title is "403 Forbidden" and it tells the clerk to "set DEBUG＝True" — unlike the
    project's own Chinese 403 page (templates/403.html). No 403_csrf.html / CSRF_FAILURE_VIEW is provided."""
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "clerk", "password": "x"})
    assert response.status_code == 403
    # "CSRF" and "cookie" stand in Django's Chinese sentences as technical terms
    assert english_in(visible_text(response.content.decode()), allowed={"CSRF", "cookie"}) == []


# --- Text stored in the language of whoever clicked ----------------------------------------------------------------


def test_the_case_page_shows_a_chinese_clerk_the_english_left_by_colleagues_who_work_in_english(org, handler_profile):
    """/cases/<pk>/ (案件详情), read in Chinese. A clerk who uses English assigns the case, the handler (English)
    closes it, the clerk records the collective discussion; on a second case the director (English) terminates aid.
    cases.services stores each step's history reason with gettext in the request's language (_save(case, by,
    _("Closed")), _("Assigned to %(name)s"), _("Collective discussion held"), _("Terminated")) and the ended
    assignment's end_reason = _("Legal aid terminated"); the page shows them as they were stored: 修改（Closed）,
    修改（Assigned to 张伟）, and "Legal aid terminated" in the assignments table."""
    clerk_en, handler_en, director_en = (in_english(org, p) for p in ("clerk", "handler", "director"))
    closed = make_case(by=org["users"]["clerk"])
    ended = make_case(by=org["users"]["clerk"])
    for case in (closed, ended):
        r = clerk_en.post(f"/cases/{case.pk}/assign/", {"handler": handler_profile.pk, "on": _day()})
        assert r.status_code == 302, r.content.decode()[:2000]
    r = handler_en.post(f"/cases/{closed.pk}/close/", {"closed_on": _day(), "outcome": "mediation",
                                                       "closing_report": "调解结案"})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = clerk_en.post(f"/cases/{closed.pk}/discussion/", {"held_on": _day(), "participants": "全体",
                                                          "conclusion": "同意"})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = director_en.post(f"/cases/{ended.pk}/terminate/", {"reason": "own_counsel", "on": _day()})
    assert r.status_code == 302, r.content.decode()[:2000]
    clerk = in_chinese(org, "clerk")
    found = {f"/cases/{c.pk}/": english_on(clerk, f"/cases/{c.pk}/") for c in (closed, ended)}
    assert found == {f"/cases/{closed.pk}/": [], f"/cases/{ended.pk}/": []}


def test_the_application_page_shows_a_chinese_clerk_the_english_left_by_colleagues_who_work_in_english(org):
    """/intake/applications/<pk>/ (申请详情), read in Chinese. The clerk (English) sends a complete application
    to review and the reviewer (English) grants it; another goes out with a supplementation notice. The history of
    the page shows intake.services' stored reasons: 修改（Sent to review）, 修改（Granted）, 修改（Supplementation notice
    （2026）示援补字第1号）."""
    from intake import services
    from intake.models import Application

    clerk = org["users"]["clerk"]

    def received() -> Application:
        return services.application_receive(application=Application(
            applicant=PersonFactory(hukou="rural", declared_groups=["migrant_worker"]),
            received_on=timezone.localdate(), category="civil", cause="labour_pay"), by=clerk)

    granted, lacking = received(), received()
    services.materials_update(application=granted, received={m.pk for m in granted.materials.all()}, by=clerk)
    clerk_en, reviewer_en = in_english(org, "clerk"), in_english(org, "reviewer")
    assert clerk_en.post(f"/intake/applications/{granted.pk}/review/").status_code == 302
    r = reviewer_en.post(f"/intake/applications/{granted.pk}/grant/", {"decided_on": _day(), "reasons": "符合条件"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert clerk_en.post(f"/intake/applications/{lacking.pk}/supplement/").status_code == 302
    granted.refresh_from_db()
    lacking.refresh_from_db()
    assert granted.status == "granted" and lacking.status == "incomplete"
    reader = in_chinese(org, "clerk")
    found = {f"/intake/applications/{a.pk}/": english_on(reader, f"/intake/applications/{a.pk}/")
             for a in (granted, lacking)}
    assert found == {f"/intake/applications/{granted.pk}/": [], f"/intake/applications/{lacking.pk}/": []}


def test_the_spending_pages_and_their_export_show_the_english_entry_of_a_batch_paid_in_english(org, handler_profile):
    """经费支出 (/funding/spending/, its entry page, its Excel export, and the list behind 经费支出 on the dashboard,
    /reports/figures/funding.spent/), read by the director in Chinese. Finance, working in English, marks a
    subsidy batch paid; funding.services.batch_pay posts the spending entry with description =
    _("Case subsidies, batch %(number)s (%(n)s cases)") in the request's language, so the ledger of the center's
    money reads "Case subsidies, batch （2026）示援补贴字第1号 (1 cases)" for good (also in the 说明 column of the
    exported 经费支出 sheet)."""
    import importlib

    from django.apps import apps

    from funding import services as funding
    from funding.models import Spending

    importlib.import_module("funding.migrations.0002_defaults").create_defaults(apps, None)
    case = make_case(by=org["users"]["clerk"])
    case.handler, case.assigned_on, case.status = handler_profile, case.accepted_on, "archived"
    case.closed_on = case.archived_on = case.graded_on = case.accepted_on
    case.grade = "pass"
    case.save()
    subsidy = funding.subsidy_compute(case=case, by=org["users"]["finance"])
    batch = funding.batch_create(subsidies=[subsidy], by=org["users"]["finance"])
    r = in_english(org, "finance").post(f"/funding/batches/{batch.pk}/pay/", {"paid_on": _day()})
    assert r.status_code == 302
    entry = Spending.objects.get(batch=batch)
    director = in_chinese(org, "director")
    found = {url: english_on(director, url) for url in (
        "/funding/spending/", f"/funding/spending/{entry.pk}/",
        f"/reports/figures/funding.spent/?period={timezone.localdate().year}")}
    export = director.get("/funding/spending/?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content) if export.streaming
                                             else export.content))
    found["/funding/spending/?export=xlsx"] = english_in(
        [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v])
    assert found == {url: [] for url in found}


def test_the_user_page_shows_the_english_history_left_by_a_director_who_works_in_english(org):
    """/accounts/users/<pk>/ (用户详情), read by the administrator in Chinese. The director (English) switches the
    clerk's account off and on again; accounts.services stores the history reasons _("deactivated") and
    _("reactivated") in the director's language, and the page's history table shows 修改（deactivated）."""
    clerk = org["users"]["clerk"]
    director_en = in_english(org, "director")
    assert director_en.post(f"/accounts/users/{clerk.pk}/deactivate/").status_code == 302
    assert director_en.post(f"/accounts/users/{clerk.pk}/reactivate/").status_code == 302
    assert english_on(in_chinese(org, "admin"), f"/accounts/users/{clerk.pk}/") == []


@override_settings(PASSWORD_RESET_BY_EMAIL=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_a_password_reset_mail_sent_by_a_director_who_works_in_english_reaches_the_chinese_clerk_in_english(org):
    """用户详情 › 重置密码 › 通过电子邮件: the director sends the clerk a reset link (accounts.services.
    user_password_reset_email, Django's PasswordResetForm with templates/accounts/password_reset_*.txt). The mail
    is rendered in the language of the director's request, not the recipient's (nor the site's): a clerk who has
    only ever used the Chinese interface receives "Password reset for …", "Hello 吴窗口, Someone asked for a new
    password for your legal aid account…". (Sent from a Chinese session, the same mail is Chinese.)"""
    clerk = org["users"]["clerk"]
    clerk.email = "clerk@example.org"
    clerk.save()
    for director in (in_chinese(org, "director"), in_english(org, "director")):
        assert director.post(f"/accounts/users/{clerk.pk}/password/", {"method": "email"}).status_code == 302
    from_chinese, from_english = mail.outbox
    assert english_in([from_chinese.subject, *from_chinese.body.splitlines()]) == []  # the premise
    assert english_in([from_english.subject, *from_english.body.splitlines()]) == []


# --- The admin (管理 › 系统配置), used in Chinese by the director and the administrator -------------------------------


def test_the_admin_shows_english_field_labels_and_raw_codes(org):
    """The director keeps vocabularies, holidays and deadline rules in the Django admin (README), in Chinese.
    - A budget's change page (/admin/funding/budget/<pk>/change/) labels a read-only field "Import fingerprint:": the
      ten models with `import_fingerprint` (cases.Case, intake.Application/Consultation/Matter, funding.Budget/
      Spending, publicity.Event/MediaReport, applicants.VulnerableEntry) declare it without a verbose_name.
    - The access log (/admin/core/accesslog/, DOMAIN.md §13: "viewing a person's full record is logged (who,
      when)") lists and filters by raw codes: action "view_person" (also "print", "reprint" …), object type
      "person" — AccessLog.action and object_type are plain CharFields without choices or labels."""
    from decimal import Decimal

    from funding.services import budget_create

    budget = budget_create(year=timezone.localdate().year, source="county", amount=Decimal("500000.00"),
                           by=org["users"]["finance"])
    person = PersonFactory()
    assert in_chinese(org, "director").get(f"/applicants/{person.pk}/").status_code == 200  # logged: view_person
    admin = in_chinese(org, "it")
    # the page's own content, after the navigation sidebar (whose English has the next test)
    # "Search" is the alt text Django's own admin/search_form.html writes untranslated on its magnifier icon
    found = {url: english_on(admin, url, start='id="content-start"', allowed={"Search"}) for url in (
        f"/admin/funding/budget/{budget.pk}/change/", "/admin/core/accesslog/")}
    assert found == {url: [] for url in found}


def test_the_admin_index_lists_the_login_lockout_section_in_english(org):
    """/admin/ (系统配置), in Chinese: README tells the administrator that "a superuser can clear a lockout in the
    Django admin (access attempts)"; that section reads "Axes", "Access attempts", "Access failures", "Access logs"
    (django-axes ships no zh_Hans catalogue and the project does not translate or rename it). The index's table
    headers for screen readers, "Model name", "Add link", "Change or view list link" (Django 5.2 strings its zh_Hans
    catalogue lacks), are English too."""
    assert english_on(in_chinese(org, "it"), "/admin/") == []


# --- The page chrome ----------------------------------------------------------------------------------------------


def test_every_page_names_its_breadcrumb_navigation_in_english(org):
    """templates/base.html: <nav aria-label="breadcrumb"> — the one attribute a screen reader reads out on every
    page of the Chinese interface (案件, 申请, 咨询 …) is English and not translatable."""
    clerk = in_chinese(org, "clerk")
    found = {url: english_on(clerk, url, allowed=set()) for url in ("/cases/", "/intake/applications/",
                                                                     "/intake/consultations/")}
    assert found == {url: [] for url in found}


def test_the_application_page_offers_an_english_user_a_chinese_button(org):
    """An English user should not meet stray Chinese in the chrome. intake/application_detail.html writes the
    delivery-receipt buttons as the literal 送达回证 (beside the decision print button and under each supplementation
    notice), outside {% translate %}; the case page names the same documents through gettext ("Delivery receipt:
    …", cases.documents)."""
    from intake import services
    from intake.models import Application

    clerk, reviewer = org["users"]["clerk"], org["users"]["reviewer"]
    app = services.application_receive(application=Application(
        applicant=PersonFactory(hukou="rural", declared_groups=["migrant_worker"]),
        received_on=timezone.localdate(), category="civil", cause="labour_pay"), by=clerk)
    services.materials_update(application=app, received={m.pk for m in app.materials.all()}, by=clerk)
    app = services.application_submit_review(application=app, by=clerk)
    app, _case = services.application_grant(application=app, by=reviewer)
    html = in_english(org, "clerk").get(reverse("intake:application_detail", args=[app.pk])).content.decode()
    buttons = re.findall(r'data-testid="print-delivery"[^>]*>(.*?)</a>', html, re.S)
    assert buttons
    chinese = [b for b in buttons if re.search(r"[\u4e00-\u9fff]", b)]
    assert chinese == []
