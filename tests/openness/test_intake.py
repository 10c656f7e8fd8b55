"""Drafts flow in from the outbox: a closed election, a decided motion, an answered proposal each become a
disclosure draft with the right scope and catalogue entry — once, whether the signal or the sweep takes it."""

import pytest

from branches.outbox import DisclosureDraft, DisclosureKind, offer_disclosure
from openness import services
from openness.models import CatalogueEntry, DisclosureItem, ItemStatus, Obligation
from openness.services.intake import KINDS


@pytest.fixture
def source(tree, sam):
    """Any row can be the source of an offer; a meeting stands in for an election or a motion here."""
    import datetime as dt

    from django.utils import timezone

    from branches import services as branch_services

    return branch_services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="党员大会",
        agenda="选举",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )


def offer(
    tree,
    source,
    kind=DisclosureKind.ELECTION_RESULTS,
    scope="internal",
    body="当选：张三、李四、王五。",
    key="",
):
    return offer_disclosure(
        organisation=tree.a,
        kind=kind,
        title="支部委员会选举结果",
        body=body,
        source=source,
        scope=scope,
        catalogue_key=key,
    )


def test_the_signal_after_commit_turns_the_offer_into_a_draft_for_review(
    tree, sam, source, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = offer(tree, source)
    row.refresh_from_db()
    assert row.consumed_at is not None
    item = DisclosureItem.objects.get(source_draft=row)
    assert item.status == ItemStatus.DRAFT  # a human reviews it: nothing is published by itself
    assert (item.organisation, item.scope, item.category) == (tree.a, "internal", "leadership")
    assert item.body == "<p>当选：张三、李四、王五。</p>"
    assert item.obligation.entry.key == "election.results"
    assert item.obligation.event_key.startswith(
        f"{DisclosureKind.ELECTION_RESULTS}:"
    )  # the kind, then the source


def test_the_sweep_takes_what_no_receiver_took_and_a_second_sweep_nothing(tree, source):
    row = offer(tree, source)  # no commit callbacks run here: the signal never fired
    assert DisclosureDraft.objects.filter(consumed_at__isnull=True).count() == 1
    assert services.sweep_drafts() == 1
    assert services.sweep_drafts() == 0
    assert DisclosureItem.objects.filter(source_draft=row).count() == 1


def test_consuming_twice_makes_one_item(tree, source):
    row = offer(tree, source)
    first = services.consume_draft(row.pk)
    second = services.consume_draft(row.pk)
    assert first == second
    assert DisclosureItem.objects.count() == 1
    assert Obligation.objects.filter(entry__key="election.results").count() == 1


def test_a_retried_offer_is_one_draft(tree, source):
    row = offer(tree, source)
    again = offer(tree, source)
    assert row.pk == again.pk


@pytest.mark.parametrize("kind", list(DisclosureKind))
def test_every_disclosure_kind_has_its_placement_in_the_intake_table(kind):
    """A kind added to the outbox registry without a row here would land on a board by its prefix alone."""
    assert kind in KINDS


def test_the_intake_table_places_only_kinds_of_the_registry():
    assert set(KINDS) <= set(DisclosureKind)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(DisclosureKind))
def test_the_catalogue_entry_a_kind_counts_for_is_in_the_default_catalogue(kind):
    key = KINDS[kind][2]
    assert not key or CatalogueEntry.objects.filter(key=key, organisation__isnull=True).exists()


@pytest.mark.parametrize(
    ("kind", "category", "notice", "entry"),
    [
        (DisclosureKind.ELECTION_CANDIDATES, "leadership", 7, "election.candidates"),
        (DisclosureKind.MOTION_RESOLUTION, "plans", None, "motion.resolution"),
        (DisclosureKind.MOTION_RESULT, "plans", None, None),
        (DisclosureKind.PROPOSAL_ANSWER, "daily", None, "proposal.answer"),
        (DisclosureKind.INQUIRY_ANSWER, "daily", None, "proposal.answer"),
        (DisclosureKind.DEVELOPMENT_CONVERSION, "organisation", 5, "development.conversion"),
        ("deliberation.conclusion", "plans", None, None),  # not (yet) a kind: placed by its prefix
    ],
)
def test_each_kind_lands_in_its_category_with_its_notice_and_catalogue_entry(
    tree, source, kind, category, notice, entry
):
    item = services.consume_draft(offer(tree, source, kind=kind).pk)
    assert item.category == category
    assert item.notice_working_days == notice
    assert (item.obligation.entry.key if item.obligation else None) == entry


def test_the_producer_may_name_the_catalogue_entry_and_the_scope(tree, source):
    item = services.consume_draft(
        offer(
            tree, source, kind=DisclosureKind.MOTION_RESULT, key="motion.implementation", scope="society"
        ).pk
    )
    assert item.obligation.entry.key == "motion.implementation"
    assert item.scope == "society"


def test_html_from_the_producer_is_sanitised(tree, source):
    item = services.consume_draft(
        offer(tree, source, body='<p onclick="x()">结果<script>alert(1)</script></p>').pk
    )
    assert item.body == "<p>结果</p>"


def test_the_managers_are_told_a_draft_awaits_them(tree, sam, source):
    from branches.models import Notification

    services.consume_draft(offer(tree, source).pk)
    assert Notification.objects.filter(recipient=sam, kind="disclosure.draft").exists()
