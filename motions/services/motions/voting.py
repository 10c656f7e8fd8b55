"""A motion at its general meeting: the discussion with the quorum present, the ballot (an engine poll, one
item at a time), the outcome announced as soon as the poll is counted, and the resolution disclosed — for
四议两公开 once the villagers' meeting has resolved."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots import rules as engine_rules
from ballots import services as engine
from ballots.models import PollKind, PollStatus, RulePreset, Secrecy
from ballots.services import BallotError
from branches.audit import log_action
from branches.outbox import DisclosureKind, offer_disclosure

from ... import rules, selectors
from ...models import Motion, MotionStatus, MotionVote
from ..common import MotionError, check_issues, clean_text, tell, users_of
from .common import motion_url, move_motion, require_status


@transaction.atomic
def record_meeting_discussion(*, actor, motion: Motion, discussion: str) -> Motion:
    """The general meeting discusses the motion (mandatory) with its quorum present."""
    require_status(motion, MotionStatus.CIRCULATED, MotionStatus.HEARD)
    discussion = clean_text(discussion)
    if not discussion:
        raise MotionError(_("Record the general meeting's discussion."))
    expected, present = selectors.meeting_attendance(motion)
    check_issues(rules.debate_issues(motion, expected=expected, present=present))
    return move_motion(motion, MotionStatus.DEBATED, actor=actor, verb="motion.debate", discussion=discussion)


@transaction.atomic
def put_to_vote(*, actor, motion: Motion, secrecy: str = Secrecy.SECRET) -> MotionVote:
    """The ballot: an engine poll of the motion (one item), under the general meeting's rules — the
    quorum of 四议两公开 where it applies. The organiser runs it on the engine's pages."""
    motion = (
        Motion.objects.select_for_update(of=("self",))
        .select_related("meeting", "organisation")
        .get(pk=motion.pk)
    )
    check_issues(
        rules.vote_issues(
            motion,
            secrecy,
            outcomes=selectors.vote_outcomes(motion),
            another_item_open=selectors.another_item_open(motion),
        )
    )
    number = motion.votes.count() + 1
    overrides = rules.general_meeting_quorum(motion.four_two)
    try:
        poll = engine.create_poll(
            actor=actor,
            meeting=motion.meeting,
            title=motion.title if number == 1 else f"{motion.title}（{_('vote %(n)d') % {'n': number}}）",
            kind=PollKind.MOTION,
            secrecy=secrecy,
            rule_preset=RulePreset.GENERAL_MEETING,
            rule_overrides=overrides,
        )
        engine.add_option(actor=actor, poll=poll, label=motion.title)
    except BallotError as exc:
        raise MotionError(str(exc)) from exc
    vote = MotionVote.objects.create(motion=motion, number=number, poll=poll)
    move_motion(motion, MotionStatus.VOTING, actor=actor, verb="motion.put_to_vote")
    return vote


@transaction.atomic
def announce_outcome(*, actor, motion: Motion) -> MotionVote:
    """Announce at once, when the poll is counted: the engine's counts and frozen roll, judged by
    rules.motion_outcome (赞成 > 1/2 of 应到). Publishing the poll and announcing are one step: a counted
    poll is published here, and publishing it (here or on the poll's page) records the outcome through
    `announce_published_poll`, in the same transaction."""
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    require_status(motion, MotionStatus.VOTING)
    vote = motion.votes.order_by("-number").first()
    poll = selectors.latest_round(vote.poll)
    if poll.status == PollStatus.VOID:
        raise MotionError(_("The round was void: start a new round on the ballot page."))
    if poll.status not in (PollStatus.COUNTED, PollStatus.PUBLISHED):
        raise MotionError(_("The ballot has not been counted yet."))
    if poll.status == PollStatus.COUNTED:
        try:
            engine.publish_poll(actor=actor, poll=poll)  # → announce_published_poll
        except BallotError as exc:
            raise MotionError(str(exc)) from exc
    else:  # published before publishing announced
        _record_outcome(actor=actor, motion=motion, vote=vote, poll=poll)
    vote.refresh_from_db()
    return vote


def announce_published_poll(*, actor, poll) -> None:
    """The engine publishes a poll (ballots.signals.poll_publishing): if it is the latest round of a motion's
    vote under way, the motion's outcome is announced in the same transaction; other polls are left alone."""
    round_ = poll
    vote = None
    while round_ is not None and vote is None:
        vote = MotionVote.objects.filter(poll_id=round_.pk).first()
        round_ = round_.previous_round
    if vote is None:
        return
    motion = Motion.objects.select_for_update().get(pk=vote.motion_id)
    if motion.status != MotionStatus.VOTING or motion.votes.order_by("-number").first().pk != vote.pk:
        return
    if selectors.latest_round(vote.poll).pk != poll.pk:
        return
    try:
        _record_outcome(actor=actor, motion=motion, vote=vote, poll=poll)
    except MotionError as exc:
        raise BallotError(str(exc)) from exc


def _record_outcome(*, actor, motion: Motion, vote: MotionVote, poll) -> None:
    result = poll.result
    option_id = str(poll.options.get().pk)
    row = result.figures["total"]["totals"][option_id]
    outcome = rules.motion_outcome(
        category=motion.category,
        expected=result.expected,
        present=result.present,
        votes_for=row.get("for", 0),
        votes_against=row.get("against", 0),
        abstentions=row.get("abstain", 0),
        written=selectors.written_counts(motion, poll),
        threshold=result.rules.get("threshold"),
        threshold_inclusive=bool(result.rules.get("threshold_inclusive")),
    )
    now = timezone.now()
    MotionVote.objects.filter(pk=vote.pk).update(
        poll=poll,
        expected=outcome.expected,
        present=outcome.present,
        votes_for=outcome.votes_for,
        votes_against=outcome.votes_against,
        abstentions=outcome.abstentions,
        written_for=outcome.written_for,
        written_against=outcome.written_against,
        written_abstain=outcome.written_abstain,
        passed=outcome.passed,
        rules={
            **outcome.rules,
            "quorum": result.rules.get("quorum"),
            "quorum_inclusive": result.rules.get("quorum_inclusive"),
        },
        announced_at=now,
        announced_by=actor,
    )
    new = MotionStatus.PASSED if outcome.passed else MotionStatus.POSTPONED
    move_motion(
        motion,
        new,
        actor=actor,
        verb="motion.passed" if outcome.passed else "motion.postponed",
        decided_at=now,
    )
    subject = (_("Passed: %(title)s") if outcome.passed else _("Not passed, postponed: %(title)s")) % {
        "title": motion.title
    }
    told = users_of(selectors.party_members(motion.organisation).select_related("user"))
    if motion.source_proposal_id and motion.source_proposal.proposer.user_id:
        told.append(motion.source_proposal.proposer.user)  # also when he has moved to another branch
    tell(told, kind="motion.outcome", subject=subject, url=motion_url(motion))  # one notice each
    if outcome.passed and not motion.four_two:
        _offer_resolution(motion, outcome)


def _offer_resolution(motion: Motion, outcome=None) -> None:
    vote = outcome or motion.votes.filter(passed=True).order_by("-number").first()
    body = _(
        "%(title)s\n\n%(text)s\n\nPassed by the general meeting: %(for)d for of %(expected)d voting members "
        "expected (%(present)d present)."
    ) % {
        "title": motion.title,
        "text": motion.text,
        "for": vote.votes_for + vote.written_for,
        "expected": vote.expected,
        "present": vote.present,
    }
    # The engine's sentence with the rule and the numbers (written opinions of the absent included).
    body += "\n" + engine_rules.motion_sentence(vote.rules, vote.votes_for + vote.written_for, vote.expected)
    if motion.four_two and motion.villagers_resolution:
        body += "\n\n" + _("Resolved by the villagers' meeting: %(text)s") % {
            "text": motion.villagers_resolution
        }
    offer_disclosure(
        organisation=motion.organisation,
        kind=DisclosureKind.MOTION_RESOLUTION,
        title=_("Resolution: %(title)s") % {"title": motion.title},
        body=body,
        source=motion,
        catalogue_key="decisions",
    )


@transaction.atomic
def record_villagers_resolution(*, actor, motion: Motion, text: str) -> Motion:
    """四议两公开, step 4: the villagers' meeting resolves; then the resolution is disclosed (公开 1)."""
    if not motion.four_two:
        raise MotionError(_("Only a 四议两公开 matter goes to the villagers' meeting."))
    require_status(motion, MotionStatus.PASSED)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Record the villagers' meeting's resolution."))
    Motion.objects.filter(pk=motion.pk).update(villagers_resolution=text)
    motion.villagers_resolution = text
    log_action(actor, "motion.villagers_resolution", motion)
    _offer_resolution(motion)
    return motion
