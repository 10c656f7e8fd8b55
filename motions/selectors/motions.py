"""Scoped reads of motions and evaluations: every list starts from `motion_q` / `evaluation_q`, and each
`get_*_for` fetches and checks (404 hidden, 403 forbidden).

A motion is public to the members of its branch once it leaves the draft (they comment on the materials
and vote on it); the committee and the organisations above it (officers, supervisors) see all of it.
Evaluations: the managers and supervisors of the organisation see everything; a member sees the
evaluations of his branch, and of his own assessment only his own grade.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest

from branches.models import Organisation
from branches.selectors import Scope, scope_for

from .models import (
    LeadershipEvaluation,
    MemberEvaluation,
    Motion,
    MotionProgress,
    PublicRating,
    TwoWayReport,
)
from .models.motions import DECIDED_STATES, PASSED_STATES
from .selectors import can_manage_organisation, fetch_for, under_paths


def _org_q(scope: Scope, *, members_see: Q) -> Q:
    if scope.is_superuser:
        return Q()
    q = under_paths(scope.read_paths, "organisation__path")
    if scope.own_branch_path:
        q |= Q(organisation__path=scope.own_branch_path) & members_see
    return q


def motion_q(scope: Scope) -> Q:
    return _org_q(scope, members_see=~Q(status="draft"))


def evaluation_q(scope: Scope) -> Q:
    return _org_q(scope, members_see=Q())


def _fetch(request: HttpRequest, model, pk: int, q_func, manage: bool, *related):
    queryset = model.objects.select_related("organisation", *related)
    return fetch_for(request, queryset, q_func, pk, check=can_manage_organisation if manage else None)


def get_motion_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Motion:
    return _fetch(
        request, Motion, pk, motion_q, manage, "meeting", "responsible", "source_proposal", "source_topic"
    )


def get_member_evaluation_for(request: HttpRequest, pk: int, *, manage: bool = False) -> MemberEvaluation:
    return _fetch(request, MemberEvaluation, pk, evaluation_q, manage, "poll")


def get_leadership_evaluation_for(
    request: HttpRequest, pk: int, *, manage: bool = False
) -> LeadershipEvaluation:
    return _fetch(request, LeadershipEvaluation, pk, evaluation_q, manage)


def get_public_rating_for(request: HttpRequest, pk: int, *, manage: bool = False) -> PublicRating:
    """A published rating is public (民评官: "published results"); an open one only to its organisation."""
    scope = scope_for(request.user)
    rating = PublicRating.objects.filter(pk=pk).select_related("organisation", "leader").first()
    if rating is None:
        raise Http404
    visible = rating.status == "published" or PublicRating.objects.filter(evaluation_q(scope), pk=pk).exists()
    if not visible:
        raise Http404
    if manage and not scope.can_manage(rating.organisation):
        raise PermissionDenied
    return rating


def get_two_way_report_for(request: HttpRequest, pk: int, *, manage: bool = False) -> TwoWayReport:
    return _fetch(request, TwoWayReport, pk, evaluation_q, manage, "secretary")


# --- lists and boards -----------------------------------------------------------------------------


def motion_list(user, *, organisation: Organisation | None = None) -> QuerySet[Motion]:
    """The motions a user may see, with what the list shows: a fixed number of queries for any length."""
    qs = Motion.objects.filter(motion_q(scope_for(user)))
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    return (
        qs.select_related("organisation", "responsible")
        .annotate(vote_count=Count("votes", distinct=True))
        .order_by("-created_at", "-pk")
    )


def period_bounds(year: int | None, half: int | None) -> tuple[dt.date, dt.date] | None:
    if not year:
        return None
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 7, 1)
    if half == 2:
        return dt.date(year, 7, 1), dt.date(year + 1, 1, 1)
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def motion_statistics(user, *, period: tuple[dt.date, dt.date] | None = None) -> list[dict]:
    """Per branch (泰安): voted, passed, implemented, rejected — motions decided in the period. One query."""
    qs = Motion.objects.filter(motion_q(scope_for(user)), status__in=DECIDED_STATES)
    if period is not None:
        qs = qs.filter(decided_at__date__gte=period[0], decided_at__date__lt=period[1])
    rows = (
        qs.values("organisation_id", "organisation__name", "organisation__path")
        .annotate(
            voted=Count("pk"),
            passed=Count("pk", filter=Q(status__in=PASSED_STATES)),
            implemented=Count("pk", filter=Q(status="implemented")),
            rejected=Count("pk", filter=Q(status="postponed")),
            last=Max("decided_at"),
        )
        .order_by("organisation__path")
    )
    return [
        {
            "organisation_id": r["organisation_id"],
            "name": r["organisation__name"],
            "voted": r["voted"],
            "passed": r["passed"],
            "implemented": r["implemented"],
            "rejected": r["rejected"],
            "implementation_rate": round(100 * r["implemented"] / r["passed"], 1) if r["passed"] else None,
        }
        for r in rows
    ]


def motion_detail_prefetch(motion: Motion) -> Motion:
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [motion],
        Prefetch("votes", queryset=motion.votes.select_related("poll").order_by("number")),
        "milestones",
        Prefetch("progress", queryset=MotionProgress.objects.select_related("recorded_by")),
        "comments__member",
        "reserved_opinions__member",
        "written_opinions__member",
    )
    return motion
