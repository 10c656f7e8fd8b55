"""Reminders as rows (branches.reminders): one per kind, object and due moment; the daily digest."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .notifications import Channel, DeliveryStatus
from .organisations import Organisation


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    """A deadline's reminder: one row per (kind, object, due moment), written by the service that sets the
    deadline and sent once by the beat job when due. A repeating reminder (daily once overdue) writes its
    next occurrence when it is sent; cancelling the pending rows of an object stops the series."""

    kind = models.CharField(_("kind"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    due_at = models.DateTimeField(_("due"))
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("recipients")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Outside channels ("email", "sms"); the in-app notification is always written.
    channels = models.JSONField(default=list, blank=True)
    # False for a notice that must not wait for the recipient's daily digest (a meeting notice): its e-mail
    # goes out on its own at once, through the outbox.
    digest = models.BooleanField(default=True)
    repeat_every = models.DurationField(_("repeat every"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    status = models.CharField(_("status"), max_length=10, choices=ReminderStatus.choices, default="pending")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "due_at"], name="reminder_once_per_due_moment"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values), name="reminder_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="reminder_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M}"


class Digest(models.Model):
    """One e-mail a day per user: the reminder e-mails of the day are held and go out together in it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    send_after = models.DateTimeField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day", "channel"], name="digest_once_per_day"),
        ]
        indexes = [
            models.Index(fields=["send_after"], condition=Q(status="pending"), name="digest_pending_idx")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day:%Y-%m-%d}"
