"""公示: a notice completes by itself after its last working day — unless an objection is still open.

The row is the timer: a published notice carries `notice_ends_at` (the first moment after its last
working day, computed at publication with the Chinese calendar). The beat job finds the notices whose end
has passed (`<=`, never "ends exactly today", so a missed run loses nothing) and completes each under a
row lock, recording the outcome. An open objection holds the notice: it stays published, the managers
are reminded daily (a reminder row, branches.reminders), and answering the last objection completes it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches import reminders

from .. import boardcache, rules, selectors
from ..models import DisclosureItem, FeedbackKind, FeedbackStatus, ItemStatus
from ..states import ITEM, transition

HELD_REMINDER = "openness.notice_held"


def complete_due_notices(now: dt.datetime | None = None) -> int:
    """Beat: complete every notice whose end has passed and which no open objection holds."""
    now = now or timezone.now()
    due = DisclosureItem.objects.filter(status=ItemStatus.PUBLISHED, notice_ends_at__lte=now).values_list(
        "pk", flat=True
    )
    return sum(complete_notice(item_pk=pk, now=now) for pk in list(due))


@transaction.atomic
def complete_notice(*, item_pk: int, now: dt.datetime | None = None, actor=None) -> bool:
    """Complete one notice if it is due and nothing holds it; True if it completed now."""
    now = now or timezone.now()
    item = (
        DisclosureItem.objects.select_for_update(skip_locked=True)
        .select_related("organisation")
        .filter(pk=item_pk)
        .first()
    )
    if item is None or not rules.notice_is_due(item, now):
        return False
    feedback = list(item.feedback.values_list("kind", "status"))
    open_objections = sum(1 for k, s in feedback if k == FeedbackKind.OBJECTION and s == FeedbackStatus.OPEN)
    if open_objections:
        _remind_held(item, open_objections)
        return False
    objections = sum(1 for k, _s in feedback if k == FeedbackKind.OBJECTION)
    comments = sum(1 for k, _s in feedback if k == FeedbackKind.COMMENT)
    transition(
        item,
        ITEM,
        ItemStatus.COMPLETED,
        actor=actor,
        verb="disclosure.notice_completed",
        completed_at=now,
        notice_outcome=outcome_text(item, objections, comments),
    )
    reminders.cancel(item, kinds=[HELD_REMINDER])
    boardcache.bump()
    return True


def outcome_text(item: DisclosureItem, objections: int, comments: int) -> str:
    """The published outcome, in the site's language (it is stored with the item)."""
    with translation.override(settings.LANGUAGE_CODE):
        end = item.notice_ends_on.isoformat() if item.notice_ends_on else ""
        if objections:
            return _(
                "The notice period ended on %(end)s. %(objections)d objection(s) and %(comments)d comment(s) "
                "were received; each was handled and answered."
            ) % {"end": end, "objections": objections, "comments": comments}
        return _("The notice period ended on %(end)s with no objection.") % {"end": end}


def _remind_held(item: DisclosureItem, open_objections: int) -> None:
    """A held notice reminds its managers every day until the last objection is answered."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Notice held by %(n)d open objection(s): %(title)s") % {
            "n": open_objections,
            "title": item.title,
        }
    reminders.schedule(
        kind=HELD_REMINDER,
        obj=item,
        due_at=item.notice_ends_at,
        recipients=selectors.managers_of(item.organisation),
        subject=subject,
        url=reverse("openness:item", args=[item.pk]),
        repeat_every=dt.timedelta(days=1),
        organisation=item.organisation,
    )
