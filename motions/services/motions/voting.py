"""Every write of a motion voted by ballot (票决制, domain.md §4.1).

The course, each step a state with its preconditions (rules.*_issues):
1. the committee discusses it (支委会, quorum ≥ 1/2 of the committee) and records its decision;
   for 四议两公开 the two committees then deliberate together;
2. the materials go to the members at least N days (3) before the general meeting; members comment,
   absent voting members may hand in written opinions (counted only for admission and conversion);
3. an optional hearing (听证会);
4. the general meeting: quorum > 1/2 of the voting members present (≥ 2/3 for 四议两公开), the discussion
   recorded;
5. the ballot: an engine poll of kind "motion", one item at a time, secret (named only where the rules
   allow); the organiser runs it on the engine's pages (scrutineers, seal, open, close, unseal);
6. the outcome, announced as soon as the poll is counted: passed iff 赞成 > 1/2 of 应到; passed → the
   implementation is followed (responsible person, milestones with reminders, progress, result);
   failed → postponed. A third vote after two failures in a row needs a reason recorded by the committee.
The resolution and the implementation result are offered to the disclosure boards through the outbox.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.models import Meeting, Member, Organisation, Role, RoleKind
from branches.outbox import offer_disclosure
from branches.rules import has_voting_rights, rule, voting_rights_q
from branches.selectors import committee_of
from ballots import services as engine
from ballots.models import Poll, PollStatus, RollEntry
from ballots.services import BallotError

from .. import rules, states
from ..models import (
    Milestone,
    Motion,
    MotionCategory,
    MotionComment,
    MotionOrigin,
    MotionProgress,
    MotionStatus,
    MotionVote,
    OpinionChoice,
    Proposal,
    ReservedOpinion,
    Topic,
    WrittenOpinion,
)
from .common import MotionError, clean_text, move, tell


def _url(motion: Motion) -> str:
    return reverse("motions:motion", args=[motion.pk])


def _move(motion: Motion, new: str, *, actor, verb: str, **extra) -> Motion:
    motion.refresh_from_db(fields=["status"])
    return move(motion, states.MOTION, new, actor=actor, verb=verb, **extra)


def _require(motion: Motion, *allowed: str) -> None:
    if motion.status not in allowed:
        raise MotionError(
            _("This cannot be done while the motion is “%(status)s”.")
            % {"status": motion.get_status_display()}
        )


def _issues(issues: list[str]) -> None:
    if issues:
        raise MotionError(" ".join(issues))


def _party_members(org: Organisation):
    return Member.objects.filter(
        organisation__path__startswith=org.path, is_active=True, category__in=["full", "probationary"]
    ).select_related("user")


def _secretaries(org: Organisation) -> list:
    return [
        r.member.user
        for r in Role.objects.current()
        .filter(organisation=org, kind__in=[RoleKind.SECRETARY, RoleKind.DEPUTY_SECRETARY])
        .select_related("member__user")
        if r.member.user_id
    ]


# --- drafting and the committee --------------------------------------------------------------------


@transaction.atomic
def create_motion(
    *,
    actor,
    organisation: Organisation,
    title: str,
    text: str,
    category: str,
    source_proposal: Proposal | None = None,
    source_topic: Topic | None = None,
    four_two: bool | None = None,
) -> Motion:
    """A draft motion of a branch; its origin is the committee, a member's proposal or a first-deliberation
    topic of the same branch (the proposer then sees "your proposal led to this decision")."""
    title, text = clean_text(title), clean_text(text)
    if not title or not text:
        raise MotionError(_("A motion needs a title and its text."))
    if category not in MotionCategory.values:
        raise MotionError(_("Choose the category of the matter."))
    if source_proposal is not None and source_topic is not None:
        raise MotionError(_("A motion comes from one proposal or one topic, not both."))
    origin = MotionOrigin.COMMITTEE
    for source in (source_proposal, source_topic):
        if source is not None:
            if not source.organisation.is_within(organisation) and not organisation.is_within(
                source.organisation
            ):
                raise MotionError(_("The source belongs to another organisation."))
            origin = MotionOrigin.PROPOSAL if source is source_proposal else MotionOrigin.TOPIC
    if four_two is None:
        # 四议两公开 is the procedure of village branches; others may choose it.
        four_two = organisation.unit_type == "village"
    motion = Motion.objects.create(
        organisation=organisation,
        title=title[:200],
        text=text,
        category=category,
        origin=origin,
        source_proposal=source_proposal,
        source_topic=source_topic,
        four_two=four_two,
        created_by=actor,
    )
    log_action(
        actor,
        "motion.create",
        motion,
        organisation=organisation,
        changes={"title": [None, motion.title], "category": [None, category], "origin": [None, origin]},
    )
    if source_proposal is not None and source_proposal.proposer.user_id:
        tell(
            [source_proposal.proposer.user],
            kind="motion.from_proposal",
            subject=_("Your proposal led to a motion: %(title)s") % {"title": motion.title},
            url=_url(motion),
        )
    return motion


@transaction.atomic
def record_committee_discussion(
    *, actor, motion: Motion, decision: str, present: int | None = None, meeting: Meeting | None = None
) -> Motion:
    """支委会: at least 1/2 of the committee present; its decision recorded. A postponed motion comes back
    through the committee too. With the committee meeting named, its sign-in sheet says who was present
    (the number entered is then ignored)."""
    _require(motion, MotionStatus.DRAFT, MotionStatus.POSTPONED)
    decision = clean_text(decision)
    if not decision:
        raise MotionError(_("Record the committee's decision."))
    if meeting is not None and (
        meeting.organisation_id != motion.organisation_id or meeting.kind != "committee"
    ):
        raise MotionError(_("Choose a committee meeting of this branch."))
    committee_ids = {r.member_id for r in committee_of(motion.organisation)}
    size = len(committee_ids)
    if meeting is not None:
        from branches.models import Attendance

        present = Attendance.objects.filter(
            meeting=meeting, member_id__in=committee_ids, status="present"
        ).count()
    if present is None:
        raise MotionError(_("How many committee members were present?"))
    _issues(rules.committee_quorum_issues(present=present, size=size))
    return _move(
        motion,
        MotionStatus.DISCUSSED,
        actor=actor,
        verb="motion.committee",
        committee_meeting=meeting,
        committee_size=size,
        committee_present=present,
        committee_decision=decision,
    )


@transaction.atomic
def record_revote_reason(*, actor, motion: Motion, reason: str) -> Motion:
    """The committee's reason for voting again a matter that failed twice in a row (泰安)."""
    reason = clean_text(reason)
    if not reason:
        raise MotionError(_("The committee's reason is needed."))
    outcomes = list(motion.votes.order_by("number").values_list("passed", flat=True))
    if rules.consecutive_failures(outcomes) < rule("motion_max_consecutive_failures"):
        raise MotionError(_("A reason is needed only after two failures in a row."))
    Motion.objects.filter(pk=motion.pk).update(revote_reason=reason, revote_reason_after_votes=len(outcomes))
    motion.revote_reason, motion.revote_reason_after_votes = reason, len(outcomes)
    log_action(actor, "motion.revote_reason", motion, changes={"reason": [None, reason]})
    return motion


@transaction.atomic
def record_joint_deliberation(*, actor, motion: Motion, text: str) -> Motion:
    """四议两公开, step 2: the village party organisation and the villagers' committee deliberate."""
    if not motion.four_two:
        raise MotionError(_("Only a 四议两公开 matter has the two committees' deliberation."))
    _require(motion, MotionStatus.DISCUSSED)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Record what the two committees concluded."))
    Motion.objects.filter(pk=motion.pk).update(joint_deliberation=text)
    motion.joint_deliberation = text
    log_action(actor, "motion.joint_deliberation", motion)
    return motion


# --- materials, comments, written opinions, hearing ------------------------------------------------


def circulation_issues(motion: Motion, meeting: Meeting | None, now: dt.datetime) -> list[str]:
    issues = []
    if motion.four_two and not motion.joint_deliberation:
        issues.append(_("四议两公开: the two committees have not deliberated yet."))
    if meeting is None:
        issues.append(_("Choose the general meeting that will vote."))
        return issues
    if meeting.organisation_id != motion.organisation_id or meeting.kind != "general":
        issues.append(_("Choose a general meeting of this branch."))
    if meeting.status != "scheduled":
        issues.append(_("The general meeting must still be scheduled."))
    issues += rules.materials_issues(meeting_starts_at=meeting.starts_at, now=now)
    return issues


@transaction.atomic
def circulate_materials(*, actor, motion: Motion, meeting: Meeting, materials: str) -> Motion:
    _require(motion, MotionStatus.DISCUSSED)
    materials = clean_text(materials)
    if not materials:
        raise MotionError(_("The materials need their text."))
    _issues(circulation_issues(motion, meeting, timezone.now()))
    motion = _move(
        motion,
        MotionStatus.CIRCULATED,
        actor=actor,
        verb="motion.circulate",
        meeting=meeting,
        materials=materials,
        circulated_at=timezone.now(),
    )
    tell(
        [m.user for m in _party_members(motion.organisation) if m.user_id],
        kind="motion.circulated",
        subject=_("Materials for the general meeting of %(when)s: %(title)s — your opinion is asked")
        % {"when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d"), "title": motion.title},
        url=_url(motion),
    )
    return motion


@transaction.atomic
def comment_on_motion(*, actor, motion: Motion, member: Member, text: str) -> MotionComment:
    _require(motion, MotionStatus.CIRCULATED, MotionStatus.HEARD)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Write your opinion."))
    if not member.organisation.is_within(motion.organisation) or member.category not in (
        "full",
        "probationary",
    ):
        raise MotionError(_("Only party members of the branch comment on its motions."))
    comment = MotionComment.objects.create(motion=motion, member=member, text=text)
    log_action(actor, "motion.comment", motion)
    return comment


@transaction.atomic
def record_written_opinion(
    *, actor, motion: Motion, member: Member, choice: str, handed_in_on: dt.date | None = None
) -> WrittenOpinion:
    """发展细则: an absent voting member's written opinion, handed in before the meeting; only admission and
    conversion count them (it is refused for any other matter, so nobody believes it counted)."""
    if not rules.counts_written_opinions(motion.category):
        raise MotionError(_("Written opinions of absent members count only for admission and conversion."))
    _require(motion, MotionStatus.CIRCULATED, MotionStatus.HEARD, MotionStatus.DEBATED)
    if choice not in OpinionChoice.values:
        raise MotionError(_("Choose for, against or abstain."))
    if not member.organisation.is_within(motion.organisation) or not has_voting_rights(member):
        raise MotionError(_("%(name)s has no vote in this branch.") % {"name": member.name})
    if WrittenOpinion.objects.filter(motion=motion, member=member).exists():
        raise MotionError(_("%(name)s has already handed in a written opinion.") % {"name": member.name})
    opinion = WrittenOpinion.objects.create(
        motion=motion,
        member=member,
        choice=choice,
        handed_in_on=handed_in_on or timezone.localdate(),
        recorded_by=actor,
    )
    # The audit says that an opinion was handed in, not what it says.
    log_action(actor, "motion.written_opinion", motion, changes={"member": [None, member.name]})
    return opinion


@transaction.atomic
def record_hearing(*, actor, motion: Motion, record: str) -> Motion:
    _require(motion, MotionStatus.CIRCULATED)
    record = clean_text(record)
    if not record:
        raise MotionError(_("Record what the hearing heard."))
    return _move(motion, MotionStatus.HEARD, actor=actor, verb="motion.hearing", hearing_record=record)


# --- the general meeting ---------------------------------------------------------------------------


def meeting_attendance(motion: Motion) -> tuple[int, int]:
    """(应到, 实到) of the voting members at the motion's meeting, as the engine will freeze them."""
    from branches.models import Attendance

    statuses = list(
        Attendance.objects.filter(voting_rights_q("member__"), meeting_id=motion.meeting_id)
        .exclude(status="excluded")
        .values_list("status", flat=True)
    )
    return len(statuses), statuses.count("present")


def debate_issues(motion: Motion) -> list[str]:
    if motion.meeting is None:
        return [_("The motion has no general meeting.")]
    issues = []
    if motion.meeting.status != "in_progress":
        issues.append(_("The general meeting has not started."))
    expected, present = meeting_attendance(motion)
    issues += rules.meeting_quorum_issues(present=present, expected=expected, four_two=motion.four_two)
    return issues


@transaction.atomic
def record_meeting_discussion(*, actor, motion: Motion, discussion: str) -> Motion:
    """The general meeting discusses the motion (mandatory) with its quorum present."""
    _require(motion, MotionStatus.CIRCULATED, MotionStatus.HEARD)
    discussion = clean_text(discussion)
    if not discussion:
        raise MotionError(_("Record the general meeting's discussion."))
    _issues(debate_issues(motion))
    return _move(motion, MotionStatus.DEBATED, actor=actor, verb="motion.debate", discussion=discussion)


def vote_issues(motion: Motion, secrecy: str = "secret") -> list[str]:
    issues = []
    if motion.status != MotionStatus.DEBATED:
        issues.append(_("The general meeting discusses the motion before it votes."))
    if secrecy == "named" and motion.category not in rule("motion_named_ballot_categories"):
        issues.append(_("This matter is voted by secret ballot."))
    outcomes = list(motion.votes.order_by("number").values_list("passed", flat=True))
    issues += rules.third_vote_issues(outcomes=outcomes, reason_after_votes=motion.revote_reason_after_votes)
    if motion.meeting is not None:
        open_elsewhere = Poll.objects.filter(meeting=motion.meeting, status="open").exclude(
            motion_vote__motion=motion
        )
        if open_elsewhere.exists():
            issues.append(_("Another item is being voted on: one item at a time."))
    return issues


@transaction.atomic
def put_to_vote(*, actor, motion: Motion, secrecy: str = "secret") -> MotionVote:
    """The ballot: an engine poll of the motion (one item), under the general meeting's rules — the
    quorum of 四议两公开 where it applies. The organiser runs it on the engine's pages."""
    motion = (
        Motion.objects.select_for_update(of=("self",))
        .select_related("meeting", "organisation")
        .get(pk=motion.pk)
    )
    _issues(vote_issues(motion, secrecy))
    number = motion.votes.count() + 1
    overrides = rules.general_meeting_quorum(motion.four_two)
    try:
        poll = engine.create_poll(
            actor=actor,
            meeting=motion.meeting,
            title=motion.title if number == 1 else f"{motion.title}（{_('vote %(n)d') % {'n': number}}）",
            kind="motion",
            secrecy=secrecy,
            rule_preset="general_meeting",
            rule_overrides=overrides,
        )
        engine.add_option(actor=actor, poll=poll, label=motion.title)
    except BallotError as exc:
        raise MotionError(str(exc)) from exc
    vote = MotionVote.objects.create(motion=motion, number=number, poll=poll)
    _move(motion, MotionStatus.VOTING, actor=actor, verb="motion.put_to_vote")
    return vote


def _latest_round(poll: Poll) -> Poll:
    """A void round is superseded by a new one (the engine's `new_round`): follow the chain."""
    while True:
        successor = Poll.objects.filter(previous_round=poll).first()
        if successor is None:
            return poll
        poll = successor


def written_counts(motion: Motion, poll: Poll) -> dict[str, int]:
    """The written opinions that count: of members on the frozen roll (应到) who were not present."""
    from branches.models import Attendance

    roll = RollEntry.objects.filter(poll=poll).values("member_id")
    present = Attendance.objects.filter(meeting_id=poll.meeting_id, status="present").values("member_id")
    counts = {"for": 0, "against": 0, "abstain": 0}
    for choice in (
        WrittenOpinion.objects.filter(motion=motion, member_id__in=roll)
        .exclude(member_id__in=present)
        .values_list("choice", flat=True)
    ):
        counts[choice] += 1
    return counts


@transaction.atomic
def announce_outcome(*, actor, motion: Motion) -> MotionVote:
    """Announce at once, when the poll is counted: the engine's counts and frozen roll, judged by
    rules.motion_outcome (赞成 > 1/2 of 应到); the poll's result is published with it."""
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    _require(motion, MotionStatus.VOTING)
    vote = motion.votes.order_by("-number").first()
    poll = _latest_round(vote.poll)
    if poll.status == PollStatus.VOID:
        raise MotionError(_("The round was void: start a new round on the ballot page."))
    if poll.status not in (PollStatus.COUNTED, PollStatus.PUBLISHED):
        raise MotionError(_("The ballot has not been counted yet."))
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
        written=written_counts(motion, poll),
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
    if poll.status == PollStatus.COUNTED:
        try:
            engine.publish_poll(actor=actor, poll=poll)
        except BallotError as exc:
            raise MotionError(str(exc)) from exc
    new = MotionStatus.PASSED if outcome.passed else MotionStatus.POSTPONED
    _move(
        motion,
        new,
        actor=actor,
        verb="motion.passed" if outcome.passed else "motion.postponed",
        decided_at=now,
    )
    subject = (_("Passed: %(title)s") if outcome.passed else _("Not passed, postponed: %(title)s")) % {
        "title": motion.title
    }
    told = [m.user for m in _party_members(motion.organisation) if m.user_id]
    if motion.source_proposal_id and motion.source_proposal.proposer.user_id:
        told.append(motion.source_proposal.proposer.user)  # also when he has moved to another branch
    tell(told, kind="motion.outcome", subject=subject, url=_url(motion))  # one notice each
    if outcome.passed and not motion.four_two:
        _offer_resolution(motion, outcome)
    vote.refresh_from_db()
    return vote


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
    if motion.four_two and motion.villagers_resolution:
        body += "\n\n" + _("Resolved by the villagers' meeting: %(text)s") % {
            "text": motion.villagers_resolution
        }
    offer_disclosure(
        organisation=motion.organisation,
        kind="motion.resolution",
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
    _require(motion, MotionStatus.PASSED)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Record the villagers' meeting's resolution."))
    Motion.objects.filter(pk=motion.pk).update(villagers_resolution=text)
    motion.villagers_resolution = text
    log_action(actor, "motion.villagers_resolution", motion)
    _offer_resolution(motion)
    return motion


# --- implementation ---------------------------------------------------------------------------------


@transaction.atomic
def assign_implementation(*, actor, motion: Motion, responsible: Member) -> Motion:
    _require(motion, MotionStatus.PASSED)
    if not responsible.is_active or not responsible.organisation.is_within(motion.organisation):
        raise MotionError(_("Choose a member of the branch."))
    old = motion.responsible.name if motion.responsible_id else None
    Motion.objects.filter(pk=motion.pk).update(responsible=responsible)
    motion.responsible = responsible
    log_action(actor, "motion.responsible", motion, changes={"responsible": [old, responsible.name]})
    for milestone in motion.milestones.filter(done_on__isnull=True):
        _plan_milestone_reminder(milestone)
    if responsible.user_id:
        tell(
            [responsible.user],
            kind="motion.responsible",
            subject=_("You are responsible for carrying out: %(title)s") % {"title": motion.title},
            url=_url(motion),
        )
    return motion


def _plan_milestone_reminder(milestone: Milestone) -> None:
    """Overdue from the day after its date: the responsible person and the secretary, then weekly."""
    motion = milestone.motion
    reminders.cancel(milestone)
    recipients = _secretaries(motion.organisation)
    if motion.responsible_id and motion.responsible.user_id:
        recipients.append(motion.responsible.user)
    reminders.schedule(
        kind="motion.milestone_overdue",
        obj=milestone,
        due_at=reminders.at_reminder_hour(milestone.due_on + dt.timedelta(days=1)),
        recipients=recipients,
        subject=_("Milestone overdue since %(due)s: %(title)s — %(motion)s")
        % {"due": milestone.due_on, "title": milestone.title, "motion": motion.title},
        url=_url(motion),
        repeat_every=dt.timedelta(days=rule("motion_milestone_reminder_repeat_days")),
        organisation=motion.organisation,
    )


@transaction.atomic
def add_milestone(*, actor, motion: Motion, title: str, due_on: dt.date) -> Milestone:
    _require(motion, MotionStatus.PASSED)
    title = clean_text(title)
    if not title or due_on is None:
        raise MotionError(_("A milestone needs a title and a date."))
    milestone = Milestone.objects.create(motion=motion, title=title[:200], due_on=due_on)
    milestone.motion = motion
    _plan_milestone_reminder(milestone)
    log_action(actor, "motion.milestone", motion, changes={"milestone": [None, f"{title} {due_on}"]})
    return milestone


@transaction.atomic
def complete_milestone(*, actor, milestone: Milestone, done_on: dt.date | None = None) -> Milestone:
    _require(milestone.motion, MotionStatus.PASSED)
    if milestone.done_on is not None:
        raise MotionError(_("This milestone is already done."))
    milestone.done_on = done_on or timezone.localdate()
    Milestone.objects.filter(pk=milestone.pk).update(done_on=milestone.done_on)
    reminders.cancel(milestone)
    log_action(
        actor, "motion.milestone_done", milestone.motion, changes={"milestone": [milestone.title, "done"]}
    )
    return milestone


@transaction.atomic
def record_motion_progress(*, actor, motion: Motion, text: str, percent: int = 0) -> MotionProgress:
    _require(motion, MotionStatus.PASSED)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Describe the progress."))
    if not 0 <= percent <= 100:
        raise MotionError(_("Per cent done is between 0 and 100."))
    progress = MotionProgress.objects.create(motion=motion, text=text, percent=percent, recorded_by=actor)
    log_action(actor, "motion.progress", motion, changes={"percent": [None, percent]})
    return progress


@transaction.atomic
def record_implementation_result(*, actor, motion: Motion, result: str) -> Motion:
    """The decision is carried out: the result recorded and disclosed (for 四议两公开, the second 公开)."""
    _require(motion, MotionStatus.PASSED)
    result = clean_text(result)
    if not result:
        raise MotionError(_("Describe the result."))
    if motion.four_two and not motion.villagers_resolution:
        raise MotionError(_("四议两公开: the villagers' meeting has not resolved yet."))
    motion = _move(
        motion,
        MotionStatus.IMPLEMENTED,
        actor=actor,
        verb="motion.implemented",
        result=result,
        implemented_at=timezone.now(),
    )
    for milestone in motion.milestones.filter(done_on__isnull=True):
        reminders.cancel(milestone)
    offer_disclosure(
        organisation=motion.organisation,
        kind="motion.result",
        title=_("Implementation result: %(title)s") % {"title": motion.title},
        body=result,
        source=motion,
        catalogue_key="decisions",
    )
    return motion


@transaction.atomic
def record_reserved_opinion(*, actor, motion: Motion, member: Member, text: str) -> ReservedOpinion:
    """党章 art. 4: a member carries out the decision and may keep his own opinion on record."""
    _require(motion, MotionStatus.PASSED, MotionStatus.IMPLEMENTED)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Write your reserved opinion."))
    if not member.organisation.is_within(motion.organisation) or member.category not in (
        "full",
        "probationary",
    ):
        raise MotionError(_("Only party members of the branch record a reserved opinion."))
    if ReservedOpinion.objects.filter(motion=motion, member=member).exists():
        raise MotionError(_("You have already recorded a reserved opinion."))
    opinion = ReservedOpinion.objects.create(motion=motion, member=member, text=text)
    log_action(actor, "motion.reserved_opinion", motion)
    return opinion
