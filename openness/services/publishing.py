"""Publication and what follows it: publishing (at once or by the beat), expiry, archiving.

Invariant (tested): when a correction is published, the version it corrects becomes `corrected` in the
same transaction, and both stay visible in the history.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.notifications import notify
from branches.outbox import DisclosureScope, report_published
from branches.selectors import scope_for

from .. import boardcache, rules
from ..models import CURRENT_STATES, DisclosureItem, ItemStatus
from ..states import ITEM, TransitionError, transition
from .catalogue import fulfil_obligation
from .common import item_url, lock_item
from .errors import DisclosureError


@transaction.atomic
def publish_item(*, actor, item: DisclosureItem, now: dt.datetime | None = None) -> DisclosureItem:
    """Publish an approved item: compute its notice in working days, supersede the version it corrects,
    mark its catalogue obligation met, and let the public board show it."""
    now = now or timezone.now()
    extra = {"published_at": now}
    if item.notice_working_days:
        end = rules.notice_end(now, item.notice_working_days)
        extra |= {
            "notice_ends_on": end.day,
            "notice_ends_at": rules.start_of_next_day(end.day),
            "notice_estimated": end.estimated,
        }
    transition(item, ITEM, ItemStatus.PUBLISHED, actor=actor, verb="disclosure.publish", **extra)
    if item.supersedes_id:
        old = DisclosureItem.objects.select_for_update().get(pk=item.supersedes_id)
        if old.status in CURRENT_STATES:
            transition(old, ITEM, ItemStatus.CORRECTED, actor=actor, verb="disclosure.corrected")
            # A notice of the old version no longer runs: its reminders stop.
            reminders.cancel(old)
    fulfil_obligation(item, now=now)
    if item.source_draft_id:
        # The producer hears it in this transaction (an election's 公示 runs on this item's clock).
        report_published(
            draft_id=item.source_draft_id, published_at=now, notice_ends_at=extra.get("notice_ends_at")
        )
    boardcache.bump()
    people = [item.created_by]
    if item.scope == DisclosureScope.RANGE:
        people += [m.user for m in item.range_members.select_related("user") if m.user_id]
    notify(
        people,
        kind="disclosure.published",
        url=item_url(item),
        subject=_("Published: %(title)s") % {"title": item.title},
    )
    return item


def publish_due_items(now: dt.datetime | None = None) -> int:
    """Beat: publish the approved items whose moment has come; each once (the UPDATE is conditional)."""
    now = now or timezone.now()
    published = 0
    due = DisclosureItem.objects.filter(status=ItemStatus.SCHEDULED, publish_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            item = (
                DisclosureItem.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=ItemStatus.SCHEDULED)
                .first()
            )
            if item is None:
                continue  # another worker has it, or it was returned meanwhile
            publish_item(actor=None, item=item, now=now)
            published += 1
    return published


def expire_due_items(today: dt.date | None = None) -> int:
    """Beat: take items off display after their last day; a running notice ends first."""
    today = today or timezone.localdate()
    due = DisclosureItem.objects.filter(expires_on__lt=today).filter(
        Q(status=ItemStatus.COMPLETED) | Q(status=ItemStatus.PUBLISHED, notice_working_days__isnull=True)
    )
    expired = 0
    for item in list(due):
        with transaction.atomic():
            try:
                transition(item, ITEM, ItemStatus.EXPIRED, actor=None, verb="disclosure.expire")
            except TransitionError:  # changed meanwhile (corrected, completed): the next run decides
                continue
            expired += 1
    if expired:
        boardcache.bump()
    return expired


@transaction.atomic
def archive_item(*, actor, item: DisclosureItem) -> DisclosureItem:
    locked = lock_item(item)
    if not rules.can_archive(scope_for(actor), locked):
        raise DisclosureError(_("Only an expired item of an organisation you run can be archived."))
    transition(locked, ITEM, ItemStatus.ARCHIVED, actor=actor, verb="disclosure.archive")
    return locked
