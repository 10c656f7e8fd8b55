"""Inquiries (询问 / 质询) and inquiry days; misconduct reports in their confidential channel."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.models import Meeting
from branches.selectors import get_organisation_for, scope_for

from .. import rules, selectors, services
from ..filters import InquiryFilter
from ..forms import (
    ConclusionForm,
    CosignForm,
    InquiryAnswerForm,
    InquiryAssignForm,
    InquiryDayForm,
    InquiryForm,
    InquiryRatingForm,
    ReportForm,
    ResolutionForm,
)
from ..models import CosignStatus, Inquiry, InquiryDay, InquiryRating, InquiryStatus, ReportStatus
from ..models.inquiries import INQUIRY_OPEN_STATES, INQUIRY_WAITING_STATES
from ..services.common import is_party_member
from .common import (
    DetailPage,
    acting_member,
    board_organisation,
    committee_members,
    cosign_action,
    csv_response,
    detail_view,
    list_page,
    may_export,
    party_members,
    post_action,
    submitted,
)

# --- the board ------------------------------------------------------------------------------------


@login_required
@require_GET
def inquiry_board(request: HttpRequest) -> HttpResponse:
    org = board_organisation(request)
    inquiries = selectors.inquiry_board(request.user, organisation=org)
    scope = scope_for(request.user)
    return list_page(
        request,
        "motions/inquiry_board.html",
        InquiryFilter(request.GET, queryset=inquiries),
        org=org,
        rates=selectors.inquiry_rates(inquiries),
        can_export=may_export(scope),
        can_file=is_party_member(scope.member),
    )


@login_required
@require_GET
def inquiry_export(request: HttpRequest) -> HttpResponse:
    if not may_export(scope_for(request.user)):
        raise PermissionDenied
    rows = (
        [
            i.pk,
            i.organisation.name,
            i.get_kind_display(),
            i.subject,
            i.author.name,
            i.target.name if i.target else "",
            i.responsible.name if i.responsible else "",
            i.get_status_display(),
            i.due_on or "",
            timezone.localtime(i.first_answered_at).strftime("%Y-%m-%d") if i.first_answered_at else "",
        ]
        for i in selectors.inquiry_board(request.user, organisation=board_organisation(request))
    )
    header = [
        _("No."),
        _("Branch"),
        _("Kind"),
        _("Subject"),
        _("Asked by"),
        _("Addressed to"),
        _("Answers"),
        _("Status"),
        _("Answer due"),
        _("Answered"),
    ]
    return csv_response("inquiries", header, rows)


# --- asking ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_new(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    branch = member.organisation
    form = InquiryForm(
        request.POST or None,
        committee=committee_members(branch),
        members=party_members(branch).exclude(pk=member.pk),
    )
    if inquiry := submitted(
        request, form, lambda data: services.file_inquiry(actor=request.user, author=member, **data)
    ):
        messages.success(request, _("Your inquiry is filed."))
        return redirect("motions:inquiry", pk=inquiry.pk)
    return render(
        request,
        "motions/inquiry_form.html",
        {
            "form": form,
            "required": rules.challenge_cosigners_required(selectors.party_member_count(branch)),
            "days": InquiryDay.objects.filter(
                organisation__path__in=branch.ancestor_paths(), date__gte=timezone.localdate()
            ).select_related("receiver")[:5],
        },
        status=400 if form.errors else 200,
    )


def _context(request: HttpRequest, inquiry: Inquiry, **forms) -> dict:
    scope = scope_for(request.user)
    can_manage = rules.can_manage_inquiry(scope, inquiry)
    can_answer = rules.can_answer_inquiry(scope, inquiry)
    cosigners = list(inquiry.cosigners.select_related("member").order_by("pk"))
    mine = next((c for c in cosigners if scope.member and c.member_id == scope.member.pk), None)
    people = selectors.signers(inquiry) if inquiry.status == InquiryStatus.ANSWERED else []
    answers = list(inquiry.answers.select_related("meeting").order_by("round"))
    rated = (
        scope.member is not None
        and answers
        and InquiryRating.objects.filter(answer=answers[-1], member=scope.member).exists()
    )
    awaiting = inquiry.status in INQUIRY_OPEN_STATES
    meetings = Meeting.objects.filter(
        organisation__path__in=inquiry.organisation.ancestor_paths(), starts_at__lte=timezone.now()
    ).order_by("-starts_at")[:20]
    context = {
        "inquiry": inquiry,
        "light": rules.traffic_light(
            inquiry.status,
            inquiry.due_on,
            inquiry.warn_on,
            timezone.localdate(),
            open_states=INQUIRY_OPEN_STATES,
            waiting_states=INQUIRY_WAITING_STATES,
        ),
        "cosigners": cosigners,
        "answers": answers,
        "ratings": {a.pk: list(a.ratings.values_list("satisfied", flat=True)) for a in answers},
        "can_manage": can_manage,
        "can_move": can_manage or rules.is_discipline_officer(scope),
        "forms": {
            "cosign": CosignForm()
            if mine and mine.status == CosignStatus.PENDING and inquiry.status == InquiryStatus.COSIGNING
            else None,
            "assign": InquiryAssignForm(committee=committee_members(inquiry.organisation))
            if can_manage and awaiting
            else None,
            "answer": InquiryAnswerForm(meetings=meetings) if can_answer and awaiting else None,
            "rate": InquiryRatingForm()
            if scope.member and any(m.pk == scope.member.pk for m in people) and not rated
            else None,
            "resolve": ResolutionForm()
            if inquiry.status == InquiryStatus.ESCALATED and _higher_committee(scope, inquiry)
            else None,
        },
    }
    context["forms"].update(forms)
    return context


PAGE = DetailPage("motions/inquiry_detail.html", _context, "motions:inquiry", selectors.get_inquiry_for)


inquiry_detail = detail_view(PAGE)


inquiry_cosign = cosign_action(PAGE, services.cosign_inquiry, noun="inquiry")


def _higher_committee(scope, inquiry) -> bool:
    return inquiry.organisation.parent_id is not None and scope.can_manage(inquiry.organisation.parent)


# These actions call service(actor=…, inquiry=…, **the form's data).
_action = partial(post_action, PAGE, noun="inquiry")
inquiry_assign = _action(
    "assign",
    services.assign_inquiry,
    InquiryAssignForm,
    allowed=rules.can_manage_inquiry,
    form_kwargs=lambda i: {"committee": committee_members(i.organisation)},
)
inquiry_answer = _action(
    "answer",
    services.answer_inquiry,
    InquiryAnswerForm,
    allowed=rules.can_answer_inquiry,
    form_kwargs=lambda i: {
        "meetings": Meeting.objects.filter(organisation__path__in=i.organisation.ancestor_paths())
    },
)
inquiry_rate = _action("rate", services.rate_inquiry, InquiryRatingForm, allowed=selectors.is_signer)
inquiry_resolve = _action(
    "resolve", services.resolve_escalated_inquiry, ResolutionForm, allowed=_higher_committee
)


@login_required
@require_POST
def inquiry_to_confidential(request: HttpRequest, pk: int) -> HttpResponse:
    def run(inquiry, data):
        services.move_inquiry_to_confidential_channel(actor=request.user, inquiry=inquiry)
        messages.success(request, _("The inquiry was moved to the confidential channel."))
        return redirect("motions:inquiries")

    return PAGE.act(
        request,
        pk,
        name="move",
        allowed=lambda scope, i: rules.can_manage_inquiry(scope, i) or rules.is_discipline_officer(scope),
        run=run,
    )


# --- inquiry days ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_days(request: HttpRequest, pk: int) -> HttpResponse:
    """询问质询日 of an organisation: who receives questions when. Members see them; the committee adds."""
    org = get_organisation_for(request, pk)
    can_manage = scope_for(request.user).can_manage(org)
    form = InquiryDayForm(request.POST or None, committee=committee_members(org)) if can_manage else None
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    if can_manage and submitted(
        request, form, lambda data: services.add_inquiry_day(actor=request.user, organisation=org, **data)
    ):
        return redirect("motions:inquiry_days", pk=org.pk)
    days = (
        InquiryDay.objects.filter(organisation__path__in=org.ancestor_paths(), date__gte=timezone.localdate())
        .select_related("receiver", "organisation")
        .order_by("date", "pk")
    )
    return render(
        request,
        "motions/inquiry_days.html",
        {"org": org, "days": days, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


# --- the confidential channel ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = ReportForm(request.POST or None, members=party_members(member.organisation).exclude(pk=member.pk))
    if report := submitted(
        request, form, lambda data: services.file_report(actor=request.user, reporter=member, **data)
    ):
        messages.success(request, _("Your report went to the discipline officers only."))
        return redirect("motions:report", pk=report.pk)
    return render(request, "motions/report_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Discipline officers see the reports of their jurisdiction; a member, the ones he filed."""
    scope = scope_for(request.user)
    page = Paginator(selectors.report_list(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "motions/report_list.html",
        {
            "page": page,
            "is_officer": rules.is_discipline_officer(scope),
            "me": scope.member,
        },
    )


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request, pk)
    scope = scope_for(request.user)
    can_handle = rules.can_handle_report(scope, report)
    return render(
        request,
        "motions/report_detail.html",
        {
            "report": report,
            "can_handle": can_handle,
            "conclude_form": ConclusionForm()
            if can_handle and report.status != ReportStatus.CONCLUDED
            else None,
        },
    )


@login_required
@require_POST
def report_take_up(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request, pk, handle=True)
    try:
        services.take_up_report(actor=request.user, report=report)
    except services.MotionError as exc:
        messages.error(request, str(exc))
    return redirect("motions:report", pk=report.pk)


@login_required
@require_POST
def report_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request, pk, handle=True)
    form = ConclusionForm(request.POST)
    if submitted(
        request, form, lambda data: services.conclude_report(actor=request.user, report=report, **data)
    ):
        return redirect("motions:report", pk=report.pk)
    return render(
        request,
        "motions/report_detail.html",
        {"report": report, "can_handle": True, "conclude_form": form},
        status=400,
    )


@login_required
@require_GET
def report_export(request: HttpRequest) -> HttpResponse:
    """For discipline officers: never the reporter's name (权利条例)."""
    scope = scope_for(request.user)
    if not rules.is_discipline_officer(scope):
        raise PermissionDenied
    rows = (
        [
            r.pk,
            r.organisation.name,
            r.get_kind_display(),
            r.accused.name if r.accused else r.accused_description,
            r.get_status_display(),
            timezone.localtime(r.created_at).strftime("%Y-%m-%d"),
            timezone.localtime(r.concluded_at).strftime("%Y-%m-%d") if r.concluded_at else "",
        ]
        for r in selectors.report_list(request.user).exclude(reporter=scope.member)
    )
    header = [
        _("No."),
        _("Organisation"),
        _("Kind"),
        _("Person concerned"),
        _("Status"),
        _("Received"),
        _("Concluded"),
    ]
    return csv_response("reports", header, rows)
