"""The result of the election meeting: every post settled and every count signed, the result sheet is
written (with the rule values and the rounds it came from), the ballots are published, the meeting closes and
the result is announced on the spot and offered for disclosure."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import PollStatus, Signature, SignaturePurpose
from ballots.selectors import result_rows
from ballots.services import publish_poll
from branches.models import MeetingStatus, Member
from branches.outbox import DisclosureKind

from ..models import ElectedMember, Election, ElectionPoll, ElectionStatus, Post
from ..selectors import post_links, progress_of
from .common import check_no_issues, check_status, disclose, move
from .errors import ElectionError


def _round_record(link: ElectionPoll) -> dict:
    """A round as the result sheet records it: its figures, its rules and who signed its count."""
    result = getattr(link.poll, "result", None)
    return {
        "poll": link.poll_id,
        "kind": link.round_kind,
        "seats": link.seats,
        "status": link.poll.status,
        "expected": result.expected if result is not None else None,
        "present": result.present if result is not None else None,
        "rules": link.poll.rules,
        "signed_by": list(
            Signature.objects.filter(poll_id=link.poll_id, purpose=SignaturePurpose.COUNT).values_list(
                "scrutineer__member__name", flat=True
            )
        ),
    }


def _named_officers(
    rows: list, secretary: Member | None, deputy: Member | None
) -> list[tuple[str, int, int]]:
    """In the standard mode the new committee names its 书记 (and 副书记) from among its members."""
    committee = {m for post, m, _v in rows if post == Post.COMMITTEE}
    if secretary is None or secretary.pk not in committee:
        raise ElectionError(_("The new committee names its secretary from among its members."))
    named = [(Post.SECRETARY.value, secretary.pk, 0)]
    if deputy is not None:
        if deputy.pk not in committee or deputy.pk == secretary.pk:
            raise ElectionError(_("The deputy secretary is another member of the new committee."))
        named.append((Post.DEPUTY.value, deputy.pk, 0))
    return named


def _round_sentences(election: Election) -> list[str]:
    """Each counted round in words, as the engine states it (the rule and the numbers, per candidate)."""
    lines = []
    for link in election.election_polls.select_related("poll__result").order_by("pk"):
        if hasattr(link.poll, "result"):
            lines.append("")
            lines += [f"{link.poll.title}（{_('round %(n)d') % {'n': link.poll.round_no}}）"]
            lines += result_rows(link.poll)["sentences"]
    return lines


@transaction.atomic
def announce_results(
    *, actor, election: Election, secretary: Member | None = None, deputy: Member | None = None
) -> Election:
    """Every post settled and every count signed: the result sheet is written and announced on the spot."""
    from branches.services import close_meeting

    check_status(election, ElectionStatus.MEETING)
    check_no_issues(election)
    election.refresh_from_db()
    posts, rows = {}, []
    for post in election.posts:
        links = post_links(election, post)
        progress = progress_of(election, post, links)
        posts[post] = {
            "seats": election.seats_for(post),
            "elected": progress.elected,
            "rounds": [_round_record(link) for link in links],
        }
        rows += [(post, m, progress.votes.get(m, 0)) for m in progress.elected]
    if not election.is_direct:
        rows += _named_officers(rows, secretary, deputy)
    ElectedMember.objects.bulk_create(
        ElectedMember(election=election, member_id=m, post=post, votes=v) for post, m, v in rows
    )
    names = dict(Member.objects.filter(pk__in=[m for _p, m, _v in rows]).values_list("pk", "name"))
    sheet = {
        "rules": election.rules,
        "expected": election.expected_electors,
        "present": election.present_electors,
        "seats_reduced_to": election.committee_seats_final,
        "reduction_votes_for": election.reduction_votes_for,
        "posts": posts,
        "elected": [{"post": p, "member": m, "name": names[m], "votes": v} for p, m, v in rows],
    }
    for link in election.election_polls.filter(poll__status=PollStatus.COUNTED).select_related("poll"):
        publish_poll(actor=actor, poll=link.poll)
    meeting = election.election_meeting
    if meeting.status == MeetingStatus.IN_PROGRESS:
        close_meeting(actor=actor, meeting=meeting)
    move(
        election,
        ElectionStatus.COUNTED,
        actor=actor,
        verb="election.announce",
        result_sheet=sheet,
        announced_at=timezone.now(),
    )
    disclose(
        election,
        DisclosureKind.ELECTION_RESULTS,
        title=_("%(title)s: results") % {"title": election.title},
        body="\n".join(
            [f"{_(str(Post(p).label))}：{names[m]}（{v}）" for p, m, v in rows] + _round_sentences(election)
        ),
    )
    return election
