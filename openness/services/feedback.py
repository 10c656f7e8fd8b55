"""Feedback on published items: comments and objections from those in scope, each handled and answered.

A reply is due within `disclosure_feedback_reply_working_days` working days; the managers are reminded on
that day and daily after (a reminder row, cancelled by the answer). An objection during a notice holds the
notice until it is answered (services.notices); the answer to the last one completes a notice that is due.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.notifications import notify
from branches.selectors import scope_for
from branches.workdays import add_working_days

from .. import rules, selectors
from ..models import DisclosureItem, Feedback, FeedbackKind, FeedbackStatus
from ..states import FEEDBACK, transition
from .errors import DisclosureError
from .notices import complete_notice

REPLY_REMINDER = "openness.feedback_reply"


@transaction.atomic
def give_feedback(
    *, user, item: DisclosureItem, kind: str, body: str, now: dt.datetime | None = None
) -> Feedback:
    """The caller fetched `item` through the scope (selectors.get_item_for): the user is in its audience."""
    now = now or timezone.now()
    if kind not in FeedbackKind.values:
        raise DisclosureError(_("Unknown kind of feedback."))
    if not rules.can_give_feedback(user, item, kind, now):
        if kind == FeedbackKind.OBJECTION:
            raise DisclosureError(_("Objections are taken while the item is published and its notice runs."))
        raise DisclosureError(_("This item takes no feedback."))
    body = (body or "").strip()
    if not body:
        raise DisclosureError(_("Write your comment or objection."))
    reply_due = add_working_days(
        timezone.localdate(now), rules.rule("disclosure_feedback_reply_working_days")
    )
    feedback = Feedback.objects.create(
        item=item,
        author=user,
        kind=kind,
        body=body,
        during_notice=rules.notice_is_running(item, now),
        reply_due_on=reply_due,
        created_at=now,
    )
    log_action(
        user,
        "disclosure.feedback",
        feedback,
        organisation=item.organisation,
        changes={"kind": [None, kind], "item": item.pk},
    )
    managers = selectors.managers_of(item.organisation)
    url = reverse("openness:item", args=[item.pk]) + "#feedback"
    notify(
        managers,
        kind="disclosure.feedback",
        url=url,
        subject=_("New %(kind)s on “%(title)s”") % {"kind": feedback.get_kind_display(), "title": item.title},
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Feedback awaits an answer: %(title)s") % {"title": item.title}
    reminders.schedule(
        kind=REPLY_REMINDER,
        obj=feedback,
        due_at=reminders.at_reminder_hour(reply_due),
        recipients=managers,
        subject=subject,
        url=url,
        repeat_every=dt.timedelta(days=1),
        organisation=item.organisation,
    )
    return feedback


@transaction.atomic
def answer_feedback(*, actor, feedback: Feedback, answer: str, now: dt.datetime | None = None) -> Feedback:
    now = now or timezone.now()
    item = feedback.item
    if not rules.can_answer_feedback(scope_for(actor), item):
        raise DisclosureError(_("The organisation's committee answers feedback on its items."))
    answer = (answer or "").strip()
    if not answer:
        raise DisclosureError(_("Write the answer."))
    transition(
        feedback,
        FEEDBACK,
        FeedbackStatus.ANSWERED,
        actor=actor,
        verb="disclosure.feedback_answered",
        organisation=item.organisation,
        answer=answer,
        answered_by=actor,
        answered_at=now,
    )
    reminders.cancel(feedback, kinds=[REPLY_REMINDER])
    notify(
        [feedback.author],
        kind="disclosure.feedback_answered",
        url=reverse("openness:item", args=[item.pk]) + "#feedback",
        subject=_("Your %(kind)s on “%(title)s” was answered")
        % {"kind": feedback.get_kind_display(), "title": item.title},
    )
    if feedback.kind == FeedbackKind.OBJECTION and rules.notice_is_due(item, now):
        complete_notice(item_pk=item.pk, now=now, actor=actor)
    return feedback
