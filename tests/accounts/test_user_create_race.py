"""A new account saved twice at the same moment (a double click on 保存, a retry after a timeout, two
administrators typing the same name): the username check passes for both, the database keeps one account, and the
second is told the name is taken instead of getting a server error."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from accounts import roles, services
from accounts.models import User


def _waiting_on_locks() -> int:
    with connection.cursor() as cur:
        cur.execute("select pg_stat_clear_snapshot()")
        cur.execute("select count(*) from pg_stat_activity where datname = current_database() "
                    "and wait_event_type = 'Lock' and pid <> pg_backend_pid()")
        return cur.fetchone()[0]


def _wait_for_waiters(n: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while _waiting_on_locks() < n:
        assert time.monotonic() < deadline, f"fewer than {n} sessions queued on the lock"
        time.sleep(0.01)


@pytest.mark.django_db(transaction=True)
def test_an_account_created_twice_at_once_gets_a_message_not_a_server_error(org):
    director = org["users"]["director"]
    outcome: list = []

    def second_save():
        try:
            with transaction.atomic():  # a request (ATOMIC_REQUESTS)
                outcome.append(services.user_create(username="newclerk", full_name="王新",
                                                    role_codes=[roles.CLERK], by=director))
        except Exception as exc:  # noqa: BLE001 - asserted below
            outcome.append(exc)
        finally:
            connections.close_all()

    with transaction.atomic():  # the first 保存, not committed yet
        User.objects.create(username="newclerk", full_name="王新")
        thread = threading.Thread(target=second_save)
        thread.start()
        _wait_for_waiters(1)  # the second passed the username check and waits on the unique index
    thread.join(60)
    assert not thread.is_alive()
    [result] = outcome
    assert isinstance(result, ValidationError), result
    assert "username" in result.message_dict
    assert User.objects.filter(username__iexact="newclerk").count() == 1
