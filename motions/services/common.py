"""What every motions service shares: the domain error, state moves, notices and the reminder plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.models import AuditLog, Member
from branches.notifications import notify
from branches.states import Lifecycle, TransitionError, transition

from .. import rules


class MotionError(Exception):
    """A refused write of the motions app; the message is for the user, in his language."""


def move(obj: models.Model, lifecycle: Lifecycle, new: str, *, actor, verb: str, **extra):
    """`branches.states.transition()`, with its refusal turned into the app's one domain error."""
    try:
        return transition(obj, lifecycle, new, actor=actor, verb=verb, **extra)
    except TransitionError as exc:
        raise MotionError(str(exc)) from exc


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def require_party_member(member: Member | None) -> Member:
    if member is None or not member.is_active or member.category not in ("full", "probationary"):
        raise MotionError(_("Only party members on the roll can do this."))
    return member


def users_of(members: Iterable[Member | None]) -> list:
    return [m.user for m in members if m is not None and m.user_id]


def tell(users: Iterable, *, kind: str, subject: str, url: str = "", body: str = "") -> None:
    """A notice now (in-app and e-mail through the outbox), as opposed to a reminder when due."""
    notify([u for u in users if u is not None], kind=kind, subject=subject, url=url, body=body)


def log_confidential(actor, verb: str, obj: models.Model, changes: dict | None = None) -> AuditLog:
    """An audit entry for the confidential channel: no organisation (no branch audit page lists it) and no
    content; the filing itself is logged without its actor, so that the log never names a reporter."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        organisation=None,
        changes=changes or {},
    )


def plan_deadline_reminders(
    obj: models.Model,
    *,
    prefix: str,
    title: str,
    url: str,
    deadline: rules.Deadline,
    responsible: list,
    heads: list,
    higher: list,
    organisation,
) -> None:
    """Replace the pending reminders of `obj` with those of its current deadline (domain.md §4.2):
    the responsible person on the reminder days (day 10 and 14 of 15), the committee's secretary on the
    deadline, and the higher committee every day once it has passed. Reminder days already past are
    skipped; a reminder already sent is never sent again (`reminders.schedule` is idempotent)."""
    reminders.cancel(obj)
    now = timezone.now()
    due = deadline.due_on
    for day in deadline.reminder_days:
        when = reminders.at_reminder_hour(day)
        if when <= now:
            continue
        left = (due - day).days
        reminders.schedule(
            kind=f"{prefix}.due_soon",
            obj=obj,
            due_at=when,
            recipients=responsible or heads,
            url=url,
            subject=_("Due on %(due)s (%(left)d days left): %(title)s")
            % {"due": due, "left": left, "title": title},
            organisation=organisation,
        )
    reminders.schedule(
        kind=f"{prefix}.due_today",
        obj=obj,
        due_at=reminders.at_reminder_hour(due),
        recipients=heads,
        url=url,
        subject=_("The time limit ends today: %(title)s") % {"title": title},
        organisation=organisation,
    )
    reminders.schedule(
        kind=f"{prefix}.overdue",
        obj=obj,
        due_at=reminders.at_reminder_hour(due + dt.timedelta(days=1)),
        recipients=higher or heads,
        url=url,
        repeat_every=dt.timedelta(days=1),
        subject=_("Overdue since %(due)s: %(title)s") % {"due": due, "title": title},
        organisation=organisation,
    )
