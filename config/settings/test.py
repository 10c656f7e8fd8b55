"""The test suite: the real PostgreSQL and Redis of the machine, fast hashing, mail kept in memory."""

import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
# Each test run has its own key space in the machine's Redis (inherited by the processes it starts), so two
# runs side by side neither read nor clear each other's cache; tests/conftest.py clears only this prefix.
os.environ.setdefault("ZHIBU_TEST_CACHE_PREFIX", f"zhibu-test-{os.getpid()}")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ["ZHIBU_TEST_CACHE_PREFIX"],
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
ZHIBU_SMS_BACKEND = "branches.notifications.LocmemSmsBackend"
MEDIA_ROOT = BASE_DIR / ".data" / "test-media"  # noqa: F405
AXES_FAILURE_LIMIT = 5
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The scrutineers' passphrases: libsodium's cheapest argon2id cost, so that sealing and unsealing in tests
# takes milliseconds (production keeps the default, ~1 s and 256 MiB per passphrase).
ZHIBU_ARGON2_OPSLIMIT = 1
ZHIBU_ARGON2_MEMLIMIT = 8 * 1024 * 1024
