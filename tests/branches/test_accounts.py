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


def test_sessions_expire_when_idle_and_every_form_needs_csrf(client, alice):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 3600
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(reverse("login"), {"username": "alice", "password": "pass-word-123"}).status_code == 403
    )


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
