"""Disclosure's part of the work queue (branches.workqueue): drafts to finish, secrecy reviews he is named
for, approvals of his committee (an item beyond the branch's authority goes up), and for supervisors
the items before publication. A fixed number of queries (selectors.review_queue and one for drafts)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.workqueue import OFFICER, SECRETARY, SUPERVISOR, WorkItem, committee_paths, paths_q, register

from .models import DisclosureItem, ItemStatus
from .selectors import review_queue


def _url(item) -> str:
    return reverse("openness:item", args=[item.pk])


@register
def disclosure_work(user, scope) -> list[WorkItem]:
    items: list[WorkItem] = []
    paths = committee_paths(scope)
    if paths:
        drafts = DisclosureItem.objects.filter(
            paths_q(paths, "organisation__path"), status__in=[ItemStatus.DRAFT, ItemStatus.RETURNED]
        ).order_by("pk")
        items += [WorkItem(SECRETARY, _("Finish the disclosure draft"), i.title, _url(i)) for i in drafts]
    if scope.member is None and not scope.is_superuser:
        return items
    queue = review_queue(user)
    items += [WorkItem(SECRETARY, _("Secrecy review"), i.title, _url(i)) for i in queue["secrecy"]]
    for i in queue["approval"]:
        persona = OFFICER if i.approver_organisation_id != i.organisation_id else SECRETARY
        items.append(
            WorkItem(persona, _("Approve the disclosure"), f"{i.organisation.name} · {i.title}", _url(i))
        )
    items += [
        WorkItem(SUPERVISOR, _("Review the disclosure"), f"{i.organisation.name} · {i.title}", _url(i))
        for i in queue["supervision"]
    ]
    return items
