"""The pages of 公推直选 that are read: the list of elections, a new election, and the election's page with
its timeline, what blocks the next step, the candidates, the ballots and the evaluation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ballots.services import BallotError
from branches.models import Meeting, MemberCategory
from branches.outbox import DisclosureDraft, DisclosureKind
from branches.selectors import get_organisation_for

from .. import forms as f
from .. import rules as prules
from .. import services
from ..models import Election, ElectionStatus, EvaluationSource, EvaluationTally, Post, Purpose, Rating, Stage
from ..selectors import (
    candidates_for_page,
    elected_in_rank_order,
    elections_for,
    get_election_for,
    issues_for,
    managed_branches,
    progress_of,
    timeline,
)
from .common import members_of

# What the election offers to the disclosure boards, shown to its managers and supervisors as drafts.
ELECTION_KINDS = [kind.value for kind in DisclosureKind if kind.name.startswith("ELECTION_")]


def _unprepared_posts(election: Election, links) -> list[str]:
    """In the recommendation, the posts without a ballot yet (all at first; one recommended again)."""
    if election.status != ElectionStatus.RECOMMENDATION:
        return []
    prepared = {link.post for link in links if link.purpose == Purpose.RECOMMENDATION}
    return [p for p in election.posts if p not in prepared]


def _short_posts(election: Election, candidacies) -> list[dict]:
    """After the ranking, each post with fewer preliminary candidates than the pre-candidates it needs: the
    page offers the remedy (recommend the post again) rather than a dead end."""
    if election.status != ElectionStatus.INSPECTION:
        return []
    standing = (Stage.PRELIMINARY, Stage.PRE_CANDIDATE)
    short = []
    for p in election.posts:
        need = prules.pre_candidate_target(election.rules, p, election.seats_for(p))
        n = sum(1 for c in candidacies if c.post == p and c.stage in standing)
        if n < need:
            short.append({"post": p, "label": Post(p).label, "n": n, "need": need})
    return short


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
            election = services.draft_election(actor=request.user, organisation=org, **form.cleaned_data)
        except BallotError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("elections:election", pk=election.pk)
    return render(request, "elections/new.html", {"form": form, "organisation": org})


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
            progress[post] = progress_of(
                election, post, [x for x in links if x.purpose == Purpose.ELECTION and x.post == post]
            )
    names = dict(members_of(election).values_list("pk", "name")) if progress else {}
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
        "unprepared": _unprepared_posts(election, links),
        "short_posts": _short_posts(election, candidacies),
        "ratings": Rating.choices,
        # The reasons of the qualification review stay with those who run, approve or supervise it.
        "sees_reasons": access.can_manage or access.can_approve or access.can_supervise,
    }
    if access.can_manage or access.can_supervise:
        context["invitations"] = list(election.invitations.order_by("pk"))
        context["drafts"] = list(
            DisclosureDraft.objects.filter(object_id=str(election.pk), kind__in=ELECTION_KINDS).order_by(
                "created_at", "pk"
            )
        )
    if access.can_manage or access.can_take_part:
        context["members"] = list(members_of(election).only("pk", "name", "category"))
        # Only full members (正式党员) stand; the nomination forms offer no one else.
        context["nominable"] = [m for m in context["members"] if m.category == MemberCategory.FULL]
    if access.can_manage:
        context["meetings"] = list(
            Meeting.objects.filter(
                organisation=election.organisation, kind="general", status__in=["scheduled", "in_progress"]
            ).order_by("starts_at")
        )
        context["elected"] = elected_in_rank_order(election)
    elif election.status in ("counted", "filed", "confirmed", "in_office"):
        context["elected"] = elected_in_rank_order(election)
    return render(request, "elections/detail.html", context)


def _evaluation(election: Election) -> list[dict]:
    rows = {(t.source, t.rating): t.count for t in EvaluationTally.objects.filter(election=election)}
    if not rows:
        return []
    return [
        {"source": label, "counts": [(r_label, rows.get((source, r), 0)) for r, r_label in Rating.choices]}
        for source, label in EvaluationSource.choices
    ]
