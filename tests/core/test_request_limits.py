"""An oversized request body is refused (413) before it is read (core.input_guard.body_too_large): Django writes a
whole upload to its temporary files before any permission check, so an anonymous POST could fill the disk."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_anonymous_post_over_a_megabyte_is_refused_unread(client, settings):
    resp = client.post(reverse("login"), data=b"x" * 10, content_type="multipart/form-data; boundary=x",
                       CONTENT_LENGTH=str(settings.ANONYMOUS_MAX_BYTES + 1))
    assert resp.status_code == 413
    assert "请求过大" in resp.content.decode()


def test_a_signed_in_post_over_the_request_limit_is_refused_and_one_within_it_is_not(client_for, settings):
    c = client_for("clerk")
    url = reverse("set_language")
    resp = c.post(url, data=b"x" * 10, content_type="multipart/form-data; boundary=x",
                  CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1))
    assert resp.status_code == 413
    assert c.post(url, {"language": "zh-hans", "next": "/"}).status_code == 302
    assert settings.REQUEST_MAX_BYTES >= 5 * settings.UPLOAD_MAX_BYTES  # five attachments of the largest size


def test_a_login_form_still_works_without_a_session(client, org):
    from accounts.models import User

    User.objects.create_user("limit_user", password="Pa55word!long", full_name="测试")
    resp = client.post(reverse("login"), {"username": "limit_user", "password": "Pa55word!long"})
    assert resp.status_code in (200, 302)
    assert resp.status_code != 413
