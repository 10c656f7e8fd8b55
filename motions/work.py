"""Proposals' and inquiries' part of the work queue (branches.workqueue): answers waiting for the member's
rating, proposals for the committee to register or answer (with the days left), overdue answers for the
supervisor. One query per part that applies."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.workqueue import (
    MEMBER,
    OVERDUE,
    SECRETARY,
    SUPERVISOR,
    WAITING,
    WorkItem,
    committee_paths,
    due_urgency,
    paths_q,
    register,
)

from .models import Inquiry, InquiryRating, Proposal
from .models.proposals import OPEN_STATES


@register
def proposal_work(user, scope) -> list[WorkItem]:
    items: list[WorkItem] = []
    member = scope.member
    if member is not None:
        for p in Proposal.objects.filter(proposer=member, status="answered").order_by("pk"):
            items.append(
                WorkItem(MEMBER, _("Rate the answer"), p.title, reverse("motions:proposal", args=[p.pk]))
            )
        rated = InquiryRating.objects.filter(answer__inquiry=OuterRef("pk"), member=member)
        for i in (
            Inquiry.objects.filter(author=member, status="answered").exclude(Exists(rated)).order_by("pk")
        ):
            items.append(
                WorkItem(MEMBER, _("Rate the answer"), i.subject, reverse("motions:inquiry", args=[i.pk]))
            )
    paths = committee_paths(scope)
    if paths:
        rows = Proposal.objects.filter(
            paths_q(paths, "handled_by__path"), status__in=["submitted", *OPEN_STATES]
        ).order_by("due_on", "pk")
        for p in rows:
            url = reverse("motions:proposal", args=[p.pk])
            if p.status == "submitted":
                items.append(WorkItem(SECRETARY, _("Register the proposal"), p.title, url, urgency=WAITING))
            else:
                items.append(
                    WorkItem(
                        SECRETARY,
                        _("Answer the proposal"),
                        p.title,
                        url,
                        p.due_on,
                        urgency=due_urgency(p.due_on),
                    )
                )
    if scope.supervise_paths:
        today = timezone.localdate()
        for p in Proposal.objects.filter(
            paths_q(scope.supervise_paths, "handled_by__path"), status__in=OPEN_STATES, due_on__lt=today
        ).order_by("due_on", "pk"):
            url = reverse("motions:proposal", args=[p.pk])
            items.append(WorkItem(SUPERVISOR, _("Overdue answer"), p.title, url, p.due_on, urgency=OVERDUE))
        for i in Inquiry.objects.filter(
            paths_q(scope.supervise_paths, "organisation__path"),
            status__in=["submitted", "second_due"],
            due_on__lt=today,
        ).order_by("due_on", "pk"):
            url = reverse("motions:inquiry", args=[i.pk])
            items.append(WorkItem(SUPERVISOR, _("Overdue answer"), i.subject, url, i.due_on, urgency=OVERDUE))
    return items
