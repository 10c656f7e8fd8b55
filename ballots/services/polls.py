"""Preparing and moving a poll: options, scrutineers, sealing, open, close, void, new round, publish."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from branches.audit import log_action
from branches.models import Attendance, Meeting, Member
from branches.rules import has_voting_rights, voting_rights_q

from .. import ballotbox, rules
from ..models import Poll, PollKind, PollOption, PollStatus, RulePreset, Scrutineer, Secrecy
from ..signals import poll_published, poll_publishing, round_started
from ..states import POLL, TransitionError, transition
from .errors import BallotError
from .mixing import mix_poll


def _default_preset(kind: str, meeting: Meeting) -> str:
    if kind == PollKind.CANDIDATES:
        return RulePreset.ELECTION
    if kind == PollKind.RATING:
        return RulePreset.EVALUATION
    return RulePreset.COMMITTEE if meeting.kind == "committee" else RulePreset.GENERAL_MEETING


def _move(poll: Poll, new: str, *, actor, verb: str, **extra) -> Poll:
    # Actions are named (open, close, publish), so the move starts from the stored status; the
    # conditional UPDATE in transition() still refuses a concurrent change between this read and it.
    poll.refresh_from_db(fields=["status"])
    try:
        return transition(poll, POLL, new, actor=actor, verb=verb, organisation=poll.organisation, **extra)
    except TransitionError as exc:
        raise BallotError(str(exc)) from exc


def _check_draft(poll: Poll) -> None:
    if poll.status != PollStatus.DRAFT:
        raise BallotError(_("The ballot can only be changed while the poll is being prepared."))


@transaction.atomic
def create_poll(
    *,
    actor,
    meeting: Meeting,
    title: str,
    kind: str,
    secrecy: str = Secrecy.SECRET,
    seats: int = 1,
    allow_write_in: bool = False,
    scale: list | None = None,
    rule_preset: str | None = None,
    rule_overrides: dict | None = None,
) -> Poll:
    if meeting.status not in ("scheduled", "in_progress"):
        raise BallotError(_("Polls are held in a meeting that is scheduled or under way."))
    if kind not in PollKind.values:
        raise BallotError(_("Unknown kind of poll."))
    if seats < 1:
        raise BallotError(_("A poll has at least one seat."))
    scale = [[str(v), str(label)] for v, label in (scale or [])]
    if kind == PollKind.RATING and len(scale) < 2:
        raise BallotError(_("A rating scale needs at least two values."))
    if len({v for v, _label in scale}) != len(scale):
        raise BallotError(_("The values of a rating scale must differ."))
    preset = rule_preset or _default_preset(kind, meeting)
    if preset not in RulePreset.values:
        raise BallotError(_("Unknown rule set."))
    poll = Poll.objects.create(
        meeting=meeting,
        organisation=meeting.organisation,
        title=title.strip(),
        kind=kind,
        secrecy=secrecy,
        seats=seats if kind == PollKind.CANDIDATES else 1,
        allow_write_in=allow_write_in and kind == PollKind.CANDIDATES,
        scale=scale if kind == PollKind.RATING else [],
        rule_preset=preset,
        rules=rules.rule_snapshot(preset, rule_overrides),
        created_by=actor,
    )
    log_action(
        actor,
        "poll.create",
        poll,
        changes={
            "title": [None, poll.title],
            "kind": [None, kind],
            "secrecy": [None, secrecy],
            "rules": [None, poll.rules],
        },
    )
    return poll


def _renumber(poll: Poll) -> None:
    """Candidates in surname stroke order (姓氏笔画, computed); other options keep their order of entry."""
    options = list(PollOption.objects.filter(poll=poll).order_by("position", "pk"))
    if poll.kind == PollKind.CANDIDATES:
        options.sort(key=lambda o: (rules.stroke_key(o.label), o.pk))
    for position, option in enumerate(options, start=1):
        if option.position != position:
            PollOption.objects.filter(pk=option.pk).update(position=position)


@transaction.atomic
def add_option(*, actor, poll: Poll, label: str = "", member: Member | None = None) -> PollOption:
    _check_draft(poll)
    if poll.kind == PollKind.CANDIDATES:
        if member is None:
            raise BallotError(_("A candidate is a member."))
        if not has_voting_rights(member):
            raise BallotError(
                _("%(name)s has no right to stand: only full members with voting rights stand.")
                % {"name": member.name}
            )
        if not member.organisation.is_within(poll.organisation):
            raise BallotError(_("%(name)s is not a member of this organisation.") % {"name": member.name})
        if poll.scrutineers.filter(member=member).exists():
            raise BallotError(_("%(name)s is a scrutineer and cannot stand.") % {"name": member.name})
    label = (label or (member.name if member else "")).strip()
    if not label:
        raise BallotError(_("An option needs a label."))
    if member is not None and poll.options.filter(member=member).exists():
        raise BallotError(_("%(name)s is already on the ballot.") % {"name": member.name})
    option = PollOption.objects.create(
        poll=poll, label=label[:200], member=member, position=poll.options.count() + 1
    )
    _renumber(poll)
    option.refresh_from_db()
    log_action(actor, "poll.option_add", poll, changes={"option": [None, option.label]})
    return option


@transaction.atomic
def remove_option(*, actor, option: PollOption) -> None:
    poll = option.poll
    _check_draft(poll)
    label = option.label
    option.delete()
    _renumber(poll)
    log_action(actor, "poll.option_remove", poll, changes={"option": [label, None]})


def _unseal_draft(poll: Poll) -> None:
    """A change of scrutineers voids the seal: the box must be sealed again by the new set."""
    if poll.public_key is not None:
        Poll.objects.filter(pk=poll.pk, status=PollStatus.DRAFT).update(
            public_key=None, wrapped_private_key=None, sealed_at=None
        )
        Scrutineer.objects.filter(poll=poll).update(encrypted_share=None, salt=None, share_index=None)
        poll.public_key = poll.wrapped_private_key = poll.sealed_at = None


@transaction.atomic
def add_scrutineer(*, actor, poll: Poll, member: Member) -> Scrutineer:
    _check_draft(poll)
    if not Attendance.objects.filter(meeting_id=poll.meeting_id, member=member).exists():
        raise BallotError(_("%(name)s is not on the roll of this meeting.") % {"name": member.name})
    # 选举条例: a candidate is no scrutineer. A rating poll rates people (every member, in a member
    # evaluation) who are not candidates, so its scrutineers may be among them.
    if poll.kind == PollKind.CANDIDATES and poll.options.filter(member=member).exists():
        raise BallotError(_("%(name)s is a candidate and cannot be a scrutineer.") % {"name": member.name})
    if poll.scrutineers.filter(member=member).exists():
        raise BallotError(_("%(name)s is already a scrutineer.") % {"name": member.name})
    _unseal_draft(poll)
    scrutineer = Scrutineer.objects.create(poll=poll, member=member)
    log_action(actor, "poll.scrutineer_add", poll, changes={"scrutineer": [None, member.name]})
    return scrutineer


@transaction.atomic
def remove_scrutineer(*, actor, scrutineer: Scrutineer) -> None:
    poll = scrutineer.poll
    _check_draft(poll)
    name = scrutineer.member.name
    _unseal_draft(poll)
    scrutineer.delete()
    log_action(actor, "poll.scrutineer_remove", poll, changes={"scrutineer": [name, None]})


@sensitive_variables("passphrases", "material")
@transaction.atomic
def seal_box(*, actor, poll: Poll, passphrases: dict[int, str]) -> Poll:
    """Each scrutineer sets his passphrase; a new key pair, its private key wrapped and split k-of-n."""
    _check_draft(poll)
    scrutineers = list(poll.scrutineers.select_related("member").order_by("pk"))
    k = poll.rules["shamir_threshold"]
    if len(scrutineers) < k:
        raise BallotError(
            _("At least %(k)d scrutineers are needed; %(n)d are named.") % {"k": k, "n": len(scrutineers)}
        )
    minimum = rules.rule("scrutineer_passphrase_min_length")
    chosen = []
    for s in scrutineers:
        passphrase = passphrases.get(s.pk) or ""
        if len(passphrase) < minimum:
            raise BallotError(
                _("%(name)s: the passphrase needs at least %(n)d characters.")
                % {"name": s.member.name, "n": minimum}
            )
        chosen.append(passphrase)
    if len(set(chosen)) != len(chosen):
        raise BallotError(_("Each scrutineer must choose his own passphrase; two are the same."))
    material = ballotbox.make_box(chosen, k)
    now = timezone.now()
    Poll.objects.filter(pk=poll.pk, status=PollStatus.DRAFT).update(
        public_key=material.public_key, wrapped_private_key=material.wrapped_private_key, sealed_at=now
    )
    for s, share in zip(scrutineers, material.shares, strict=True):
        Scrutineer.objects.filter(pk=s.pk).update(
            share_index=share.index,
            encrypted_share=share.encrypted,
            salt=share.salt,
            opslimit=share.opslimit,
            memlimit=share.memlimit,
        )
    poll.public_key, poll.wrapped_private_key, poll.sealed_at = (
        material.public_key,
        material.wrapped_private_key,
        now,
    )
    log_action(
        actor,
        "poll.seal",
        poll,
        changes={"scrutineers": [s.member.name for s in scrutineers], "threshold": f"{k}/{len(scrutineers)}"},
    )
    return poll


@transaction.atomic
def open_poll(*, actor, poll: Poll) -> Poll:
    """Freeze the roll (voting rights, minus exclusions) and open voting — unless something blocks it."""
    poll = Poll.objects.select_for_update().select_related("meeting", "organisation").get(pk=poll.pk)
    preview = rules.roll_preview(poll)
    issues = rules.blocking_issues(poll, preview)
    if issues:
        raise BallotError(" ".join(issues))
    member_ids = list(
        Attendance.objects.filter(voting_rights_q("member__"), meeting_id=poll.meeting_id)
        .exclude(status="excluded")
        .values_list("member_id", flat=True)
    )
    from ..models import RollEntry

    RollEntry.objects.bulk_create(RollEntry(poll=poll, member_id=m) for m in member_ids)
    return _move(
        poll,
        PollStatus.OPEN,
        actor=actor,
        verb="poll.open",
        opened_at=timezone.now(),
        expected_count=preview.expected,
        present_at_open=preview.present,
    )


def present_on_roll(poll: Poll) -> int:
    from ..models import RollEntry

    roll = RollEntry.objects.filter(poll=poll).values("member_id")
    return Attendance.objects.filter(meeting_id=poll.meeting_id, member_id__in=roll, status="present").count()


@transaction.atomic
def close_poll(*, actor, poll: Poll) -> Poll:
    """Close voting: wait for the casts under way to commit; casts that come after see it closed."""
    from .ballots import lock_poll_against_casts

    lock_poll_against_casts(poll.pk)
    mix_poll(poll.pk, final=True)  # the rest of the inbox into the box, before the status changes
    return _move(
        poll,
        PollStatus.CLOSED,
        actor=actor,
        verb="poll.close",
        closed_at=timezone.now(),
        present_at_close=present_on_roll(poll),
    )


@transaction.atomic
def void_poll(*, actor, poll: Poll, reason: str) -> Poll:
    reason = (reason or "").strip()
    if not reason:
        raise BallotError(_("Voiding a round needs a reason."))
    from .ballots import lock_poll_against_casts

    lock_poll_against_casts(poll.pk)
    if poll.status == PollStatus.OPEN:
        mix_poll(poll.pk, final=True)  # a void round's ballots are never counted, but never linkable either
    return _move(poll, PollStatus.VOID, actor=actor, verb="poll.void", void_reason=reason[:300])


@transaction.atomic
def new_round(*, actor, poll: Poll, seats: int | None = None, option_ids: list[int] | None = None) -> Poll:
    """A new round superseding a void one (or, for the caller, a further round for open seats)."""
    if poll.status not in (PollStatus.VOID, PollStatus.COUNTED, PollStatus.PUBLISHED):
        raise BallotError(_("A new round follows a void or counted round."))
    if Poll.objects.filter(previous_round=poll).exists():
        raise BallotError(_("This round already has a next round."))
    successor = Poll.objects.create(
        meeting=poll.meeting,
        organisation=poll.organisation,
        title=poll.title,
        kind=poll.kind,
        secrecy=poll.secrecy,
        seats=seats or poll.seats,
        allow_write_in=poll.allow_write_in,
        scale=poll.scale,
        rule_preset=poll.rule_preset,
        rules=poll.rules,
        round_no=poll.round_no + 1,
        previous_round=poll,
        created_by=actor,
    )
    options = poll.options.all()
    if option_ids is not None:
        options = options.filter(pk__in=option_ids)
    PollOption.objects.bulk_create(
        PollOption(poll=successor, label=o.label, member_id=o.member_id, position=o.position) for o in options
    )
    Scrutineer.objects.bulk_create(
        Scrutineer(poll=successor, member_id=s.member_id) for s in poll.scrutineers.all()
    )
    log_action(actor, "poll.new_round", successor, changes={"round": [poll.round_no, successor.round_no]})
    round_started.send(sender=Poll, previous_id=poll.pk, poll_id=successor.pk)
    return successor


@transaction.atomic
def publish_poll(*, actor, poll: Poll) -> Poll:
    poll = _move(poll, PollStatus.PUBLISHED, actor=actor, verb="poll.publish", published_at=timezone.now())
    poll_publishing.send(sender=Poll, poll=poll, actor=actor)  # announced with it (motions), or rolled back
    poll_id = poll.pk
    transaction.on_commit(lambda: poll_published.send(sender=Poll, poll_id=poll_id))
    return poll
