"""What waits on a person: the work queue of his home page, filled by the apps.

branches imports none of the apps above it, so each app registers a provider (`register(provider)`) from
its AppConfig.ready() — ballots its open polls, motions the proposals, elections their next steps,
openness its drafts and approvals. A provider takes (user, scope) and returns `WorkItem`s, in a constant
number of queries whatever the number of rows (a provider with nothing to look at — a member with no
managed organisation, say — makes none). The home page sorts the items, the most urgent first.

The navbar shows the number of items; it is computed where the queue is (the home page) and remembered
in the cache for a few minutes, so other pages pay no query for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from .selectors import Scope, scope_for

# Urgency, most urgent first.
NOW = 0  # a ballot open now, a meeting under way
OVERDUE = 1
DUE = 2  # a deadline ahead
WAITING = 3  # no deadline, but his move

# The personas of the queue, in the order of the home page's sections.
MEMBER, SECRETARY, OFFICER, SUPERVISOR = "member", "secretary", "officer", "supervisor"

COUNT_SECONDS = 300


@dataclass(frozen=True)
class WorkItem:
    persona: str
    action: str  # what to do, as a button says it: 请投票, 答复提议
    title: str  # what it is about
    url: str
    deadline: dt.date | dt.datetime | None = None
    urgency: int = WAITING

    @property
    def deadline_date(self) -> dt.date | None:
        if isinstance(self.deadline, dt.datetime):
            return timezone.localtime(self.deadline).date()
        return self.deadline

    @property
    def days_left(self) -> int | None:
        day = self.deadline_date
        return None if day is None else (day - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        days = self.days_left
        return -days if days is not None and days < 0 else 0

    def sort_key(self):
        day = self.deadline_date
        return (self.urgency, day is None, day or dt.date.max, self.title)


Provider = Callable[[object, Scope], list[WorkItem]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def due_urgency(deadline: dt.date | None) -> int:
    if deadline is None:
        return WAITING
    return OVERDUE if deadline < timezone.localdate() else DUE


def work_queue(user) -> list[WorkItem]:
    """Every item waiting on the user, the most urgent first; remembers the count for the navbar."""
    if user is None or not user.is_authenticated:
        return []
    scope = scope_for(user)
    items = [item for provider in PROVIDERS for item in provider(user, scope)]
    items.sort(key=WorkItem.sort_key)
    cache.set(_count_key(user), len(items), COUNT_SECONDS)
    return items


def remembered_count(user) -> int | None:
    """The count the home page last computed (no query), or None."""
    return cache.get(_count_key(user))


def _count_key(user) -> str:
    return f"zhibu:workqueue:{user.pk}"


def by_persona(items: list[WorkItem]) -> list[tuple[str, list[WorkItem]]]:
    order = [MEMBER, SECRETARY, OFFICER, SUPERVISOR]
    return [(p, [i for i in items if i.persona == p]) for p in order if any(i.persona == p for i in items)]


# --- helpers for the providers ------------------------------------------------------------------------------


def committee_paths(scope: Scope) -> set[str]:
    """The branches (and committees) whose own committee he sits on: the secretary's queue."""
    from .models import COMMITTEE_ROLES

    return {r.organisation.path for r in scope.roles if r.kind in COMMITTEE_ROLES}


def officer_paths(scope: Scope) -> set[str]:
    """The subtrees he serves as a higher-committee officer: approvals of the branches below."""
    from .models import RoleKind

    return {r.organisation.path for r in scope.roles if r.kind == RoleKind.OFFICER}


def paths_q(paths, lookup: str):
    from django.db.models import Q

    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q
