"""The security harness: one world (world.py) built once for the tests of this package that ask for it,
inside a transaction rolled back when they are done; every request in a savepoint of its own (fetching.py).

The world's tests run last in tests/security/, one after the other, so the world's transaction never holds
another test of the package (test_roles.py and others build their own `tree`). At the end of the run the
harness prints its figures (pytest_terminal_summary).
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings

from .crawl import Crawl
from .fetching import STATS
from .world import PERSONAS, build_world

HERE = Path(__file__).parent


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: the first test left is marked
def pytest_collection_modifyitems(session, config, items):
    """Within tests/security/, the tests that use the world go last (their order kept). The first of them
    says django_db, so that pytest-django creates the test database even when only these tests run; the
    others need no transaction of their own (the world's, and each request's savepoint, are enough), which
    spares pytest-django's per-test constraint check of the world's whole transaction."""
    ours = [i for i, item in enumerate(items) if Path(str(item.fspath)).parent == HERE]
    if not ours:
        return
    block = [items[i] for i in ours]
    worldly = [t for t in block if "world" in t.fixturenames]
    block = [t for t in block if "world" not in t.fixturenames] + worldly
    for i, item in zip(ours, block, strict=True):
        items[i] = item
    if worldly:
        worldly[0].add_marker(pytest.mark.django_db)


@contextmanager
def _own_media(folder: Path):
    """MEDIA_ROOT (and the attachments' private folder next to it) in a folder of the harness's own, so
    that its files live and die with the world and nobody else's clean-up removes them mid-run."""
    from django.utils.functional import empty

    from openness.models.attachments import private_storage

    with override_settings(MEDIA_ROOT=str(folder / "media")):
        private_storage._wrapped = empty  # set up again from the setting (a LazyObject)
        try:
            yield
        finally:
            private_storage._wrapped = empty


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, every persona logged in on a client of his own (and `root`, a superuser, for the probes)."""
    from branches.models import User

    STATS.started = time.monotonic()
    with _own_media(tmp_path_factory.mktemp("harness")), django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.clients = {}
        for persona in PERSONAS:
            client = Client(raise_request_exception=False)
            if persona != "anonymous":
                client.force_login(built.users[persona])
            built.clients[persona] = client
        built.root = Client(raise_request_exception=False)
        built.root.force_login(User.objects.create_superuser("root", "root@example.cn", "pass-word-123"))
        yield built
        transaction.set_rollback(True)
    STATS.seconds = round(time.monotonic() - STATS.started)


@pytest.fixture(scope="package")
def crawl(world) -> Crawl:
    """Every URL GET and POST (empty) as every persona, once for the package."""
    return Crawl(world).run()


@pytest.fixture(scope="package", autouse=True)
def _quiet_request_log():
    """Django logs every 404 and 405 of the crawl (thousands); the harness records them itself."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def summary() -> dict:
    s = STATS
    return {
        "url_names": len(s.routes),
        "personas": len(s.personas),
        "gets": s.by_method["GET"],
        "empty_posts": s.empty_posts,
        "forms_fuzzed": s.forms_fuzzed,
        "forms_guessed": s.forms_guessed,
        "fuzz_posts": s.fuzz_posts,
        "upload_cases": s.upload_cases,
        "exports_scanned": s.exports_scanned,
        "cases": s.fuzz_posts + s.upload_cases + s.exports_scanned,
        "leaks": s.leaks,
        "5xx": s.errors,
        "seconds": s.seconds,  # from the world's first row to its rollback
        "statuses": {str(k): v for k, v in sorted(s.statuses.items())},
    }


def pytest_terminal_summary(terminalreporter):
    """`security harness: N URL names × P personas = G GETs, …` and the same figures as one JSON line."""
    if not STATS.requests:
        return
    f = summary()
    terminalreporter.section("security harness")
    terminalreporter.write_line(
        f"security harness: {f['url_names']} URL names × {f['personas']} personas "
        f"= {f['url_names'] * f['personas']} pairs in {f['gets']} GETs and {f['empty_posts']} empty POSTs, "
        f"{f['forms_fuzzed']} forms fuzzed, {f['cases']} cases "
        f"({f['fuzz_posts']} fuzzed POSTs, {f['upload_cases']} upload cases, {f['exports_scanned']} exports "
        f"scanned), {f['leaks']} leaks, {f['5xx']} × 5xx, in {f['seconds']} s"
    )
    terminalreporter.write_line(json.dumps(f, ensure_ascii=False))
    for finding in STATS.findings[:20]:
        terminalreporter.write_line(finding)
