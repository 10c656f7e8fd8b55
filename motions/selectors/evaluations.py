"""Scoped reads of democratic evaluations: every list starts from `evaluation_q`, and each `get_*_for`
fetches and checks (404 hidden, 403 forbidden); and the counts of the ratings, the evaluation before and
the consequences.

The managers and supervisors of the organisation see everything; a member sees the evaluations of his
branch, and of his own assessment only his own grade.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from ballots.models import Poll, PollStatus
from branches.selectors import Scope, scope_for

from .. import rules
from ..models import (
    LeadershipEvaluation,
    LeadershipStatus,
    MemberEvaluation,
    PublicRating,
    PublicRatingStatus,
    TwoWayReport,
)
from .common import fetch_of_organisation, org_q


def evaluation_q(scope: Scope) -> Q:
    return org_q(scope, members_see=Q())


def get_member_evaluation_for(request: HttpRequest, pk: int, *, manage: bool = False) -> MemberEvaluation:
    return fetch_of_organisation(request, MemberEvaluation, pk, evaluation_q, manage, "poll")


def get_leadership_evaluation_for(
    request: HttpRequest, pk: int, *, manage: bool = False
) -> LeadershipEvaluation:
    return fetch_of_organisation(request, LeadershipEvaluation, pk, evaluation_q, manage)


def get_public_rating_for(request: HttpRequest, pk: int, *, manage: bool = False) -> PublicRating:
    """A published rating is public (民评官: "published results"); an open one only to its organisation."""
    scope = scope_for(request.user)
    rating = PublicRating.objects.filter(pk=pk).select_related("organisation", "leader").first()
    if rating is None:
        raise Http404
    visible = (
        rating.status == PublicRatingStatus.PUBLISHED
        or PublicRating.objects.filter(evaluation_q(scope), pk=pk).exists()
    )
    if not visible:
        raise Http404
    if manage and not scope.can_manage(rating.organisation):
        raise PermissionDenied
    return rating


def get_two_way_report_for(request: HttpRequest, pk: int, *, manage: bool = False) -> TwoWayReport:
    return fetch_of_organisation(request, TwoWayReport, pk, evaluation_q, manage, "secretary")


# --- counts and consequences ------------------------------------------------------------------------


def is_counted(poll: Poll | None) -> bool:
    return poll is not None and poll.status in (PollStatus.COUNTED, PollStatus.PUBLISHED)


def poll_counts(poll: Poll | None) -> dict[str, dict[str, int]]:
    """{option label or member id: {value: n}} from a counted poll; {} before the count."""
    if not is_counted(poll):
        return {}
    totals = poll.result.figures["total"]["totals"]
    out = {}
    for option in poll.options.all():
        key = str(option.member_id) if option.member_id else "team"
        out[key] = {k: int(v) for k, v in totals.get(str(option.pk), {}).items()}
    return out


def leadership_counts(evaluation: LeadershipEvaluation) -> dict[str, dict[str, int]]:
    """{"team" or member id: {value: n}}: the members' polls (once counted) plus the representatives."""
    counts: dict[str, dict[str, int]] = {}
    for poll in (evaluation.team_poll, evaluation.member_poll):
        for key, row in poll_counts(poll).items():
            for value, n in row.items():
                counts.setdefault(key, {}).setdefault(value, 0)
                counts[key][value] += n
    for t in evaluation.tallies.all():
        key = "team" if t.target_id is None else str(t.target_id)
        counts.setdefault(key, {}).setdefault(t.value, 0)
        counts[key][t.value] += t.count
    return counts


def previous_leadership_evaluation(evaluation: LeadershipEvaluation) -> LeadershipEvaluation | None:
    return (
        LeadershipEvaluation.objects.filter(
            organisation_id=evaluation.organisation_id,
            status=LeadershipStatus.CONCLUDED,
            held_on__lt=evaluation.held_on,
        )
        .order_by("-held_on", "-pk")
        .first()
    )


def consequences_of(evaluation: LeadershipEvaluation) -> list[rules.Consequence]:
    if evaluation.status != LeadershipStatus.CONCLUDED:
        return []
    previous = previous_leadership_evaluation(evaluation)
    return rules.leadership_consequences(evaluation.verdicts, previous.verdicts if previous else None)
