"""Scoped reads of proposals: every list starts from `proposal_q`, and `get_proposal_for` fetches and checks.

Proposals are public to the members of the branch and to the organisations above it (全程公示), and to the
committee handling one after it is forwarded.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from branches.models import Organisation
from branches.selectors import Scope, scope_for

from .. import rules
from ..models import Proposal, ProposalAnswer, ProposalCosigner, ProposalProgress, Satisfaction
from ..models.proposals import BEFORE_REGISTRATION, CLOCK_STATES, OPEN_STATES, WAITING_STATES
from .common import fetch_for, public_q, under_paths


def proposal_q(scope: Scope) -> Q:
    """His branch and those above it, what he manages or supervises, and what he is part of."""
    if scope.is_superuser:
        return Q()
    q = public_q(scope) | under_paths(scope.read_paths, "handled_by__path")
    if scope.member is not None:
        cosigned = ProposalCosigner.objects.filter(proposal=OuterRef("pk"), member=scope.member)
        q |= Q(proposer=scope.member) | Q(responsible=scope.member) | Q(Exists(cosigned))
    return q


def get_proposal_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Proposal:
    related = ("organisation", "handled_by", "proposer__user", "responsible__user", "household")
    return fetch_for(
        request,
        Proposal.objects.select_related(*related),
        proposal_q,
        pk,
        check=rules.can_manage_proposal if manage else None,
    )


# --- the board ---------------------------------------------------------------------------------


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
            light=rules.traffic_light_sql(today, open_states=CLOCK_STATES, waiting_states=WAITING_STATES),
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
            ratings.get((org, k), 0)
            for k in (Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED)
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
