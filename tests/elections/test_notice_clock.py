"""One 公示 clock, the board item's: approving the pre-candidates offers the notice, and the election's
notice runs only once the board publishes it (the outbox reports back; elections never imports openness).
A cancelled election leaves nothing on a board's workbench: its offers not yet published are withdrawn."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from branches.models import Reminder
from branches.outbox import DisclosureDraft
from elections import selectors, services
from openness.models import DisclosureItem
from openness.services.intake import consume_draft, sweep_drafts
from tests.factories import MemberFactory, UserFactory

from .procedure_flow import fresh, members_by_username, publish_notice, to_inspection_state


@pytest.fixture
def ten(tree, sam, alice, olga):
    for i in range(1, 9):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


def approved_for_notice(tree, sam, olga, ten):
    election = to_inspection_state(tree, sam, olga, ten)
    services.submit_pre_candidates(actor=sam, election=election)
    services.approve_pre_candidates(actor=olga, election=election)
    return fresh(election)


def test_the_notice_does_not_run_while_its_board_item_is_a_draft(client, tree, sam, olga, ten):
    election = approved_for_notice(tree, sam, olga, ten)
    assert election.status == "notice"
    assert election.notice_starts_at is None and election.notice_ends_at is None
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        assert services.end_due_notices() == 0  # a month later, unpublished: still not over
    issues = selectors.issues_for(election)
    assert any("公开栏" in i or "board" in i for i in issues)
    client.force_login(sam)
    page = client.get(reverse("elections:election", args=[election.pk])).content.decode()
    assert "待在党务公开栏发布" in page


def test_the_notice_runs_on_the_published_items_clock(tree, sam, olga, ten):
    election = approved_for_notice(tree, sam, olga, ten)
    item = publish_notice(election, sam, olga)
    assert item.status == "published" and item.notice_ends_at is not None
    election = fresh(election)
    assert election.notice_starts_at == item.published_at
    assert election.notice_ends_at == item.notice_ends_at  # one clock
    draft = DisclosureDraft.objects.get(pk=item.source_draft_id)
    assert draft.published_at == item.published_at
    assert Reminder.objects.filter(kind="election.notice_end", due_at=item.notice_ends_at).count() == 1
    with time_machine.travel(item.notice_ends_at - dt.timedelta(minutes=1)):
        assert services.end_due_notices() == 0
    with time_machine.travel(item.notice_ends_at + dt.timedelta(minutes=1)):
        assert services.end_due_notices() == 1
        assert services.end_due_notices() == 0
    assert fresh(election).status == "notice_over"


def test_a_second_report_of_the_publication_starts_nothing_twice(tree, sam, olga, ten):
    from branches.outbox import report_published

    election = approved_for_notice(tree, sam, olga, ten)
    item = publish_notice(election, sam, olga)
    ends = fresh(election).notice_ends_at
    assert not report_published(draft_id=item.source_draft_id, published_at=timezone.now())
    assert services.start_notice(election=election, published_at=timezone.now(), ends_at=None) is False
    assert fresh(election).notice_ends_at == ends


def test_cancelling_withdraws_the_offers_and_items_not_yet_published(tree, sam, olga, ten):
    election = approved_for_notice(tree, sam, olga, ten)
    drafts = DisclosureDraft.objects.filter(object_id=str(election.pk), kind__startswith="election.")
    notice = drafts.get(kind="election.candidates")
    item = consume_draft(notice.pk)  # on the workbench, not published
    services.cancel_election(actor=sam, election=election, reason="上级党委决定暂缓换届")
    assert fresh(election).status == "cancelled"
    assert all(d.withdrawn_at is not None for d in drafts.filter(published_at__isnull=True))
    item.refresh_from_db()
    assert item.status == "withdrawn"
    assert sweep_drafts() == 0  # nothing withdrawn becomes an item later
    assert not DisclosureItem.objects.filter(
        source_draft__in=drafts, status__in=["draft", "review", "approval", "returned", "scheduled"]
    ).exists()


def test_cancelling_keeps_what_the_board_already_published(tree, sam, olga, ten):
    election = approved_for_notice(tree, sam, olga, ten)
    item = publish_notice(election, sam, olga)
    services.cancel_election(actor=sam, election=election, reason="上级党委决定暂缓换届")
    item.refresh_from_db()
    assert item.status == "published"
    assert DisclosureDraft.objects.get(pk=item.source_draft_id).withdrawn_at is None
