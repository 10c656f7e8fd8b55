"""What the steps of a motion share: its page, its state moves, the states a step may be taken in, and who
takes part in the branch's decisions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Member

from ... import states
from ...models import Motion
from ..common import MotionError, is_party_member, move


def motion_url(motion: Motion) -> str:
    return reverse("motions:motion", args=[motion.pk])


def move_motion(motion: Motion, new: str, *, actor, verb: str, **extra) -> Motion:
    """`transition()` from the motion's status as it is in the database now."""
    motion.refresh_from_db(fields=["status"])
    return move(motion, states.MOTION, new, actor=actor, verb=verb, **extra)


def require_status(motion: Motion, *allowed: str) -> None:
    if motion.status not in allowed:
        raise MotionError(
            _("This cannot be done while the motion is “%(status)s”.")
            % {"status": motion.get_status_display()}
        )


def is_party_member_of(member: Member, motion: Motion) -> bool:
    """A party member of the motion's branch (or a branch below it): he comments and keeps his opinion."""
    return member.organisation.is_within(motion.organisation) and is_party_member(member)
