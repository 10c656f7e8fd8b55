"""A motion before its general meeting: the materials circulated and the members asked for their opinions,
the written opinions of absent voting members, and the optional hearing (听证会)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.models import Meeting, Member
from branches.rules import has_voting_rights

from ... import rules, selectors
from ...models import Motion, MotionComment, MotionStatus, OpinionChoice, WrittenOpinion
from ..common import MotionError, check_issues, clean_text, tell, users_of
from .common import is_party_member_of, motion_url, move_motion, require_status


@transaction.atomic
def circulate_materials(*, actor, motion: Motion, meeting: Meeting, materials: str) -> Motion:
    require_status(motion, MotionStatus.DISCUSSED)
    materials = clean_text(materials)
    if not materials:
        raise MotionError(_("The materials need their text."))
    check_issues(rules.circulation_issues(motion, meeting, timezone.now()))
    motion = move_motion(
        motion,
        MotionStatus.CIRCULATED,
        actor=actor,
        verb="motion.circulate",
        meeting=meeting,
        materials=materials,
        circulated_at=timezone.now(),
    )
    tell(
        users_of(selectors.party_members(motion.organisation).select_related("user")),
        kind="motion.circulated",
        subject=_("Materials for the general meeting of %(when)s: %(title)s — your opinion is asked")
        % {"when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d"), "title": motion.title},
        url=motion_url(motion),
    )
    return motion


@transaction.atomic
def comment_on_motion(*, actor, motion: Motion, member: Member, text: str) -> MotionComment:
    require_status(motion, MotionStatus.CIRCULATED, MotionStatus.HEARD)
    text = clean_text(text)
    if not text:
        raise MotionError(_("Write your opinion."))
    if not is_party_member_of(member, motion):
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
    require_status(motion, MotionStatus.CIRCULATED, MotionStatus.HEARD, MotionStatus.DEBATED)
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
    require_status(motion, MotionStatus.CIRCULATED)
    record = clean_text(record)
    if not record:
        raise MotionError(_("Record what the hearing heard."))
    return move_motion(motion, MotionStatus.HEARD, actor=actor, verb="motion.hearing", hearing_record=record)
