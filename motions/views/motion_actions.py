"""The POST actions of a motion's steps: one handler each, found by the action's name in `ACTIONS` (its
form, whether only the managers may take it); the handler calls the service and says what happened."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.selectors import scope_for

from .. import selectors, services
from ..forms import (
    CirculateForm,
    CommitteeForm,
    MemberChoiceForm,
    MilestoneForm,
    MotionProgressForm,
    TextForm,
    VoteForm,
    WrittenOpinionForm,
)
from ..models import Milestone
from .common import flash_run


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
    "progress": (MotionProgressForm, True, _progress),
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
    motion = selectors.get_motion_for(request, pk, manage=manage)
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
    motion = selectors.get_motion_for(request, milestone.motion_id, manage=True)
    milestone.motion = motion
    try:
        services.complete_milestone(actor=request.user, milestone=milestone)
    except services.MotionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The milestone is done."))
    return redirect(motion)
