"""The ballots of the election meeting, through the engine: the first ballot of each post, a runoff among
the tied, 另行选举 for the seats still open, the repeat of a void round — or fewer committee seats instead.

In 公推直选 the committee is elected first; 书记 and 副书记 are then elected from the new committee (the
secretary elected is no candidate for deputy). Where a post stands is `selectors.progress_of()`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ballots.models import Poll, PollStatus
from branches.audit import log_action
from branches.models import Member

from .. import rules as prules
from ..models import Election, ElectionPoll, ElectionStatus, Post, Purpose, RoundKind, Stage
from ..selectors import post_links, progress_of
from .common import candidate_poll, check_status
from .errors import ElectionError


def _ballot_candidates(election: Election, post: str) -> list[Member]:
    members = [
        c.member
        for c in election.candidacies.filter(post=post, stage=Stage.CANDIDATE).select_related("member")
    ]
    if post == Post.COMMITTEE:
        return members
    # 公推直选: 书记 and 副书记 are elected from the newly elected committee.
    committee = progress_of(election, Post.COMMITTEE)
    if not committee.done:
        raise ElectionError(_("The committee is elected first; then the secretary and the deputy."))
    allowed = set(committee.elected)
    if post == Post.DEPUTY:
        allowed -= set(progress_of(election, Post.SECRETARY).elected)
    return [m for m in members if m.pk in allowed]


def _new_round(
    *, actor, election: Election, post: str, kind: str, seats: int, members: list[Member], write_ins: bool
) -> ElectionPoll:
    if len(members) < seats:
        raise ElectionError(
            _("%(n)d candidates for %(seats)d seats: there must be at least as many candidates as seats.")
            % {"n": len(members), "seats": seats}
        )
    round_no = election.election_polls.filter(purpose=Purpose.ELECTION, post=post).count() + 1
    title = _("Election of the %(post)s") % {"post": Post(post).label}
    if kind != RoundKind.FIRST:
        title = f"{title} · {RoundKind(kind).label}"
    poll = candidate_poll(
        actor=actor,
        meeting=election.election_meeting,
        title=title,
        seats=seats,
        members=members,
        scrutineers=[s.member for s in election.scrutineers.select_related("member")],
        # The election's own rule values (recorded when it was requested), not today's settings.
        rule_overrides={
            "quorum": list(election.rules["election_quorum"]),
            "quorum_inclusive": bool(election.rules["election_quorum_inclusive"]),
            "threshold": list(election.rules["election_threshold"]),
        },
        write_ins=write_ins,
    )
    if round_no > 1:
        Poll.objects.filter(pk=poll.pk).update(round_no=round_no)
    link = ElectionPoll.objects.create(
        election=election, poll=poll, post=post, purpose=Purpose.ELECTION, round_kind=kind, seats=seats
    )
    log_action(
        actor,
        "election.ballot",
        election,
        changes={"post": post, "round": kind, "seats": seats, "poll": poll.pk},
    )
    return link


def _check_meeting_ready(election: Election) -> None:
    check_status(election, ElectionStatus.MEETING)
    election.refresh_from_db()
    if election.quorum_confirmed_at is None:
        raise ElectionError(_("The roll call has not confirmed the quorum."))
    if election.scrutineers.count() < prules.rule_k():
        raise ElectionError(_("The meeting has not elected its scrutineers."))
    if election.election_rules_votes_for is None:
        raise ElectionError(_("The meeting has not adopted the election rules (选举办法)."))


@transaction.atomic
def prepare_ballot(*, actor, election: Election, post: str) -> ElectionPoll:
    """The first ballot of a post: 赞成 / 不赞成 / 弃权 per candidate, write-ins (另选他人) allowed."""
    _check_meeting_ready(election)
    if post not in election.posts:
        raise ElectionError(_("This election does not fill that post by ballot."))
    if progress_of(election, post).next_step != "ballot":
        raise ElectionError(_("This post already has its ballot."))
    return _new_round(
        actor=actor,
        election=election,
        post=post,
        kind=RoundKind.FIRST,
        seats=election.seats_for(post),
        members=_ballot_candidates(election, post),
        write_ins=True,
    )


@transaction.atomic
def start_runoff(*, actor, election: Election, post: str) -> ElectionPoll:
    """A tie at the cut-off: a runoff among the tied only, for the seats still open."""
    _check_meeting_ready(election)
    progress = progress_of(election, post)
    if progress.next_step != "runoff":
        raise ElectionError(_("There is no tie to resolve."))
    return _new_round(
        actor=actor,
        election=election,
        post=post,
        kind=RoundKind.RUNOFF,
        seats=progress.open_seats,
        members=list(Member.objects.filter(pk__in=progress.tied).order_by("name_pinyin", "pk")),
        write_ins=False,
    )


@transaction.atomic
def start_further_round(*, actor, election: Election, post: str) -> ElectionPoll:
    """另行选举 for the open seats, among the candidates not elected."""
    _check_meeting_ready(election)
    progress = progress_of(election, post)
    if progress.next_step != "shortfall":
        raise ElectionError(_("No seat is open."))
    elected = set(progress.elected)
    return _new_round(
        actor=actor,
        election=election,
        post=post,
        kind=RoundKind.FURTHER,
        seats=progress.open_seats,
        members=[m for m in _ballot_candidates(election, post) if m.pk not in elected],
        write_ins=True,
    )


@transaction.atomic
def repeat_round(*, actor, election: Election, post: str) -> ElectionPoll:
    """The last round was void (more ballots than voters): voting repeats with the same ballot."""
    _check_meeting_ready(election)
    links = post_links(election, post)
    if not links or links[-1].poll.status != PollStatus.VOID:
        raise ElectionError(_("Only a void round is repeated."))
    last = links[-1]
    return _new_round(
        actor=actor,
        election=election,
        post=post,
        kind=RoundKind.REPEAT,
        seats=last.seats,
        members=list(Member.objects.filter(pk__in=[o.member_id for o in last.poll.options.all()])),
        write_ins=last.poll.allow_write_in,
    )


@transaction.atomic
def reduce_seats(*, actor, election: Election, votes_for: int) -> Election:
    """Instead of 另行选举: fewer committee seats, agreed by > 1/2 of the electors present; never below 3."""
    _check_meeting_ready(election)
    progress = progress_of(election, Post.COMMITTEE)
    if progress.next_step != "shortfall":
        raise ElectionError(_("No seat is open."))
    problems = prules.seat_reduction_problems(
        election.rules,
        post=Post.COMMITTEE,
        elected=len(progress.elected),
        new_seats=len(progress.elected),
        votes_for=votes_for,
        present=election.present_electors or 0,
    )
    if problems:
        raise ElectionError(" ".join(problems))
    old = election.seats_for(Post.COMMITTEE)
    election.committee_seats_final, election.reduction_votes_for = len(progress.elected), votes_for
    election.save(update_fields=["committee_seats_final", "reduction_votes_for"])
    log_action(
        actor,
        "election.seats_reduce",
        election,
        changes={"seats": [old, election.committee_seats_final], "votes_for": votes_for},
    )
    return election
