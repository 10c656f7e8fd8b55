"""Casting: online ballots into the sealed box, paper ballots issued at the desk.

One member, one vote, across both channels: the "has voted" row is unique per (poll, member), and it is
written in the same transaction as the sealed ballot (into the inbox, which the mixer empties into the box
in shuffled batches: services/mixing.py). The transaction holds a shared advisory lock of the
poll, which a close takes exclusively, so a close waits for the casts under way and every cast after it
sees the poll closed.

The online cast is the hot path of a meeting (everyone votes within the same minute), so it reads what it
needs in one query (the poll, the member's standing on its roll and at the meeting, whether he has voted,
the options) and writes in one short transaction: the lock, the status, the has-voted row, the ballot.
Nothing here logs or audits a ballot's content; the view hides the POST from error reports.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import NoReturn

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from branches.models import Attendance, Member
from branches.rules import has_voting_rights, is_ascii_digits, voting_rights_q

from .. import ballotbox, rules
from ..models import Channel, HasVoted, Poll, PollKind, PollStatus, RollEntry
from .errors import BallotError, BallotUnconfirmed

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class CastResult:
    tracker: str | None  # None on a replay whose receipt cannot be read
    replayed: bool
    poll: Poll | None = None  # as the cast read it (title, status), for the confirmation

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


def _share_cast_lock(cursor, poll_id: int) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [_LOCK_NAMESPACE, poll_id])


def _poll_status(cursor, poll_id: int) -> str | None:
    cursor.execute("SELECT status FROM elections_poll WHERE id = %s", [poll_id])
    row = cursor.fetchone()
    return row[0] if row else None


def _lock_poll_for_cast(poll_id: int) -> str | None:
    """Take the poll's cast lock (shared), then read its status: after the lock, so a close that committed
    while this cast waited is seen."""
    with connection.cursor() as cursor:
        _share_cast_lock(cursor, poll_id)
        return _poll_status(cursor, poll_id)


def _refuse_closed(status: str | None) -> None:
    if status == PollStatus.OPEN:
        return
    if status == PollStatus.DRAFT:
        raise BallotError(_("Voting on this poll has not opened yet."))
    raise BallotError(_("Voting on this poll has closed; no more ballots are accepted."))


def _refuse_off_roll(member: Member | None) -> NoReturn:
    """Why someone is not on the frozen roll of the poll, in the words he needs."""
    if member is None:
        raise BallotError(_("Only members on the roll of this poll vote."))
    if member.category == "probationary":
        raise BallotError(_("Probationary members do not vote (选举条例 art. 5)."))
    if not has_voting_rights(member):
        raise BallotError(_("You have no voting rights in this poll."))
    raise BallotError(_("You are not on the roll of this poll."))


def _refuse_absent(attendance: str | None) -> None:
    if attendance != "present":
        raise BallotError(_("You have not signed in to the meeting: sign in first, then vote."))


def check_voter(poll: Poll, member: Member | None) -> None:
    """On the frozen roll and signed in to the meeting (present); each refusal says why."""
    if member is None or not RollEntry.objects.filter(poll_id=poll.pk, member_id=member.pk).exists():
        _refuse_off_roll(member)
    _refuse_absent(
        Attendance.objects.filter(meeting_id=poll.meeting_id, member_id=member.pk)
        .values_list("status", flat=True)
        .first()
    )


# The booth: the poll as the cast needs it, the member of the user, his standing (on the roll, at the meeting,
# voted already) and the options — one statement, written out because it runs for every ballot of a burst
# and the ORM would spend longer building it than PostgreSQL spends answering it.
_BOOTH_SQL = """
SELECT p.id, p.meeting_id, p.organisation_id, p.title, p.kind, p.secrecy, p.seats, p.allow_write_in,
       p.scale, p.status, p.public_key,
       m.id AS booth_member_id,
       EXISTS (SELECT 1 FROM elections_rollentry r WHERE r.poll_id = p.id AND r.member_id = m.id) AS on_roll,
       (SELECT a.status FROM branches_attendance a
         WHERE a.meeting_id = p.meeting_id AND a.member_id = m.id) AS attendance,
       EXISTS (SELECT 1 FROM elections_hasvoted h WHERE h.poll_id = p.id AND h.member_id = m.id) AS voted,
       ARRAY(SELECT o.id FROM elections_polloption o WHERE o.poll_id = p.id) AS option_ids,
       ARRAY(SELECT o.member_id FROM elections_polloption o
              WHERE o.poll_id = p.id AND o.member_id IS NOT NULL) AS candidate_member_ids
  FROM elections_poll p
  LEFT JOIN branches_member m ON m.user_id = %s AND m.is_active
 WHERE p.id = %s
"""


def _booth(poll_id: int, user_id: int | None) -> Poll | None:
    return next(iter(Poll.objects.raw(_BOOTH_SQL, [user_id, poll_id])), None)


# The has-voted row and the sealed ballot in one statement: the ballot is written only if the has-voted row
# was (not when the member has one already — a concurrent submission that committed first), and neither is
# written unless the poll is open as seen after the cast lock. No row back: closed, or voted already.
# The ballot goes to the inbox, not the box: the two rows share this transaction's id, and the mixer
# (services/mixing.py) moves the inbox into the box in shuffled batches so that the box links nobody.
_CAST_SQL = """
WITH voted AS (
    INSERT INTO elections_hasvoted (poll_id, member_id, channel, assisted, idempotency_key_hash, receipt)
    SELECT p.id, %s, %s, %s, %s, %s FROM elections_poll p WHERE p.id = %s AND p.status = %s
    ON CONFLICT (poll_id, member_id) DO NOTHING
    RETURNING poll_id
)
INSERT INTO ballots_ballotinbox (id, poll_id, sealed, tracker) SELECT %s, poll_id, %s, %s FROM voted RETURNING id
"""


def _replay_or_refuse(existing: HasVoted, idempotency_key: str, poll: Poll | None = None) -> CastResult:
    if existing.channel == Channel.PAPER:
        raise BallotError(_("You took a paper ballot; you cannot also vote online."))
    if existing.idempotency_key_hash is not None and bytes(
        existing.idempotency_key_hash
    ) == ballotbox.key_hash(idempotency_key):
        tracker = ballotbox.read_receipt(idempotency_key, existing.receipt)
        return CastResult(tracker=tracker, replayed=True, poll=poll)
    raise BallotError(_("You have already voted in this poll; a member votes once."))


@sensitive_variables("marks", "write_ins", "content", "sealed", "tracker", "idempotency_key", "spec")
def cast_ballot(
    *,
    user,
    poll: Poll | int,
    marks: dict[str, str],
    write_ins: list[str],
    idempotency_key: str,
    assisted: bool = False,
    unmarked_confirmed: bool = True,
) -> CastResult:
    """Record one member's online ballot, or return the first one's receipt on a retry of the same form.

    `poll` is the poll or its id: the cast reads the poll afresh either way. The booth passes
    `unmarked_confirmed=False` until the voter has said yes to a blank or partly marked ballot: such a
    ballot then raises BallotUnconfirmed before anything is written (from what the one read gave, no query
    more); a retry of a ballot already cast still answers with its receipt."""
    if not isinstance(idempotency_key, str) or not _KEY_RE.match(idempotency_key):
        raise BallotError(_("The ballot form was incomplete or damaged; reload the page and vote again."))
    user_id = user.pk if user is not None and user.is_authenticated else None
    poll_id = poll if isinstance(poll, int) else poll.pk
    booth = _booth(poll_id, user_id)
    if booth is None:
        raise BallotError(_("Only members on the roll of this poll vote."))
    _refuse_closed(booth.status)
    if booth.booth_member_id is None or not booth.on_roll:  # the rare path: say why, from the member's record
        _refuse_off_roll(Member.objects.filter(user_id=user_id, is_active=True).first() if user_id else None)
    _refuse_absent(booth.attendance)
    member_id = booth.booth_member_id
    if booth.voted:  # has-voted rows are never changed or deleted: this read is final
        existing = HasVoted.objects.get(poll_id=poll_id, member_id=member_id)
        return _replay_or_refuse(existing, idempotency_key, booth)
    if not all(is_ascii_digits(w) and len(w) < 12 for w in write_ins) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in marks.items()
    ):
        raise BallotError(_("The ballot form was incomplete or damaged; reload the page and vote again."))
    requested = list(write_ins)
    eligible = (
        eligible_write_ins(booth).filter(pk__in=requested).values_list("pk", flat=True) if requested else []
    )
    spec = rules.spec_for(
        booth,
        eligible_write_ins=eligible,
        option_ids=booth.option_ids,
        candidate_member_ids=booth.candidate_member_ids,
    )
    content = {"c": dict(marks), "w": [int(w) for w in write_ins]}
    problems = rules.ballot_problems(spec, content)
    if problems:
        raise BallotError(problems[0])
    unmarked = rules.unmarked_lines(spec, content)
    if unmarked and not unmarked_confirmed:
        blank = rules.is_blank(content)
        raise BallotUnconfirmed(rules.unmarked_question(spec, content), blank=blank, unmarked=unmarked)
    if booth.secrecy == "named":
        content["m"] = member_id  # sealed with the vote; revealed only by the count
    sealed = ballotbox.seal(bytes(booth.public_key), content)
    tracker = ballotbox.tracker_of(sealed)
    receipt = ballotbox.make_receipt(idempotency_key, tracker)
    with transaction.atomic(), connection.cursor() as cursor:
        _share_cast_lock(cursor, poll_id)
        cursor.execute(
            _CAST_SQL,
            [
                member_id,
                Channel.ONLINE,
                assisted,
                ballotbox.key_hash(idempotency_key),
                receipt,
                poll_id,
                PollStatus.OPEN,
                uuid.uuid4(),
                sealed,
                tracker,
            ],
        )
        if cursor.fetchone() is None:
            _refuse_closed(_poll_status(cursor, poll_id))
            existing = HasVoted.objects.get(poll_id=poll_id, member_id=member_id)
            return _replay_or_refuse(existing, idempotency_key, booth)
    return CastResult(tracker=tracker, replayed=False, poll=booth)


@transaction.atomic
def issue_paper_ballot(*, actor, poll: Poll, member: Member, assisted: bool = False) -> HasVoted:
    """The desk hands a member a paper ballot; from then on the online booth refuses him."""
    if poll.secrecy == "named":
        raise BallotError(_("A named poll is voted online only."))
    if poll.kind not in (PollKind.CANDIDATES, PollKind.MOTION, PollKind.RATING):
        raise BallotError(_("Unknown kind of poll."))
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
            raise BallotError(_("%(name)s has already voted online.") % {"name": member.name}) from exc
        raise BallotError(_("%(name)s already has a paper ballot.") % {"name": member.name}) from exc
    return row
