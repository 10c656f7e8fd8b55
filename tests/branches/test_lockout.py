"""Lock-out counts per account, whatever identifier was typed: the username or the phone number.

The attack replayed: alice, locked out under her username, went on guessing under her phone number, and a
right guess there logged her in and cleared the lock.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

PASSWORD = "pass-word-123"
PHONE = "13800000001"  # alice's, tests/conftest.py


def log_in(client, identifier: str, password: str, **extra):
    return client.post(reverse("login"), {"username": identifier, "password": password}, **extra)


def fail(client, identifier: str, times: int = 1) -> None:
    for _ in range(times):
        response = log_in(client, identifier, "wrong")
        assert response.status_code in (200, 429)  # the failure that reaches the limit answers "locked"
        assert not logged_in(response)


def logged_in(response) -> bool:
    return response.wsgi_request.user.is_authenticated


@pytest.fixture(autouse=True)
def _limit_is_five():
    assert settings.AXES_FAILURE_LIMIT == 5


@pytest.mark.parametrize("typed", ["alice", PHONE, f" {PHONE} "])
def test_four_failures_by_username_and_one_by_phone_lock_the_account_for_every_identifier(
    client, alice, typed
):
    fail(client, "alice", 4)
    fail(client, PHONE)
    response = log_in(client, typed, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(response)


def test_a_right_password_by_phone_while_locked_neither_logs_in_nor_clears_the_lock(client, alice):
    fail(client, "alice", 5)
    response = log_in(client, PHONE, PASSWORD)
    assert response.status_code == 429 and not logged_in(response)
    assert AccessAttempt.objects.get().failures_since_start >= 5
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429 and not logged_in(response)


def test_failures_by_phone_alone_lock_the_username_too(client, alice):
    fail(client, PHONE, 5)
    assert log_in(client, "alice", PASSWORD).status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["alice"]


def test_other_accounts_are_not_affected(client, alice, sam):
    fail(client, "alice", 3)
    fail(client, PHONE, 2)
    assert logged_in(log_in(client, "sam", PASSWORD))
    client.logout()
    assert logged_in(log_in(client, "13800000002", PASSWORD))  # sam's phone


def test_a_right_password_before_the_limit_still_clears_the_failures_of_the_account(client, alice):
    fail(client, PHONE, 2)
    fail(client, "alice", 2)
    assert logged_in(log_in(client, PHONE, PASSWORD))
    assert not AccessAttempt.objects.exists()


def test_an_identifier_of_no_account_is_counted_as_typed_and_stripped(client, db):
    fail(client, " nobody ", 2)
    fail(client, "nobody")
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("nobody", 3)]


def test_the_locked_out_page_does_not_say_whose_phone_it_is(client, alice):
    fail(client, PHONE, 5)
    for extra in ({}, {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}):
        response = log_in(client, PHONE, PASSWORD, **extra)
        assert response.status_code == 429
        assert "alice" not in response.content.decode()
