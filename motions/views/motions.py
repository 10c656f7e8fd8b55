"""Motions voted by ballot: the list, the statistics board, a motion's page with its steps, and the POST
actions of each step (the view fetches and checks, the service decides, the page explains refusals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.selectors import get_organisation_for, scope_for
from ballots.models import PollStatus

from .. import rules, selectors_motions, services
from ..forms_motions import (
    CirculateForm,
    CommitteeForm,
    MemberChoiceForm,
    MilestoneForm,
    MotionFilter,
    MotionForm,
    PeriodForm,
    ProgressForm,
    TextForm,
    VoteForm,
    WrittenOpinionForm,
)
from ..models import Milestone, Proposal, Topic
from ..services import motions as motion_services
from .common import board_organisation, flash_run, list_page, managed_organisations, submitted

# --- lists ----------------------------------------------------------------------------------------


@login_required
@require_GET
def motion_list(request: HttpRequest) -> HttpResponse:
    """Motions by state, category and period; a fixed number of queries for any length."""
    org = board_organisation(request)
    return list_page(
        request,
        "motions/motion_list.html",
        MotionFilter(request.GET, queryset=selectors_motions.motion_list(request.user, organisation=org)),
        org=org,
        managed=managed_organisations(scope_for(request.user)),
    )


@login_required
@require_GET
def motion_statistics(request: HttpRequest) -> HttpResponse:
    """Per branch and period, as 泰安 reports it: voted, passed, implemented, rejected, with a chart."""
    form = PeriodForm(request.GET or None)
    year = half = None
    if form.is_bound and form.is_valid():
        year, half = form.cleaned_data["year"], form.cleaned_data["half"]
    rows = selectors_motions.motion_statistics(
        request.user, period=selectors_motions.period_bounds(year, half)
    )
    totals = {k: sum(r[k] for r in rows) for k in ("voted", "passed", "implemented", "rejected")}
    chart = {
        "labels": [r["name"] for r in rows],
        "series": [
            {"key": k, "label": label, "data": [r[k] for r in rows]}
            for k, label in (
                ("voted", _("Voted")),
                ("passed", _("Passed")),
                ("implemented", _("Implemented")),
                ("rejected", _("Rejected")),
            )
        ],
    }
    return render(
        request,
        "motions/motion_statistics.html",
        {"rows": rows, "totals": totals, "chart": chart, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def motion_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft motion of the branch; ?proposal= or ?topic= records where it came from."""
    org = get_organisation_for(request, pk, manage=True)
    source = {}
    for key, model in (("proposal", Proposal), ("topic", Topic)):
        value = request.GET.get(key) or request.POST.get(key)
        if value:
            if not str(value).isdigit():
                raise Http404
            source[f"source_{key}"] = get_object_or_404(
                model, pk=int(value), organisation__path__startswith=org.path
            )
    form = MotionForm(request.POST or None, initial={"four_two": org.unit_type == "village"})
    if motion := submitted(
        request,
        form,
        lambda data: services.create_motion(actor=request.user, organisation=org, **data, **source),
    ):
        return redirect(motion)
    return render(request, "motions/motion_form.html", {"form": form, "org": org, "source": source})


# --- a motion's page ----------------------------------------------------------------------------------

STEPS = [
    ("draft", gettext_lazy("Draft")),
    ("discussed", gettext_lazy("Committee discussion")),
    ("circulated", gettext_lazy("Materials and opinions")),
    ("heard", gettext_lazy("Hearing (optional)")),
    ("debated", gettext_lazy("General meeting discussion")),
    ("voting", gettext_lazy("Vote by ballot")),
    ("decided", gettext_lazy("Outcome")),
    ("implemented", gettext_lazy("Implemented")),
]
_ORDER = {
    "draft": 0,
    "discussed": 1,
    "circulated": 2,
    "heard": 3,
    "debated": 4,
    "voting": 5,
    "passed": 6,
    "postponed": 6,
    "implemented": 7,
}


FORM_TITLES = {
    "committee": gettext_lazy("Committee discussion (支委会)"),
    "joint": gettext_lazy("四议两公开: the two committees deliberate"),
    "circulate": gettext_lazy("Circulate the materials and ask for opinions"),
    "written": gettext_lazy("Written opinion of an absent voting member"),
    "hearing": gettext_lazy("Hearing (听证会)"),
    "debate": gettext_lazy("General meeting: record the discussion"),
    "vote": gettext_lazy("Put to the vote"),
    "revote": gettext_lazy("The committee's reason for a further vote"),
    "villagers": gettext_lazy("四议两公开: the villagers' meeting resolves"),
    "assign": gettext_lazy("Responsible person"),
    "milestone": gettext_lazy("Add a milestone"),
    "progress": gettext_lazy("Record progress"),
    "result": gettext_lazy("Record the result (implemented)"),
}


def _forms_for(motion, member) -> list[tuple[str, str, object]]:
    """Which forms the managers see now: those of the actions the state allows."""
    org = motion.organisation
    status = motion.status
    forms = {}
    if status in ("draft", "postponed"):
        forms["committee"] = CommitteeForm(organisation=org)
    if status == "discussed":
        if motion.four_two:
            forms["joint"] = TextForm()
        forms["circulate"] = CirculateForm(organisation=org)
    if status in ("circulated", "heard", "debated") and motion.counts_written_opinions:
        forms["written"] = WrittenOpinionForm(organisation=org)
    if status == "circulated":
        forms["hearing"] = TextForm()
    if status in ("circulated", "heard"):
        forms["debate"] = TextForm()
    if status == "debated":
        forms["vote"] = VoteForm()
        forms["revote"] = TextForm()
    if status == "passed":
        if motion.four_two:
            forms["villagers"] = TextForm()
        forms["assign"] = MemberChoiceForm(organisation=org, initial={"member": motion.responsible_id})
        forms["milestone"] = MilestoneForm()
        forms["progress"] = ProgressForm()
        forms["result"] = TextForm()
    return [(name, FORM_TITLES[name], form) for name, form in forms.items()]


@dataclass
class Step:
    key: str
    label: str
    done: bool
    current: bool


@login_required
@require_GET
def motion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    motion = selectors_motions.get_motion_for(request, pk)
    selectors_motions.motion_detail_prefetch(motion)
    scope = scope_for(request.user)
    can_manage = rules.can_manage_motion(scope, motion)
    me = scope.member
    is_party_member = (
        me is not None
        and me.organisation.is_within(motion.organisation)
        and me.category in ("full", "probationary")
    )
    position = _ORDER[motion.status]
    steps = [
        Step(k, label, i < position or motion.status == "implemented", i == position)
        for i, (k, label) in enumerate(STEPS)
    ]
    votes = list(motion.votes.all())
    current_vote = votes[-1] if votes and motion.status == "voting" else None
    issues = []
    if can_manage:
        if motion.status in ("circulated", "heard") and motion.meeting:
            issues = motion_services.debate_issues(motion)
        elif motion.status == "debated":
            issues = motion_services.vote_issues(motion)
        elif motion.status == "discussed":
            issues = [
                i
                for i in motion_services.circulation_issues(motion, None, timezone.now())
                if motion.meeting is None and "四议两公开" in i
            ]
    context = {
        "motion": motion,
        "steps": steps,
        "votes": votes,
        "current_vote": current_vote,
        "poll_counted": current_vote is not None
        and current_vote.poll.status in (PollStatus.COUNTED, PollStatus.PUBLISHED),
        "can_manage": can_manage,
        "forms": _forms_for(motion, me) if can_manage else [],
        "issues": issues,
        "can_comment": is_party_member and motion.status in ("circulated", "heard"),
        "can_reserve": is_party_member
        and motion.status in ("passed", "implemented")
        and not any(o.member_id == me.pk for o in motion.reserved_opinions.all()),
        "comment_form": TextForm(),
        "latest_progress": next(iter(motion.progress.all()), None),
    }
    return render(request, "motions/motion_detail.html", context)


# --- the actions -------------------------------------------------------------------------------------


def _committee(request, motion, form):
    services.record_committee_discussion(
        actor=request.user,
        motion=motion,
        present=form.cleaned_data["present"],
        decision=form.cleaned_data["decision"],
        meeting=form.cleaned_data["meeting"],
    )
    return _("The committee's discussion is recorded.")


def _joint(request, motion, form):
    services.record_joint_deliberation(actor=request.user, motion=motion, text=form.cleaned_data["text"])
    return _("The two committees' deliberation is recorded.")


def _circulate(request, motion, form):
    services.circulate_materials(actor=request.user, motion=motion, **form.cleaned_data)
    return _("The materials are circulated; the members are asked for their opinions.")


def _written(request, motion, form):
    services.record_written_opinion(actor=request.user, motion=motion, **form.cleaned_data)
    return _("The written opinion is recorded.")


def _hearing(request, motion, form):
    services.record_hearing(actor=request.user, motion=motion, record=form.cleaned_data["text"])
    return _("The hearing is recorded.")


def _debate(request, motion, form):
    services.record_meeting_discussion(
        actor=request.user, motion=motion, discussion=form.cleaned_data["text"]
    )
    return _("The general meeting's discussion is recorded.")


def _revote(request, motion, form):
    services.record_revote_reason(actor=request.user, motion=motion, reason=form.cleaned_data["text"])
    return _("The committee's reason is recorded.")


def _vote(request, motion, form):
    vote = services.put_to_vote(actor=request.user, motion=motion, secrecy=form.cleaned_data["secrecy"])
    return redirect("ballots:poll", vote.poll_id)


def _announce(request, motion, form):
    vote = services.announce_outcome(actor=request.user, motion=motion)
    return _("Passed.") if vote.passed else _("Not passed: postponed.")


def _villagers(request, motion, form):
    services.record_villagers_resolution(actor=request.user, motion=motion, text=form.cleaned_data["text"])
    return _("The villagers' resolution is recorded and offered for disclosure.")


def _assign(request, motion, form):
    services.assign_implementation(actor=request.user, motion=motion, responsible=form.cleaned_data["member"])
    return _("The responsible person is named.")


def _milestone(request, motion, form):
    services.add_milestone(actor=request.user, motion=motion, **form.cleaned_data)
    return _("The milestone is added.")


def _progress(request, motion, form):
    services.record_motion_progress(actor=request.user, motion=motion, **form.cleaned_data)
    return _("The progress is recorded.")


def _result(request, motion, form):
    services.record_implementation_result(actor=request.user, motion=motion, result=form.cleaned_data["text"])
    return _("The result is recorded and offered for disclosure.")


def _comment(request, motion, form):
    services.comment_on_motion(
        actor=request.user,
        motion=motion,
        member=scope_for(request.user).member,
        text=form.cleaned_data["text"],
    )
    return _("Your opinion is recorded.")


def _reserve(request, motion, form):
    services.record_reserved_opinion(
        actor=request.user,
        motion=motion,
        member=scope_for(request.user).member,
        text=form.cleaned_data["text"],
    )
    return _("Your reserved opinion is recorded.")


# action → (form class, managers only, handler)
ACTIONS: dict[str, tuple[type | None, bool, Callable]] = {
    "committee": (CommitteeForm, True, _committee),
    "joint": (TextForm, True, _joint),
    "circulate": (CirculateForm, True, _circulate),
    "written": (WrittenOpinionForm, True, _written),
    "hearing": (TextForm, True, _hearing),
    "debate": (TextForm, True, _debate),
    "revote": (TextForm, True, _revote),
    "vote": (VoteForm, True, _vote),
    "announce": (None, True, _announce),
    "villagers": (TextForm, True, _villagers),
    "assign": (MemberChoiceForm, True, _assign),
    "milestone": (MilestoneForm, True, _milestone),
    "progress": (ProgressForm, True, _progress),
    "result": (TextForm, True, _result),
    "comment": (TextForm, False, _comment),
    "reserve": (TextForm, False, _reserve),
}


@login_required
@require_POST
def motion_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    form_class, manage, handler = ACTIONS[action]
    motion = selectors_motions.get_motion_for(request, pk, manage=manage)
    if not manage:
        me = scope_for(request.user).member
        if me is None or not me.organisation.is_within(motion.organisation):
            raise PermissionDenied
    form = None
    if form_class is not None:
        kwargs = (
            {"organisation": motion.organisation}
            if form_class in (CommitteeForm, CirculateForm, MemberChoiceForm, WrittenOpinionForm)
            else {}
        )
        form = form_class(request.POST, **kwargs)
    return flash_run(request, motion, lambda: handler(request, motion, form), form=form)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("motion"), pk=pk)
    motion = selectors_motions.get_motion_for(request, milestone.motion_id, manage=True)
    milestone.motion = motion
    try:
        services.complete_milestone(actor=request.user, milestone=milestone)
    except services.MotionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The milestone is done."))
    return redirect(motion)
