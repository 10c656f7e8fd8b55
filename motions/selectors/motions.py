"""Scoped reads of motions voted by ballot (票决): every list starts from `motion_q`, `get_motion_for`
fetches and checks (404 hidden, 403 forbidden); and the facts the checks before a step need.

A motion is public to the members of its branch once it leaves the draft (they comment on the materials
and vote on it); the committee and the organisations above it (officers, supervisors) see all of it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest

from ballots.models import Poll, PollStatus, RollEntry
from branches.models import Attendance, AttendanceStatus, Organisation
from branches.rules import voting_rights_q
from branches.selectors import Scope, scope_for

from .. import rules
from ..models import Motion, MotionProgress, MotionStatus, WrittenOpinion
from ..models.motions import DECIDED_STATES, PASSED_STATES
from .common import fetch_of_organisation, org_q


def motion_q(scope: Scope) -> Q:
    return org_q(scope, members_see=~Q(status=MotionStatus.DRAFT))


def get_motion_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Motion:
    return fetch_of_organisation(
        request, Motion, pk, motion_q, manage, "meeting", "responsible", "source_proposal", "source_topic"
    )


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
            implemented=Count("pk", filter=Q(status=MotionStatus.IMPLEMENTED)),
            rejected=Count("pk", filter=Q(status=MotionStatus.POSTPONED)),
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
            "implementation_rate": rules.percent(r["implemented"], r["passed"]),
        }
        for r in rows
    ]


def motion_detail_prefetch(motion: Motion) -> Motion:
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


# --- the facts of a step's checks (rules.debate_issues, rules.vote_issues, rules.motion_outcome) ---------


def meeting_attendance(motion: Motion) -> tuple[int, int]:
    """(应到, 实到) of the voting members at the motion's meeting, as the engine will freeze them."""
    statuses = list(
        Attendance.objects.filter(voting_rights_q("member__"), meeting_id=motion.meeting_id)
        .exclude(status=AttendanceStatus.EXCLUDED)
        .values_list("status", flat=True)
    )
    return len(statuses), statuses.count(AttendanceStatus.PRESENT)


def vote_outcomes(motion: Motion) -> list[bool | None]:
    """Whether each vote on the motion passed, in order (None: not announced)."""
    return list(motion.votes.order_by("number").values_list("passed", flat=True))


def another_item_open(motion: Motion) -> bool:
    """Another poll of the motion's general meeting is open: one item at a time."""
    if motion.meeting_id is None:
        return False
    return (
        Poll.objects.filter(meeting_id=motion.meeting_id, status=PollStatus.OPEN)
        .exclude(motion_vote__motion=motion)
        .exists()
    )


def latest_round(poll: Poll) -> Poll:
    """A void round is superseded by a new one (the engine's `new_round`): follow the chain."""
    while True:
        successor = Poll.objects.filter(previous_round=poll).first()
        if successor is None:
            return poll
        poll = successor


def written_counts(motion: Motion, poll: Poll) -> dict[str, int]:
    """The written opinions that count: of members on the frozen roll (应到) who were not present."""
    roll = RollEntry.objects.filter(poll=poll).values("member_id")
    present = Attendance.objects.filter(meeting_id=poll.meeting_id, status=AttendanceStatus.PRESENT).values(
        "member_id"
    )
    counts = {"for": 0, "against": 0, "abstain": 0}
    for choice in (
        WrittenOpinion.objects.filter(motion=motion, member_id__in=roll)
        .exclude(member_id__in=present)
        .values_list("choice", flat=True)
    ):
        counts[choice] += 1
    return counts
