"""Writes on roles (assigning and ending them) and the reads of roles the other services share."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..audit import log_action
from ..models import COMMITTEE_ROLES, Member, Organisation, Role, RoleKind
from .errors import BranchError


@transaction.atomic
def assign_role(
    *,
    actor,
    member: Member,
    organisation: Organisation,
    kind: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Role:
    starts_on = starts_on or timezone.localdate()
    if kind in COMMITTEE_ROLES:
        if member.category != "full":
            raise BranchError(_("Only full members serve on a committee."))
        if not member.organisation.is_within(organisation):
            raise BranchError(_("A committee member must belong to the organisation."))
        if (
            kind in (RoleKind.SECRETARY,)
            and Role.objects.current(starts_on).filter(organisation=organisation, kind=kind).exists()
        ):
            raise BranchError(_("The organisation already has a secretary; end that role first."))
    if ends_on is not None and ends_on < starts_on:
        raise BranchError(_("A role cannot end before it starts."))
    role = Role.objects.create(
        member=member, organisation=organisation, kind=kind, starts_on=starts_on, ends_on=ends_on
    )
    log_action(
        actor,
        "role.assign",
        role,
        organisation=organisation,
        changes={"member": [None, member.name], "kind": [None, kind], "starts_on": [None, starts_on]},
    )
    return role


@transaction.atomic
def end_role(*, actor, role: Role, ends_on: dt.date | None = None) -> Role:
    ends_on = ends_on or timezone.localdate()
    if ends_on < role.starts_on:
        raise BranchError(_("A role cannot end before it starts."))
    changes = {"ends_on": [role.ends_on, ends_on]}
    role.ends_on = ends_on
    role.save(update_fields=["ends_on"])
    log_action(actor, "role.end", role, organisation=role.organisation, changes=changes)
    return role


def committee_shape(org: Organisation) -> rules.CommitteeShape:
    roles = list(
        Role.objects.current()
        .filter(organisation=org, kind__in=COMMITTEE_ROLES)
        .values_list("kind", "member_id")
    )
    full = Member.objects.filter(
        organisation__path__startswith=org.path, is_active=True, category="full"
    ).count()
    return rules.CommitteeShape(
        full_members=full,
        committee_size=len({member_id for _kind, member_id in roles}),
        has_secretary=any(kind == RoleKind.SECRETARY for kind, _m in roles),
        deputies=sum(1 for kind, _m in roles if kind == RoleKind.DEPUTY_SECRETARY),
        branch_rules=rules.is_branch(org),
        secretary_post=rules.has_secretary_post(org),
    )


def officers_above(org: Organisation) -> list[Role]:
    """Current higher-committee officers of the organisations above `org` (and of `org` itself)."""
    return list(
        Role.objects.current()
        .filter(kind=RoleKind.OFFICER, organisation__path__in=org.ancestor_paths())
        .select_related("member__user")
    )
