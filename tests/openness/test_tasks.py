"""The beat jobs: thin tasks over the services, each listed in the one beat schedule and safe to run twice."""

import pytest

from config.celery import app
from openness import tasks

TASKS = [
    "openness.tasks.publish_scheduled_disclosures",
    "openness.tasks.complete_due_notices",
    "openness.tasks.expire_disclosures",
    "openness.tasks.open_disclosure_obligations",
    "openness.tasks.sweep_disclosure_drafts",
]


@pytest.mark.parametrize("name", TASKS)
def test_each_task_is_in_the_beat_schedule_and_acks_late(name):
    assert name in {entry["task"] for entry in app.conf.beat_schedule.values()}
    task = getattr(tasks, name.rsplit(".", 1)[1])
    assert task.acks_late


@pytest.mark.parametrize("name", TASKS)
def test_each_task_runs_twice_and_the_second_run_does_nothing(db, tree, name):
    task = getattr(tasks, name.rsplit(".", 1)[1])
    task.run()
    assert task.run() == 0
