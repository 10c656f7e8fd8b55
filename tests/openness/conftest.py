"""Disclosure fixtures: the personas of tests/conftest.py, a few more for the scope matrix, and items built
through the real services (create → submit → secrecy review → approve), so no test starts from an
impossible state."""

import importlib

import pytest

from branches import services as branch_services
from openness import rules, services
from tests.conftest import _persona

ALL_CHECKS = {name: True for name in rules.SECRECY_CHECKS}
BODY = "<p>经支部委员会研究决定，现将有关事项公开如下。</p>"


@pytest.fixture(autouse=True)
def _default_catalogue(request):
    restore_default_catalogue(request)


def restore_default_catalogue(request) -> None:
    """The default catalogue is data of migration 0003; a transactional test (the browser tests) empties the
    tables afterwards, so it is put back (idempotent, committed like the migration's own rows)."""
    if {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            ensure_default_catalogue()


def ensure_default_catalogue() -> None:
    from django.apps import apps

    importlib.import_module("openness.migrations.0003_default_catalogue").create(apps, None)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Notifications are rows; their delivery task would talk to the broker after commit. Not here."""
    monkeypatch.setattr("branches.tasks.deliver_notifications.delay", lambda *a, **k: None)


@pytest.fixture
def tom(tree):
    """A member of the town committee's own organisation (the organisation of the matrix's items)."""
    return _persona("tom", tree.town, name="唐委员")


@pytest.fixture
def sid(tree):
    """A member of a sibling organisation (the other town)."""
    return _persona("sid", tree.town2, name="司同志")


@pytest.fixture
def rita(tree):
    """A member far away (another town's village branch), named in a defined range."""
    return _persona("rita", tree.c, name="任同志")


@pytest.fixture
def town_secretary(tree):
    return _persona("tess", tree.town, role="secretary", name="谭书记")


def draft(*, author, org, title="关于党费收缴情况的公示", body=BODY, category="daily", **fields):
    return services.create_item(
        actor=author, organisation=org, category=category, title=title, body=body, **fields
    )


def through_review(item, *, author, reviewer):
    services.submit_item(actor=author, item=item, reviewer=reviewer)
    services.pass_secrecy_review(actor=reviewer, item=item, checks=ALL_CHECKS)
    item.refresh_from_db()
    return item


def publish(*, author, reviewer, approver, org, **fields):
    """An item taken through the whole procedure by the real services; returns it published."""
    item = draft(author=author, org=org, **fields)
    through_review(item, author=author, reviewer=reviewer)
    services.approve_item(actor=approver, item=item)
    item.refresh_from_db()
    return item


def returned(*, author, reviewer, org, comment="请补充经费明细。", **fields):
    item = draft(author=author, org=org, **fields)
    services.submit_item(actor=author, item=item, reviewer=reviewer)
    services.return_item(actor=reviewer, item=item, comment=comment)
    item.refresh_from_db()
    return item


def fresh(user):
    """The same login without the scope cached on the object (after a role change)."""
    from branches.models import User

    return User.objects.get(pk=user.pk)


__all__ = ["ALL_CHECKS", "branch_services", "draft", "fresh", "publish", "returned", "through_review"]
