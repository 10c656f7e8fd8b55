"""The anonymous public board is cached; a publication shows at once, and in any case within 30 s.

Two guarantees, each tested:
1. the key carries a board version that every change of what the public sees bumps (after commit), so the
   next request renders afresh;
2. every cached fragment carries the moment it was rendered and is not used past
   `disclosure_public_cache_seconds` (30 s) — a change that bypassed the services (a data fix, a publication
   by a worker whose bump was lost) shows within that time too. The Redis timeout is the same, to free memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .rules import rule

VERSION_KEY = "openness:board-version"
log = logging.getLogger(__name__)

# The public board must answer even when the cache server does not: every cache call degrades to "miss".
CACHE_ERRORS = (ConnectionError, OSError, TimeoutError)
try:  # the Redis client's own errors, when it is installed
    from redis.exceptions import RedisError

    CACHE_ERRORS = (*CACHE_ERRORS, RedisError)
except ImportError:  # pragma: no cover
    pass


def version() -> int:
    try:
        return _version()
    except CACHE_ERRORS as exc:
        log.warning("board cache unavailable: %s", exc)
        return 0


def _version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        # Any fresh value works: keys of an older version are simply never asked for again.
        value = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, value, timeout=None)
        value = cache.get(VERSION_KEY, value)
    return value


def bump() -> None:
    """Invalidate every cached public fragment, after the commit (so no reader caches the old board)."""

    def _bump() -> None:
        try:
            try:
                cache.incr(VERSION_KEY)
            except ValueError:  # not set yet (or evicted): any new value will do
                cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), timeout=None)
        except CACHE_ERRORS as exc:  # the 30 s limit of every cached fragment still holds
            log.warning("board cache unavailable: %s", exc)

    transaction.on_commit(_bump)


def key(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"openness:public:{version()}:{digest}"


def get(cache_key: str) -> str | None:
    try:
        hit = cache.get(cache_key)
    except CACHE_ERRORS as exc:
        log.warning("board cache unavailable: %s", exc)
        return None
    if hit is None:
        return None
    rendered_at, html = hit
    if timezone.now() - rendered_at > dt.timedelta(seconds=rule("disclosure_public_cache_seconds")):
        return None
    return html


def put(cache_key: str, html: str) -> None:
    try:
        cache.set(cache_key, (timezone.now(), html), timeout=rule("disclosure_public_cache_seconds"))
    except CACHE_ERRORS as exc:
        log.warning("board cache unavailable: %s", exc)
