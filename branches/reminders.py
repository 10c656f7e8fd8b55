"""The reminder engine: deadlines are rows, not timers.

The service that sets a deadline calls `schedule()` in its transaction, once per reminder it wants (kind,
object, due moment, recipients). Nothing waits in the broker: the beat job `run()` every minute

1. claims the reminders that are due (`SELECT … FOR UPDATE SKIP LOCKED`, in one transaction) and, for each,
   writes one in-app `Notification` per recipient — unique per (reminder, recipient) — and one `Delivery`
   per outside channel — unique per (notification, channel) — so each delivery is recorded under a unique
   (reminder, channel, recipient); marks the reminder sent; writes the next occurrence of a repeating one;
2. sends the daily digests that are due: a person's reminder e-mails are held (`Delivery.status = held`)
   and go out as one e-mail a day (rule `reminder_email_digest`), at the rule hour `reminder_hour`;
   a digest is claimed with SKIP LOCKED, sent, and marked in the same transaction.

A reminder's recipients are stored when it is scheduled, unless its kind looks them up when it falls due
(`recipients_when_due`): a deadline years ahead (the end of a term) goes to whoever holds the role that day.

Invariants: a rerun, a second worker or a redelivered task finds nothing left to claim, so it sends
nothing twice; a missed run loses nothing, because the rows wait (`due_at <= now`, never "due exactly
today"); Redis holds only the nudge, so a flushed broker loses nothing either. A worker killed while
sending rolls its transaction back (PostgreSQL aborts it when the connection drops) and the row is sent
by the next run; the e-mail's Message-ID is derived from the row, so a receiver can drop the copy in the
one window that remains (killed after the mail server accepted the message, before the commit).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Channel, Delivery, DeliveryStatus, Digest, Notification, Reminder, ReminderStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# kind → function(object) → users: the recipients of the reminders of that kind, looked up when one fires.
_recipients_when_due: dict[str, Callable[[Model], Iterable]] = {}


def recipients_when_due(kind: str) -> Callable:
    """Register (as a decorator) the function that names the recipients of a kind when a reminder fires.

    The module defining it must be imported when Django starts (the app's `ready()`), so that the beat
    worker knows it too."""

    def register(func: Callable[[Model], Iterable]) -> Callable[[Model], Iterable]:
        _recipients_when_due[kind] = func
        return func

    return register


def rule(name: str):
    return settings.ZHIBU_RULES[name]


def at_reminder_hour(day: dt.date) -> dt.datetime:
    """The moment a day-based reminder falls due: `day` at the rule hour, local time (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rule("reminder_hour"))))


# --- scheduling (called by the services that set deadlines) ---------------------------------------


@transaction.atomic
def schedule(
    *,
    kind: str,
    obj: Model,
    due_at: dt.datetime,
    recipients: Iterable,
    subject: str,
    body: str = "",
    url: str = "",
    channels: Iterable[str] = (Channel.EMAIL,),
    repeat_every: dt.timedelta | None = None,
    organisation=None,
    digest: bool = True,
) -> Reminder | None:
    """Make sure a reminder (kind, obj, due_at) is pending for these recipients; returns it.

    Idempotent: the same call twice leaves one row. A row already sent stays sent (nothing is sent
    twice); a cancelled one is revived with the new recipients. No recipients → nothing is scheduled,
    unless the kind looks its recipients up when due. `digest=False`: the e-mail never waits for the
    daily digest.
    """
    users = _distinct_users(recipients)
    if not users and kind not in _recipients_when_due:
        return None
    content_type = ContentType.objects.get_for_model(obj)
    values = {
        "subject": str(subject)[:200],
        "body": str(body),
        "url": url,
        "channels": [str(c) for c in channels],
        "repeat_every": repeat_every,
        "organisation": organisation,
        "digest": digest,
    }
    reminder = (
        Reminder.objects.select_for_update()
        .filter(kind=kind, content_type=content_type, object_id=obj.pk, due_at=due_at)
        .first()
    )
    if reminder is None:
        reminder = Reminder.objects.create(
            kind=kind, content_type=content_type, object_id=obj.pk, due_at=due_at, **values
        )
    elif reminder.status == ReminderStatus.SENT:
        return reminder
    else:
        for name, value in values.items():
            setattr(reminder, name, value)
        reminder.status = ReminderStatus.PENDING
        reminder.save()
    reminder.recipients.set(users)
    return reminder


def cancel(obj: Model, *, kinds: Iterable[str] | None = None) -> int:
    """Cancel the pending reminders of an object (all, or of the given kinds); returns how many."""
    qs = pending_for(obj)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs.update(status=ReminderStatus.CANCELLED)


def for_object(obj: Model) -> QuerySet[Reminder]:
    return Reminder.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def pending_for(obj: Model) -> QuerySet[Reminder]:
    return for_object(obj).filter(status=ReminderStatus.PENDING)


def _distinct_users(recipients: Iterable) -> list:
    seen: set[int] = set()
    return [u for u in recipients if u is not None and not (u.pk in seen or seen.add(u.pk))]


# --- the beat job ---------------------------------------------------------------------------------


def run(now: dt.datetime | None = None) -> dict[str, int]:
    """One beat tick: claim the due reminders, then send the due digests (in this order, so that the
    reminders of the digest hour are in that day's digest)."""
    now = now or timezone.now()
    return {"reminders": send_due_reminders(now), "digests": send_due_digests(now)}


def send_due_reminders(now: dt.datetime | None = None, *, limit: int = 500) -> int:
    """Claim and fire the reminders due by `now`; returns how many were fired."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=ReminderStatus.PENDING, due_at__lte=now)
            .order_by("due_at", "pk")[:limit]
        )
        if not batch:
            return 0
        recipients = _recipients_of(batch)
        queued_outside = False
        for reminder in batch:
            queued_outside |= _fire(reminder, recipients.get(reminder.pk, []), now)
        if queued_outside:
            from .tasks import deliver_notifications

            transaction.on_commit(deliver_notifications.delay)
    return len(batch)


def _recipients_of(batch: list[Reminder]) -> dict[int, list]:
    through = Reminder.recipients.through
    rows = through.objects.filter(reminder__in=batch).select_related("user").order_by("pk")
    result: dict[int, list] = {}
    for row in rows:
        result.setdefault(row.reminder_id, []).append(row.user)
    return result


def _fire(reminder: Reminder, users: list, now: dt.datetime) -> bool:
    """Write the notifications and deliveries of one claimed reminder; True if an outside delivery is
    pending now (SMS, or e-mail without digest)."""
    lookup = _recipients_when_due.get(reminder.kind)
    if lookup is not None:
        model = ContentType.objects.get_for_id(reminder.content_type_id).model_class()
        obj = model._default_manager.filter(pk=reminder.object_id).first() if model else None
        users = _distinct_users(lookup(obj)) if obj is not None else []
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=u,
            kind=reminder.kind,
            subject=reminder.subject,
            body=reminder.body,
            url=reminder.url,
            created_at=now,
            reminder=reminder,
        )
        for u in users
    )
    deliveries = []
    pending_now = False
    for note in notes:
        for channel in reminder.channels:
            if channel == Channel.EMAIL and reminder.digest and rule("reminder_email_digest"):
                digest = _digest_for(note.recipient, now)
                deliveries.append(
                    Delivery(notification=note, channel=channel, status=DeliveryStatus.HELD, digest=digest)
                )
            elif channel in Channel.values:
                deliveries.append(Delivery(notification=note, channel=channel))
                pending_now = True
    Delivery.objects.bulk_create(deliveries)
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENT, sent_at=now)
    if reminder.repeat_every:
        _schedule_next(reminder, users, now)
    return pending_now


def _schedule_next(reminder: Reminder, users: list, now: dt.datetime) -> None:
    """The next occurrence of a repeating reminder: the first one after `now`, so that a run missed for
    three days sends one catch-up reminder, not three."""
    due = reminder.due_at + reminder.repeat_every
    if due <= now:
        missed = (now - reminder.due_at) // reminder.repeat_every
        due = reminder.due_at + reminder.repeat_every * (missed + 1)
    nxt, _created = Reminder.objects.get_or_create(
        kind=reminder.kind,
        content_type_id=reminder.content_type_id,
        object_id=reminder.object_id,
        due_at=due,
        defaults={
            "subject": reminder.subject,
            "body": reminder.body,
            "url": reminder.url,
            "channels": reminder.channels,
            "repeat_every": reminder.repeat_every,
            "organisation_id": reminder.organisation_id,
            "digest": reminder.digest,
        },
    )
    nxt.recipients.set(users)


def _digest_for(user, now: dt.datetime) -> Digest:
    """The pending digest the e-mail joins: today's if it has not gone yet, else tomorrow's.

    Today's digest goes out at the rule hour, or at once when the first reminder of the day comes later;
    either way a person gets at most one reminder e-mail a day.
    """
    day = timezone.localdate(now)
    while True:
        digest, _created = Digest.objects.get_or_create(
            recipient=user, day=day, channel=Channel.EMAIL, defaults={"send_after": at_reminder_hour(day)}
        )
        # Lock it: if a worker is sending it right now, wait and see it sent, rather than attach an e-mail
        # to a digest whose list of e-mails was already read.
        digest = Digest.objects.select_for_update().get(pk=digest.pk)
        if digest.status == DeliveryStatus.PENDING:
            return digest
        day += dt.timedelta(days=1)


def send_due_digests(now: dt.datetime | None = None) -> int:
    """Send each due digest once; returns how many e-mails went out."""
    now = now or timezone.now()
    due = list(
        Digest.objects.filter(status=DeliveryStatus.PENDING, send_after__lte=now)
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        sent += _send_digest(pk, now)
    return sent


def _send_digest(pk: int, now: dt.datetime) -> int:
    # One transaction per digest: the lock is held while the message is handed to the mail server, so a
    # second worker skips it, and a worker killed here leaves it pending for the next run.
    with transaction.atomic():
        digest = (
            Digest.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, status=DeliveryStatus.PENDING)
            .select_related("recipient")
            .first()
        )
        if digest is None:
            return 0  # another worker has it, or it went out
        held = list(
            digest.deliveries.filter(status=DeliveryStatus.HELD)
            .select_related("notification")
            .order_by("notification__created_at", "pk")
        )
        address = digest.recipient.email
        digest.attempts += 1
        if not held or not address:
            digest.status = DeliveryStatus.SKIPPED if held else DeliveryStatus.SENT
            digest.sent_at = now
            digest.save(update_fields=["status", "attempts", "sent_at"])
            Delivery.objects.filter(pk__in=[d.pk for d in held]).update(
                status=DeliveryStatus.SKIPPED, attempts=1
            )
            return 0
        try:
            _digest_message(digest, [d.notification for d in held], address).send()
        except Exception as exc:  # a mail failure must not stop the other digests
            log.warning("digest %s failed: %s", digest.pk, exc)
            digest.error = str(exc)[:300]
            if digest.attempts >= MAX_ATTEMPTS:
                digest.status = DeliveryStatus.FAILED
                Delivery.objects.filter(pk__in=[d.pk for d in held]).update(status=DeliveryStatus.FAILED)
            digest.save(update_fields=["status", "attempts", "error"])
            return 0
        digest.status = DeliveryStatus.SENT
        digest.sent_at = timezone.now()
        digest.error = ""
        digest.save(update_fields=["status", "attempts", "sent_at", "error"])
        Delivery.objects.filter(pk__in=[d.pk for d in held]).update(
            status=DeliveryStatus.SENT, sent_at=digest.sent_at, attempts=1
        )
    return 1


def _digest_message(digest: Digest, notes: list[Notification], address: str) -> EmailMessage:
    base = getattr(settings, "ZHIBU_SITE_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {"digest": digest, "notes": notes, "base_url": base, "count": len(notes)}
        subject = render_to_string("emails/reminder_digest_subject.txt", context).strip()
        body = render_to_string("emails/reminder_digest.txt", context)
    domain = base.split("//")[-1] or "zhibu.local"
    return EmailMessage(
        subject, body, None, [address], headers={"Message-ID": f"<digest-{digest.pk}@{domain}>"}
    )
