"""The desks: the managers' workbench (drafts, feedback to answer) and the review queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from branches.models import Organisation
from branches.selectors import scope_for

from .. import selectors
from ..filters import WorkbenchFilter


def _sections(queue: dict) -> list[tuple[str, list, str]]:
    return [
        (_("Secrecy reviews named to me"), queue["secrecy"], "queue-secrecy"),
        (_("Awaiting my committee's approval"), queue["approval"], "queue-approval"),
        (_("Under supervision, before publication"), queue["supervision"], "queue-supervision"),
    ]


def _require_desk(request: HttpRequest):
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.manage_paths or scope.supervise_paths):
        raise PermissionDenied
    return scope


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    scope = _require_desk(request)
    pending = WorkbenchFilter(request.GET, queryset=selectors.pending_items(request.user))
    page = Paginator(pending.qs, 30).get_page(request.GET.get("page"))
    managed = sorted(
        {r.organisation for r in scope.roles if scope.can_manage(r.organisation)}, key=lambda o: o.path
    )
    if scope.is_superuser and not managed:
        managed = list(Organisation.objects.filter(parent__isnull=True))
    context = {
        "filter": pending,
        "page": page,
        "feedback": list(selectors.open_feedback(request.user)[:50]),
        "drafts": list(selectors.unconsumed_drafts(request.user)[:50]),
        "managed": managed,
        "sections": _sections(selectors.review_queue(request.user)),
    }
    return render(request, "openness/workbench.html", context)


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    return render(
        request, "openness/review_queue.html", {"sections": _sections(selectors.review_queue(request.user))}
    )
