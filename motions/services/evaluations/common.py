"""What the writes of democratic evaluation share: the engine's rating polls, and the one-time invitations
of mass representatives and the public."""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _

from ballots import services as engine
from ballots.models import Poll, PollKind, RulePreset
from ballots.services import BallotError
from branches.audit import log_action
from branches.models import Meeting, Member

from ... import rules
from ...models import Invitation
from ..common import MotionError, clean_text


def rating_poll(
    actor, *, meeting: Meeting, title: str, scale: list[str], options: list[tuple[str, Member | None]]
) -> Poll:
    """An engine rating poll in the meeting: secret, one line per option, the scale with its labels."""
    try:
        poll = engine.create_poll(
            actor=actor,
            meeting=meeting,
            title=title,
            kind=PollKind.RATING,
            scale=[[v, rules.label_of(v)] for v in scale],
            rule_preset=RulePreset.EVALUATION,
        )
        for label, member in options:
            engine.add_option(actor=actor, poll=poll, label=label, member=member)
    except BallotError as exc:
        raise MotionError(str(exc)) from exc
    return poll


def invite(*, actor, name: str, **target) -> tuple[Invitation, str]:
    """A one-time invitation to rate `target` (leadership= or public_rating=): the token is returned once and
    stored only as a hash."""
    name = clean_text(name)
    if not name:
        raise MotionError(_("Name the person invited."))
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(name=name[:60], token_hash=Invitation.hash(token), **target)
    log_action(actor, "evaluation.invite", next(iter(target.values())), changes={"invited": [None, name]})
    return invitation, token
