"""The Celery application and its beat schedule — the one place every periodic job is listed."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("zhibu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Deliver pending notifications (e-mail, SMS) that a service queued; a missed run loses nothing,
    # because the rows stay pending until a delivery is recorded.
    "deliver-notifications": {"task": "branches.tasks.deliver_notifications", "schedule": 60.0},
    # Send meeting notices whose due moment (a week before the meeting) has passed.
    "send-meeting-notices": {"task": "branches.tasks.send_due_meeting_notices", "schedule": 300.0},
    # Remind higher committees of committee terms ending within the reminder window.
    "remind-term-ends": {"task": "branches.tasks.remind_term_ends", "schedule": 3600.0},
}
