"""The hub of the app: what waits for me (to co-sign, to answer, to rate), and the boards."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from branches.selectors import scope_for

from .. import rules
from ..models import Inquiry, Proposal


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
                status="cosigning", cosigners__member=me, cosigners__status="pending"
            ).order_by("-pk")[:10]
        )
        todo["answer"] = list(
            Proposal.objects.filter(
                responsible=me, status__in=["assigned", "in_progress", "reopened"]
            ).order_by("due_on")[:10]
        )
        todo["rate"] = list(Proposal.objects.filter(proposer=me, status="answered").order_by("-pk")[:10])
        todo["inquiries"] = list(
            Inquiry.objects.filter(
                Q(responsible=me, status__in=["submitted", "second_due"])
                | Q(cosigners__member=me, cosigners__status="pending", status="cosigning")
            )
            .distinct()
            .order_by("due_on", "-pk")[:10]
        )
        mine = list(Proposal.objects.filter(proposer=me).order_by("-created_at", "-pk")[:10])
    if scope.manage_paths or scope.is_superuser:
        waiting = Q()
        if not scope.is_superuser:
            waiting = Q(pk__in=[])
            for path in scope.manage_paths:
                waiting |= Q(handled_by__path__startswith=path)
        todo["register"] = list(
            Proposal.objects.filter(waiting, status__in=["submitted", "forwarded"])
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
            "can_file": me is not None and me.category in ("full", "probationary"),
            "managed": sorted(
                {r.organisation for r in scope.roles if scope.can_manage(r.organisation)},
                key=lambda o: o.path,
            ),
        },
    )
