import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import rules, services, states
from ..forms import (
    AttendanceForm,
    ExclusionVoteForm,
    MeetingForm,
    MinutesForm,
    OnlineMeetingForm,
    SitInForm,
    StartMeetingForm,
)
from ..models import Attendance, Meeting, Member, SitInRequest
from ..selectors import get_meeting_for, get_organisation_for, scope_for
from ..states import TransitionError
from .common import flash_form_errors


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    meetings = (
        Meeting.objects.filter(scope.meeting_q()).select_related("organisation").order_by("-starts_at", "-pk")
    )
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    # 新建会议 for each organisation he manages (from his roles: no query)
    managed = sorted(
        {r.organisation for r in scope.roles if scope.can_manage(r.organisation)}, key=lambda o: o.path
    )
    return render(request, "branches/meeting_list.html", {"page": page, "managed": managed})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(actor=request.user, organisation=org, **form.cleaned_data)
        except services.BranchError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("branches:meeting", pk=meeting.pk)
    return render(request, "branches/meeting_form.html", {"form": form, "org": org})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk)
    scope = scope_for(request.user)
    can_manage = scope.can_manage(meeting.organisation)
    rows = list(meeting.attendances.select_related("member").order_by("member__name_pinyin", "pk"))
    mine = next((r for r in rows if scope.member and r.member_id == scope.member.pk), None)
    context = {
        "meeting": meeting,
        "figures": rules.attendance_figures([r.status for r in rows]),
        "rows": rows if can_manage else [],
        "mine": mine,
        "can_manage": can_manage,
        # Consent to an exclusion from 应到 comes from a committee above the meeting's organisation.
        "can_consent": meeting.organisation.parent_id is not None
        and scope.can_manage(meeting.organisation.parent),
        "checkin_open": rules.checkin_is_open(meeting, timezone.now()),
        "start_form": StartMeetingForm(),
        "online_form": OnlineMeetingForm(),
        "online_allowed": rules.online_meeting_allowed(meeting),
        "starts_early": rules.starts_early(meeting, timezone.now()),
        "attendance_form": AttendanceForm(),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        "sit_in_form": SitInForm(),
        "sit_ins": meeting.sit_in_requests.select_related("applicant__member") if can_manage else [],
        "my_sit_in": SitInRequest.objects.filter(meeting=meeting, applicant=request.user).first(),
        "is_on_roll": mine is not None,
        "next_states": states.MEETING.next_states(meeting.status),
    }
    return render(request, "branches/meeting_detail.html", context)


@login_required
@require_GET
def meeting_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code of the current sign-in code (it changes every `signin_token_seconds`)."""
    meeting = get_meeting_for(request, pk, manage=True)
    token = services.signin_token(meeting)
    url = request.build_absolute_uri(reverse("branches:checkin", args=[meeting.pk, token]))
    buffer = io.BytesIO()
    # A standalone SVG (xmlns, viewBox) that an <img> can draw and scale; a quiet zone of 4 modules.
    segno.make(url, error="m").save(buffer, kind="svg", border=4, omitsize=True, xmldecl=False)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def meeting_projector(request: HttpRequest, pk: int) -> HttpResponse:
    """The full-screen view for the projector: the rotating code, refreshed by htmx polling (the fragment
    alone when htmx asks), and the figures."""
    meeting = get_meeting_for(request, pk, manage=True)
    now = timezone.now()
    context = {
        "meeting": meeting,
        "window": rules.signin_window(now),
        "open": rules.checkin_is_open(meeting, now),
        "figures": rules.attendance_figures(list(meeting.attendances.values_list("status", flat=True))),
        "refresh_seconds": max(2, int(rules.rule("signin_token_seconds")) // 3),
    }
    template = "branches/meeting_projector.html"
    if request.headers.get("HX-Request"):
        template += "#code"
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def meeting_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, manage=True)
    form = StartMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.start_meeting(
                actor=request.user, meeting=meeting, urgent_reason=form.cleaned_data["urgent_reason"]
            )
        except (services.BranchError, TransitionError) as exc:
            messages.error(request, str(exc))
    else:
        flash_form_errors(request, form)
    return redirect("branches:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_online(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, manage=True)
    form = OnlineMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.declare_online(
                actor=request.user, meeting=meeting, presence_rule=form.cleaned_data["presence_rule"]
            )
        except services.BranchError as exc:
            messages.error(request, str(exc))
    else:
        flash_form_errors(request, form)
    return redirect("branches:meeting", pk=meeting.pk)


_ACTIONS = {
    "close": services.close_meeting,
    "cancel": services.cancel_meeting,
}


@login_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action == "start":
        return meeting_start(request, pk)
    if action not in _ACTIONS:
        raise Http404
    meeting = get_meeting_for(request, pk, manage=True)
    try:
        _ACTIONS[action](actor=request.user, meeting=meeting)
    except TransitionError as exc:
        messages.error(request, str(exc))
    return redirect("branches:meeting", pk=meeting.pk)


@login_required
@require_POST
def attendance_set(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    meeting, member = _roll_row_for(request, pk, member_pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.set_attendance(actor=request.user, meeting=meeting, member=member, **form.cleaned_data)
        except services.BranchError as exc:
            messages.error(request, str(exc))
    else:
        flash_form_errors(request, form, prefix=f"{member.name}: ")
    return redirect(reverse("branches:meeting", args=[meeting.pk]) + "#roll")


def _roll_row_for(request: HttpRequest, pk: int, member_pk: int) -> tuple[Meeting, Member]:
    meeting = get_meeting_for(request, pk, manage=True)
    member = Member.objects.filter(pk=member_pk, attendances__meeting=meeting).first()
    if member is None:
        raise Http404
    return meeting, member


@login_required
@require_POST
def exclusion_consent(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """The higher committee consents to leaving a member out of 应到: someone who manages a committee above
    the meeting's organisation, never the branch itself."""
    meeting, member = _roll_row_for(request, pk, member_pk)
    parent = meeting.organisation.parent
    if parent is None or not scope_for(request.user).can_manage(parent):
        raise PermissionDenied
    try:
        services.consent_to_exclusion(actor=request.user, meeting=meeting, member=member)
    except services.BranchError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("branches:meeting", args=[meeting.pk]) + "#roll")


@login_required
@require_POST
def exclusion_vote(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """The meeting's vote on a consented exclusion, entered by its organisers."""
    meeting, member = _roll_row_for(request, pk, member_pk)
    form = ExclusionVoteForm(request.POST)
    if form.is_valid():
        try:
            services.record_exclusion_vote(
                actor=request.user, meeting=meeting, member=member, **form.cleaned_data
            )
        except services.BranchError as exc:
            messages.error(request, str(exc))
    else:
        flash_form_errors(request, form, prefix=f"{member.name}: ")
    return redirect(reverse("branches:meeting", args=[meeting.pk]) + "#roll")


@login_required
@require_POST
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, manage=True)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.record_minutes(actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"])
        except services.BranchError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("branches:meeting", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The page the projector's QR code opens on a member's phone: one button to sign in, accepted only
    with the code of the current (or the previous) window. A stale or foreign code shows why it is refused."""
    meeting = get_meeting_for(request, pk)
    member = scope_for(request.user).member
    row = Attendance.objects.filter(meeting=meeting, member=member).first() if member else None
    error = None
    if not services.signin_token_is_valid(meeting, token):
        error = _(
            "This sign-in code is not valid for the meeting or has expired: scan the code on the screen again."
        )
    elif request.method == "POST":
        try:
            row = services.sign_in_by_token(user=request.user, meeting=meeting, token=token)
        except services.BranchError as exc:
            error = str(exc)
    return render(
        request,
        "branches/checkin.html",
        {
            "meeting": meeting,
            "row": row,
            "error": error,
            "token_ok": services.signin_token_is_valid(meeting, token),
            "open": rules.checkin_is_open(meeting, timezone.now()),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def sit_in_request(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk)
    form = SitInForm(request.POST)
    if form.is_valid():
        try:
            services.request_sit_in(user=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except services.BranchError as exc:
            messages.error(request, str(exc))
    return redirect("branches:meeting", pk=meeting.pk)


@login_required
@require_POST
def sit_in_decide(request: HttpRequest, pk: int) -> HttpResponse:
    sit_in = SitInRequest.objects.select_related("meeting", "applicant").filter(pk=pk).first()
    if sit_in is None:
        raise Http404
    get_meeting_for(request, sit_in.meeting_id, manage=True)
    try:
        services.decide_sit_in(actor=request.user, sit_in=sit_in, approve=request.POST.get("approve") == "1")
    except services.BranchError as exc:
        messages.error(request, str(exc))
    return redirect("branches:meeting", pk=sit_in.meeting_id)
