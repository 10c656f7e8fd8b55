"""The pages of 公推直选: the list, the election page with its timeline, one POST endpoint per step, the
candidate pages with questions, and the one-time invitation page for mass representatives and the employer.

Each step is a small handler in ACTIONS: the permission it needs (manage / approve / take part), the form
it reads, the service it calls. The view fetches and checks, calls, and redirects with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ballots.services import BallotError
from ballots.views.common import flash_step
from branches.models import Meeting, Member
from branches.outbox import DisclosureDraft
from branches.selectors import get_organisation_for

from .. import forms as f
from .. import rules as prules
from ..models import (
    Candidacy,
    CandidateQuestion,
    Election,
    EvaluationTally,
    Invitation,
    Objection,
    Post,
    Purpose,
    Rating,
    Stage,
)
from ..selectors import (
    ElectionAccess,
    candidates_for_page,
    elections_for,
    get_candidacy_for,
    get_election_for,
    issues_for,
    managed_branches,
    timeline,
)
from ..services import procedure as proc
from ..services import procedure_meeting as meet
from ..services.errors import ElectionError


@login_required
@require_GET
def election_list(request: HttpRequest) -> HttpResponse:
    elections = list(elections_for(request.user)[:100])
    return render(
        request,
        "elections/list.html",
        {"elections": elections, "branches": managed_branches(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def election_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = f.ElectionForm(
        request.POST or None, initial={"title": _("%(org)s: election of the committee") % {"org": org.name}}
    )
    if request.method == "POST" and form.is_valid():
        try:
            election = proc.draft_election(actor=request.user, organisation=org, **form.cleaned_data)
        except BallotError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("elections:election", pk=election.pk)
    return render(request, "elections/new.html", {"form": form, "organisation": org})


def _members(election: Election):
    return Member.objects.filter(
        organisation__path__startswith=election.organisation.path, is_active=True
    ).order_by("name_pinyin", "pk")


LATER = ("candidates", "meeting", "counted", "filed", "confirmed", "in_office")


@never_cache
@login_required
@require_GET
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_election_for(request, pk)
    election = access.election
    issues = issues_for(election)
    candidacies = list(
        candidates_for_page(election).annotate(
            questions_count=Count("questions", distinct=True),
            open_objections=Count(
                "objections", filter=Q(objections__answered_at__isnull=True), distinct=True
            ),
        )
    )
    if election.status in LATER and not (access.can_manage or access.can_supervise):
        # Once the list is fixed, members read the candidates; the earlier stages stay on the record.
        candidacies = [c for c in candidacies if c.stage == Stage.CANDIDATE]
    links = list(election.election_polls.select_related("poll__result").order_by("pk"))
    progress = {}
    if election.status == "meeting":
        for post in election.posts:
            progress[post] = meet.progress_of(
                election, post, [x for x in links if x.purpose == Purpose.ELECTION and x.post == post]
            )
    names = dict(_members(election).values_list("pk", "name")) if progress else {}
    context = {
        "election": election,
        "access": access,
        "steps": timeline(election, issues),
        "issues": issues,
        "candidacies": candidacies,
        "links": links,
        "progress": [
            (Post(p).label, p, pr, [names.get(m) for m in pr.elected], [names.get(m) for m in pr.tied])
            for p, pr in progress.items()
        ],
        "objections": list(
            election.objections.select_related("candidacy__member").order_by("raised_at", "pk")
        ),
        "observers": list(election.observers.all()),
        "scrutineers": list(election.scrutineers.select_related("member")),
        "evaluation": _evaluation(election),
        "targets": {
            p: {
                "seats": election.seats_for(p),
                "preliminary": prules.preliminary_target(election.rules, election.seats_for(p)),
                "pre_candidates": prules.pre_candidate_target(election.rules, p, election.seats_for(p)),
                "candidates": prules.candidate_minimum(election.rules, p, election.seats_for(p)),
                "label": Post(p).label,
            }
            for p in election.posts
        },
        "posts": [(p, Post(p).label) for p in election.posts],
        "ratings": Rating.choices,
        # The reasons of the qualification review stay with those who run, approve or supervise it.
        "sees_reasons": access.can_manage or access.can_approve or access.can_supervise,
    }
    if access.can_manage or access.can_supervise:
        context["invitations"] = list(election.invitations.order_by("pk"))
        context["drafts"] = list(
            DisclosureDraft.objects.filter(object_id=str(election.pk), kind__startswith="election.").order_by(
                "created_at", "pk"
            )
        )
    if access.can_manage or access.can_take_part:
        context["members"] = list(_members(election).only("pk", "name"))
    if access.can_manage:
        context["meetings"] = list(
            Meeting.objects.filter(
                organisation=election.organisation, kind="general", status__in=["scheduled", "in_progress"]
            ).order_by("starts_at")
        )
        context["elected"] = list(election.elected.select_related("member"))
    elif election.status in ("counted", "filed", "confirmed", "in_office"):
        context["elected"] = list(election.elected.select_related("member"))
    return render(request, "elections/detail.html", context)


def _evaluation(election: Election) -> list[dict]:
    rows = {(t.source, t.rating): t.count for t in EvaluationTally.objects.filter(election=election)}
    if not rows:
        return []
    from ..models import EvaluationSource

    return [
        {"source": label, "counts": [(r_label, rows.get((source, r), 0)) for r, r_label in Rating.choices]}
        for source, label in EvaluationSource.choices
    ]


# --- steps --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    permission: str  # manage | approve | take_part
    run: Callable[[HttpRequest, ElectionAccess], str]


def _form(form_class, request: HttpRequest, **kwargs):
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        raise ElectionError(_("The form is incomplete: %(errors)s") % {"errors": errors})
    return form.cleaned_data


def _member(election: Election, pk: int | None) -> Member | None:
    if pk is None:
        return None
    member = _members(election).filter(pk=pk).first()
    if member is None:
        raise ElectionError(_("Choose a member of the branch."))
    return member


def _member_choices(election: Election):
    return list(_members(election).values_list("pk", "name"))


def _text(request: HttpRequest) -> str:
    return _form(f.TextForm, request)["text"]


def a_submit_request(request: HttpRequest, access: ElectionAccess) -> str:
    proc.submit_request(actor=request.user, election=access.election)
    return _("The request is with the higher committee.")


def a_approve_request(request: HttpRequest, access: ElectionAccess) -> str:
    proc.approve_request(actor=request.user, election=access.election, comment=_text(request))
    return _("The request is approved.")


def a_return_request(request: HttpRequest, access: ElectionAccess) -> str:
    proc.return_request(actor=request.user, election=access.election, comment=_text(request))
    return _("The request is returned.")


def a_open_nomination(request: HttpRequest, access: ElectionAccess) -> str:
    data = _form(f.OpenNominationForm, request)
    proc.open_nomination(
        actor=request.user,
        election=access.election,
        procedure=data["procedure"],
        timetable=data["timetable"],
        mobilisation_at=data["mobilisation_at"],
    )
    return _("Nomination is open; the procedure is published.")


def a_nominate_org(request: HttpRequest, access: ElectionAccess) -> str:
    data = _form(f.NominationForm, request)
    proc.nominate(
        actor=request.user,
        election=access.election,
        member=_member(access.election, data["member"]),
        post=data["post"],
        source="organisation",
        reason=data["reason"],
    )
    return _("The nomination is recorded.")


def a_nominate(request: HttpRequest, access: ElectionAccess) -> str:
    data = _form(f.NominationForm, request)
    member = _member(access.election, data["member"])
    source = "self" if member.pk == access.scope.member.pk else "member"
    proc.nominate(
        actor=request.user,
        election=access.election,
        member=member,
        post=data["post"],
        source=source,
        reason=data["reason"],
    )
    return _("Your nomination is recorded.")


def a_close_nomination(request: HttpRequest, access: ElectionAccess) -> str:
    proc.close_nomination(actor=request.user, election=access.election)
    return _("Nomination is closed; the qualification review begins.")


def a_complete_review(request: HttpRequest, access: ElectionAccess) -> str:
    proc.complete_review(actor=request.user, election=access.election)
    return _("The qualification review is complete.")


def a_invite(request: HttpRequest, access: ElectionAccess) -> str:
    data = _form(f.InviteForm, request)
    _invitation, token = proc.invite(actor=request.user, election=access.election, **data)
    link = request.build_absolute_uri(reverse("elections:invitation", args=[token]))
    return _("One-time link for %(name)s (shown once): %(link)s") % {"name": data["name"], "link": link}


def a_prepare_recommendation(request: HttpRequest, access: ElectionAccess) -> str:
    election = access.election
    data = _form(f.RecommendationForm, request, member_choices=_member_choices(election))
    meeting = Meeting.objects.filter(pk=data["meeting"], organisation=election.organisation).first()
    if meeting is None:
        raise ElectionError(_("Choose a general meeting of the branch."))
    scrutineers = list(_members(election).filter(pk__in=data["scrutineers"]))
    proc.prepare_recommendation(
        actor=request.user, election=election, meeting=meeting, scrutineers=scrutineers
    )
    return _("The recommendation ballots are prepared; seal and open them in the meeting.")


def a_close_recommendation(request: HttpRequest, access: ElectionAccess) -> str:
    proc.close_recommendation(actor=request.user, election=access.election)
    return _("The preliminary candidates are ranked.")


def a_choose(request: HttpRequest, access: ElectionAccess) -> str:
    election = access.election
    choices = list(election.candidacies.values_list("pk", "pk"))
    data = _form(f.ChooseForm, request, candidacy_choices=choices)
    proc.choose_pre_candidates(actor=request.user, election=election, candidacy_ids=data["candidacies"])
    return _("The pre-candidates are chosen.")


def a_submit_pre(request: HttpRequest, access: ElectionAccess) -> str:
    proc.submit_pre_candidates(actor=request.user, election=access.election)
    return _("The pre-candidates are with the higher committee.")


def a_approve_pre(request: HttpRequest, access: ElectionAccess) -> str:
    proc.approve_pre_candidates(actor=request.user, election=access.election, comment=_text(request))
    return _("The pre-candidates are approved; the notice has begun.")


def a_return_pre(request: HttpRequest, access: ElectionAccess) -> str:
    proc.return_pre_candidates(actor=request.user, election=access.election, comment=_text(request))
    return _("The pre-candidates are returned.")


def a_fix(request: HttpRequest, access: ElectionAccess) -> str:
    proc.fix_candidates(actor=request.user, election=access.election, deliberation_note=_text(request))
    return _("The candidates are fixed.")


def a_schedule_meeting(request: HttpRequest, access: ElectionAccess) -> str:
    data = _form(f.MeetingForm, request)
    meet.schedule_election_meeting(actor=request.user, election=access.election, **data)
    return _("The election meeting is scheduled.")


def a_reports(request: HttpRequest, access: ElectionAccess) -> str:
    meet.attach_reports(actor=request.user, election=access.election, **_form(f.ReportsForm, request))
    return _("The reports are attached.")


def a_observer(request: HttpRequest, access: ElectionAccess) -> str:
    meet.add_observer(actor=request.user, election=access.election, **_form(f.ObserverForm, request))
    return _("The observer is listed.")


def a_start_meeting(request: HttpRequest, access: ElectionAccess) -> str:
    meet.start_election_meeting(actor=request.user, election=access.election)
    return _("The election meeting has begun.")


def a_quorum(request: HttpRequest, access: ElectionAccess) -> str:
    e = meet.confirm_quorum(actor=request.user, election=access.election)
    return _("Quorum confirmed: %(present)d of %(expected)d present.") % {
        "present": e.present_electors,
        "expected": e.expected_electors,
    }


def a_scrutineers(request: HttpRequest, access: ElectionAccess) -> str:
    election = access.election
    data = _form(f.MembersVotesForm, request, member_choices=_member_choices(election))
    members = list(_members(election).filter(pk__in=data["members"]))
    meet.elect_scrutineers(
        actor=request.user, election=election, members=members, votes_for=data["votes_for"]
    )
    return _("The scrutineers are elected.")


def a_rules(request: HttpRequest, access: ElectionAccess) -> str:
    data = _form(f.AdoptForm, request)
    meet.adopt_election_rules(
        actor=request.user, election=access.election, text=data["text"], votes_for=data["votes_for"]
    )
    return _("The election rules are adopted.")


def _post_step(service, message):
    def run(request: HttpRequest, access: ElectionAccess) -> str:
        link = service(actor=request.user, election=access.election, post=_form(f.PostForm, request)["post"])
        request._redirect_to = reverse("ballots:poll", args=[link.poll_id])
        return str(message)  # lazy: in the language of this request, not of the module's import

    return run


def a_reduce(request: HttpRequest, access: ElectionAccess) -> str:
    meet.reduce_seats(
        actor=request.user, election=access.election, votes_for=_form(f.VotesForm, request)["votes_for"]
    )
    return _("The seats are reduced.")


def a_announce(request: HttpRequest, access: ElectionAccess) -> str:
    data = _form(f.AnnounceForm, request)
    election = access.election
    meet.announce_results(
        actor=request.user,
        election=election,
        secretary=_member(election, data["secretary"]),
        deputy=_member(election, data["deputy"]),
    )
    return _("The results are announced.")


def a_duty(request: HttpRequest, access: ElectionAccess) -> str:
    data = _form(f.DutyForm, request)
    meet.set_duty(
        actor=request.user,
        election=access.election,
        member=_member(access.election, data["member"]),
        duty=data["duty"],
    )
    return _("The duty is recorded.")


def a_file(request: HttpRequest, access: ElectionAccess) -> str:
    meet.file_results(actor=request.user, election=access.election)
    return _("The result is filed with the higher committee.")


def a_confirm(request: HttpRequest, access: ElectionAccess) -> str:
    meet.confirm_results(actor=request.user, election=access.election, comment=_text(request))
    return _("The result and the secretary are approved.")


def a_take_office(request: HttpRequest, access: ElectionAccess) -> str:
    meet.take_office(
        actor=request.user, election=access.election, starts_on=_form(f.OfficeForm, request)["starts_on"]
    )
    return _("The new committee is in office.")


def a_cancel(request: HttpRequest, access: ElectionAccess) -> str:
    proc.cancel_election(actor=request.user, election=access.election, reason=_text(request))
    return _("The election is cancelled.")


def a_evaluate(request: HttpRequest, access: ElectionAccess) -> str:
    proc.evaluate_as_member(
        actor=request.user, election=access.election, rating=_form(f.RatingForm, request)["rating"]
    )
    return _("Thank you: your rating is counted.")


ACTIONS: dict[str, Action] = {
    "submit_request": Action("manage", a_submit_request),
    "approve_request": Action("approve", a_approve_request),
    "return_request": Action("approve", a_return_request),
    "open_nomination": Action("manage", a_open_nomination),
    "nominate_org": Action("manage", a_nominate_org),
    "nominate": Action("take_part", a_nominate),
    "close_nomination": Action("manage", a_close_nomination),
    "complete_review": Action("approve", a_complete_review),
    "invite": Action("manage", a_invite),
    "prepare_recommendation": Action("manage", a_prepare_recommendation),
    "close_recommendation": Action("manage", a_close_recommendation),
    "choose_pre_candidates": Action("manage", a_choose),
    "submit_pre_candidates": Action("manage", a_submit_pre),
    "approve_pre_candidates": Action("approve", a_approve_pre),
    "return_pre_candidates": Action("approve", a_return_pre),
    "fix_candidates": Action("manage", a_fix),
    "schedule_meeting": Action("manage", a_schedule_meeting),
    "attach_reports": Action("manage", a_reports),
    "add_observer": Action("manage", a_observer),
    "start_meeting": Action("manage", a_start_meeting),
    "confirm_quorum": Action("manage", a_quorum),
    "elect_scrutineers": Action("manage", a_scrutineers),
    "adopt_rules": Action("manage", a_rules),
    "prepare_ballot": Action(
        "manage", _post_step(meet.prepare_ballot, gettext_lazy("The ballot is prepared."))
    ),
    "start_runoff": Action(
        "manage", _post_step(meet.start_runoff, gettext_lazy("The runoff ballot is prepared."))
    ),
    "further_round": Action(
        "manage", _post_step(meet.start_further_round, gettext_lazy("The further round is prepared."))
    ),
    "repeat_round": Action(
        "manage", _post_step(meet.repeat_round, gettext_lazy("The round is prepared again."))
    ),
    "reduce_seats": Action("manage", a_reduce),
    "announce": Action("manage", a_announce),
    "set_duty": Action("manage", a_duty),
    "file_results": Action("manage", a_file),
    "confirm_results": Action("approve", a_confirm),
    "take_office": Action("manage", a_take_office),
    "cancel": Action("manage", a_cancel),
    "evaluate": Action("take_part", a_evaluate),
}


@login_required
@require_POST
def election_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    step = ACTIONS.get(action)
    if step is None:
        raise Http404
    access = get_election_for(request, pk, **{step.permission: True})
    if flash_step(request, lambda: step.run(request, access)) and getattr(request, "_redirect_to", None):
        return redirect(request._redirect_to)
    return redirect("elections:election", pk=access.election.pk)


# --- candidates ---------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidacy, access = get_candidacy_for(request, pk)
    is_candidate = candidacy.member.user_id == request.user.pk
    context = {
        "candidacy": candidacy,
        "election": access.election,
        "access": access,
        "is_candidate": is_candidate,
        "questions": list(candidacy.questions.order_by("asked_at", "pk")),
        "nominations": list(candidacy.nominations.order_by("created_at", "pk")),
        "page_form": f.CandidatePageForm(initial={k: getattr(candidacy, k) for k in proc.PAGE_FIELDS})
        if is_candidate or access.can_manage
        else None,
        "objections": list(candidacy.objections.order_by("raised_at", "pk")) if access.can_manage else [],
    }
    return render(request, "elections/candidate.html", context)


def candidacy_step(*, via: QuerySet | None = None, **permission: bool):
    """An action posted from a candidate page: the candidacy is fetched and checked (`manage=True`, …), the
    step runs (`step(request, candidacy, access)`, or with the question or objection of `via` when the URL
    names one), its message or refusal is flashed, and the page goes back to the candidate — or to the
    election when the form says back=election."""

    def decorate(step: Callable[[HttpRequest, Any, ElectionAccess], str]):
        @login_required
        @require_POST
        @wraps(step)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            row = get_object_or_404(via, pk=pk) if via is not None else None
            candidacy, access = get_candidacy_for(request, row.candidacy_id if row else pk, **permission)
            flash_step(request, lambda: step(request, row or candidacy, access))
            if request.POST.get("back") == "election":
                return redirect("elections:election", pk=candidacy.election_id)
            return redirect("elections:candidate", pk=candidacy.pk)

        return view

    return decorate


@candidacy_step(approve=True)
def candidate_review(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    data = _form(f.ReviewForm, request)
    proc.review_candidacy(
        actor=request.user, candidacy=candidacy, qualified=data["qualified"], reason=data["reason"]
    )
    return _("The review is recorded.")


@candidacy_step(manage=True)
def candidate_inspect(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    proc.record_inspection(
        actor=request.user, candidacy=candidacy, note=_form(f.RequiredTextForm, request)["text"]
    )
    return _("The inspection is recorded.")


@candidacy_step(take_part=True)
def candidate_object(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    proc.raise_objection(
        actor=request.user, candidacy=candidacy, text=_form(f.RequiredTextForm, request)["text"]
    )
    return _("Your objection is received; it will be answered before the list is fixed.")


@candidacy_step(take_part=True)
def candidate_ask(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    proc.ask_question(
        actor=request.user, candidacy=candidacy, text=_form(f.RequiredTextForm, request)["text"]
    )
    return _("Your question is sent to the candidate.")


@candidacy_step()
def candidate_page(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    if candidacy.member.user_id != request.user.pk and not access.can_manage:
        raise PermissionDenied
    proc.update_candidate_page(actor=request.user, candidacy=candidacy, **_form(f.CandidatePageForm, request))
    return _("The candidate page is saved.")


@candidacy_step(via=CandidateQuestion.objects.select_related("candidacy"))
def question_answer(request: HttpRequest, question: CandidateQuestion, access: ElectionAccess) -> str:
    if question.candidacy.member.user_id != request.user.pk:
        raise PermissionDenied
    proc.answer_question(
        actor=request.user, question=question, answer=_form(f.RequiredTextForm, request)["text"]
    )
    return _("Your answer is published.")


@candidacy_step(via=Objection.objects.select_related("candidacy__member", "election"), manage=True)
def objection_answer(request: HttpRequest, objection: Objection, access: ElectionAccess) -> str:
    data = _form(f.ObjectionAnswerForm, request)
    proc.answer_objection(
        actor=request.user, objection=objection, answer=data["answer"], upheld=data["upheld"]
    )
    return _("The objection is answered.")


# --- one-time invitations (no account) ----------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        inv: Invitation = proc.invitation_for(token)
    except BallotError as exc:
        return render(request, "elections/invitation.html", {"error": str(exc)}, status=410)
    election = inv.election
    error = None
    if request.method == "POST":
        try:
            if inv.purpose == "nominate":
                data = _form(f.NominationForm, request)
                proc.nominate(
                    actor=None,
                    election=election,
                    member=_member(election, data["member"]),
                    post=data["post"],
                    source="mass",
                    reason=data["reason"],
                    invitation=inv,
                )
            elif inv.purpose == "recommend":
                choices = {
                    post: [int(x) for x in request.POST.getlist(f"post_{post}") if x.isdigit()]
                    for post in election.posts
                }
                proc.recommend_by_invitation(invitation=inv, choices=choices)
            else:
                proc.evaluate_by_invitation(invitation=inv, rating=_form(f.RatingForm, request)["rating"])
        except BallotError as exc:
            error = str(exc)
        else:
            return render(request, "elections/invitation.html", {"done": True, "election": election})
    context = {
        "invitation": inv,
        "election": election,
        "error": error,
        "ratings": Rating.choices,
        "posts": [(p, Post(p).label) for p in election.posts],
    }
    if inv.purpose == "nominate":
        context["members"] = list(_members(election).filter(category="full").only("pk", "name"))
    if inv.purpose == "recommend":
        context["nominees"] = [
            (
                p,
                label,
                prules.preliminary_target(election.rules, election.seats_for(p)),
                list(election.candidacies.filter(post=p, stage=Stage.QUALIFIED).select_related("member")),
            )
            for p, label in context["posts"]
        ]
    return render(request, "elections/invitation.html", context, status=400 if error else 200)


__all__ = ["Candidacy"]
