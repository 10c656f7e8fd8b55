"""Proposals: file, follow, handle, answer, rate; the board with its traffic lights and per-branch rates."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from branches import reminders
from branches.models import AuditLog, Member
from branches.selectors import get_organisation_for, scope_for

from .. import rules, selectors, services
from ..filters import ProposalFilter
from ..forms import (
    AnswerForm,
    AssignForm,
    CosignForm,
    ExtendForm,
    OralProposalForm,
    ProgressForm,
    ProposalForm,
    RatingForm,
    ReasonForm,
)
from ..models import CosignStatus, Outcome, Proposal, ProposalChannel, ProposalStatus, Satisfaction
from ..models.proposals import CLOCK_STATES, HANDLING_STATES, OPEN_STATES, WAITING_STATES
from ..services.common import is_party_member
from .common import (
    DetailPage,
    acting_member,
    board_organisation,
    cosign_action,
    csv_response,
    detail_view,
    list_page,
    may_export,
    party_members,
    post_action,
    submitted,
)

# The course of a proposal, as the members read it (from the audit log: one history, not two).
VERB_LABELS = {
    "proposal.file": gettext_lazy("filed"),
    "proposal.cosign": gettext_lazy("co-signer answered"),
    "proposal.cosigners_dropped": gettext_lazy("submitted without the co-signers who had not answered"),
    "proposal.submit": gettext_lazy("submitted"),
    "proposal.register": gettext_lazy("registered: the clock starts"),
    "proposal.decline": gettext_lazy("not accepted"),
    "proposal.forward": gettext_lazy("forwarded to the higher committee"),
    "proposal.assign": gettext_lazy("assigned"),
    "proposal.reassign": gettext_lazy("reassigned"),
    "proposal.start": gettext_lazy("handling started"),
    "proposal.progress": gettext_lazy("progress recorded"),
    "proposal.extend": gettext_lazy("time limit extended"),
    "proposal.answer": gettext_lazy("answered"),
    "proposal.rate_close": gettext_lazy("rated by the proposer; closed"),
    "proposal.reopen": gettext_lazy("rated dissatisfied; reopened"),
}


# --- the board ------------------------------------------------------------------------------------


@login_required
@require_GET
def proposal_board(request: HttpRequest) -> HttpResponse:
    """全程公示: content, department, person, time limit, progress, result and a traffic light for each
    proposal the user may see; per-branch rates with a chart. A fixed number of queries, any length."""
    org = board_organisation(request)
    proposals = selectors.proposal_board(request.user, organisation=org)
    rates = selectors.proposal_rates(proposals)
    chart = {
        "labels": [r["name"] for r in rates],
        "on_time": [r["on_time"] for r in rates],
        "late": [r["late"] for r in rates],
        "unanswered": [r["unanswered"] for r in rates],
        "satisfaction": [r["satisfaction_rate"] for r in rates],
        "names": {
            "on_time": _("Answered on time"),
            "late": _("Answered late"),
            "unanswered": _("Not yet answered"),
            "satisfaction": _("Satisfied or basically satisfied (%)"),
        },
    }
    scope = scope_for(request.user)
    return list_page(
        request,
        "motions/proposal_board.html",
        ProposalFilter(request.GET, queryset=proposals),
        org=org,
        rates=rates,
        chart=chart,
        can_export=may_export(scope),
        can_file=is_party_member(scope.member),
        outcomes=Outcome.choices,
        satisfactions=Satisfaction.choices,
    )


@login_required
@require_GET
def proposal_export(request: HttpRequest) -> HttpResponse:
    if not may_export(scope_for(request.user)):
        raise PermissionDenied
    org = board_organisation(request)
    rows = (
        [
            p.pk,
            p.organisation.name,
            p.title,
            p.proposer.name,
            p.get_channel_display(),
            p.get_status_display(),
            p.due_on or "",
            p.department,
            p.responsible.name if p.responsible else "",
            p.latest_progress or "",
            p.outcome or "",
            p.rating or "",
            "" if p.answered_on_time is None else (_("on time") if p.answered_on_time else _("late")),
        ]
        for p in selectors.proposal_board(request.user, organisation=org)
    )
    header = [
        _("No."),
        _("Branch"),
        _("Title"),
        _("Proposer"),
        _("Way of filing"),
        _("Status"),
        _("Answer due"),
        _("Responsible department"),
        _("Responsible person"),
        _("Progress"),
        _("Outcome"),
        _("Rating"),
        _("Timeliness"),
    ]
    return csv_response("proposals", header, rows)


# --- filing ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    choices = party_members(member.organisation).exclude(pk=member.pk)
    form = ProposalForm(request.POST or None, proposer=member, cosigner_choices=choices)
    proposal = submitted(
        request,
        form,
        lambda data: services.file_proposal(
            actor=request.user,
            proposer=member,
            title=data["title"],
            content=data["content"],
            cosigners=data["cosigners"],
            household=data.get("household"),
        ),
    )
    if proposal:
        messages.success(request, _("Your proposal is filed."))
        return redirect("motions:proposal", pk=proposal.pk)
    return render(
        request,
        "motions/proposal_form.html",
        {"form": form, "oral": False},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary records a proposal a member made orally."""
    org = get_organisation_for(request, pk, manage=True)
    members = party_members(org)
    form = OralProposalForm(request.POST or None, members=members, cosigner_choices=members)
    proposal = submitted(
        request,
        form,
        lambda data: services.file_proposal(
            actor=request.user,
            proposer=data["proposer"],
            title=data["title"],
            content=data["content"],
            cosigners=data["cosigners"],
            channel=ProposalChannel.ORAL,
        ),
    )
    if proposal:
        return redirect("motions:proposal", pk=proposal.pk)
    return render(
        request,
        "motions/proposal_form.html",
        {"form": form, "oral": True, "org": org},
        status=400 if form.errors else 200,
    )


# --- the page of one proposal ---------------------------------------------------------------------


def _assignable(proposal: Proposal):
    """Who may be made responsible: an active member with a login, within the committee handling it."""
    return Member.objects.filter(
        organisation__path__startswith=proposal.handled_by.path, is_active=True, user__isnull=False
    ).order_by("name_pinyin", "pk")


def _context(request: HttpRequest, proposal: Proposal, **forms) -> dict:
    scope = scope_for(request.user)
    can_manage = rules.can_manage_proposal(scope, proposal)
    can_answer = rules.can_answer_proposal(scope, proposal)
    is_proposer = rules.is_proposer(scope, proposal)
    cosigners = list(proposal.cosigners.select_related("member").order_by("pk"))
    mine = next((c for c in cosigners if scope.member and c.member_id == scope.member.pk), None)
    status = proposal.status
    handling = status in HANDLING_STATES
    unregistered = status in (ProposalStatus.SUBMITTED, ProposalStatus.FORWARDED)
    answers = list(proposal.answers.select_related("answered_by").order_by("round"))
    context = {
        "proposal": proposal,
        "light": rules.traffic_light(
            status,
            proposal.due_on,
            proposal.warn_on,
            timezone.localdate(),
            open_states=CLOCK_STATES,
            waiting_states=WAITING_STATES,
        ),
        "cosigners": cosigners,
        "progress": list(proposal.progress.select_related("author").order_by("created_at", "pk")),
        "answers": answers,
        "extensions": list(proposal.extensions.order_by("created_at", "pk")),
        "timeline": [
            (entry, VERB_LABELS.get(entry.verb, entry.verb))
            for entry in AuditLog.objects.filter(
                content_type__model="proposal", content_type__app_label="motions", object_id=str(proposal.pk)
            )
            .select_related("actor")
            .order_by("created_at", "pk")
        ],
        "can_manage": can_manage,
        "can_answer": can_answer,
        "is_proposer": is_proposer,
        "my_cosign": mine if mine and mine.status == CosignStatus.PENDING else None,
        "next_reminders": list(reminders.pending_for(proposal).order_by("due_at")[:5]) if can_manage else [],
        "forms": {
            "register": can_manage and unregistered,
            "decline": ReasonForm(prefix="decline") if can_manage and unregistered else None,
            "forward": ReasonForm(prefix="forward")
            if can_manage and status == ProposalStatus.SUBMITTED and proposal.handled_by.parent_id
            else None,
            "assign": AssignForm(
                members=_assignable(proposal),
                initial={"responsible": proposal.responsible_id, "department": proposal.department},
            )
            if can_manage and status in OPEN_STATES
            else None,
            "progress": ProgressForm() if can_answer and handling else None,
            "answer": AnswerForm() if can_answer and handling else None,
            "extend": ExtendForm() if can_manage and status in OPEN_STATES else None,
            "rate": RatingForm() if is_proposer and status == ProposalStatus.ANSWERED else None,
            "submit": is_proposer and status == ProposalStatus.COSIGNING,
            "cosign": CosignForm()
            if mine and mine.status == CosignStatus.PENDING and status == ProposalStatus.COSIGNING
            else None,
        },
    }
    context["forms"].update(forms)
    return context


PAGE = DetailPage("motions/proposal_detail.html", _context, "motions:proposal", selectors.get_proposal_for)


proposal_detail = detail_view(PAGE)


proposal_cosign = cosign_action(PAGE, services.cosign_proposal, noun="proposal")


# The other actions call service(actor=…, proposal=…, **the form's data); the managers' by default.
_action = partial(post_action, PAGE, noun="proposal", allowed=rules.can_manage_proposal)
proposal_submit = _action("submit", services.submit_proposal, allowed=rules.is_proposer)
proposal_register = _action("register", services.register_proposal)
proposal_decline = _action("decline", services.decline_proposal, ReasonForm, prefix="decline")
proposal_forward = _action("forward", services.forward_proposal, ReasonForm, prefix="forward")
proposal_assign = _action(
    "assign", services.assign_proposal, AssignForm, form_kwargs=lambda p: {"members": _assignable(p)}
)
proposal_progress = _action(
    "progress", services.record_progress, ProgressForm, allowed=rules.can_answer_proposal
)
proposal_answer = _action("answer", services.answer_proposal, AnswerForm, allowed=rules.can_answer_proposal)
proposal_extend = _action("extend", services.extend_proposal, ExtendForm)
proposal_rate = _action("rate", services.rate_answer, RatingForm, allowed=rules.is_proposer)
