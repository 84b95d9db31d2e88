"""The login lockout counts the client, not the reverse proxy in front of the site (core/clientip.py)."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.clientip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ALICE, MALLORY = "203.0.113.10", "198.51.100.66"


def login(client: Client, password: str, *, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": "clerk", "password": password}, **extra)


def fail_five_times(*, remote: str, forwarded: str | None = None):
    for _ in range(5):
        login(Client(), "wrong", remote=remote, forwarded=forwarded)


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_only_the_client_that_failed_is_locked_out(clerk):
    fail_five_times(remote=PROXY, forwarded=MALLORY)
    assert login(Client(), "legalaid-demo", remote=PROXY, forwarded=MALLORY).status_code == 429
    assert login(Client(), "legalaid-demo", remote=PROXY, forwarded=ALICE).status_code == 302


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_forged_address_at_the_left_of_the_header_is_not_believed(clerk):
    # nginx appends the address it saw: "<whatever the client sent>, <the client>".
    for _ in range(5):
        login(Client(), "wrong", remote=PROXY, forwarded=f"{ALICE}, {MALLORY}")
    assert login(Client(), "legalaid-demo", remote=PROXY, forwarded=ALICE).status_code == 302
    assert login(Client(), "legalaid-demo", remote=PROXY, forwarded=f"1.2.3.4, {MALLORY}").status_code == 429


@override_settings(TRUSTED_PROXIES=[])
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(clerk):
    # Mallory cannot escape the count by inventing addresses, nor pose as Alice to lock her out.
    for n in range(5):
        login(Client(), "wrong", remote=MALLORY, forwarded=f"192.0.2.{n}")
    assert login(Client(), "legalaid-demo", remote=MALLORY, forwarded="192.0.2.99").status_code == 429
    assert login(Client(), "legalaid-demo", remote=ALICE).status_code == 302


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_a_client_not_coming_through_the_proxy_is_counted_by_its_own_address(clerk):
    fail_five_times(remote=MALLORY, forwarded=ALICE)
    assert login(Client(), "legalaid-demo", remote=ALICE).status_code == 302
    assert login(Client(), "legalaid-demo", remote=MALLORY).status_code == 429


@pytest.mark.parametrize("trusted,remote,forwarded,expected", [
    ([], PROXY, ALICE, PROXY),
    ([PROXY], PROXY, ALICE, ALICE),
    ([PROXY], PROXY, "", PROXY),
    ([PROXY], PROXY, f"{MALLORY}, {ALICE}", ALICE),
    (["10.0.0.0/8"], PROXY, f"{ALICE}, 10.0.0.7", ALICE),  # two proxies in a row
    ([PROXY], PROXY, "not-an-address", PROXY),
    ([PROXY], PROXY, "[2001:db8::5]:4711", "2001:db8::5"),
    (["::1"], "::1", "2001:db8::9", "2001:db8::9"),
])
def test_the_client_address_is_read_from_the_right_past_trusted_proxies(trusted, remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(request) == expected
