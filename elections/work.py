"""Elections' part of the work queue (branches.workqueue): a candidate's questions to answer, each
election's next step for its branch committee, the higher committee's approvals (the request, the
pre-candidates, the filed result). One query per part that applies."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.workqueue import (
    MEMBER,
    OFFICER,
    SECRETARY,
    WAITING,
    WorkItem,
    committee_paths,
    officer_paths,
    paths_q,
    register,
)

from .models import CandidateQuestion, Election, ElectionStatus

# What the higher committee decides, per status; meanwhile the branch waits.
APPROVALS = {
    ElectionStatus.REQUESTED: gettext_lazy("Approve the election request"),
    ElectionStatus.PRE_APPROVAL: gettext_lazy("Approve the pre-candidates"),
    ElectionStatus.FILED: gettext_lazy("Approve the election result"),
}
FINISHED = (ElectionStatus.IN_OFFICE, ElectionStatus.CANCELLED)


@register
def election_work(user, scope) -> list[WorkItem]:
    items: list[WorkItem] = []
    if scope.member is not None:
        questions = (
            CandidateQuestion.objects.filter(candidacy__member=scope.member, answer="")
            .exclude(candidacy__election__status__in=FINISHED)
            .select_related("candidacy__election")
            .order_by("asked_at", "pk")
        )
        for q in questions:
            election = q.candidacy.election
            items.append(
                WorkItem(
                    MEMBER,
                    _("Answer a question"),
                    f"{election.title} · {q.text[:40]}",
                    reverse("elections:candidate", args=[q.candidacy_id]),
                )
            )
    paths = committee_paths(scope)
    if paths:
        rows = (
            Election.objects.filter(paths_q(paths, "organisation__path"))
            .exclude(status__in=[*FINISHED, *APPROVALS])
            .order_by("pk")
        )
        for election in rows:
            items.append(
                WorkItem(
                    SECRETARY,
                    _("Next step: %(step)s") % {"step": election.get_status_display()},
                    election.title,
                    reverse("elections:election", args=[election.pk]),
                    urgency=WAITING,
                )
            )
    paths = officer_paths(scope)
    if paths:
        rows = (
            Election.objects.filter(paths_q(paths, "organisation__parent__path"), status__in=list(APPROVALS))
            .select_related("organisation")
            .order_by("pk")
        )
        for election in rows:
            items.append(
                WorkItem(
                    OFFICER,
                    str(APPROVALS[election.status]),
                    f"{election.organisation.name} · {election.title}",
                    reverse("elections:election", args=[election.pk]),
                )
            )
    return items
