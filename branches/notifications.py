"""The outbox: in-app notifications, and their delivery by e-mail and SMS.

A service calls `notify()` inside its transaction; the rows are the message. Delivery is a separate
step that claims pending rows with `SELECT … FOR UPDATE SKIP LOCKED`, so two workers never send the
same row, a rerun sends nothing twice, and a missed run loses nothing (the rows wait).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Channel, Delivery, DeliveryStatus, Notification

log = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Writes each SMS to the log; a real gateway implements the same `send(phone, text)`."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend:
    """Keeps sent SMS in memory, for tests (like Django's locmem e-mail backend)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        LocmemSmsBackend.outbox.append((phone, text))


def sms_backend():
    return import_string(settings.ZHIBU_SMS_BACKEND)()


def notify(
    recipients: Iterable,
    *,
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    channels: Iterable[str] = (Channel.EMAIL,),
) -> list[Notification]:
    """Queue one message to each user (duplicates removed); delivery happens after commit."""
    seen: set[int] = set()
    users = [u for u in recipients if u is not None and not (u.pk in seen or seen.add(u.pk))]
    now = timezone.now()
    notes = Notification.objects.bulk_create(
        Notification(recipient=u, kind=kind, subject=subject[:200], body=body, url=url, created_at=now)
        for u in users
    )
    Delivery.objects.bulk_create(Delivery(notification=n, channel=c) for n in notes for c in channels)
    if notes:
        from .tasks import deliver_notifications

        transaction.on_commit(deliver_notifications.delay)
    return notes


def _address(delivery: Delivery) -> str:
    user = delivery.notification.recipient
    if delivery.channel == Channel.EMAIL:
        return user.email
    member = getattr(user, "member", None)
    return (member.phone or "") if member else ""


def deliver_pending(limit: int = 200) -> int:
    """Send up to `limit` pending deliveries, each in a transaction of its own; returns how many were sent.

    Each row is claimed (FOR UPDATE SKIP LOCKED), sent and marked before the next is claimed, so a worker
    killed mid-run loses at most the one message it was handing over, which the next run sends again;
    a second worker skips the row being sent. Rows tried in this run are not tried again in it.
    """
    sent = 0
    tried: list[int] = []
    sms = None
    for _ in range(limit):
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=DeliveryStatus.PENDING)
                .exclude(pk__in=tried)
                .select_related("notification__recipient__member")
                .order_by("pk")
                .first()
            )
            if delivery is None:
                break
            tried.append(delivery.pk)
            note = delivery.notification
            address = _address(delivery)
            delivery.attempts += 1
            if not address:
                delivery.status = DeliveryStatus.SKIPPED
            else:
                try:
                    if delivery.channel == Channel.EMAIL:
                        send_mail(note.subject, f"{note.body}\n\n{note.url}".strip(), None, [address])
                    else:
                        sms = sms or sms_backend()
                        sms.send(address, f"【支部】{note.subject}")
                    delivery.status = DeliveryStatus.SENT
                    delivery.sent_at = timezone.now()
                    sent += 1
                except Exception as exc:  # a channel failure must not stop the run
                    log.warning("delivery %s failed: %s", delivery.pk, exc)
                    delivery.error = str(exc)[:300]
                    if delivery.attempts >= 5:
                        delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["status", "attempts", "sent_at", "error"])
    return sent


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, pk: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
