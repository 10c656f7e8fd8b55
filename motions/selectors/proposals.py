"""Scoped reads of the motions app: every list starts here, and each `get_*_for` fetches and checks.

Proposals, inquiries and topics are public to the members of the branch and to the organisations above it
(全程公示); a misconduct report only to discipline officers of its organisation or above, never to the person
accused (404, the same as a report that does not exist).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404, HttpRequest
from django.utils import timezone

from branches.models import COMMITTEE_ROLES, Organisation, Role, RoleKind
from branches.selectors import Scope, scope_for

from . import rules
from .models import (
    Inquiry,
    InquiryCosigner,
    MisconductReport,
    Proposal,
    ProposalAnswer,
    ProposalCosigner,
    ProposalProgress,
    Topic,
)
from .models.inquiries import INQUIRY_OPEN_STATES
from .models.proposals import BEFORE_REGISTRATION, OPEN_STATES

_NOTHING = Q(pk__in=[])


def under_paths(paths, lookup: str) -> Q:
    """Rows whose `lookup` (an organisation path) lies under one of `paths`."""
    q = _NOTHING
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


# --- visibility -----------------------------------------------------------------------------------


def proposal_q(scope: Scope) -> Q:
    """His branch and those above it, what he manages or supervises, and what he is part of."""
    if scope.is_superuser:
        return Q()
    q = under_paths(scope.read_paths, "organisation__path") | under_paths(
        scope.read_paths, "handled_by__path"
    )
    if scope.own_ancestor_paths:
        q |= Q(organisation__path__in=scope.own_ancestor_paths)
    if scope.member is not None:
        cosigned = ProposalCosigner.objects.filter(proposal=OuterRef("pk"), member=scope.member)
        q |= Q(proposer=scope.member) | Q(responsible=scope.member) | Q(Exists(cosigned))
    return q


def inquiry_q(scope: Scope) -> Q:
    if scope.is_superuser:
        return Q()
    q = under_paths(scope.read_paths, "organisation__path")
    if scope.own_ancestor_paths:
        q |= Q(organisation__path__in=scope.own_ancestor_paths)
    if scope.member is not None:
        cosigned = InquiryCosigner.objects.filter(inquiry=OuterRef("pk"), member=scope.member)
        q |= (
            Q(author=scope.member)
            | Q(responsible=scope.member)
            | Q(target=scope.member)
            | Q(Exists(cosigned))
        )
    return q


def report_q(scope: Scope) -> Q:
    """Discipline officers' subtrees, less any report naming him; and the reports he filed himself."""
    if scope.member is None:
        return _NOTHING
    q = under_paths(rules.discipline_paths(scope), "organisation__path") & ~Q(accused=scope.member)
    return q | Q(reporter=scope.member)


def topic_q(scope: Scope) -> Q:
    if scope.is_superuser:
        return Q()
    q = under_paths(scope.read_paths, "organisation__path")
    if scope.own_ancestor_paths:
        q |= Q(organisation__path__in=scope.own_ancestor_paths)
    return q


# --- fetch and check ------------------------------------------------------------------------------


def fetch_for(request: HttpRequest, queryset: QuerySet, q_func, pk: int, *, check=None):
    """The object `pk` if the user may see it (`q_func(scope)`), else 404; if `check(scope, obj)` is given
    and fails, 403."""
    scope = scope_for(request.user)
    obj = queryset.filter(q_func(scope), pk=pk).first()
    if obj is None:
        raise Http404
    if check is not None and not check(scope, obj):
        raise PermissionDenied
    return obj


def can_manage_organisation(scope: Scope, obj) -> bool:
    return scope.can_manage(obj.organisation)


def get_proposal_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Proposal:
    related = ("organisation", "handled_by", "proposer__user", "responsible__user", "household")
    return fetch_for(
        request,
        Proposal.objects.select_related(*related),
        proposal_q,
        pk,
        check=rules.can_manage_proposal if manage else None,
    )


def get_inquiry_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Inquiry:
    return fetch_for(
        request,
        Inquiry.objects.select_related("organisation", "author__user", "target", "responsible__user"),
        inquiry_q,
        pk,
        check=rules.can_manage_inquiry if manage else None,
    )


def get_report_for(request: HttpRequest, pk: int, *, handle: bool = False) -> MisconductReport:
    return fetch_for(
        request,
        MisconductReport.objects.select_related("organisation", "accused", "reporter"),
        report_q,
        pk,
        check=rules.can_handle_report if handle else None,
    )


def get_topic_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Topic:
    return fetch_for(
        request,
        Topic.objects.select_related("organisation", "meeting"),
        topic_q,
        pk,
        check=can_manage_organisation if manage else None,
    )


# --- who is reminded ------------------------------------------------------------------------------


def committee_heads(org: Organisation) -> list:
    """The users who answer for a committee: its secretary and deputy; failing those, its committee members
    and officers."""
    roles = list(
        Role.objects.current()
        .filter(organisation=org, kind__in=[*COMMITTEE_ROLES, RoleKind.OFFICER], member__user__isnull=False)
        .select_related("member__user")
    )
    heads = [r for r in roles if r.kind in (RoleKind.SECRETARY, RoleKind.DEPUTY_SECRETARY)] or roles
    return [r.member.user for r in heads]


def higher_committee(org: Organisation) -> list:
    """The officers of the organisations strictly above `org`."""
    return [
        r.member.user
        for r in Role.objects.current()
        .filter(
            kind=RoleKind.OFFICER,
            organisation__path__in=org.ancestor_paths()[:-1],
            member__user__isnull=False,
        )
        .select_related("member__user")
    ]


def discipline_officers(org: Organisation, *, excluding=None) -> list:
    """Discipline officers of `org` and above (纪检委员 and supervisors), less the person accused."""
    roles = (
        Role.objects.current()
        .filter(
            kind__in=rules.DISCIPLINE_ROLES,
            organisation__path__in=org.ancestor_paths(),
            member__user__isnull=False,
        )
        .select_related("member__user")
    )
    if excluding is not None:
        roles = roles.exclude(member=excluding)
    return [r.member.user for r in roles]


# --- the boards -----------------------------------------------------------------------------------


def proposal_board(
    user, *, organisation: Organisation | None = None, today: dt.date | None = None
) -> QuerySet:
    """Every visible proposal with its traffic light and its latest progress note: one query, any length."""
    today = today or timezone.localdate()
    latest = ProposalProgress.objects.filter(proposal=OuterRef("pk")).order_by("-created_at", "-pk")
    answer = ProposalAnswer.objects.filter(proposal=OuterRef("pk")).order_by("-round")
    qs = (
        Proposal.objects.filter(proposal_q(scope_for(user)))
        .select_related("organisation", "proposer", "responsible")
        .annotate(
            light=rules.traffic_light_sql(
                today, open_states=OPEN_STATES, waiting_states=("cosigning", "submitted", "forwarded")
            ),
            latest_progress=Subquery(latest.values("text")[:1]),
            outcome=Subquery(answer.values("outcome")[:1]),
            rating=Subquery(answer.values("rating")[:1]),
        )
        .order_by("-created_at", "-pk")
    )
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    return qs


def proposal_rates(proposals: QuerySet, *, today: dt.date | None = None) -> list[dict]:
    """Per branch: registered, answered on time, late, unanswered (of which overdue), and satisfaction.
    Two grouped queries, whatever the number of proposals or branches."""
    today = today or timezone.localdate()
    ids = proposals.values("pk")
    rows = (
        Proposal.objects.filter(pk__in=ids)
        .exclude(status__in=BEFORE_REGISTRATION)
        .values("organisation_id", "organisation__name", "organisation__path")
        .annotate(
            registered=Count("pk"),
            on_time=Count("pk", filter=Q(answered_on_time=True)),
            late=Count("pk", filter=Q(answered_on_time=False)),
            unanswered=Count("pk", filter=Q(first_answered_at__isnull=True)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_on__lt=today)),
        )
        .order_by("organisation__path")
    )
    ratings = {
        (r["proposal__organisation_id"], r["rating"]): r["n"]
        for r in ProposalAnswer.objects.filter(proposal__in=ids)
        .exclude(rating="")
        .values("proposal__organisation_id", "rating")
        .annotate(n=Count("pk"))
    }
    result = []
    for row in rows:
        org = row["organisation_id"]
        satisfied, basically, dissatisfied = (
            ratings.get((org, k), 0) for k in ("satisfied", "basically", "dissatisfied")
        )
        rated = satisfied + basically + dissatisfied
        result.append(
            {
                "organisation_id": org,
                "name": row["organisation__name"],
                "registered": row["registered"],
                "on_time": row["on_time"],
                "late": row["late"],
                "unanswered": row["unanswered"],
                "overdue": row["overdue"],
                "on_time_rate": rules.percent(row["on_time"], row["registered"]),
                "answered_rate": rules.percent(row["registered"] - row["unanswered"], row["registered"]),
                "satisfied": satisfied,
                "basically": basically,
                "dissatisfied": dissatisfied,
                "satisfaction_rate": rules.percent(satisfied + basically, rated),
            }
        )
    return result


def inquiry_board(
    user, *, organisation: Organisation | None = None, today: dt.date | None = None
) -> QuerySet:
    today = today or timezone.localdate()
    qs = (
        Inquiry.objects.filter(inquiry_q(scope_for(user)))
        .select_related("organisation", "author", "target", "responsible")
        .annotate(
            light=rules.traffic_light_sql(
                today, open_states=INQUIRY_OPEN_STATES, waiting_states=("cosigning",)
            )
        )
        .order_by("-created_at", "-pk")
    )
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    return qs


def inquiry_rates(inquiries: QuerySet) -> list[dict]:
    """Per branch: inquiries received, answered, answer rate and average days to the first answer."""
    time_to_answer = ExpressionWrapper(
        F("first_answered_at") - F("submitted_at"), output_field=DurationField()
    )
    rows = (
        Inquiry.objects.filter(pk__in=inquiries.values("pk"), submitted_at__isnull=False)
        .values("organisation_id", "organisation__name", "organisation__path")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(first_answered_at__isnull=False)),
            avg_time=Avg(time_to_answer, filter=Q(first_answered_at__isnull=False)),
        )
        .order_by("organisation__path")
    )
    return [
        {
            "organisation_id": r["organisation_id"],
            "name": r["organisation__name"],
            "received": r["received"],
            "answered": r["answered"],
            "answer_rate": rules.percent(r["answered"], r["received"]),
            "avg_days": round(r["avg_time"].total_seconds() / 86400, 1) if r["avg_time"] else None,
        }
        for r in rows
    ]


def report_list(user) -> QuerySet[MisconductReport]:
    return (
        MisconductReport.objects.filter(report_q(scope_for(user)))
        .select_related("organisation", "accused")
        .order_by("-created_at", "-pk")
    )


def topic_list(user, *, organisation: Organisation | None = None) -> QuerySet[Topic]:
    qs = Topic.objects.filter(topic_q(scope_for(user))).select_related("organisation", "meeting")
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    return qs.order_by("-created_at", "-pk")
