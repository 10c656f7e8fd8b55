"""The request (换届请示) of 公推直选: drafted by the branch, submitted to the higher committee, approved or
returned; once approved, the mobilisation publishes the procedure and opens nomination. Any step before
office may cancel the election."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.models import Organisation
from branches.outbox import DisclosureKind, withdraw_disclosures
from branches.rules import rule

from .. import rules as prules
from ..models import Election, ElectionMode, ElectionStatus
from .common import (
    check_no_issues,
    check_status,
    disclose,
    move,
    plan_step_reminder,
    schedule_general_meeting,
)
from .errors import ElectionError


@transaction.atomic
def draft_election(
    *,
    actor,
    organisation: Organisation,
    title: str,
    committee_seats: int,
    request_text: str,
    mode: str = ElectionMode.DIRECT,
    deputy_seats: int = 0,
    timetable: str = "",
) -> Election:
    if not organisation.is_branch:
        raise ElectionError(_("Only a party branch elects its committee here."))
    if (
        Election.objects.filter(organisation=organisation)
        .exclude(status__in=[ElectionStatus.IN_OFFICE, ElectionStatus.CANCELLED])
        .exists()
    ):
        raise ElectionError(_("The branch already has an election under way."))
    lo, hi = rule("committee_min_size"), rule("committee_hard_max_size")
    if not lo <= committee_seats <= hi:
        raise ElectionError(_("A committee has %(lo)d to %(hi)d seats.") % {"lo": lo, "hi": hi})
    if deputy_seats > rule("max_deputy_secretaries"):
        raise ElectionError(_("At most %(n)d deputy secretary.") % {"n": rule("max_deputy_secretaries")})
    if not request_text.strip():
        raise ElectionError(_("The request (换届请示) has no text."))
    election = Election.objects.create(
        organisation=organisation,
        title=title.strip(),
        mode=mode,
        committee_seats=committee_seats,
        deputy_seats=deputy_seats,
        request_text=request_text.strip(),
        timetable=timetable,
        rules=prules.rule_snapshot(),
        created_by=actor,
    )
    log_action(
        actor,
        "election.draft",
        election,
        changes={"title": [None, election.title], "mode": [None, mode], "seats": [None, committee_seats]},
    )
    plan_step_reminder(election)
    return election


@transaction.atomic
def submit_request(*, actor, election: Election) -> Election:
    check_status(election, ElectionStatus.DRAFT)
    check_no_issues(election)
    return move(election, ElectionStatus.REQUESTED, actor=actor, verb="election.request")


@transaction.atomic
def approve_request(*, actor, election: Election, comment: str = "") -> Election:
    return move(
        election,
        ElectionStatus.APPROVED,
        actor=actor,
        verb="election.request_approve",
        higher_comment=comment,
    )


@transaction.atomic
def return_request(*, actor, election: Election, comment: str) -> Election:
    if not comment.strip():
        raise ElectionError(_("Say why the request is returned."))
    return move(
        election,
        ElectionStatus.DRAFT,
        actor=actor,
        verb="election.request_return",
        higher_comment=comment.strip(),
    )


@transaction.atomic
def open_nomination(
    *,
    actor,
    election: Election,
    procedure: str,
    timetable: str = "",
    mobilisation_at: dt.datetime | None = None,
) -> Election:
    """The mobilisation: the procedure, conditions and timetable are published, nomination opens."""
    check_status(election, ElectionStatus.APPROVED)
    if not procedure.strip():
        raise ElectionError(_("Publish the procedure, the conditions and the timetable first."))
    extra = {"procedure": procedure.strip(), "timetable": timetable or election.timetable}
    if mobilisation_at is not None:
        extra["mobilisation_meeting"] = schedule_general_meeting(
            actor=actor,
            election=election,
            title=_("Mobilisation meeting: %(title)s") % {"title": election.title},
            agenda=procedure.strip(),
            starts_at=mobilisation_at,
        )
    move(election, ElectionStatus.NOMINATION, actor=actor, verb="election.nomination_open", **extra)
    disclose(
        election,
        DisclosureKind.ELECTION_PROCEDURE,
        title=_("%(title)s: procedure, conditions and timetable") % {"title": election.title},
        body=f"{election.procedure}\n\n{election.timetable}".strip(),
    )
    return election


@transaction.atomic
def cancel_election(*, actor, election: Election, reason: str) -> Election:
    if not reason.strip():
        raise ElectionError(_("Cancelling an election needs a reason."))
    move(
        election, ElectionStatus.CANCELLED, actor=actor, verb="election.cancel", higher_comment=reason.strip()
    )
    reminders.cancel(election)
    # Nothing of a cancelled election waits on a board: its offers not yet published are withdrawn.
    withdraw_disclosures(source=election)
    return election
