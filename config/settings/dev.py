"""A developer's machine: `make run` (embedded PostgreSQL, filesystem broker) or runserver."""

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)  # noqa: F405
INTERNAL_IPS = ["127.0.0.1"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
