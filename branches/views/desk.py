"""The attendance desk: the secretary marks the roll at a desktop, 全部到会 first, then each mark without a
reload (htmx posts that answer with the changed row and the figures). One page, two POST actions; every
query count is constant in the number of members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import rules, services
from ..models import Attendance, AttendanceStatus, Meeting
from ..selectors import get_meeting_for

# The marks the desk offers; exclusions from 应到 go through the meeting page (request, consent, vote).
DESK_MARKS = (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.EXPECTED)


def _desk_context(meeting: Meeting, *, error: str = "") -> dict:
    rows = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("member__name_pinyin", "pk")
    )
    return {
        "meeting": meeting,
        "rows": rows,
        "figures": rules.attendance_figures([r.status for r in rows]),
        "open": rules.checkin_is_open(meeting, timezone.now()),
        "marks": [(m, AttendanceStatus(m).label) for m in DESK_MARKS],
        "error": error,
    }


def _answer(request: HttpRequest, meeting: Meeting, error: str = "") -> HttpResponse:
    if request.headers.get("HX-Request"):
        return render(request, "branches/meeting_desk.html#desk", _desk_context(meeting, error=error))
    if error:
        messages.error(request, error)
    return redirect("branches:meeting_desk", pk=meeting.pk)


@login_required
@require_GET
def meeting_desk(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, manage=True)
    return render(request, "branches/meeting_desk.html", _desk_context(meeting))


@login_required
@require_POST
def desk_all_present(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, manage=True)
    error = ""
    try:
        services.mark_all_present(actor=request.user, meeting=meeting)
    except services.BranchError as exc:
        error = str(exc)
    return _answer(request, meeting, error)


@login_required
@require_POST
def desk_mark(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, manage=True)
    row = Attendance.objects.filter(meeting=meeting, member_id=member_pk).select_related("member").first()
    if row is None:
        raise Http404
    status = request.POST.get("status", "")
    error = ""
    if status not in DESK_MARKS:
        error = _("Unknown attendance status.")
    else:
        try:
            services.set_attendance(actor=request.user, meeting=meeting, member=row.member, status=status)
        except services.BranchError as exc:
            error = str(exc)
    return _answer(request, meeting, error)
