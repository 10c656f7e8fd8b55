"""Who may see and do what, derived from roles and the place in the tree (domain.md §7).

`scope_for(user)` computes, once per request, the subtrees a user manages and reads; the querysets'
`visible_to()` methods and the `get_*_for()` functions below are the security boundary. An object a
user may not see answers 404, like one that does not exist; a visible object he may not change, 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from .models import (
    COMMITTEE_ROLES,
    AuditLog,
    Meeting,
    Member,
    Organisation,
    Role,
    RoleKind,
    RosterImport,
)
from .models.roles import rank_order

_NOTHING = Q(pk__in=[])


@dataclass
class Scope:
    """The subtrees (materialised paths) a user acts on."""

    is_superuser: bool = False
    member: Member | None = None
    manage_paths: set[str] = field(default_factory=set)  # secretaries, committees, higher officers
    supervise_paths: set[str] = field(default_factory=set)  # supervisors: read, review, audit
    own_branch_path: str | None = None
    own_ancestor_paths: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)

    # --- predicates --------------------------------------------------------------------------------------

    def _under(self, paths: set[str], org_path: str) -> bool:
        return any(org_path.startswith(p) for p in paths)

    def can_manage(self, org: Organisation) -> bool:
        return self.is_superuser or self._under(self.manage_paths, org.path)

    def can_supervise(self, org: Organisation) -> bool:
        return self.is_superuser or self._under(self.supervise_paths, org.path)

    def can_read_roster(self, org: Organisation) -> bool:
        return self.can_manage(org) or self.can_supervise(org)

    def is_member_of(self, org: Organisation) -> bool:
        return self.own_branch_path is not None and self.own_branch_path.startswith(org.path)

    def can_see(self, org: Organisation) -> bool:
        return self.can_read_roster(org) or org.path in self.own_ancestor_paths

    @property
    def read_paths(self) -> set[str]:
        return self.manage_paths | self.supervise_paths

    @property
    def is_manager(self) -> bool:
        return self.is_superuser or bool(self.manage_paths)

    @property
    def is_supervisor(self) -> bool:
        return self.is_superuser or bool(self.supervise_paths)

    @property
    def oversees_subtree(self) -> bool:
        """Officers and supervisors above a single branch: they get the tree page."""
        return self.is_superuser or any(r.kind in (RoleKind.OFFICER, RoleKind.SUPERVISOR) for r in self.roles)

    # --- queryset filters ---------------------------------------------------------------------------------

    def _paths_q(self, paths, lookup: str) -> Q:
        q = _NOTHING
        for p in paths:
            q |= Q(**{f"{lookup}__startswith": p})
        return q

    def organisation_q(self) -> Q:
        if self.is_superuser:
            return Q()
        return self._paths_q(self.read_paths, "path") | Q(path__in=self.own_ancestor_paths)

    def member_q(self) -> Q:
        if self.is_superuser:
            return Q()
        q = self._paths_q(self.read_paths, "organisation__path")
        if self.member is not None:
            q |= Q(pk=self.member.pk)
        return q

    def meeting_q(self) -> Q:
        """Meetings of what he reads, of his own branch and those above it, and every open meeting."""
        if self.is_superuser:
            return Q()
        q = self._paths_q(self.read_paths, "organisation__path") | Q(is_open=True)
        if self.own_ancestor_paths:
            q |= Q(organisation__path__in=self.own_ancestor_paths)
        return q


def scope_for(user) -> Scope:
    """The user's scope, computed once and kept on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return Scope()
    cached = getattr(user, "_zhibu_scope", None)
    if cached is not None:
        return cached
    scope = Scope(is_superuser=user.is_superuser)
    member = Member.objects.select_related("organisation").filter(user=user, is_active=True).first()
    if member is not None:
        scope.member = member
        scope.own_branch_path = member.organisation.path
        scope.own_ancestor_paths = member.organisation.ancestor_paths()
        scope.roles = list(Role.objects.current().filter(member=member).select_related("organisation"))
        for role in scope.roles:
            if role.kind in COMMITTEE_ROLES or role.kind == RoleKind.OFFICER:
                scope.manage_paths.add(role.organisation.path)
            elif role.kind == RoleKind.SUPERVISOR:
                scope.supervise_paths.add(role.organisation.path)
    # Fill the reverse one-to-one cache, so that `user.member` in templates costs no query.
    user.member = member
    user._zhibu_scope = scope
    return scope


# --- fetch-and-check, one per object type -----------------------------------------------------------------


def get_organisation_for(request: HttpRequest, pk: int, *, manage: bool = False, roster: bool = False):
    scope = scope_for(request.user)
    org = Organisation.objects.filter(pk=pk).select_related("parent").first()
    if org is None or not scope.can_see(org):
        raise Http404
    if manage and not scope.can_manage(org):
        raise PermissionDenied
    if roster and not scope.can_read_roster(org):
        raise PermissionDenied
    return org


def get_member_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Member:
    scope = scope_for(request.user)
    member = (
        Member.objects.filter(scope.member_q(), pk=pk).select_related("organisation", "group", "user").first()
    )
    if member is None:
        raise Http404
    if manage and not scope.can_manage(member.organisation):
        raise PermissionDenied
    return member


def get_roster_import_for(request: HttpRequest, pk: int) -> RosterImport:
    """An import belongs to its organisation: only its managers see it (404 if hidden, 403 if read-only)."""
    roster_import = RosterImport.objects.filter(pk=pk).first()
    if roster_import is None:
        raise Http404
    roster_import.organisation = get_organisation_for(request, roster_import.organisation_id, manage=True)
    return roster_import


def get_meeting_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Meeting:
    scope = scope_for(request.user)
    meeting = Meeting.objects.filter(scope.meeting_q(), pk=pk).select_related("organisation").first()
    if meeting is None:
        raise Http404
    if manage and not scope.can_manage(meeting.organisation):
        raise PermissionDenied
    return meeting


# --- reads ----------------------------------------------------------------------------------------------------------


def member_list(org: Organisation) -> QuerySet[Member]:
    """The roster of an organisation's subtree, in one query whatever its length."""
    return (
        Member.objects.filter(organisation__path__startswith=org.path, is_active=True)
        .select_related("organisation")
        .order_by("organisation__path", "name_pinyin", "pk")
    )


def committee_of(org: Organisation) -> list[Role]:
    return list(
        Role.objects.current()
        .filter(organisation=org, kind__in=COMMITTEE_ROLES)
        .select_related("member")
        .order_by(rank_order(), "member__name_pinyin")
    )


def tree_for(user) -> list[Organisation]:
    """The visible organisations with member counts, in tree order: two queries."""
    orgs = list(
        Organisation.objects.visible_to(user)
        .annotate(
            member_count=Count(
                "members", filter=Q(members__is_active=True, members__category__in=["full", "probationary"])
            ),
            full_count=Count("members", filter=Q(members__is_active=True, members__category="full")),
        )
        .order_by("path")
    )
    return orgs


def audit_for(org: Organisation) -> QuerySet[AuditLog]:
    return (
        AuditLog.objects.filter(organisation__path__startswith=org.path)
        .select_related("actor__member", "organisation", "content_type")
        .order_by("-created_at", "-pk")
    )


def upcoming_meetings(user, limit: int = 5) -> list[Meeting]:
    scope = scope_for(user)
    if scope.member is None and not scope.is_superuser:
        return []
    return list(
        Meeting.objects.filter(scope.meeting_q(), status__in=["scheduled", "in_progress"])
        .filter(starts_at__gte=timezone.now() - dt.timedelta(hours=12))
        .select_related("organisation")
        .order_by("starts_at")[:limit]
    )
