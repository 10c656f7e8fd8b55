"""After the result: the new committee's division of work, filing (备案) with the higher committee, its
approval of the result and of 书记 and 副书记, and only then the roles in branches — the old ones end, the new
begin, the new term starts with its end-of-term reminder."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.models import COMMITTEE_ROLES, Member, Role, RoleKind

from ..models import ElectedMember, Election, ElectionStatus, Post
from .common import check_status, managers_of, move
from .errors import ElectionError

COMMITTEE_DUTIES = (
    RoleKind.ORGANISATION,
    RoleKind.PROPAGANDA,
    RoleKind.DISCIPLINE,
    RoleKind.COMMITTEE_MEMBER,
)
OFFICER_ROLES = {Post.SECRETARY: RoleKind.SECRETARY, Post.DEPUTY: RoleKind.DEPUTY_SECRETARY}


@transaction.atomic
def set_duty(*, actor, election: Election, member: Member, duty: str) -> ElectedMember:
    """The new committee's division of work (组织委员, 宣传委员, 纪检委员) before it takes office."""
    check_status(election, ElectionStatus.COUNTED, ElectionStatus.FILED, ElectionStatus.CONFIRMED)
    if duty not in COMMITTEE_DUTIES:
        raise ElectionError(_("Unknown duty."))
    row = ElectedMember.objects.filter(election=election, member=member, post=Post.COMMITTEE).first()
    if row is None:
        raise ElectionError(_("%(name)s was not elected to the committee.") % {"name": member.name})
    row.duty = duty
    row.save(update_fields=["duty"])
    log_action(actor, "election.duty", election, changes={"member": member.name, "duty": duty})
    return row


@transaction.atomic
def file_results(*, actor, election: Election) -> Election:
    """备案: the committee members are filed with the higher committee, which approves 书记 and 副书记."""
    return move(election, ElectionStatus.FILED, actor=actor, verb="election.file", filed_at=timezone.now())


@transaction.atomic
def confirm_results(*, actor, election: Election, comment: str = "") -> Election:
    return move(
        election,
        ElectionStatus.CONFIRMED,
        actor=actor,
        verb="election.confirm",
        confirmed_at=timezone.now(),
        confirmed_by=actor,
        higher_comment=comment,
    )


@transaction.atomic
def take_office(*, actor, election: Election, starts_on: dt.date | None = None) -> Election:
    """After the higher committee's approval only: the old roles end, the new begin, the new term starts
    with its end-of-term reminder."""
    from branches.services import assign_role, end_role, start_term

    check_status(election, ElectionStatus.CONFIRMED)
    if election.confirmed_at is None:
        raise ElectionError(_("The secretary has not been approved by the higher committee."))
    org = election.organisation
    starts_on = starts_on or timezone.localdate()
    day_before = starts_on - dt.timedelta(days=1)
    for role in Role.objects.current(starts_on).filter(organisation=org, kind__in=COMMITTEE_ROLES):
        end_role(actor=actor, role=role, ends_on=max(role.starts_on, day_before))
    elected = list(ElectedMember.objects.filter(election=election).select_related("member"))
    officers = {row.member_id for row in elected if row.post != Post.COMMITTEE}
    for row in elected:
        if row.post in OFFICER_ROLES:
            kind = OFFICER_ROLES[row.post]
        elif row.member_id in officers:
            continue  # the secretary's committee seat is his secretary role
        else:
            kind = row.duty or RoleKind.COMMITTEE_MEMBER
        assign_role(actor=actor, member=row.member, organisation=org, kind=kind, starts_on=starts_on)
    term = start_term(actor=actor, organisation=org, starts_on=starts_on)
    move(election, ElectionStatus.IN_OFFICE, actor=actor, verb="election.take_office", term=term)
    reminders.schedule(
        kind="term.end",
        obj=term,
        due_at=reminders.at_reminder_hour(term.reminder_due_on),
        recipients=managers_of(org),
        subject=_("The committee's term ends on %(date)s: prepare the next election")
        % {"date": term.ends_on.isoformat()},
        url=reverse("branches:organisation", args=[org.pk]),
        organisation=org,
    )
    return election
