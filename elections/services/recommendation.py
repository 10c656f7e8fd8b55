"""Democratic recommendation (民主推荐): one engine poll per post in a general meeting for the members, one-time
links for mass representatives (counts only), then the ranking by weighted shares that makes the first of
each post preliminary candidates (初步人选)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ballots.models import Choice
from branches.audit import log_action
from branches.models import Meeting, MeetingKind, Member

from .. import rules as prules
from ..models import (
    Candidacy,
    Election,
    ElectionPoll,
    ElectionStatus,
    Invitation,
    InvitationPurpose,
    Post,
    Purpose,
    Stage,
)
from .common import candidate_poll, check_no_issues, check_status, move
from .errors import ElectionError
from .invitations import claim_invitation

# The rule values a recommendation's ranking depends on, recorded with it.
RANKING_RULES = (
    "election_preliminary_margin_percent",
    "election_recommendation_member_weight",
    "election_recommendation_mass_weight",
    "election_recommendation_masses",
)


@transaction.atomic
def prepare_recommendation(*, actor, election: Election, meeting: Meeting, scrutineers: list[Member]) -> list:
    """One engine poll per post in the recommendation meeting: members mark up to the preliminary number."""
    check_status(election, ElectionStatus.RECOMMENDATION)
    # A post recommended again (recommend_again) gets a new ballot; the others keep theirs.
    done = set(election.election_polls.filter(purpose=Purpose.RECOMMENDATION).values_list("post", flat=True))
    posts = [p for p in election.posts if p not in done]
    if not posts:
        raise ElectionError(_("The recommendation ballot is already prepared."))
    if meeting.organisation_id != election.organisation_id or meeting.kind != MeetingKind.GENERAL:
        raise ElectionError(_("The recommendation is held in a general meeting of the branch."))
    overrides = {
        "quorum": list(election.rules["election_recommendation_quorum"]),
        "quorum_inclusive": bool(election.rules["election_recommendation_quorum_inclusive"]),
    }
    links = []
    for post in posts:
        nominees = list(
            election.candidacies.filter(post=post, stage=Stage.QUALIFIED).select_related(
                "member__organisation"
            )
        )
        target = prules.preliminary_target(election.rules, election.seats_for(post))
        poll = candidate_poll(
            actor=actor,
            meeting=meeting,
            title=_("Democratic recommendation: %(post)s") % {"post": Post(post).label},
            seats=max(1, min(target, len(nominees))),
            members=[c.member for c in nominees],
            scrutineers=scrutineers,
            rule_overrides=overrides,
        )
        links.append(
            ElectionPoll.objects.create(
                election=election, poll=poll, post=post, purpose=Purpose.RECOMMENDATION, seats=poll.seats
            )
        )
    Election.objects.filter(pk=election.pk).update(recommendation_meeting=meeting)
    election.recommendation_meeting = meeting
    log_action(actor, "election.recommendation_prepare", election, changes={"meeting": meeting.title})
    return links


@transaction.atomic
def recommend_by_invitation(*, invitation: Invitation, choices: dict[str, list[int]]) -> None:
    """A mass representative's recommendation: counts only (which nominees), never linked to the link."""
    election = invitation.election
    check_status(election, ElectionStatus.RECOMMENDATION)
    for post, ids in choices.items():
        if post not in election.posts:
            raise ElectionError(_("This election does not fill that post by nomination."))
        target = prules.preliminary_target(election.rules, election.seats_for(post))
        if len(set(ids)) != len(ids) or len(ids) > target:
            raise ElectionError(
                _("Recommend at most %(n)d people for %(post)s.") % {"n": target, "post": Post(post).label}
            )
        valid = election.candidacies.filter(post=post, stage=Stage.QUALIFIED, pk__in=ids).count()
        if valid != len(ids):
            raise ElectionError(_("Only qualified nominees can be recommended."))
    claim_invitation(invitation, InvitationPurpose.RECOMMEND)
    for ids in choices.values():
        Candidacy.objects.filter(pk__in=ids).update(mass_votes=F("mass_votes") + 1)
    Election.objects.filter(pk=election.pk).update(mass_recommenders=F("mass_recommenders") + 1)
    log_action(None, "election.mass_recommend", election, changes={})


def _rank_post(election: Election, link: ElectionPoll) -> dict:
    """Rank the qualified nominees of the link's post and mark who advances; the post's line of the record."""
    poll, result = link.poll, link.poll.result
    option_members = dict(poll.options.values_list("pk", "member_id"))
    member_votes = {
        option_members[int(o)]: row.get(Choice.FOR, 0) for o, row in result.figures["total"]["totals"].items()
    }
    candidacies = list(election.candidacies.filter(post=link.post, stage=Stage.QUALIFIED))
    target = prules.preliminary_target(election.rules, election.seats_for(link.post))
    ranked = prules.rank_recommendations(
        [(c.pk, member_votes.get(c.member_id, 0), c.mass_votes) for c in candidacies],
        member_ballots=result.valid,
        mass_ballots=election.mass_recommenders,
        rules=election.rules,
        target=target,
    )
    by_pk = {c.pk: c for c in candidacies}
    for r in ranked:
        c = by_pk[r.key]
        c.member_votes, c.score, c.rank = r.member_votes, round(float(r.score), 4), r.rank
        c.stage = Stage.PRELIMINARY if r.advances else Stage.QUALIFIED
        c.save(update_fields=["member_votes", "score", "rank", "stage"])
    return {
        "target": target,
        "member_ballots": result.valid,
        "mass_ballots": election.mass_recommenders,
        "poll": poll.pk,
        "ranking": [
            {
                "member": by_pk[r.key].member.name,
                "member_votes": r.member_votes,
                "mass_votes": r.mass_votes,
                "score": str(round(float(r.score), 4)),
                "advances": r.advances,
            }
            for r in ranked
        ],
    }


@transaction.atomic
def close_recommendation(*, actor, election: Election) -> Election:
    """Rank the qualified nominees of each post by the weighted shares; the first at the margin advance."""
    check_status(election, ElectionStatus.RECOMMENDATION)
    check_no_issues(election)
    election.refresh_from_db()
    links = election.election_polls.filter(purpose=Purpose.RECOMMENDATION).select_related("poll__result")
    # A post whose preliminary candidates stand from an earlier ranking is not ranked again.
    ranked = set(
        election.candidacies.filter(stage__in=(Stage.PRELIMINARY, Stage.PRE_CANDIDATE)).values_list(
            "post", flat=True
        )
    )
    earlier = (election.recommendation_result or {}).get("posts", {})
    recommendation = {
        "rules": {k: election.rules[k] for k in RANKING_RULES},
        "posts": {
            link.post: earlier[link.post] if link.post in ranked else _rank_post(election, link)
            for link in links
        },
    }
    return move(
        election,
        ElectionStatus.INSPECTION,
        actor=actor,
        verb="election.recommendation_close",
        recommendation_result=recommendation,
    )


@transaction.atomic
def recommend_again(*, actor, election: Election, post: str) -> Election:
    """The remedy when a recommendation leaves a post fewer preliminary candidates than the pre-candidates
    it needs: the post is recommended again (重新推荐) among its qualified nominees. Its candidacies return
    to qualified, its ballot is unlinked (the counted poll stays in the engine and on the record) and the
    election goes back to the recommendation; the other posts keep their preliminary candidates."""
    check_status(election, ElectionStatus.INSPECTION)
    if post not in election.posts:
        raise ElectionError(_("This election does not fill that post by nomination."))
    standing = election.candidacies.filter(post=post, stage__in=(Stage.PRELIMINARY, Stage.PRE_CANDIDATE))
    need = prules.pre_candidate_target(election.rules, post, election.seats_for(post))
    if standing.count() >= need:
        raise ElectionError(
            _("%(post)s has enough preliminary candidates; it is not recommended again.")
            % {"post": Post(post).label}
        )
    standing.update(stage=Stage.QUALIFIED, rank=None, member_votes=0, score=None)
    old = list(
        election.election_polls.filter(purpose=Purpose.RECOMMENDATION, post=post).values_list(
            "poll_id", flat=True
        )
    )
    election.election_polls.filter(purpose=Purpose.RECOMMENDATION, post=post).delete()
    log_action(actor, "election.recommend_again", election, changes={"post": post, "polls": old})
    return move(election, ElectionStatus.RECOMMENDATION, actor=actor, verb="election.recommendation_reopen")
