"""The director manages an account in a real browser: creates a clerk, resets the password, the clerk logs in."""

import pytest

from tests.helpers import fill_form

pytestmark = pytest.mark.browser


def test_the_director_creates_a_clerk_resets_the_password_and_the_clerk_logs_in(
        live_server, browser, login, screenshot, org):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, timezone_id="Asia/Shanghai")
    context.set_default_timeout(15000)
    pg = context.new_page()
    login(pg, "director")
    pg.click("[data-section=admin]")
    pg.locator("a.dropdown-item[href='/accounts/users/']").click()
    pg.wait_for_load_state("networkidle")
    assert "周主任" in pg.content() and "冯城关" in pg.content()
    screenshot(pg, "users-01-list")

    pg.click("[data-testid=new-user]")
    fill_form(pg, username="liming", full_name="李明", phone="13800001234")
    pg.check("input[name=roles][value=intake_clerk]")
    screenshot(pg, "users-02-create")
    pg.click("[data-testid=main-form] button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert "账户已创建" in pg.content()
    first = pg.inner_text("[data-testid=one-time-password]")
    screenshot(pg, "users-03-created-password")

    pg.get_by_role("link", name="返回该用户").click()
    pg.wait_for_load_state("networkidle")
    assert "窗口受理员" in pg.content() and "创建账户" in pg.content()
    pg.get_by_role("link", name="重置密码").click()
    pg.wait_for_load_state("networkidle")
    pg.click("[data-testid=main-form] button[type=submit]")
    pg.wait_for_load_state("networkidle")
    password = pg.inner_text("[data-testid=one-time-password]")
    assert password != first
    screenshot(pg, "users-04-reset-password")
    pg.reload()
    assert "不再显示" in pg.content() and password not in pg.content()
    context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, timezone_id="Asia/Shanghai")
    context.set_default_timeout(15000)
    pg = context.new_page()
    login(pg, "liming", password)
    assert "/accounts/password/" in pg.url and "一次性密码" in pg.content()
    screenshot(pg, "users-05-must-change")
    pg.fill("input[name=old_password]", password)
    pg.fill("input[name=new_password1]", "Qingshui-2026-xyz")
    pg.fill("input[name=new_password2]", "Qingshui-2026-xyz")
    pg.click("button.btn-brand[type=submit]")
    pg.wait_for_load_state("networkidle")
    pg.goto(f"{live_server.url}/")
    assert pg.url.rstrip("/") == live_server.url and "李明" in pg.content()
    screenshot(pg, "users-06-clerk-home")
    context.close()
