"""The harness bites: with a lookup that forgets its scope, a view that writes before it refuses, it fails;
with a view that undoes its own write before it refuses, it does not (tests/test_architecture.py proves the
import contracts the same way). Each mutant is patched in for one test; the figures of the run are kept as
they were, so the summary counts only what the real portal did."""

from __future__ import annotations

import copy
from contextlib import contextmanager

from django.db import transaction

from branches import services as branch_services

from .crawl import Crawl
from .fetching import STATS, fetch
from .routes import routes


@contextmanager
def _figures_kept():
    kept = copy.deepcopy(vars(STATS))
    try:
        yield
    finally:
        vars(STATS).update(kept)


def _post_minutes(world):
    meeting = world.branches["a"].live_meeting
    return fetch(world.clients["sam"], "sam", "POST", f"/meetings/{meeting.pk}/minutes/", {"minutes": "记录"})


def test_a_lookup_that_forgets_the_scope_shows_as_leaks(world, monkeypatch):
    from openness import selectors
    from openness.models import DisclosureItem

    monkeypatch.setattr(
        selectors, "get_item_for", lambda request, pk, manage=False: DisclosureItem.objects.get(pk=pk)
    )
    route = next(r for r in routes() if r.id == "openness:item")
    with _figures_kept():
        crawl = Crawl(world)
        crawl.planner.probe(route)
        crawl.visit(route, "GET")
    leaked = {persona for (_rid, persona, _m), seen in crawl.seen.items() for s in seen if s.leaks}
    assert {"alice", "bob", "anonymous"} <= leaked


def test_a_write_before_a_refusal_is_seen(world, monkeypatch):
    record = branch_services.record_minutes

    def writes_then_refuses(**kwargs):
        record(**kwargs)
        raise branch_services.BranchError("拒绝")

    monkeypatch.setattr(branch_services, "record_minutes", writes_then_refuses)
    with _figures_kept():
        outcome = _post_minutes(world)
    assert outcome.refused and "branches_meeting" in outcome.written, outcome.describe()


def test_a_write_the_request_undid_itself_is_no_write(world, monkeypatch):
    """pg_stat_xact counts the rows of a rolled-back savepoint too: the checksums tell them apart."""
    record = branch_services.record_minutes

    def undoes_then_refuses(**kwargs):
        with transaction.atomic():
            record(**kwargs)
            raise branch_services.BranchError("拒绝")

    monkeypatch.setattr(branch_services, "record_minutes", undoes_then_refuses)
    with _figures_kept():
        outcome = _post_minutes(world)
    assert outcome.refused and not outcome.written, outcome.describe()
