"""A developer's machine: `make run` (embedded PostgreSQL, filesystem broker) or runserver."""

import os
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)  # noqa: F405
INTERNAL_IPS = ["127.0.0.1"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# kombu's filesystem transport (`make run`, no Redis): every process that publishes or consumes (web, worker,
# beat) must name the same folders, or the messages go to folders relative to its working directory. One
# folder serves as both in and out because producers and consumers share the machine; consumed messages are
# moved (renamed, on the same file system) to `processed`, which scripts/run.py empties at each start.
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    _broker_dir = Path(os.environ.get("ZHIBU_BROKER_DIR", DATA_DIR / "broker"))  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": True,
        "processed_folder": str(_broker_dir / "processed"),
    }
