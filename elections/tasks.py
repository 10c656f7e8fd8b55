"""Thin Celery wrappers: each calls a service and is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True)
def end_due_notices() -> int:
    """End the candidate notices (公示) whose period is over; each once (elections.services.notice)."""
    from .services import end_due_notices as run

    return run()
