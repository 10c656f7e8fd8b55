"""A passed motion carried out: the responsible person, milestones with their reminders, progress, the
result (disclosed: for 四议两公开 the second 公开), and the reserved opinions of members (党章 art. 4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.models import Member
from branches.outbox import DisclosureKind, offer_disclosure
from branches.rules import rule

from ... import selectors
from ...models import Milestone, Motion, MotionProgress, MotionStatus, ReservedOpinion
from ..common import MotionError, clean_text, tell
from .common import is_party_member_of, motion_url, move_motion, require_status


@transaction.atomic
def assign_implementation(*, actor, motion: Motion, responsible: Member) -> Motion:
    require_status(motion, MotionStatus.PASSED)
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
            url=motion_url(motion),
        )
    return motion


def _plan_milestone_reminder(milestone: Milestone) -> None:
    """Overdue from the day after its date: the responsible person and the secretary, then weekly."""
    motion = milestone.motion
    reminders.cancel(milestone)
    recipients = selectors.secretaries(motion.organisation)
    if motion.responsible_id and motion.responsible.user_id:
        recipients.append(motion.responsible.user)
    reminders.schedule(
        kind="motion.milestone_overdue",
        obj=milestone,
        due_at=reminders.at_reminder_hour(milestone.due_on + dt.timedelta(days=1)),
        recipients=recipients,
        subject=_("Milestone overdue since %(due)s: %(title)s — %(motion)s")
        % {"due": milestone.due_on, "title": milestone.title, "motion": motion.title},
        url=motion_url(motion),
        repeat_every=dt.timedelta(days=rule("motion_milestone_reminder_repeat_days")),
        organisation=motion.organisation,
    )


@transaction.atomic
def add_milestone(*, actor, motion: Motion, title: str, due_on: dt.date) -> Milestone:
    require_status(motion, MotionStatus.PASSED)
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
    require_status(milestone.motion, MotionStatus.PASSED)
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
    require_status(motion, MotionStatus.PASSED)
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
    require_status(motion, MotionStatus.PASSED)
    result = clean_text(result)
    if not result:
        raise MotionError(_("Describe the result."))
    if motion.four_two and not motion.villagers_resolution:
        raise MotionError(_("四议两公开: the villagers' meeting has not resolved yet."))
    motion = move_motion(
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
        kind=DisclosureKind.MOTION_RESULT,
        title=_("Implementation result: %(title)s") % {"title": motion.title},
        body=result,
        source=motion,
        catalogue_key="decisions",
    )
    return motion


@transaction.atomic
def record_reserved_opinion(*, actor, motion: Motion, member: Member, text: str) -> ReservedOpinion:
    """党章 art. 4: a member carries out the decision and may keep his own opinion on record."""
    require_status(motion, MotionStatus.PASSED, MotionStatus.IMPLEMENTED)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Write your reserved opinion."))
    if not is_party_member_of(member, motion):
        raise MotionError(_("Only party members of the branch record a reserved opinion."))
    if ReservedOpinion.objects.filter(motion=motion, member=member).exists():
        raise MotionError(_("You have already recorded a reserved opinion."))
    opinion = ReservedOpinion.objects.create(motion=motion, member=member, text=text)
    log_action(actor, "motion.reserved_opinion", motion)
    return opinion
