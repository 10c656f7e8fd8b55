"""The hub of the app: what waits for me (to co-sign, to answer, to rate), and the boards."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from branches.selectors import scope_for

from .. import rules
from ..models import CosignStatus, Inquiry, InquiryStatus, Proposal, ProposalStatus
from ..models.inquiries import INQUIRY_OPEN_STATES
from ..models.proposals import HANDLING_STATES
from ..selectors import under_paths
from ..services.common import is_party_member
from .common import managed_organisations


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    me = scope.member
    todo: dict[str, list] = {"cosign": [], "answer": [], "rate": [], "register": [], "inquiries": []}
    mine: list = []
    if me is not None:
        todo["cosign"] = list(
            Proposal.objects.filter(
                status=ProposalStatus.COSIGNING, cosigners__member=me, cosigners__status=CosignStatus.PENDING
            ).order_by("-pk")[:10]
        )
        todo["answer"] = list(
            Proposal.objects.filter(responsible=me, status__in=HANDLING_STATES).order_by("due_on")[:10]
        )
        todo["rate"] = list(
            Proposal.objects.filter(proposer=me, status=ProposalStatus.ANSWERED).order_by("-pk")[:10]
        )
        todo["inquiries"] = list(
            Inquiry.objects.filter(
                Q(responsible=me, status__in=INQUIRY_OPEN_STATES)
                | Q(
                    cosigners__member=me,
                    cosigners__status=CosignStatus.PENDING,
                    status=InquiryStatus.COSIGNING,
                )
            )
            .distinct()
            .order_by("due_on", "-pk")[:10]
        )
        mine = list(Proposal.objects.filter(proposer=me).order_by("-created_at", "-pk")[:10])
    if scope.manage_paths or scope.is_superuser:
        waiting = Q() if scope.is_superuser else under_paths(scope.manage_paths, "handled_by__path")
        todo["register"] = list(
            Proposal.objects.filter(waiting, status__in=[ProposalStatus.SUBMITTED, ProposalStatus.FORWARDED])
            .select_related("organisation")
            .order_by("created_at")[:10]
        )
    return render(
        request,
        "motions/home.html",
        {
            "todo": todo,
            "mine": mine,
            "scope": scope,
            "is_officer": rules.is_discipline_officer(scope),
            "can_file": is_party_member(me),
            "managed": managed_organisations(scope),
        },
    )
