"""Thin Celery wrappers: each calls a service and is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def deliver_notifications() -> int:
    from .notifications import deliver_pending

    return deliver_pending()


@shared_task(acks_late=True)
def send_due_reminders() -> dict:
    """Claim the due reminders and send the due daily digests (branches.reminders): every deadline, the
    meeting notices and the end-of-term reminders included."""
    from .reminders import run

    return run()


@shared_task(acks_late=True)
def purge_stale_roster_previews() -> int:
    from .roster import purge_stale_previews

    return purge_stale_previews()
