from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..models import Notification
from ..notifications import mark_read
from ..rules import committee_warnings, is_ascii_digits
from ..selectors import committee_of, scope_for, upcoming_meetings
from ..services import committee_shape
from ..workqueue import by_persona, work_queue


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "branches/landing.html")
    scope = scope_for(request.user)
    branch = scope.member.organisation if scope.member else None
    queue = work_queue(request.user)
    context = {
        "queue": by_persona(queue),
        "queue_count": len(queue),
        "branch": branch,
        "committee": committee_of(branch) if branch else [],
        "meetings": upcoming_meetings(request.user),
        "warnings": committee_warnings(committee_shape(branch))
        if branch and scope.can_manage(branch)
        else [],
        "managed": sorted(
            {r.organisation for r in scope.roles if scope.can_manage(r.organisation)}, key=lambda o: o.path
        ),
    }
    return render(request, "branches/home.html", context)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "branches/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    pk = request.POST.get("pk")
    mark_read(request.user, int(pk) if is_ascii_digits(pk) else None)
    return redirect("branches:inbox")
