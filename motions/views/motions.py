"""Motions voted by ballot: the list, the statistics board, a new motion, and a motion's page with its
steps, the forms its state allows and what is not yet possible. The POST actions of each step are in
`motion_actions` (the view fetches and checks, the service decides, the page explains refusals)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from branches.rules import is_ascii_digits, is_village
from branches.selectors import get_organisation_for, scope_for

from .. import rules, selectors, services
from ..filters import MotionFilter
from ..forms import (
    CirculateForm,
    CommitteeForm,
    MemberChoiceForm,
    MilestoneForm,
    MotionForm,
    MotionProgressForm,
    PeriodForm,
    TextForm,
    VoteForm,
    WrittenOpinionForm,
)
from ..models import MotionStatus, Proposal, Topic
from ..services.common import is_party_member
from .common import board_organisation, list_page, managed_organisations, submitted

# --- lists ----------------------------------------------------------------------------------------


@login_required
@require_GET
def motion_list(request: HttpRequest) -> HttpResponse:
    """Motions by state, category and period; a fixed number of queries for any length."""
    org = board_organisation(request)
    return list_page(
        request,
        "motions/motion_list.html",
        MotionFilter(request.GET, queryset=selectors.motion_list(request.user, organisation=org)),
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
    rows = selectors.motion_statistics(request.user, period=selectors.period_bounds(year, half))
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
            if not is_ascii_digits(str(value)):
                raise Http404
            source[f"source_{key}"] = get_object_or_404(
                model, pk=int(value), organisation__path__startswith=org.path
            )
    form = MotionForm(request.POST or None, initial={"four_two": is_village(org)})
    if motion := submitted(
        request,
        form,
        lambda data: services.create_motion(actor=request.user, organisation=org, **data, **source),
    ):
        return redirect(motion)
    return render(request, "motions/motion_form.html", {"form": form, "org": org, "source": source})


# --- a motion's page ----------------------------------------------------------------------------------

STEPS = [
    (MotionStatus.DRAFT, gettext_lazy("Draft")),
    (MotionStatus.DISCUSSED, gettext_lazy("Committee discussion")),
    (MotionStatus.CIRCULATED, gettext_lazy("Materials and opinions")),
    (MotionStatus.HEARD, gettext_lazy("Hearing (optional)")),
    (MotionStatus.DEBATED, gettext_lazy("General meeting discussion")),
    (MotionStatus.VOTING, gettext_lazy("Vote by ballot")),
    ("decided", gettext_lazy("Outcome")),  # passed or postponed
    (MotionStatus.IMPLEMENTED, gettext_lazy("Implemented")),
]
_ORDER = {
    MotionStatus.DRAFT: 0,
    MotionStatus.DISCUSSED: 1,
    MotionStatus.CIRCULATED: 2,
    MotionStatus.HEARD: 3,
    MotionStatus.DEBATED: 4,
    MotionStatus.VOTING: 5,
    MotionStatus.PASSED: 6,
    MotionStatus.POSTPONED: 6,
    MotionStatus.IMPLEMENTED: 7,
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
    if status in (MotionStatus.DRAFT, MotionStatus.POSTPONED):
        forms["committee"] = CommitteeForm(organisation=org)
    if status == MotionStatus.DISCUSSED:
        if motion.four_two:
            forms["joint"] = TextForm()
        forms["circulate"] = CirculateForm(organisation=org)
    if (
        status in (MotionStatus.CIRCULATED, MotionStatus.HEARD, MotionStatus.DEBATED)
        and motion.counts_written_opinions
    ):
        forms["written"] = WrittenOpinionForm(organisation=org)
    if status == MotionStatus.CIRCULATED:
        forms["hearing"] = TextForm()
    if status in (MotionStatus.CIRCULATED, MotionStatus.HEARD):
        forms["debate"] = TextForm()
    if status == MotionStatus.DEBATED:
        forms["vote"] = VoteForm()
        forms["revote"] = TextForm()
    if status == MotionStatus.PASSED:
        if motion.four_two:
            forms["villagers"] = TextForm()
        forms["assign"] = MemberChoiceForm(organisation=org, initial={"member": motion.responsible_id})
        forms["milestone"] = MilestoneForm()
        forms["progress"] = MotionProgressForm()
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
    motion = selectors.get_motion_for(request, pk)
    selectors.motion_detail_prefetch(motion)
    scope = scope_for(request.user)
    can_manage = rules.can_manage_motion(scope, motion)
    me = scope.member
    takes_part = is_party_member(me) and me.organisation.is_within(motion.organisation)
    status = motion.status
    position = _ORDER[status]
    steps = [
        Step(k, label, i < position or status == MotionStatus.IMPLEMENTED, i == position)
        for i, (k, label) in enumerate(STEPS)
    ]
    votes = list(motion.votes.all())
    current_vote = votes[-1] if votes and status == MotionStatus.VOTING else None
    issues = []
    if can_manage:
        if status in (MotionStatus.CIRCULATED, MotionStatus.HEARD) and motion.meeting:
            expected, present = selectors.meeting_attendance(motion)
            issues = rules.debate_issues(motion, expected=expected, present=present)
        elif status == MotionStatus.DEBATED:
            issues = rules.vote_issues(
                motion,
                outcomes=selectors.vote_outcomes(motion),
                another_item_open=selectors.another_item_open(motion),
            )
        elif status == MotionStatus.DISCUSSED:
            issues = [
                i
                for i in rules.circulation_issues(motion, None, timezone.now())
                if motion.meeting is None and "四议两公开" in i
            ]
    context = {
        "motion": motion,
        "steps": steps,
        "votes": votes,
        "current_vote": current_vote,
        "poll_counted": current_vote is not None and selectors.is_counted(current_vote.poll),
        "can_manage": can_manage,
        "forms": _forms_for(motion, me) if can_manage else [],
        "issues": issues,
        "can_comment": takes_part and status in (MotionStatus.CIRCULATED, MotionStatus.HEARD),
        "can_reserve": takes_part
        and status in (MotionStatus.PASSED, MotionStatus.IMPLEMENTED)
        and not any(o.member_id == me.pk for o in motion.reserved_opinions.all()),
        "comment_form": TextForm(),
        "latest_progress": next(iter(motion.progress.all()), None),
    }
    return render(request, "motions/motion_detail.html", context)
