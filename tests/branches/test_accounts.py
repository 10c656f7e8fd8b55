import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse


def test_a_member_logs_in_with_his_phone_number(client, alice):
    response = client.post(reverse("login"), {"username": "13800000001", "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.get(reverse("branches:home")).context["user"] == alice


def test_a_member_logs_in_with_his_username(client, alice):
    assert (
        client.post(reverse("login"), {"username": "alice", "password": "pass-word-123"}).status_code == 302
    )


def test_a_wrong_password_shows_a_chinese_message(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "密码" in response.content.decode()


def test_the_english_interface_is_selectable(client, alice):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert "password" in response.content.decode()
    assert response["Content-Language"] == "en"


def test_repeated_failures_lock_the_account(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": "pass-word-123"})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_every_form_needs_csrf(client, alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(reverse("login"), {"username": "alice", "password": "pass-word-123"}).status_code == 403
    )


def test_a_session_ends_after_30_idle_minutes_and_lives_while_used(client, alice):
    import time_machine

    from tests.conftest import clear_cache

    assert settings.SESSION_COOKIE_AGE == 1800 and not settings.SESSION_SAVE_EVERY_REQUEST
    home = reverse("branches:inbox")
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as clock:
        client.post(reverse("login"), {"username": "alice", "password": "pass-word-123"})
        for _minute in range(3):  # used every 25 minutes: 75 minutes later still logged in
            clock.shift(25 * 60)
            assert client.get(home).status_code == 200
        clock.shift(31 * 60)  # then 31 idle minutes
        # The cached copy leaves Redis at its TTL, in real time, which time-machine does not move.
        clear_cache()
        response = client.get(home)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_request_soon_after_the_last_writes_no_session(client, alice, django_assert_max_num_queries):
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    home = reverse("branches:inbox")
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as clock:
        client.post(reverse("login"), {"username": "alice", "password": "pass-word-123"})
        client.get(home)
        clock.shift(30)
        with CaptureQueriesContext(connection) as soon:
            assert client.get(home).status_code == 200
        clock.shift(settings.ZHIBU_SESSION_REFRESH_SECONDS)
        with CaptureQueriesContext(connection) as later:
            assert client.get(home).status_code == 200
    assert not any("django_session" in q["sql"] for q in soon.captured_queries)
    assert any(q["sql"].startswith("UPDATE") and "django_session" in q["sql"] for q in later.captured_queries)


def test_logout_is_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_pages_carry_a_csp_without_unsafe_inline(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "<script>" not in response.content.decode()


def test_password_change_works(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pass-word-123",
            "new_password1": "a-much-better-pass-2026",
            "new_password2": "a-much-better-pass-2026",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-much-better-pass-2026")


def test_check_deploy_is_clean_under_production_settings():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for the test process; a deployment never does.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhibu"),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
        "ALLOWED_HOSTS": "zhibu.example.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
