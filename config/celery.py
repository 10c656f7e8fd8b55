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
    # Delete roster previews never imported after two days (they hold full ID numbers).
    "purge-roster-previews": {"task": "branches.tasks.purge_stale_roster_previews", "schedule": 6 * 3600.0},
    # Claim the reminders whose due moment has passed (SKIP LOCKED) and send the due daily digests; every
    # deadline of every app is a row (meeting notices and end-of-term reminders too), so a missed or doubled
    # run neither loses nor repeats a reminder.
    "send-due-reminders": {"task": "branches.tasks.send_due_reminders", "schedule": 60.0},
    # Keep the recipients of the pending proposal and inquiry reminders current (a new secretary, a new officer).
    "replan-motion-reminders": {"task": "motions.tasks.replan_open_reminders", "schedule": 86400.0},
    # Publish the approved disclosures whose publication moment has come (each once: conditional UPDATE).
    "publish-scheduled-disclosures": {
        "task": "openness.tasks.publish_scheduled_disclosures",
        "schedule": 60.0,
    },
    # Complete the notices (公示) whose last working day has passed, unless an open objection holds them.
    "complete-due-notices": {"task": "openness.tasks.complete_due_notices", "schedule": 300.0},
    # Take disclosures off display after their last day (a running notice completes first).
    "expire-disclosures": {"task": "openness.tasks.expire_disclosures", "schedule": 3600.0},
    # Write what each organisation owes for the periods begun (catalogue; idempotent, bulk).
    "open-disclosure-obligations": {
        "task": "openness.tasks.open_disclosure_obligations",
        "schedule": 6 * 3600.0,
    },
    # Mix the sealed ballots of open polls from the inbox into the box in shuffled batches (at least
    # `ballot_mix_batch` at a time; close mixes the rest), so no copy of the database links a voter to his
    # ballot. Often, so a batch is mixed soon after it is full; a run with nothing due is one query.
    "mix-ballots": {"task": "ballots.tasks.mix_ballots", "schedule": 10.0},
    # End the elections' candidate notices (公示) whose period is over (a conditional UPDATE: once).
    "end-election-notices": {"task": "elections.tasks.end_due_notices", "schedule": 300.0},
    # Turn outbox rows a signal receiver missed into disclosure drafts (idempotent: one item per row).
    "sweep-disclosure-drafts": {"task": "openness.tasks.sweep_disclosure_drafts", "schedule": 300.0},
}
