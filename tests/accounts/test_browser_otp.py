"""Two-step login in a real browser (issue 16, item 4): a director whose role requires it enrols at first
login, logs in with a code from then on, and the second factor is reset after a confirmation — by IT's superuser:
a director's account is changed only by a director or a superuser (accounts.services._guard_target), not by the
administrator role."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

pytestmark = pytest.mark.browser


def _code(secret: str, steps_ahead: int = 0) -> str:
    """The code the phone's app shows (`steps_ahead` 30-second steps later: a code is never accepted twice)."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = totp.time + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_a_director_enrols_logs_in_with_a_code_and_the_administrator_resets_it(
        live_server, page_for, screenshot, settings, org, superuser):
    from accounts.models import User

    settings.OTP_REQUIRED_ROLES = ["director"]
    director = User.objects.get(username="director")

    pg = page_for("director")
    assert "/two-step/" in pg.url and "您的角色要求使用两步验证" in pg.content()
    secret = pg.inner_text("[data-testid=otp-secret]")
    assert pg.locator("[data-testid=otp-qr] svg").count() == 1
    screenshot(pg, "users-otp-01-enrol-required")
    pg.fill("input[name=token]", _code(secret))
    pg.click("main button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert "两步验证已开启" in pg.content()
    screenshot(pg, "users-otp-02-enrolled")

    pg = page_for("director")
    assert "/login/code/" in pg.url
    pg.fill("input[name=token]", "000000" if _code(secret, 1) != "000000" else "111111")
    pg.click("main button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert "验证码不正确或已过期" in pg.content() and "/login/code/" in pg.url
    screenshot(pg, "users-otp-03-wrong-code")
    pg.wait_for_timeout(1500)  # each wrong code makes the next one wait (django-otp throttling: 1 s after one)
    pg.fill("input[name=token]", _code(secret, 1))
    pg.click("main button[type=submit]")
    pg.wait_for_load_state("networkidle")
    assert pg.url.rstrip("/") == live_server.url and "周主任" in pg.content()

    pg = page_for(superuser.username)
    pg.goto(f"{live_server.url}/accounts/users/{director.pk}/")
    pg.once("dialog", lambda dialog: dialog.dismiss())
    pg.click("[data-testid=otp-reset]")
    pg.wait_for_timeout(300)
    director.refresh_from_db()
    assert director.otp_enrolled, "dismissing the confirmation must change nothing"
    screenshot(pg, "users-otp-04-before-reset")
    pg.once("dialog", lambda dialog: dialog.accept())
    pg.click("[data-testid=otp-reset]")
    pg.wait_for_load_state("networkidle")
    assert "的两步验证：该用户现在仅凭密码登录" in pg.content()
    director.refresh_from_db()
    assert not director.otp_enrolled
    screenshot(pg, "users-otp-05-reset")

    pg = page_for("director")
    assert "/two-step/" in pg.url, "a role that requires the second factor enrols again after a reset"
