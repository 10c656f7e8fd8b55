"""Shared by the benchmarks: a throw-away PostgreSQL database, Django set up on it, and a sealed poll.

Not collected by pytest (pytest collects test_*.py only). Each benchmark creates its own database
(zhibu_bench_<pid>) on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432), migrates
it, and drops it at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSPHRASES = ["bench-scrutineer-one", "bench-scrutineer-two"]


def server_url() -> str:
    return os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _with_db(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{name}"))


@contextlib.contextmanager
def throwaway_database(settings_module: str = "config.settings.test"):
    """Create, migrate, yield the URL of, and finally drop a database of its own."""
    import psycopg2

    name = f"zhibu_bench_{os.getpid()}"
    admin_url = _with_db(server_url(), "postgres")
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(server_url(), name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@contextlib.contextmanager
def gunicorn(url: str, *, workers: int = 3, threads: int = 4):
    """The portal on a free port of 127.0.0.1 under gunicorn (gthread) on the database `url`; yields
    (port, server process) once it answers, and stops every worker at the end."""
    import signal
    import socket
    import subprocess
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "AXES_FAILURE_LIMIT": "1000000",
        "DB_CONN_MAX_AGE": "600",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)]
    command += ["--backlog", "4096", "--log-level", "warning", "--timeout", "120"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        for _i in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def build_poll(
    n_members: int,
    *,
    with_users: bool,
    password: str = "bench-pass-123",
    seats: int = 3,
    candidates: int = 5,
    allow_write_in: bool = False,
):
    """A branch of n members (bulk-created: this is a fixture, not the code under test), a meeting under way
    with all of them signed in, and an open candidate poll sealed by two scrutineers."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from ballots import services
    from branches import services as branch_services
    from branches.models import Attendance, Member, User

    org = branch_services.create_organisation(actor=None, name="基准测试党支部", kind="branch")
    secretary_user = User.objects.create(
        username="bench-secretary", password=make_password(password), is_superuser=True
    )
    users = []
    if with_users:
        hashed = make_password(password)
        users = User.objects.bulk_create(
            [User(username=f"voter{i}", password=hashed) for i in range(n_members)], batch_size=5000
        )
    members = Member.objects.bulk_create(
        [
            Member(
                organisation=org,
                name=f"党员{i}",
                name_pinyin=f"dangyuan{i}",
                category="full",
                user=users[i] if users else None,
            )
            for i in range(n_members)
        ],
        batch_size=5000,
    )
    meeting = branch_services.schedule_meeting(
        actor=secretary_user,
        organisation=org,
        kind="general",
        title="基准测试党员大会",
        agenda="选举",
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    branch_services.start_meeting(actor=secretary_user, meeting=meeting)
    Attendance.objects.filter(meeting=meeting).update(
        status="present", signed_in_at=timezone.now(), sign_in_method="secretary"
    )
    poll = services.create_poll(
        actor=secretary_user,
        meeting=meeting,
        title="基准测试选举",
        kind="candidates",
        seats=seats,
        allow_write_in=allow_write_in,
    )
    for member in members[:candidates]:
        services.add_option(actor=secretary_user, poll=poll, member=member)
    scrutineers = [services.add_scrutineer(actor=secretary_user, poll=poll, member=m) for m in members[-2:]]
    services.seal_box(
        actor=secretary_user,
        poll=poll,
        passphrases={s.pk: p for s, p in zip(scrutineers, PASSPHRASES, strict=True)},
    )
    services.open_poll(actor=secretary_user, poll=poll)
    poll.refresh_from_db()
    return poll, members, secretary_user
