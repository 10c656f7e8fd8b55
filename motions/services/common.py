"""What every motions service shares: the domain error, state moves, notices, co-signers, and the clock of
a time-limited answer (a proposal's, an inquiry's) with its reminder plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.models import PARTY_MEMBER_CATEGORIES, AuditLog, Member
from branches.notifications import notify
from branches.rules import rule
from branches.states import Lifecycle, TransitionError, transition

from .. import rules, selectors
from ..models import CosignStatus


class MotionError(Exception):
    """A refused write of the motions app; the message is for the user, in his language."""


def move(obj: models.Model, lifecycle: Lifecycle, new: str, *, actor, verb: str, **extra):
    """`branches.states.transition()`, with its refusal turned into the app's one domain error."""
    try:
        return transition(obj, lifecycle, new, actor=actor, verb=verb, **extra)
    except TransitionError as exc:
        raise MotionError(str(exc)) from exc


def check_issues(issues: list[str]) -> None:
    """Refuse with every issue a rule listed (`rules.*_issues`), if it listed any."""
    if issues:
        raise MotionError(" ".join(issues))


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def is_party_member(member: Member | None) -> bool:
    return member is not None and member.category in PARTY_MEMBER_CATEGORIES


def require_party_member(member: Member | None) -> Member:
    if member is None or not member.is_active or not is_party_member(member):
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


# --- co-signers (联名): a proposal and a formal challenge collect them alike -------------------------


def named_cosigners(author: Member, cosigners: Iterable[Member], *, strangers: str) -> list[Member]:
    """The co-signers named besides the author, once each: party members on the roll, of his branch.
    `strangers` is the refusal for those of another branch, without names: he may not see its members."""
    others = list({m.pk: m for m in cosigners if m.pk != author.pk}.values())
    outside = [m for m in others if m.organisation_id != author.organisation_id]
    if outside:
        raise MotionError(strangers % {"n": len(outside)})
    for member in others:
        try:
            require_party_member(member)
        except MotionError as exc:
            raise MotionError(
                _("%(name)s cannot co-sign: only party members on the roll can.") % {"name": member.name}
            ) from exc
    return others


def record_cosign(
    obj: models.Model,
    *,
    actor,
    member: Member,
    confirm: bool,
    collecting: str,
    verb: str,
    not_named: str,
    closed: str,
):
    """A named co-signer of `obj` confirms or declines, once, while it collects co-signatures (its status is
    `collecting`); audited as `verb`; returns his row."""
    row = obj.cosigners.select_for_update().filter(member=member).first()
    if row is None:
        raise MotionError(not_named)
    if obj.status != collecting:
        raise MotionError(closed)
    if row.status != CosignStatus.PENDING:
        raise MotionError(_("You have already answered."))
    row.status = CosignStatus.CONFIRMED if confirm else CosignStatus.DECLINED
    row.answered_at = timezone.now()
    row.save(update_fields=["status", "answered_at"])
    log_action(actor, verb, obj, changes={"member": member.name, "status": ["pending", row.status]})
    return row


# --- the clock of a time-limited answer -----------------------------------------------------------


def answer_timing(obj: models.Model, now: dt.datetime) -> dict:
    """The fields of an answer to `obj` given `now`: when, and the deadline it met or missed."""
    return {"answered_at": now, "due_on": obj.due_on, "on_time": timezone.localdate(now) <= obj.due_on}


def move_answered(obj: models.Model, lifecycle: Lifecycle, answered: str, *, actor, verb: str, now, **first):
    """`obj` is answered: it moves to `answered` and its clock stops (its reminders go). The first answer
    also records its time, with `first` (more fields of the first answer)."""
    first = {"first_answered_at": now, **first} if obj.first_answered_at is None else {}
    move(obj, lifecycle, answered, actor=actor, verb=verb, **first)
    reminders.cancel(obj)


def due_fields(deadline: rules.Deadline) -> dict:
    """The clock's fields for a deadline that is set or moved."""
    return {"due_on": deadline.due_on, "warn_on": deadline.warn_on, "due_estimated": deadline.estimated}


def clock_fields(deadline: rules.Deadline) -> dict:
    """The clock's fields when it starts: the deadline, and the rule values it is computed under."""
    return {
        **due_fields(deadline),
        "limit_days": deadline.limit_days,
        "limit_working_days": deadline.working_days,
    }


def deadline_of(obj: models.Model, due_on: dt.date, *, prefix: str) -> rules.Deadline:
    """The deadline of `obj` due on `due_on`, under the rule values its clock started with (the rules
    `<prefix>_reply_days` and `<prefix>_reminder_days`)."""
    return rules.moved_deadline(
        due_on,
        limit_days=obj.limit_days or rule(f"{prefix}_reply_days"),
        working_days=obj.limit_working_days,
        reminder_days=rule(f"{prefix}_reminder_days"),
    )


def plan_deadline_reminders(
    obj: models.Model, *, prefix: str, open_states: Iterable[str], committee, title: str, url: str
) -> None:
    """Replace the pending reminders of `obj` with those of its current deadline (domain.md §4.2), or none
    once its clock stops: the responsible person on the reminder days (day 10 and 14 of 15), the
    committee's secretary on the deadline, and the higher committee every day once it has passed. Reminder
    days already past are skipped; a reminder already sent is never sent again (`reminders.schedule` is
    idempotent)."""
    reminders.cancel(obj)
    if obj.status not in open_states:
        return
    deadline = deadline_of(obj, obj.due_on, prefix=prefix)
    responsible = [obj.responsible.user] if obj.responsible and obj.responsible.user_id else []
    heads = selectors.committee_heads(committee)
    higher = selectors.higher_committee(committee)
    organisation = obj.organisation
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
