"""What every step of 公推直选 shares: who a step waits on and its reminder, the one `move()` of the life
cycle, the status and issue checks, the election's page, its general meetings, its candidate polls in the
engine and its disclosures.

Every move goes through `branches.states.transition()` (conditional UPDATE + audit) and re-plans the
reminder of the party the next step waits on.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import PollKind, RulePreset
from ballots.services import add_option, add_scrutineer, create_poll
from branches import reminders
from branches.models import COMMITTEE_ROLES, Meeting, MeetingKind, Organisation, Role, RoleKind
from branches.outbox import DisclosureKind, offer_disclosure
from branches.rules import rule

from ..models import Election, ElectionStatus
from ..selectors import issues_for
from ..states import ELECTION, TransitionError, transition
from .errors import ElectionError

STEP_REMINDER = "election.step"


# --- who the steps wait on ----------------------------------------------------------------------------


def managers_of(org: Organisation) -> list:
    """The users who run the branch: its current committee."""
    return [
        r.member.user
        for r in Role.objects.current()
        .filter(organisation=org, kind__in=COMMITTEE_ROLES)
        .select_related("member__user")
        if r.member.user_id
    ]


def officers_above(org: Organisation) -> list:
    """The higher committee's officers: current officers of the organisations above the branch."""
    paths = org.ancestor_paths()[:-1]
    return [
        r.member.user
        for r in Role.objects.current()
        .filter(kind=RoleKind.OFFICER, organisation__path__in=paths)
        .select_related("member__user")
        if r.member.user_id
    ]


WAITS_ON_HIGHER = frozenset(
    {ElectionStatus.REQUESTED, ElectionStatus.REVIEW, ElectionStatus.PRE_APPROVAL, ElectionStatus.FILED}
)
WAITS_ON_NOBODY = frozenset({ElectionStatus.NOTICE, ElectionStatus.IN_OFFICE, ElectionStatus.CANCELLED})


def election_url(election: Election) -> str:
    return reverse("elections:election", args=[election.pk])


def plan_step_reminder(election: Election) -> None:
    """Tell whoever the new step waits on, now and again every few days while it still waits."""
    reminders.cancel(election, kinds=[STEP_REMINDER])
    status = election.status
    if status in WAITS_ON_NOBODY:
        return
    org = election.organisation
    recipients = officers_above(org) if status in WAITS_ON_HIGHER else managers_of(org)
    label = ElectionStatus(status).label
    reminders.schedule(
        kind=STEP_REMINDER,
        obj=election,
        due_at=timezone.now(),
        recipients=recipients,
        subject=_("%(title)s: “%(step)s” waits on you") % {"title": election.title, "step": label},
        url=election_url(election),
        repeat_every=dt.timedelta(days=rule("election_step_reminder_days")),
        organisation=org,
    )


# --- the life cycle -----------------------------------------------------------------------------------


def move(election: Election, new: str, *, actor, verb: str, **extra) -> Election:
    """The one way an election changes its status: the state table's transition, then the reminder."""
    election.refresh_from_db(fields=["status"])
    try:
        transition(
            election, ELECTION, new, actor=actor, verb=verb, organisation=election.organisation, **extra
        )
    except TransitionError as exc:
        raise ElectionError(str(exc)) from exc
    plan_step_reminder(election)
    return election


def check_no_issues(election: Election) -> None:
    """Refuse the next step while `selectors.issues_for()` names anything that blocks it."""
    issues = issues_for(election)
    if issues:
        raise ElectionError(" ".join(issues))


def check_status(election: Election, *statuses: str) -> None:
    """Refuse a step outside the statuses it belongs to (the status read again from the row)."""
    election.refresh_from_db(fields=["status"])
    if election.status not in statuses:
        raise ElectionError(
            _("This cannot be done while the election is at “%(step)s”.")
            % {"step": ElectionStatus(election.status).label}
        )


# --- what the steps produce for others ----------------------------------------------------------------


def schedule_general_meeting(
    *, actor, election: Election, title: str, agenda: str, starts_at: dt.datetime, location: str = ""
) -> Meeting:
    """A general meeting of the branch for a step (mobilisation, election), through branches.services."""
    from branches.services import BranchError, schedule_meeting

    try:
        return schedule_meeting(
            actor=actor,
            organisation=election.organisation,
            kind=MeetingKind.GENERAL,
            title=title,
            agenda=agenda,
            starts_at=starts_at,
            location=location,
        )
    except BranchError as exc:
        raise ElectionError(str(exc)) from exc


def disclose(election: Election, kind: DisclosureKind, *, title: str, body: str) -> None:
    """Offer a step's result to the disclosure boards, under the catalogue entry of the same name."""
    offer_disclosure(
        organisation=election.organisation,
        kind=str(kind),
        title=title,
        body=body,
        source=election,
        catalogue_key=str(kind),
    )


def candidate_poll(
    *,
    actor,
    meeting: Meeting,
    title: str,
    seats: int,
    members: list,
    scrutineers: list,
    rule_overrides: dict,
    write_ins: bool = False,
):
    """An engine poll of candidates (赞成 / 不赞成 / 弃权 each) under the election preset and the election's
    own rule values, with its scrutineers and one option per member."""
    poll = create_poll(
        actor=actor,
        meeting=meeting,
        title=title,
        kind=PollKind.CANDIDATES,
        seats=seats,
        allow_write_in=write_ins,
        rule_preset=RulePreset.ELECTION,
        rule_overrides=rule_overrides,
    )
    for member in scrutineers:
        add_scrutineer(actor=actor, poll=poll, member=member)
    for member in members:
        add_option(actor=actor, poll=poll, member=member)
    return poll
