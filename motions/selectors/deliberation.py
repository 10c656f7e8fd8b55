"""Scoped reads of first-deliberation topics (首议): public to the members of the branch and to the
organisations above it."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from branches.models import Organisation
from branches.selectors import Scope, scope_for

from ..models import Topic
from .common import can_manage_organisation, fetch_for, public_q


def topic_q(scope: Scope) -> Q:
    """His branch and those above it, and what he reads."""
    if scope.is_superuser:
        return Q()
    return public_q(scope)


def get_topic_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Topic:
    return fetch_for(
        request,
        Topic.objects.select_related("organisation", "meeting"),
        topic_q,
        pk,
        check=can_manage_organisation if manage else None,
    )


def topic_list(user, *, organisation: Organisation | None = None) -> QuerySet[Topic]:
    qs = Topic.objects.filter(topic_q(scope_for(user))).select_related("organisation", "meeting")
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    return qs.order_by("-created_at", "-pk")
