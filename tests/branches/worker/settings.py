"""Settings of the Celery worker that the integration test starts and kills.

The test's own database (DATABASE_URL), a Redis database of its own (ZHIBU_TEST_BROKER), a visibility
timeout of seconds instead of minutes so that a killed worker's message comes back quickly, and a mail
backend that writes each message to a folder (ZHIBU_MAIL_SINK) and can be told to hang while sending.
"""

import os

from config.settings.test import *  # noqa: F403

CELERY_BROKER_URL = os.environ["ZHIBU_TEST_BROKER"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    # The sweep takes a Redis mutex every second; a worker killed while holding it must not block the
    # restarted worker's sweep for the default five minutes.
    "unacked_mutex_expire": 10,
}
MAILERS = {"default": {"BACKEND": "tests.branches.worker.mailsink.SinkBackend"}}
# The digest goes out from midnight, so the test does not depend on the hour it runs at.
ZHIBU_RULES = {**ZHIBU_RULES, "reminder_hour": 0}  # noqa: F405
LOGGING["root"]["level"] = "INFO"  # noqa: F405
