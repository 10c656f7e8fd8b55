"""What the scoped reads share: rows under a set of paths, the one fetch-and-check (404 hidden, 403
forbidden), visibility by organisation, and who answers for a committee (the people reminded)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from branches.models import COMMITTEE_ROLES, PARTY_MEMBER_CATEGORIES, Member, Organisation, Role, RoleKind
from branches.selectors import Scope, scope_for

NOTHING = Q(pk__in=[])


def under_paths(paths, lookup: str) -> Q:
    """Rows whose `lookup` (an organisation path) lies under one of `paths`."""
    q = NOTHING
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def org_q(scope: Scope, *, members_see: Q) -> Q:
    """The rows of the organisations he reads (managers, officers, supervisors: all of them), and of his own
    branch those that `members_see`."""
    if scope.is_superuser:
        return Q()
    q = under_paths(scope.read_paths, "organisation__path")
    if scope.own_branch_path:
        q |= Q(organisation__path=scope.own_branch_path) & members_see
    return q


def fetch_for(request: HttpRequest, queryset: QuerySet, q_func, pk: int, *, check=None):
    """The object `pk` if the user may see it (`q_func(scope)`), else 404; if `check(scope, obj)` is given
    and fails, 403."""
    scope = scope_for(request.user)
    obj = queryset.filter(q_func(scope), pk=pk).first()
    if obj is None:
        raise Http404
    if check is not None and not check(scope, obj):
        raise PermissionDenied
    return obj


def can_manage_organisation(scope: Scope, obj) -> bool:
    return scope.can_manage(obj.organisation)


def fetch_of_organisation(request: HttpRequest, model, pk: int, q_func, manage: bool, *related):
    """`fetch_for` of an object that belongs to an organisation; with `manage`, only its managers (403)."""
    queryset = model.objects.select_related("organisation", *related)
    return fetch_for(request, queryset, q_func, pk, check=can_manage_organisation if manage else None)


# --- members --------------------------------------------------------------------------------------


def party_members(org: Organisation) -> QuerySet[Member]:
    """The party members (full and probationary) on the roll of `org` and the organisations below it."""
    return Member.objects.filter(
        organisation__path__startswith=org.path, is_active=True, category__in=PARTY_MEMBER_CATEGORIES
    )


# --- who is reminded ------------------------------------------------------------------------------


def committee_heads(org: Organisation) -> list:
    """The users who answer for a committee: its secretary and deputy; failing those, its committee members
    and officers."""
    roles = list(
        Role.objects.current()
        .filter(organisation=org, kind__in=[*COMMITTEE_ROLES, RoleKind.OFFICER], member__user__isnull=False)
        .select_related("member__user")
    )
    heads = [r for r in roles if r.kind in (RoleKind.SECRETARY, RoleKind.DEPUTY_SECRETARY)] or roles
    return [r.member.user for r in heads]


def secretaries(org: Organisation) -> list:
    """The users who are the branch's secretary or deputy secretary now."""
    return [
        r.member.user
        for r in Role.objects.current()
        .filter(organisation=org, kind__in=[RoleKind.SECRETARY, RoleKind.DEPUTY_SECRETARY])
        .select_related("member__user")
        if r.member.user_id
    ]


def higher_committee(org: Organisation) -> list:
    """The officers of the organisations strictly above `org`."""
    return [
        r.member.user
        for r in Role.objects.current()
        .filter(
            kind=RoleKind.OFFICER,
            organisation__path__in=org.ancestor_paths()[:-1],
            member__user__isnull=False,
        )
        .select_related("member__user")
    ]


def public_q(scope: Scope) -> Q:
    """全程公示: the rows of the organisations he reads, and those of his branch and the organisations above
    it. The caller adds the superuser's everything and what the user is part of."""
    q = under_paths(scope.read_paths, "organisation__path")
    if scope.own_ancestor_paths:
        q |= Q(organisation__path__in=scope.own_ancestor_paths)
    return q
