"""Each demo role logs in through the real form and sees its own Chinese workbench and menu."""

import pytest

ROLES = [
    # username, role label shown on the workbench, menu sections it must see, sections it must not see
    ("admin", "系统管理员", ["管理", "服务网络"], []),
    ("director", "主任", ["受理", "案件", "统计", "经费"], []),
    ("clerk", "窗口受理员", ["受理", "案件"], ["经费"]),
    ("reviewer", "审查员", ["受理", "案件"], ["经费"]),
    ("finance", "财务", ["经费"], ["受理"]),
    ("handler", "承办人", ["案件"], ["受理", "经费", "统计"]),
    ("staff_a", "工作站人员", ["受理", "案件", "统计"], ["经费"]),
    ("staff_b", "工作站人员", ["受理", "案件", "统计"], ["经费"]),
]


@pytest.mark.browser
@pytest.mark.parametrize("username,role,sees,hidden", ROLES, ids=[r[0] for r in ROLES])
def test_each_role_logs_in_and_sees_its_chinese_workbench_and_menu(
    org, live_server, page, login, screenshot, username, role, sees, hidden
):
    login(page, username)
    assert page.url.rstrip("/") == live_server.url
    assert "工作台" in page.title()
    assert role in page.get_by_test_id("home-role").inner_text()
    nav = page.get_by_test_id("main-nav")
    sections = [t.strip() for t in nav.locator("a.dropdown-toggle").all_inner_texts()]
    for label in sees:
        assert any(s.startswith(label) for s in sections), f"{username} should see {label}: {sections}"
    for label in hidden:
        assert not any(s.startswith(label) for s in sections), f"{username} should not see {label}: {sections}"
    screenshot(page, f"shell-home-{username}")


@pytest.mark.browser
def test_a_station_user_on_a_phone_gets_a_collapsible_menu(org, live_server, phone_page, login, screenshot):
    login(phone_page, "staff_a")
    toggler = phone_page.locator("button.navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    phone_page.get_by_test_id("main-nav").wait_for(state="visible")
    screenshot(phone_page, "shell-phone-staff_a")


@pytest.mark.browser
def test_a_wrong_password_shows_a_chinese_error(org, live_server, page, login):
    login(page, "clerk", password="wrong-password")
    assert "请输入一个正确的" in page.content()


# Records every Content-Security-Policy violation the page reports, from its first script on.
CSP_PROBE = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""
MAIN_PAGES = ["/", "/applicants/new/", "/intake/consultations/new/", "/intake/applications/",
              "/cases/", "/funding/", "/funding/standards/", "/funding/batches/new/", "/publicity/",
              "/reports/", "/stations/"]


@pytest.mark.browser
@pytest.mark.parametrize("username", ["director", "staff_a"])
def test_the_main_pages_run_under_the_content_security_policy_without_a_violation(
    org, live_server, page, login, username
):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: violations.append(f"page error: {exc}"))
    page.add_init_script(CSP_PROBE)
    login(page, username)
    nav_links = page.locator("[data-testid=main-nav] a.dropdown-item").evaluate_all("els => els.map(e => e.href)")
    urls = list(dict.fromkeys([f"{live_server.url}{p}" for p in MAIN_PAGES] + nav_links))
    visited = 0
    for url in urls:
        response = page.goto(url)
        if response is None or response.status >= 400:
            continue  # a page this role may not open answers 403/404; those are tested elsewhere
        visited += 1
        assert "default-src 'self'" in response.headers.get("content-security-policy", ""), url
        page.wait_for_load_state("networkidle")
        violations.extend(f"{url}: {v}" for v in page.evaluate("window.__csp || []"))
    assert visited >= 8
    assert violations == []


@pytest.mark.browser
def test_page_behaviour_works_from_the_static_script(org, live_server, page, login):
    """The language switch submits on change, the funding chart draws: no inline script needed."""
    login(page, "director")
    page.goto(f"{live_server.url}/funding/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof Chart !== 'undefined' && !!Chart.getChart(document.getElementById('spending-chart'))")
    page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    assert "Workbench" in page.content()
