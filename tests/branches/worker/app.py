"""The project's Celery app, with beat ticking every two seconds instead of every minute."""

from config.celery import app

app.conf.beat_schedule = {
    # The same job as config/celery.py's "send-due-reminders", on a test clock.
    "send-due-reminders": {"task": "branches.tasks.send_due_reminders", "schedule": 2.0},
}

__all__ = ["app"]
