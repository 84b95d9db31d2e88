"""Locust users for the load test of issue 14 ("Many users at once"), run by `scripts/loadtest.py`.

Four kinds of people use the site at the same time, in this mix (USER_MIX, 30 users by default):

- intake clerks at the center's window: the to-do page, consultations, a person looked up by name,
  applications, a case, and a consultation registered through the real form;
- handlers (承办人): their to-dos, their cases, a case, and a progress entry through the real form;
- station staff on a phone (mobile User-Agent): their home page, their station's consultations, a
  consultation registered for their station, the station page;
- the director: the dashboard, the reports home, the case list filtered by status and category, and the
  list behind one figure.

Everyone logs in through the login form (GET the page, POST username, password and csrfmiddlewaretoken).
Record ids are taken from the links of the pages just fetched (never from the database), as a person
clicks them. Every URL comes from PATHS (a test resolves each one, so a renamed URL breaks it) and is
reported under its template (`/cases/{id}/`), so the table has one row per kind of page.

A response counts as failed when its status is 400 or more, when it lands on the login page (a lost
session or a refused login), or when a form is shown again instead of redirecting (a rejected POST).
"""

from __future__ import annotations

import html
import json
import math
import os
import random
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from locust import HttpUser, between, events, task

# The demo accounts of `seed_demo` (stations/demo_base.py DEMO_PASSWORD).
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "legalaid-demo")

# Every page the users request: key -> (URL name, path template). Request names are the templates.
PATHS: dict[str, tuple[str, str]] = {
    "login": ("login", "/accounts/login/"),
    "home": ("home", "/"),
    "consultation_list": ("intake:consultation_list", "/intake/consultations/"),
    "consultation_new": ("intake:consultation_create", "/intake/consultations/new/"),
    "consultation_detail": ("intake:consultation_detail", "/intake/consultations/{id}/"),
    "person_list": ("applicants:person_list", "/applicants/"),
    "person_detail": ("applicants:person_detail", "/applicants/{id}/"),
    "application_list": ("intake:application_list", "/intake/applications/"),
    "application_detail": ("intake:application_detail", "/intake/applications/{id}/"),
    "case_list": ("cases:case_list", "/cases/"),
    "case_detail": ("cases:case_detail", "/cases/{id}/"),
    "case_progress": ("cases:case_progress", "/cases/{id}/progress/"),
    "my_station": ("stations:my_station", "/stations/mine/"),
    "reports_home": ("reports:dashboard", "/reports/"),
    "figure": ("reports:figure", "/reports/figures/{code}/"),
}
# Sample values for the placeholders of PATHS (the test fills them in to resolve each path).
PLACEHOLDERS = {"id": r"\d+", "code": r"[\w.-]+"}

# Weights of the user classes (locust spreads the users in this proportion: 10/8/8/4 of 30).
USER_MIX = {"IntakeClerk": 10, "Handler": 8, "StationStaff": 8, "Director": 4}

# Think time between two pages of one user, seconds (min,max): reading a list before opening a record, filling
# in a form before saving it. 30 users at 2-8 s make some 6 pages a second.
WAIT = tuple(float(x) for x in os.environ.get("LOADTEST_WAIT", "2,8").split(","))
MOBILE_UA = ("Mozilla/5.0 (Linux; Android 13; HUAWEI P60) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/120.0.0.0 Mobile Safari/537.36")
DESKTOP_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/120.0.0.0 Safari/537.36")


def path(key: str, **values) -> str:
    return PATHS[key][1].format(**values)


def name(key: str, suffix: str = "") -> str:
    """The request name: the path template, so every id of a kind of page is one row."""
    return PATHS[key][1] + suffix


def href_re(key: str) -> re.Pattern:
    """Links to the page `key` in a page's HTML: the placeholders are captured, a query string is allowed."""
    template = re.escape(PATHS[key][1])
    for placeholder, pattern in PLACEHOLDERS.items():
        template = template.replace(re.escape("{" + placeholder + "}"), f"(?P<{placeholder}>{pattern})")
    return re.compile(r'href="(?P<url>' + template + r'(?:\?[^"#]*)?)"')


def links(page: str, key: str) -> list[re.Match]:
    return list(href_re(key).finditer(page))


def pick_link(page: str, key: str) -> re.Match | None:
    found = links(page, key)
    return random.choice(found) if found else None


# --- forms ------------------------------------------------------------------------------------------

@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)

    def names(self) -> set[str]:
        return {n for n, _v in self.fields} | set(self.choices)

    def data(self, **overrides) -> list[tuple[str, str]]:
        """What a browser submits, with `overrides` typed over it (a list value ticks several boxes)."""
        out = [(n, v) for n, v in self.fields if n not in overrides]
        for key, value in overrides.items():
            out.extend((key, v) for v in (value if isinstance(value, list) else [value]))
        return out


class _FormParser(HTMLParser):
    """The forms of a page with the values a browser would submit unchanged (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), (a.get("method") or "get").lower(), a.get("enctype", ""))
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        fieldname = a.get("name")
        if tag == "input" and fieldname:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self._form.choices.setdefault(fieldname, []).append(a.get("value", "on"))
                if "checked" in a:
                    self._form.fields.append((fieldname, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self._form.fields.append((fieldname, a.get("value", "")))
        elif tag == "select" and fieldname:
            self._select = {"name": fieldname, "options": [], "selected": [], "multiple": "multiple" in a}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["options"].append(value)
            if "selected" in a:
                self._select["selected"].append(value)
        elif tag == "textarea" and fieldname:
            self._textarea = [fieldname, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            s = self._select
            self._form.choices[s["name"]] = s["options"]
            chosen = s["selected"] or ([] if s["multiple"] or not s["options"] else s["options"][:1])
            self._form.fields.extend((s["name"], v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def find_form(page: str, *fieldnames: str) -> Form | None:
    """The first POST form of the page that has all these fields."""
    parser = _FormParser()
    parser.feed(page)
    for form in parser.forms:
        if form.method == "post" and set(fieldnames) <= form.names():
            return form
    return None


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅"


def a_name() -> str:
    return random.choice(SURNAMES) + "".join(random.choices(GIVEN, k=random.choice((1, 2))))


def a_mobile() -> str:
    return "1" + random.choice("3578") + "".join(random.choices("0123456789", k=9))


# --- users ------------------------------------------------------------------------------------------

class LegalAidUser(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    usernames: tuple[str, ...] = ()
    user_agent = DESKTOP_UA

    def on_start(self):
        self.client.headers["User-Agent"] = self.user_agent
        self.client.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
        self.username = random.choice(self.usernames)
        self.logged_in = False
        self.login()

    # A request and its verdict. `expect` is the key of PATHS the response must end on (after redirects).
    def get(self, url: str, request_name: str, expect: str | None = None) -> str | None:
        if not self.logged_in and not self.login():
            return None
        with self.client.get(url, name=request_name, catch_response=True) as response:
            return self._judge(response, expect)

    def submit(self, page_url: str, form: Form, request_name: str, expect: str, **overrides) -> str | None:
        """POST the form as a browser does (CSRF token from the form, Referer and Origin of the page)."""
        data = form.data(**overrides)
        target = form.action or page_url
        headers = {"Referer": self.host + page_url, "Origin": self.host}
        kwargs = {"data": data}
        if "multipart" in form.enctype:
            kwargs = {"files": [(k, (None, v)) for k, v in data]}
        with self.client.post(target, name=request_name, headers=headers, catch_response=True, **kwargs) as r:
            if r.ok and not r.history:  # the form came back: it was refused
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*<strong>([^<]+)', r.text)
                errors += re.findall(r'class="alert alert-(?:danger|block)[^"]*"[^>]*>([^<]{1,200})', r.text)
                r.failure(f"form refused: {'; '.join(e.strip() for e in errors)[:200] or 'shown again'}")
                return None
            return self._judge(r, expect)

    def _judge(self, response, expect: str | None) -> str | None:
        if response.status_code >= 400 or response.status_code == 0:
            response.failure(f"HTTP {response.status_code}")
            return None
        landed = urlsplit(response.url).path
        if landed == path("login"):
            self.logged_in = False
            response.failure("landed on the login page")
            return None
        if expect and not href_re(expect).match(f'href="{landed}"'):
            response.failure(f"landed on {landed}, not {PATHS[expect][1]}")
            return None
        response.success()
        return response.text

    def login(self) -> bool:
        self.client.cookies.clear()
        login_url = path("login")
        with self.client.get(login_url, name=name("login"), catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return False
            form = find_form(response.text, "username", "password", "csrfmiddlewaretoken")
            if form is None:
                response.failure("no login form")
                return False
            response.success()
        headers = {"Referer": self.host + login_url, "Origin": self.host}
        data = form.data(username=self.username, password=PASSWORD)
        with self.client.post(login_url, data=data, headers=headers, name=name("login"),
                              catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
                return False
            if urlsplit(response.url).path == login_url:
                response.failure(f"login refused for {self.username}")
                return False
            response.success()
        if not getattr(self, "was_logged_in", False):
            self.was_logged_in = True
            _logged_in()
        self.logged_in = True
        return True

    # Shared steps
    def think(self) -> None:
        """Read the page (or fill in the form) before the next request: the user's wait_time, stoppable."""
        self.wait()

    def open_from(self, page: str | None, key: str) -> str | None:
        """Click a link of `page` to a page of kind `key`, if it has one."""
        link = pick_link(page or "", key)
        if link is None:
            return None
        self.think()
        return self.get(html.unescape(link["url"]), name(key), expect=key)

    def register_consultation(self, channels: tuple[str, ...] = ()) -> None:
        page_url = path("consultation_new")
        page = self.get(page_url, name("consultation_new"), expect="consultation_new")
        form = page and find_form(page, "occurred_at", "channel", "person_count")
        if not form:
            return
        topics = [t for t in form.choices.get("topic", []) if t]
        channel_choices = [c for c in form.choices.get("channel", []) if c and (not channels or c in channels)]
        sexes = [s for s in form.choices.get("person_sex", []) if s]
        overrides = {
            "person_name": a_name(), "person_phone": a_mobile(),
            "summary": "咨询拖欠工资如何申请法律援助（负载测试）", "answer": "告知申请条件和所需材料。",
        }
        if topics:
            overrides["topic"] = random.choice(topics)
        if channel_choices:
            overrides["channel"] = random.choice(channel_choices)
        if sexes:
            overrides["person_sex"] = random.choice(sexes)
        self.think()
        self.submit(page_url, form, name("consultation_new"), expect="consultation_detail", **overrides)


class IntakeClerk(LegalAidUser):
    """窗口受理员 at the center's service window."""

    weight = USER_MIX["IntakeClerk"]
    usernames = ("clerk",)

    @task(3)
    def todo(self):
        page = self.get(path("home"), name("home"))
        if random.random() < 0.5:
            self.open_from(page, "application_detail")

    @task(3)
    def consultations(self):
        page = self.get(path("consultation_list"), name("consultation_list"))
        self.open_from(page, "consultation_detail")

    @task(2)
    def person_search(self):
        page = self.get(path("person_list"), name("person_list"))
        names = re.findall(r'href="' + PATHS["person_detail"][1].replace("{id}", r"\d+") + r'"[^>]*>([^<]+)<',
                           page or "")
        if not names:
            return
        query = urlencode({"q": random.choice(names).strip()})
        self.think()
        found = self.get(f"{path('person_list')}?{query}", name("person_list", "?q={name}"))
        self.open_from(found, "person_detail")

    @task(2)
    def applications(self):
        page = self.get(path("application_list"), name("application_list"))
        self.open_from(page, "application_detail")

    @task(1)
    def a_case(self):
        page = self.get(path("case_list"), name("case_list"))
        self.open_from(page, "case_detail")

    @task(2)
    def consultation(self):
        self.register_consultation()


class Handler(LegalAidUser):
    """承办人: only the cases assigned to him."""

    weight = USER_MIX["Handler"]
    usernames = ("handler",)

    @task(3)
    def todo(self):
        page = self.get(path("home"), name("home"))
        self.open_from(page, "case_detail")

    @task(3)
    def my_cases(self):
        page = self.get(path("case_list"), name("case_list"))
        self.open_from(page, "case_detail")

    @task(2)
    def record_progress(self):
        cases = self.get(f"{path('case_list')}?status=assigned", name("case_list", "?status={status}"))
        detail = self.open_from(cases, "case_detail")
        link = pick_link(detail or "", "case_progress")
        if link is None:
            return
        page_url = html.unescape(link["url"])
        self.think()
        page = self.get(page_url, name("case_progress"), expect="case_progress")
        form = page and find_form(page, "kind", "on", "note")
        if not form:
            return
        kinds = [k for k in form.choices.get("kind", []) if k]
        self.think()
        self.submit(page_url, form, name("case_progress"), expect="case_detail",
                    kind=random.choice(kinds or ["other"]), note="与受援人电话沟通案件进展（负载测试）")


class StationStaff(LegalAidUser):
    """工作站人员 on a phone: their own station only."""

    weight = USER_MIX["StationStaff"]
    usernames = ("staff_a", "staff_b")
    user_agent = MOBILE_UA

    @task(3)
    def home(self):
        self.get(path("home"), name("home"))

    @task(3)
    def consultations(self):
        page = self.get(path("consultation_list"), name("consultation_list"))
        self.open_from(page, "consultation_detail")

    @task(3)
    def consultation(self):
        self.register_consultation(channels=("visit", "phone", "event"))

    @task(1)
    def station(self):
        self.get(path("my_station"), name("my_station"))


class Director(LegalAidUser):
    """主任: dashboards, reports and the lists behind the figures."""

    weight = USER_MIX["Director"]
    usernames = ("director",)

    @task(3)
    def dashboard(self):
        page = self.get(path("home"), name("home"))
        if random.random() < 0.5:
            self.open_from(page, "figure")

    @task(2)
    def reports(self):
        page = self.get(path("reports_home"), name("reports_home"))
        self.open_from(page, "figure")

    @task(3)
    def filtered_cases(self):
        page = self.get(path("case_list"), name("case_list"))
        form_choices = _filter_choices(page or "")
        statuses, categories = form_choices.get("status", []), form_choices.get("category", [])
        if not (statuses and categories):
            return
        query = urlencode({"status": random.choice(statuses), "category": random.choice(categories)})
        self.think()
        cases = self.get(f"{path('case_list')}?{query}", name("case_list", "?status={status}&category={category}"))
        if random.random() < 0.5:
            self.open_from(cases, "case_detail")


def _filter_choices(page: str) -> dict[str, list[str]]:
    """The options of the list's filter form (a GET form), without the empty "all"."""
    parser = _FormParser()
    parser.feed(page)
    out: dict[str, list[str]] = {}
    for form in parser.forms:
        if form.method == "get":
            for key, values in form.choices.items():
                out.setdefault(key, [v for v in values if v])
    return out


# --- the result, written when Locust has stopped every user (its CSV files are written every second while it
# runs, so requests that end during the stop are missing from them) --------------------------------------------

_RUN: dict = {"steady_since": None, "steady": {}, "logins": 0}


@events.init.add_listener
def _remember(environment, **_kwargs):
    _RUN["environment"] = environment


def _logged_in() -> None:
    """When the last user has logged in the ramp-up is over: from then on the steady state is measured apart."""
    _RUN["logins"] += 1
    runner = getattr(_RUN.get("environment"), "runner", None)
    if runner is not None and _RUN["steady_since"] is None and _RUN["logins"] >= (runner.target_user_count or 0) > 0:
        _RUN["steady_since"] = time.time()


@events.request.add_listener
def _steady_request(request_type, name, response_time, exception=None, **_kwargs):
    since = _RUN["steady_since"]
    if since is None or time.time() - (response_time or 0) / 1000 < since:
        return
    times, failures = _RUN["steady"].setdefault((request_type, name), ([], [0]))
    times.append(response_time or 0)
    failures[0] += exception is not None


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))] if ordered else 0.0


def _steady_result() -> dict:
    def row(method, request_name, times, failures):
        return {"method": method, "name": request_name, "requests": len(times), "failures": failures,
                "median": _percentile(times, 0.5), "p95": _percentile(times, 0.95), "p99": _percentile(times, 0.99),
                "max": max(times, default=0)}

    pages = [row(m, n, t, f[0]) for (m, n), (t, f) in _RUN["steady"].items()]
    every = [x for t, _f in _RUN["steady"].values() for x in t]
    started = _RUN["environment"].runner.stats.start_time if _RUN.get("environment") else None
    return {"after_seconds": round(_RUN["steady_since"] - started, 1) if started and _RUN["steady_since"] else None,
            "pages": pages, "total": row("", "total", every, sum(f[0] for _t, f in _RUN["steady"].values()))}


@events.quit.add_listener
def _write_result(**_kwargs):
    target = os.environ.get("LOADTEST_RESULT")
    environment = _RUN.get("environment")
    if not target or environment is None or environment.stats is None:
        return
    stats = environment.stats

    def row(entry):
        return {"method": entry.method or "", "name": entry.name, "requests": entry.num_requests,
                "failures": entry.num_failures, "median": entry.median_response_time,
                "p95": entry.get_response_time_percentile(0.95), "p99": entry.get_response_time_percentile(0.99),
                "max": entry.max_response_time, "rps": entry.total_rps}

    result = {
        "pages": [row(e) for e in stats.entries.values() if e.num_requests or e.num_failures],
        "total": row(stats.total),
        "errors": [{"method": e.method, "name": e.name, "error": str(e.error), "occurrences": e.occurrences}
                   for e in stats.errors.values()],
        "exceptions": [{"count": e["count"], "message": e["msg"], "traceback": e["traceback"]}
                       for e in (environment.runner.exceptions.values() if environment.runner else [])],
        "steady": _steady_result(),
    }
    with open(target, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
