"""Casting: online ballots into the sealed box, paper ballots issued at the desk.

One member, one vote, across both channels: the "has voted" row is unique per (poll, member), and it is
written in the same transaction as the sealed ballot. The transaction holds the poll (a shared advisory
lock, and the row FOR SHARE), so a close waits for the casts under way and every cast after it sees the
poll closed.
Nothing here logs or audits a ballot's content; the view hides the POST from error reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from branches.models import Attendance, Member
from branches.rules import has_voting_rights, voting_rights_q

from .. import ballotbox, rules
from ..models import Ballot, Channel, HasVoted, Poll, PollKind, PollStatus, RollEntry
from .errors import ElectionError

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class CastResult:
    tracker: str | None  # None on a replay whose receipt cannot be read
    replayed: bool

    @property
    def short_tracker(self) -> str:
        return ballotbox.short_tracker(self.tracker) if self.tracker else ""


def eligible_write_ins(poll: Poll):
    """Who may be written in (另选他人): members with voting rights of the organisation, not candidates."""
    candidates = poll.options.filter(member__isnull=False).values("member_id")
    return (
        Member.objects.filter(voting_rights_q(), organisation__path__startswith=poll.organisation.path)
        .exclude(pk__in=candidates)
        .order_by("name_pinyin", "pk")
    )


# Casting and closing meet on a transaction-scoped advisory lock of the poll, shared by casts and exclusive
# for a close: PostgreSQL queues lock requests fairly, so a close waits for the casts under way, the casts
# that arrive after it wait behind it and then read the poll closed, and a burst of votes cannot starve the
# close (share locks on the poll row alone could: new share lockers join without queueing behind the
# waiting UPDATE).
_LOCK_NAMESPACE = 7301


def lock_poll_against_casts(poll_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, poll_id])


def _lock_poll_for_cast(poll_id: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [_LOCK_NAMESPACE, poll_id])
        cursor.execute("SELECT status FROM elections_poll WHERE id = %s FOR SHARE", [poll_id])
        row = cursor.fetchone()
    return row[0] if row else None


def _refuse_closed(status: str | None) -> None:
    if status == PollStatus.OPEN:
        return
    if status == PollStatus.DRAFT:
        raise ElectionError(_("Voting on this poll has not opened yet."))
    raise ElectionError(_("Voting on this poll has closed; no more ballots are accepted."))


def check_voter(poll: Poll, member: Member | None) -> None:
    """On the frozen roll and signed in to the meeting (present); each refusal says why."""
    if member is None:
        raise ElectionError(_("Only members on the roll of this poll vote."))
    if not RollEntry.objects.filter(poll_id=poll.pk, member_id=member.pk).exists():
        if member.category == "probationary":
            raise ElectionError(_("Probationary members do not vote (选举条例 art. 5)."))
        if not has_voting_rights(member):
            raise ElectionError(_("You have no voting rights in this poll."))
        raise ElectionError(_("You are not on the roll of this poll."))
    status = (
        Attendance.objects.filter(meeting_id=poll.meeting_id, member_id=member.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status != "present":
        raise ElectionError(_("You have not signed in to the meeting: sign in first, then vote."))


def _replay_or_refuse(existing: HasVoted, idempotency_key: str) -> CastResult:
    if existing.channel == Channel.PAPER:
        raise ElectionError(_("You took a paper ballot; you cannot also vote online."))
    if existing.idempotency_key_hash is not None and bytes(
        existing.idempotency_key_hash
    ) == ballotbox.key_hash(idempotency_key):
        return CastResult(tracker=ballotbox.read_receipt(idempotency_key, existing.receipt), replayed=True)
    raise ElectionError(_("You have already voted in this poll; a member votes once."))


@sensitive_variables("marks", "write_ins", "content", "sealed", "tracker", "idempotency_key", "spec")
def cast_ballot(
    *,
    user,
    poll: Poll,
    marks: dict[str, str],
    write_ins: list[str],
    idempotency_key: str,
    assisted: bool = False,
) -> CastResult:
    """Record one member's online ballot, or return the first one's receipt on a retry of the same form."""
    if not isinstance(idempotency_key, str) or not _KEY_RE.match(idempotency_key):
        raise ElectionError(_("The ballot form was incomplete or damaged; reload the page and vote again."))
    member = getattr(user, "member", None) if user is not None and user.is_authenticated else None
    if member is not None and not member.is_active:
        member = None
    with transaction.atomic():
        _refuse_closed(_lock_poll_for_cast(poll.pk))
        check_voter(poll, member)
        existing = HasVoted.objects.filter(poll_id=poll.pk, member_id=member.pk).first()
        if existing is not None:
            return _replay_or_refuse(existing, idempotency_key)
        if not all(isinstance(w, str) and w.isdigit() and len(w) < 12 for w in write_ins) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in marks.items()
        ):
            raise ElectionError(
                _("The ballot form was incomplete or damaged; reload the page and vote again.")
            )
        requested = list(write_ins)
        eligible = (
            eligible_write_ins(poll).filter(pk__in=requested).values_list("pk", flat=True)
            if requested
            else []
        )
        spec = rules.spec_for(poll, eligible_write_ins=eligible)
        content = {"c": dict(marks), "w": [int(w) for w in write_ins]}
        problems = rules.ballot_problems(spec, content)
        if problems:
            raise ElectionError(problems[0])
        if poll.secrecy == "named":
            content["m"] = member.pk  # sealed with the vote; revealed only by the count
        sealed = ballotbox.seal(bytes(poll.public_key), content)
        tracker = ballotbox.tracker_of(sealed)
        try:
            with transaction.atomic():
                HasVoted.objects.create(
                    poll_id=poll.pk,
                    member_id=member.pk,
                    channel=Channel.ONLINE,
                    assisted=assisted,
                    idempotency_key_hash=ballotbox.key_hash(idempotency_key),
                    receipt=ballotbox.make_receipt(idempotency_key, tracker),
                )
        except IntegrityError:
            # A concurrent submission by the same member committed first: a retry, or a second vote.
            existing = HasVoted.objects.get(poll_id=poll.pk, member_id=member.pk)
            return _replay_or_refuse(existing, idempotency_key)
        Ballot.objects.create(poll_id=poll.pk, sealed=sealed, tracker=tracker)
    return CastResult(tracker=tracker, replayed=False)


@transaction.atomic
def issue_paper_ballot(*, actor, poll: Poll, member: Member, assisted: bool = False) -> HasVoted:
    """The desk hands a member a paper ballot; from then on the online booth refuses him."""
    if poll.secrecy == "named":
        raise ElectionError(_("A named poll is voted online only."))
    if poll.kind not in (PollKind.CANDIDATES, PollKind.MOTION, PollKind.RATING):
        raise ElectionError(_("Unknown kind of poll."))
    _refuse_closed(_lock_poll_for_cast(poll.pk))
    check_voter(poll, member)
    try:
        with transaction.atomic():
            row = HasVoted.objects.create(
                poll_id=poll.pk, member_id=member.pk, channel=Channel.PAPER, assisted=assisted
            )
    except IntegrityError as exc:
        existing = HasVoted.objects.get(poll_id=poll.pk, member_id=member.pk)
        if existing.channel == Channel.ONLINE:
            raise ElectionError(_("%(name)s has already voted online.") % {"name": member.name}) from exc
        raise ElectionError(_("%(name)s already has a paper ballot.") % {"name": member.name}) from exc
    return row
