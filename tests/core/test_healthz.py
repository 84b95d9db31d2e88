"""/healthz answers the container's probe whatever the Host header says (docker-compose.yml)."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PRODUCTION = dict(ALLOWED_HOSTS=["legalaid.example.gov.cn"], DEBUG=False, SECURE_SSL_REDIRECT=True)


@override_settings(**PRODUCTION)
def test_the_probe_on_the_loopback_address_gets_200_with_a_real_domain_configured(client):
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["database"]["ok"] is True
    assert "no-cache" in response["Cache-Control"]


@override_settings(**PRODUCTION)
def test_the_probe_is_not_redirected_to_https(client):
    assert client.get("/healthz", HTTP_HOST="legalaid.example.gov.cn").status_code == 200


@override_settings(**PRODUCTION)
def test_every_other_page_still_refuses_a_host_that_is_not_allowed(client):
    assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/healthz/", HTTP_HOST="127.0.0.1:8000").status_code == 400


def test_a_database_that_is_down_answers_503(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    with override_settings(**PRODUCTION):
        response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 503 and response.json()["checks"]["database"]["ok"] is False
