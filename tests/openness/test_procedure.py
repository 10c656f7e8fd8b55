"""The procedure of 公开条例 art. 15 through the services: the secrecy review cannot be skipped, an approval
beyond authority goes up, a published item is never edited in place — only versioned, with its history."""

import itertools

import pytest
from django.db import IntegrityError, InternalError, transaction
from django.urls import reverse

from branches.models import AuditLog
from branches.states import TransitionError
from openness import rules, selectors, services
from openness.models import DisclosureItem, ItemStatus, ReviewStage
from openness.states import ITEM, transition

from .conftest import ALL_CHECKS, draft, fresh, publish, through_review

STATES = list(ITEM.moves)
LEGAL = {
    ("draft", "review"),
    ("review", "approval"),
    ("review", "returned"),
    ("approval", "scheduled"),
    ("approval", "returned"),
    ("returned", "review"),
    ("scheduled", "published"),
    ("scheduled", "returned"),
    ("published", "completed"),
    ("published", "corrected"),
    ("published", "expired"),
    ("completed", "corrected"),
    ("completed", "expired"),
    ("expired", "archived"),
    # its source withdraws it before publication (an election cancelled, branches.outbox)
    ("draft", "withdrawn"),
    ("review", "withdrawn"),
    ("approval", "withdrawn"),
    ("returned", "withdrawn"),
    ("scheduled", "withdrawn"),
}


@pytest.mark.parametrize(("old", "new"), list(itertools.product(STATES, STATES)))
def test_the_life_cycle_table_allows_exactly_the_legal_moves(old, new):
    assert ITEM.allowed(old, new) == ((old, new) in LEGAL)


def test_no_path_reaches_publication_without_the_secrecy_review():
    """Every path from draft to published passes through `review` then `approval`."""

    def paths(state, seen):
        if state == "published":
            yield [state]
            return
        for nxt in ITEM.next_states(state):
            if nxt not in seen:
                for rest in paths(nxt, seen | {nxt}):
                    yield [state, *rest]

    found = list(paths("draft", {"draft"}))
    assert found
    for path in found:
        assert path.index("review") < path.index("approval") < path.index("published")


# --- the secrecy review -------------------------------------------------------------------------------------


def test_a_draft_cannot_be_approved_or_published_directly(tree, sam, olga):
    item = draft(author=sam, org=tree.a)
    with pytest.raises(services.DisclosureError):
        services.approve_item(actor=olga, item=item)
    with pytest.raises(TransitionError):
        services.publish_item(actor=sam, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and item.published_at is None


def test_the_submitter_cannot_name_himself_as_the_reviewer(tree, sam, olga):
    item = draft(author=sam, org=tree.a)
    with pytest.raises(services.DisclosureError):
        services.submit_item(actor=sam, item=item, reviewer=sam)
    assert sam.pk not in {u.pk for u in selectors.eligible_reviewers(item, exclude=sam)}
    assert olga.pk in {u.pk for u in selectors.eligible_reviewers(item, exclude=sam)}


def test_a_plain_member_cannot_be_named_reviewer(tree, sam, alice):
    item = draft(author=sam, org=tree.a)
    with pytest.raises(services.DisclosureError):
        services.submit_item(actor=sam, item=item, reviewer=alice)


def test_only_the_named_reviewer_performs_the_secrecy_review(tree, sam, olga, victor):
    item = draft(author=sam, org=tree.a)
    services.submit_item(actor=sam, item=item, reviewer=olga)
    for intruder in (sam, victor):
        with pytest.raises(services.DisclosureError):
            services.pass_secrecy_review(actor=intruder, item=item, checks=ALL_CHECKS)
    with pytest.raises(services.DisclosureError):
        services.approve_item(actor=sam, item=item)  # still in review: nobody approves yet
    services.pass_secrecy_review(actor=olga, item=item, checks=ALL_CHECKS)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVAL
    review = item.reviews.get()
    assert review.stage == ReviewStage.SECRECY and review.reviewer == olga
    assert review.checks == ALL_CHECKS


@pytest.mark.parametrize("missing", rules.SECRECY_CHECKS)
def test_every_point_of_the_secrecy_check_must_be_confirmed(tree, sam, olga, missing):
    item = draft(author=sam, org=tree.a)
    services.submit_item(actor=sam, item=item, reviewer=olga)
    with pytest.raises(services.DisclosureError):
        services.pass_secrecy_review(actor=olga, item=item, checks={**ALL_CHECKS, missing: False})
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEW


def test_an_id_number_in_the_content_blocks_the_secrecy_review(tree, sam, olga):
    from branches.models import Member

    number = Member.objects.filter(id_number__isnull=False).first() or None
    id_number = number.id_number if number else "11010119800101001X"
    item = draft(author=sam, org=tree.a, body=f"<p>发展对象张三，身份证号 {id_number}。</p>")
    services.submit_item(actor=sam, item=item, reviewer=olga)
    issues = rules.blocking_issues(item, "pass_secrecy")
    assert issues and rules.mask_id_number(id_number) in issues[0]
    assert id_number not in issues[0]  # the warning does not repeat the number
    with pytest.raises(services.DisclosureError):
        services.pass_secrecy_review(actor=olga, item=item, checks=ALL_CHECKS)
    services.return_item(actor=olga, item=item, comment="删除身份证号。")
    services.update_item(actor=sam, item=item, body="<p>发展对象张三。</p>")
    services.submit_item(actor=sam, item=item, reviewer=olga)
    services.pass_secrecy_review(actor=olga, item=item, checks=ALL_CHECKS)


def test_a_returned_item_goes_through_the_secrecy_review_again(tree, sam, olga):
    item = draft(author=sam, org=tree.a)
    services.submit_item(actor=sam, item=item, reviewer=olga)
    services.pass_secrecy_review(actor=olga, item=item, checks=ALL_CHECKS)
    services.return_item(actor=sam, item=item, comment="金额有误。")  # the branch approves; it may return
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    with pytest.raises(services.DisclosureError):
        services.approve_item(actor=sam, item=item)
    services.submit_item(actor=sam, item=item, reviewer=olga)
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEW


def test_a_return_needs_a_comment(tree, sam, olga):
    item = draft(author=sam, org=tree.a)
    services.submit_item(actor=sam, item=item, reviewer=olga)
    with pytest.raises(services.DisclosureError):
        services.return_item(actor=olga, item=item, comment="  ")


def test_a_supervisor_returns_an_item_at_any_stage_before_publication(tree, sam, olga, victor):
    item = draft(author=sam, org=tree.a, publish_at=None)
    through_review(item, author=sam, reviewer=olga)
    services.return_item(actor=victor, item=item, comment="请先党内后党外。")
    review = item.reviews.order_by("-pk").first()
    assert review.stage == ReviewStage.SUPERVISION and review.comment == "请先党内后党外。"


# --- approval level -----------------------------------------------------------------------------------------


def test_a_branch_item_within_its_authority_is_approved_by_the_branch(tree, sam, olga):
    item = draft(author=sam, org=tree.a, scope="internal", category="daily")
    through_review(item, author=sam, reviewer=olga)
    assert item.approver_organisation == tree.a
    services.approve_item(actor=sam, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


@pytest.mark.parametrize(
    "fields",
    [
        {"beyond_authority": True},
        {"category": "leadership"},
        {"scope": "society"},
    ],
    ids=["declared", "cadre matters", "to society from a branch"],
)
def test_an_approval_beyond_authority_goes_up_to_the_higher_committee(tree, sam, olga, victor, bob, fields):
    item = draft(author=sam, org=tree.a, **fields)
    assert rules.beyond_authority(item)
    through_review(item, author=sam, reviewer=victor)  # the approver is another person (test_separation)
    assert item.approver_organisation == tree.town
    assert item in selectors.review_queue(fresh(olga))["approval"]
    assert item not in selectors.review_queue(fresh(sam))["approval"]
    with pytest.raises(services.DisclosureError):
        services.approve_item(actor=sam, item=item)  # the secretary of the branch cannot
    services.approve_item(actor=olga, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.reviews.get(decision="approved").organisation == tree.town


def test_the_approval_level_is_fixed_at_submission(tree, sam, olga):
    item = draft(author=sam, org=tree.a, category="leadership")
    services.submit_item(actor=sam, item=item, reviewer=olga)
    item.refresh_from_db()
    assert item.approver_organisation == tree.town


def test_a_committee_without_a_parent_approves_its_own(tree):
    from tests.conftest import _persona

    secretary = _persona("cole", tree.county, role="secretary", name="柯书记")
    deputy = _persona("dora", tree.county, role="deputy_secretary", name="窦副书记")
    item = draft(author=secretary, org=tree.county, category="leadership")
    through_review(item, author=secretary, reviewer=deputy)
    assert item.approver_organisation == tree.county


def test_an_item_with_a_later_moment_waits_and_the_beat_publishes_it_once(tree, sam, olga, time_machine):
    import datetime as dt

    from django.utils import timezone

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    later = timezone.now() + dt.timedelta(hours=3)
    item = draft(author=sam, org=tree.a, publish_at=later)
    through_review(item, author=sam, reviewer=olga)
    services.approve_item(actor=sam, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.SCHEDULED
    assert services.publish_due_items() == 0
    time_machine.move_to(later + dt.timedelta(minutes=1), tick=False)
    assert services.publish_due_items() == 1
    assert services.publish_due_items() == 0
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert AuditLog.objects.filter(verb="disclosure.publish", object_id=str(item.pk)).count() == 1


def test_every_state_change_is_audited_with_old_and_new(tree, sam, olga):
    item = publish(author=sam, reviewer=olga, approver=sam, org=tree.a)
    moves = [e.changes.get("status") for e in selectors.audit_trail(item) if "status" in e.changes]
    assert moves == [
        [None, "draft"],
        ["draft", "review"],
        ["review", "approval"],
        ["approval", "scheduled"],
        ["scheduled", "published"],
    ]


# --- never edited in place ----------------------------------------------------------------------------------


def test_a_published_item_cannot_be_edited_by_the_service(tree, sam, olga):
    item = publish(author=sam, reviewer=olga, approver=sam, org=tree.a, title="原标题")
    with pytest.raises(services.DisclosureError):
        services.update_item(actor=sam, item=item, title="改过的标题")
    item.refresh_from_db()
    assert item.title == "原标题"


def test_the_database_refuses_to_edit_reviewed_content_in_place(tree, sam, olga):
    item = publish(author=sam, reviewer=olga, approver=sam, org=tree.a, title="原标题")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        DisclosureItem.objects.filter(pk=item.pk).update(body="<p>偷偷改过</p>")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        DisclosureItem.objects.filter(pk=item.pk).delete()
    item.refresh_from_db()
    assert "偷偷" not in item.body


def test_content_is_frozen_from_the_secrecy_review_on(tree, sam, olga):
    item = draft(author=sam, org=tree.a, title="送审稿")
    services.submit_item(actor=sam, item=item, reviewer=olga)
    with pytest.raises(services.DisclosureError):
        services.update_item(actor=sam, item=item, title="送审后改")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        DisclosureItem.objects.filter(pk=item.pk).update(title="送审后改")


def test_the_edit_page_of_a_published_item_refuses_and_points_to_a_correction(client, tree, sam, olga):
    item = publish(author=sam, reviewer=olga, approver=sam, org=tree.a, title="原标题")
    client.force_login(sam)
    response = client.post(
        reverse("openness:item_edit", args=[item.pk]),
        {"title": "改", "category": "daily", "body": "<p>x</p>", "scope": "internal", "timing": "temporary"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "原标题"


def test_a_correction_is_a_new_version_through_the_procedure_and_the_history_stays(
    client, tree, sam, olga, alice
):
    v1 = publish(
        author=sam, reviewer=olga, approver=sam, org=tree.a, title="党费公示", body="<p>收缴 1200 元</p>"
    )
    v2 = services.start_correction(actor=sam, item=v1, note="金额更正为 1250 元。")
    assert (v2.version, v2.root_id, v2.supersedes_id, v2.status) == (2, v1.pk, v1.pk, ItemStatus.DRAFT)
    with pytest.raises(services.DisclosureError):
        services.start_correction(actor=sam, item=v1, note="再来一次")  # one correction at a time
    services.update_item(actor=sam, item=v2, body="<p>收缴 1250 元</p>")
    v1.refresh_from_db()
    assert v1.status == ItemStatus.PUBLISHED  # the old version stays until the correction is published
    through_review(v2, author=sam, reviewer=olga)
    services.approve_item(actor=sam, item=v2)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (ItemStatus.CORRECTED, ItemStatus.PUBLISHED)
    assert "1200" in v1.body and "1250" in v2.body  # nothing was edited in place

    client.force_login(alice)
    board = client.get(reverse("openness:board"))
    assert [i.pk for i in board.context["page"]] == [v2.pk]
    page = client.get(reverse("openness:item", args=[v1.pk]))
    assert page.status_code == 200
    assert 'data-testid="superseded"' in page.text
    page = client.get(reverse("openness:item", args=[v2.pk]))
    assert [v.pk for v in page.context["versions"]] == [v2.pk, v1.pk]
    assert "金额更正为 1250 元。" in page.text


def test_a_discarded_draft_leaves_only_its_audit_entry(tree, sam):
    item = draft(author=sam, org=tree.a)
    pk = item.pk
    services.discard_item(actor=sam, item=item)
    assert not DisclosureItem.objects.filter(pk=pk).exists()
    assert AuditLog.objects.filter(verb="disclosure.discard", object_id=str(pk)).exists()


def test_a_published_item_expires_then_is_archived_and_stays_readable(
    client, tree, sam, olga, alice, time_machine
):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    item = publish(author=sam, reviewer=olga, approver=sam, org=tree.a, expires_on=dt.date(2026, 3, 31))
    assert services.expire_due_items(dt.date(2026, 3, 31)) == 0
    assert services.expire_due_items(dt.date(2026, 4, 1)) == 1
    assert services.expire_due_items(dt.date(2026, 4, 1)) == 0
    item.refresh_from_db()
    assert item.status == ItemStatus.EXPIRED
    services.archive_item(actor=sam, item=item)
    client.force_login(alice)
    assert client.get(reverse("openness:item", args=[item.pk])).status_code == 200
    assert item.pk not in [i.pk for i in client.get(reverse("openness:board")).context["page"]]
    archive = client.get(reverse("openness:board") + "?archive=on")
    assert item.pk in [i.pk for i in archive.context["page"]]


def test_a_stale_move_is_refused_by_the_conditional_update(tree, sam, olga):
    item = draft(author=sam, org=tree.a)
    stale = DisclosureItem.objects.get(pk=item.pk)
    services.submit_item(actor=sam, item=item, reviewer=olga)
    with pytest.raises(TransitionError):
        transition(stale, ITEM, ItemStatus.REVIEW, actor=sam, verb="disclosure.submit")


def test_a_draft_is_linked_to_a_catalogue_period_and_can_be_unlinked(tree, sam):
    from openness.models import CatalogueEntry

    dues = CatalogueEntry.objects.get(key="dues.collection")
    item = draft(author=sam, org=tree.a, catalogue_entry=dues, period="2026-Q2")
    assert (item.obligation.entry, item.obligation.period, item.period) == (dues, "2026-Q2", "2026-Q2")
    services.update_item(actor=sam, item=item, period="2026-Q3")
    item.refresh_from_db()
    assert item.obligation.period == "2026-Q3"
    services.update_item(actor=sam, item=item, title="改标题")
    item.refresh_from_db()
    assert item.obligation.period == "2026-Q3"  # left alone when not mentioned
    services.update_item(actor=sam, item=item, catalogue_entry=None)
    item.refresh_from_db()
    assert item.obligation is None
    with pytest.raises(services.DisclosureError):
        services.update_item(actor=sam, item=item, catalogue_entry=dues, period="2026-Q9")
