"""Thin Celery wrappers. The deadlines themselves are reminder rows that `branches.tasks.send_due_reminders`
sends; this job only keeps their recipients current."""

from celery import shared_task


@shared_task(acks_late=True)
def replan_open_reminders() -> int:
    from .services.reminders import replan_open_reminders as run

    return run()
