"""The one-time invitation page of 公推直选: a mass representative or the employer nominates, recommends or
evaluates through a link of his own, without an account; the link works once."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ballots.services import BallotError
from branches.rules import is_ascii_digits

from .. import forms as f
from .. import rules as prules
from .. import services
from ..models import Invitation, Post, Rating, Stage
from .common import member_of, members_of, read_form


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        inv: Invitation = services.invitation_for(token)
    except BallotError as exc:
        return render(request, "elections/invitation.html", {"error": str(exc)}, status=410)
    election = inv.election
    error = None
    if request.method == "POST":
        try:
            if inv.purpose == "nominate":
                data = read_form(f.NominationForm, request)
                services.nominate(
                    actor=None,
                    election=election,
                    member=member_of(election, data["member"]),
                    post=data["post"],
                    source="mass",
                    reason=data["reason"],
                    invitation=inv,
                )
            elif inv.purpose == "recommend":
                choices = {
                    post: [int(x) for x in request.POST.getlist(f"post_{post}") if is_ascii_digits(x)]
                    for post in election.posts
                }
                services.recommend_by_invitation(invitation=inv, choices=choices)
            else:
                services.evaluate_by_invitation(
                    invitation=inv, rating=read_form(f.RatingForm, request)["rating"]
                )
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
        context["members"] = list(members_of(election).filter(category="full").only("pk", "name"))
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
