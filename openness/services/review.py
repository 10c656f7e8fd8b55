"""The procedure of 公开条例 art. 15: submission, the secrecy review (保密审查), approval, a return.

Invariants (each tested):
1. No item reaches `published` without a passed secrecy review by the reviewer named at submission, who is
   never the person who submitted it: the state table has no other path (states.ITEM).
2. The secrecy reviewer does not approve the same item wherever the approving organisation has more than
   one person who may approve (rules.duties_must_be_separate); in a one-officer organisation he may.
3. The approving organisation is fixed at submission (rules.approving_organisation): an item beyond its
   organisation's authority waits for the higher committee, whose members alone (and supervisors) approve.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.notifications import notify
from branches.selectors import scope_for

from .. import rules, selectors
from ..models import DisclosureItem, ItemStatus, Review, ReviewDecision, ReviewStage
from ..states import ITEM, transition
from .common import item_url, lock_item
from .errors import DisclosureError
from .publishing import publish_item


@transaction.atomic
def submit_item(*, actor, item: DisclosureItem, reviewer) -> DisclosureItem:
    """Send a draft (or a returned item) to the secrecy review by a named reviewer."""
    locked = lock_item(item)
    if not rules.can_submit(scope_for(actor), locked):
        raise DisclosureError(_("Only the organisation's committee submits its items for review."))
    issues = rules.blocking_issues(locked, "submit")
    if issues:
        raise DisclosureError(" ".join(issues))
    if reviewer is None or reviewer.pk not in {
        u.pk for u in selectors.eligible_reviewers(locked, exclude=actor)
    }:
        raise DisclosureError(
            _("Name a secrecy reviewer from the committee or a higher committee; it cannot be yourself.")
        )
    approver = rules.approving_organisation(locked)
    transition(
        locked,
        ITEM,
        ItemStatus.REVIEW,
        actor=actor,
        verb="disclosure.submit",
        reviewer=reviewer,
        approver_organisation=approver,
    )
    notify(
        [reviewer],
        kind="disclosure.review",
        url=item_url(locked),
        subject=_("Secrecy review requested: %(title)s") % {"title": locked.title},
    )
    return locked


@transaction.atomic
def pass_secrecy_review(
    *, actor, item: DisclosureItem, checks: dict[str, bool], comment: str = ""
) -> DisclosureItem:
    """保密审查: the named reviewer confirms necessity, accuracy, no secrets and no private data."""
    locked = lock_item(item)
    if not rules.can_review_secrecy(actor, locked):
        raise DisclosureError(_("Only the named reviewer performs the secrecy review."))
    missing = [name for name in rules.SECRECY_CHECKS if not checks.get(name)]
    if missing:
        raise DisclosureError(_("Every point of the secrecy check must be confirmed, or the item returned."))
    issues = rules.blocking_issues(locked, "pass_secrecy", attachment_names=_attachment_names(locked))
    if issues:
        raise DisclosureError(" ".join(issues))
    Review.objects.create(
        item=locked,
        stage=ReviewStage.SECRECY,
        decision=ReviewDecision.PASSED,
        reviewer=actor,
        organisation=locked.organisation,
        checks={n: True for n in rules.SECRECY_CHECKS},
        comment=comment,
    )
    transition(locked, ITEM, ItemStatus.APPROVAL, actor=actor, verb="disclosure.secrecy_passed")
    org = locked.approver_organisation
    notify(
        selectors.approvers_of(org),
        kind="disclosure.approval",
        url=item_url(locked),
        subject=_("Approval requested by %(org)s: %(title)s")
        % {"org": locked.organisation, "title": locked.title},
    )
    return locked


def _attachment_names(item: DisclosureItem) -> list[str]:
    return list(item.attachments.values_list("original_name", flat=True))


@transaction.atomic
def return_item(*, actor, item: DisclosureItem, comment: str) -> DisclosureItem:
    """Return with comments: by the named reviewer, the approvers, or a supervisor before publication."""
    locked = lock_item(item)
    scope = scope_for(actor)
    if not rules.can_return(actor, scope, locked):
        raise DisclosureError(_("You cannot return this item at its present stage."))
    if not (comment or "").strip():
        raise DisclosureError(_("Say what must change: a returned item carries a comment."))
    if locked.status == ItemStatus.REVIEW and rules.can_review_secrecy(actor, locked):
        stage, org = ReviewStage.SECRECY, locked.organisation
    elif locked.status == ItemStatus.APPROVAL and scope.can_manage(locked.approver_organisation):
        stage, org = ReviewStage.APPROVAL, locked.approver_organisation
    else:
        stage, org = ReviewStage.SUPERVISION, locked.organisation
    Review.objects.create(
        item=locked,
        stage=stage,
        decision=ReviewDecision.RETURNED,
        reviewer=actor,
        organisation=org,
        comment=comment.strip(),
    )
    transition(locked, ITEM, ItemStatus.RETURNED, actor=actor, verb="disclosure.return")
    recipients = [locked.created_by, *selectors.managers_of(locked.organisation)]
    notify(
        recipients,
        kind="disclosure.returned",
        url=item_url(locked),
        body=comment.strip(),
        subject=_("Returned with comments: %(title)s") % {"title": locked.title},
    )
    return locked


@transaction.atomic
def approve_item(
    *, actor, item: DisclosureItem, comment: str = "", now: dt.datetime | None = None
) -> DisclosureItem:
    """Approve at the approving organisation; published at once unless a later moment was set."""
    now = now or timezone.now()
    locked = lock_item(item)
    scope = scope_for(actor)
    if not rules.can_approve(scope, locked):
        raise DisclosureError(_("This item is approved by %(org)s.") % {"org": locked.approver_organisation})
    issues = rules.blocking_issues(
        locked,
        "approve",
        actor=actor,
        approver_count=len(selectors.approvers_of(locked.approver_organisation)),
    )
    if issues:
        raise DisclosureError(" ".join(issues))
    # The approving committee approves; a supervisor over it may too (his review queue), recorded as such.
    stage = (
        ReviewStage.APPROVAL if scope.can_manage(locked.approver_organisation) else ReviewStage.SUPERVISION
    )
    Review.objects.create(
        item=locked,
        stage=stage,
        decision=ReviewDecision.APPROVED,
        reviewer=actor,
        organisation=locked.approver_organisation,
        comment=comment,
    )
    transition(locked, ITEM, ItemStatus.SCHEDULED, actor=actor, verb="disclosure.approve")
    if locked.publish_at is None or locked.publish_at <= now:
        publish_item(actor=actor, item=locked, now=now)
    return locked
