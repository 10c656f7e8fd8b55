"""A motion's first stretch: the draft, the committee's discussion (支委会) and, for 四议两公开, the two
committees' deliberation; and the committee's reason for voting again after two failures in a row."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.models import Attendance, AttendanceStatus, Meeting, MeetingKind, Organisation
from branches.rules import is_village, rule
from branches.selectors import committee_of

from ... import rules, selectors
from ...models import Motion, MotionCategory, MotionOrigin, MotionStatus, Proposal, Topic
from ..common import MotionError, check_issues, clean_text, tell
from .common import motion_url, move_motion, require_status


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
        four_two = is_village(organisation)
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
            url=motion_url(motion),
        )
    return motion


@transaction.atomic
def record_committee_discussion(
    *, actor, motion: Motion, decision: str, present: int | None = None, meeting: Meeting | None = None
) -> Motion:
    """支委会: at least 1/2 of the committee present; its decision recorded. A postponed motion comes back
    through the committee too. With the committee meeting named, its sign-in sheet says who was present
    (the number entered is then ignored)."""
    require_status(motion, MotionStatus.DRAFT, MotionStatus.POSTPONED)
    decision = clean_text(decision)
    if not decision:
        raise MotionError(_("Record the committee's decision."))
    if meeting is not None and (
        meeting.organisation_id != motion.organisation_id or meeting.kind != MeetingKind.COMMITTEE
    ):
        raise MotionError(_("Choose a committee meeting of this branch."))
    committee_ids = {r.member_id for r in committee_of(motion.organisation)}
    size = len(committee_ids)
    if meeting is not None:
        present = Attendance.objects.filter(
            meeting=meeting, member_id__in=committee_ids, status=AttendanceStatus.PRESENT
        ).count()
    if present is None:
        raise MotionError(_("How many committee members were present?"))
    check_issues(rules.committee_quorum_issues(present=present, size=size))
    return move_motion(
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
    outcomes = selectors.vote_outcomes(motion)
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
    require_status(motion, MotionStatus.DISCUSSED)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Record what the two committees concluded."))
    Motion.objects.filter(pk=motion.pk).update(joint_deliberation=text)
    motion.joint_deliberation = text
    log_action(actor, "motion.joint_deliberation", motion)
    return motion
