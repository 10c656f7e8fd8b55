"""The steps of 公推直选, each posted to /elections/<pk>/step/<name>/: a small handler registered with
`@step(name, permission)` — the permission it needs (manage / approve / take_part), the form it reads, the
service it calls, the message it gives. `election_action` fetches and checks the election, runs the step,
and redirects with the message or the refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ballots.views.common import flash_step
from branches.models import Meeting

from .. import forms as f
from .. import services
from ..selectors import ElectionAccess, get_election_for
from ..services import ElectionError
from .common import member_choices, member_of, members_of, read_form, read_text


@dataclass(frozen=True)
class Step:
    permission: str  # manage | approve | take_part: the ElectionAccess the step needs
    run: Callable[[HttpRequest, ElectionAccess], str]


STEPS: dict[str, Step] = {}


def step(name: str, permission: str):
    """Register a step's handler under the name its form posts to."""

    def register(run: Callable[[HttpRequest, ElectionAccess], str]):
        STEPS[name] = Step(permission, run)
        return run

    return register


@step("submit_request", "manage")
def submit_request(request: HttpRequest, access: ElectionAccess) -> str:
    services.submit_request(actor=request.user, election=access.election)
    return _("The request is with the higher committee.")


@step("approve_request", "approve")
def approve_request(request: HttpRequest, access: ElectionAccess) -> str:
    services.approve_request(actor=request.user, election=access.election, comment=read_text(request))
    return _("The request is approved.")


@step("return_request", "approve")
def return_request(request: HttpRequest, access: ElectionAccess) -> str:
    services.return_request(actor=request.user, election=access.election, comment=read_text(request))
    return _("The request is returned.")


@step("open_nomination", "manage")
def open_nomination(request: HttpRequest, access: ElectionAccess) -> str:
    data = read_form(f.OpenNominationForm, request)
    services.open_nomination(
        actor=request.user,
        election=access.election,
        procedure=data["procedure"],
        timetable=data["timetable"],
        mobilisation_at=data["mobilisation_at"],
    )
    return _("Nomination is open; the procedure is published.")


@step("nominate_org", "manage")
def nominate_org(request: HttpRequest, access: ElectionAccess) -> str:
    data = read_form(f.NominationForm, request)
    services.nominate(
        actor=request.user,
        election=access.election,
        member=member_of(access.election, data["member"]),
        post=data["post"],
        source="organisation",
        reason=data["reason"],
    )
    return _("The nomination is recorded.")


@step("nominate", "take_part")
def nominate(request: HttpRequest, access: ElectionAccess) -> str:
    data = read_form(f.NominationForm, request)
    member = member_of(access.election, data["member"])
    source = "self" if member.pk == access.scope.member.pk else "member"
    services.nominate(
        actor=request.user,
        election=access.election,
        member=member,
        post=data["post"],
        source=source,
        reason=data["reason"],
    )
    return _("Your nomination is recorded.")


@step("close_nomination", "manage")
def close_nomination(request: HttpRequest, access: ElectionAccess) -> str:
    services.close_nomination(actor=request.user, election=access.election)
    return _("Nomination is closed; the qualification review begins.")


@step("complete_review", "approve")
def complete_review(request: HttpRequest, access: ElectionAccess) -> str:
    services.complete_review(actor=request.user, election=access.election)
    return _("The qualification review is complete.")


@step("invite", "manage")
def invite(request: HttpRequest, access: ElectionAccess) -> str:
    data = read_form(f.InviteForm, request)
    _invitation, token = services.invite(actor=request.user, election=access.election, **data)
    link = request.build_absolute_uri(reverse("elections:invitation", args=[token]))
    return _("One-time link for %(name)s (shown once): %(link)s") % {"name": data["name"], "link": link}


@step("prepare_recommendation", "manage")
def prepare_recommendation(request: HttpRequest, access: ElectionAccess) -> str:
    election = access.election
    data = read_form(f.RecommendationForm, request, member_choices=member_choices(election))
    meeting = Meeting.objects.filter(pk=data["meeting"], organisation=election.organisation).first()
    if meeting is None:
        raise ElectionError(_("Choose a general meeting of the branch."))
    scrutineers = list(members_of(election).filter(pk__in=data["scrutineers"]))
    services.prepare_recommendation(
        actor=request.user, election=election, meeting=meeting, scrutineers=scrutineers
    )
    return _("The recommendation ballots are prepared; seal and open them in the meeting.")


@step("close_recommendation", "manage")
def close_recommendation(request: HttpRequest, access: ElectionAccess) -> str:
    services.close_recommendation(actor=request.user, election=access.election)
    return _("The preliminary candidates are ranked.")


@step("recommend_again", "manage")
def recommend_again(request: HttpRequest, access: ElectionAccess) -> str:
    post = request.POST.get("post", "")
    services.recommend_again(actor=request.user, election=access.election, post=post)
    return _("The post is recommended again: prepare its ballot in a general meeting.")


@step("choose_pre_candidates", "manage")
def choose(request: HttpRequest, access: ElectionAccess) -> str:
    election = access.election
    choices = list(election.candidacies.values_list("pk", "pk"))
    data = read_form(f.ChooseForm, request, candidacy_choices=choices)
    services.choose_pre_candidates(actor=request.user, election=election, candidacy_ids=data["candidacies"])
    return _("The pre-candidates are chosen.")


@step("submit_pre_candidates", "manage")
def submit_pre(request: HttpRequest, access: ElectionAccess) -> str:
    services.submit_pre_candidates(actor=request.user, election=access.election)
    return _("The pre-candidates are with the higher committee.")


@step("approve_pre_candidates", "approve")
def approve_pre(request: HttpRequest, access: ElectionAccess) -> str:
    services.approve_pre_candidates(actor=request.user, election=access.election, comment=read_text(request))
    return _("The pre-candidates are approved; the notice has begun.")


@step("return_pre_candidates", "approve")
def return_pre(request: HttpRequest, access: ElectionAccess) -> str:
    services.return_pre_candidates(actor=request.user, election=access.election, comment=read_text(request))
    return _("The pre-candidates are returned.")


@step("fix_candidates", "manage")
def fix(request: HttpRequest, access: ElectionAccess) -> str:
    services.fix_candidates(
        actor=request.user, election=access.election, deliberation_note=read_text(request)
    )
    return _("The candidates are fixed.")


@step("schedule_meeting", "manage")
def schedule_meeting(request: HttpRequest, access: ElectionAccess) -> str:
    data = read_form(f.MeetingForm, request)
    services.schedule_election_meeting(actor=request.user, election=access.election, **data)
    return _("The election meeting is scheduled.")


@step("attach_reports", "manage")
def reports(request: HttpRequest, access: ElectionAccess) -> str:
    services.attach_reports(actor=request.user, election=access.election, **read_form(f.ReportsForm, request))
    return _("The reports are attached.")


@step("add_observer", "manage")
def observer(request: HttpRequest, access: ElectionAccess) -> str:
    services.add_observer(actor=request.user, election=access.election, **read_form(f.ObserverForm, request))
    return _("The observer is listed.")


@step("start_meeting", "manage")
def start_meeting(request: HttpRequest, access: ElectionAccess) -> str:
    services.start_election_meeting(actor=request.user, election=access.election)
    return _("The election meeting has begun.")


@step("confirm_quorum", "manage")
def quorum(request: HttpRequest, access: ElectionAccess) -> str:
    e = services.confirm_quorum(actor=request.user, election=access.election)
    return _("Quorum confirmed: %(present)d of %(expected)d present.") % {
        "present": e.present_electors,
        "expected": e.expected_electors,
    }


@step("elect_scrutineers", "manage")
def scrutineers(request: HttpRequest, access: ElectionAccess) -> str:
    election = access.election
    data = read_form(f.MembersVotesForm, request, member_choices=member_choices(election))
    members = list(members_of(election).filter(pk__in=data["members"]))
    services.elect_scrutineers(
        actor=request.user, election=election, members=members, votes_for=data["votes_for"]
    )
    return _("The scrutineers are elected.")


@step("adopt_rules", "manage")
def rules(request: HttpRequest, access: ElectionAccess) -> str:
    data = read_form(f.AdoptForm, request)
    services.adopt_election_rules(
        actor=request.user, election=access.election, text=data["text"], votes_for=data["votes_for"]
    )
    return _("The election rules are adopted.")


def _ballot_step(name: str, service, message) -> None:
    """A step that prepares a ballot of the election meeting for one post, then goes to its poll's page."""

    def run(request: HttpRequest, access: ElectionAccess) -> str:
        post = read_form(f.PostForm, request)["post"]
        link = service(actor=request.user, election=access.election, post=post)
        request._redirect_to = reverse("ballots:poll", args=[link.poll_id])
        return str(message)  # lazy: in the language of this request, not of the module's import

    STEPS[name] = Step("manage", run)


_ballot_step("prepare_ballot", services.prepare_ballot, gettext_lazy("The ballot is prepared."))
_ballot_step("start_runoff", services.start_runoff, gettext_lazy("The runoff ballot is prepared."))
_ballot_step("further_round", services.start_further_round, gettext_lazy("The further round is prepared."))
_ballot_step("repeat_round", services.repeat_round, gettext_lazy("The round is prepared again."))


@step("reduce_seats", "manage")
def reduce(request: HttpRequest, access: ElectionAccess) -> str:
    services.reduce_seats(
        actor=request.user, election=access.election, votes_for=read_form(f.VotesForm, request)["votes_for"]
    )
    return _("The seats are reduced.")


@step("announce", "manage")
def announce(request: HttpRequest, access: ElectionAccess) -> str:
    data = read_form(f.AnnounceForm, request)
    election = access.election
    services.announce_results(
        actor=request.user,
        election=election,
        secretary=member_of(election, data["secretary"]),
        deputy=member_of(election, data["deputy"]),
    )
    return _("The results are announced.")


@step("set_duty", "manage")
def duty(request: HttpRequest, access: ElectionAccess) -> str:
    data = read_form(f.DutyForm, request)
    services.set_duty(
        actor=request.user,
        election=access.election,
        member=member_of(access.election, data["member"]),
        duty=data["duty"],
    )
    return _("The duty is recorded.")


@step("file_results", "manage")
def file(request: HttpRequest, access: ElectionAccess) -> str:
    services.file_results(actor=request.user, election=access.election)
    return _("The result is filed with the higher committee.")


@step("confirm_results", "approve")
def confirm(request: HttpRequest, access: ElectionAccess) -> str:
    services.confirm_results(actor=request.user, election=access.election, comment=read_text(request))
    return _("The result and the secretary are approved.")


@step("take_office", "manage")
def take_office(request: HttpRequest, access: ElectionAccess) -> str:
    services.take_office(
        actor=request.user, election=access.election, starts_on=read_form(f.OfficeForm, request)["starts_on"]
    )
    return _("The new committee is in office.")


@step("cancel", "manage")
def cancel(request: HttpRequest, access: ElectionAccess) -> str:
    services.cancel_election(actor=request.user, election=access.election, reason=read_text(request))
    return _("The election is cancelled.")


@step("evaluate", "take_part")
def evaluate(request: HttpRequest, access: ElectionAccess) -> str:
    services.evaluate_as_member(
        actor=request.user, election=access.election, rating=read_form(f.RatingForm, request)["rating"]
    )
    return _("Thank you: your rating is counted.")


@login_required
@require_POST
def election_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = STEPS.get(action)
    if found is None:
        raise Http404
    access = get_election_for(request, pk, **{found.permission: True})
    if flash_step(request, lambda: found.run(request, access)) and getattr(request, "_redirect_to", None):
        return redirect(request._redirect_to)
    return redirect("elections:election", pk=access.election.pk)
