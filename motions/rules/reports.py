"""The confidential channel: who is a discipline officer, and who sees and handles a misconduct report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from branches.models import RoleKind

if TYPE_CHECKING:
    from branches.selectors import Scope

    from ..models import MisconductReport

DISCIPLINE_ROLES = (RoleKind.DISCIPLINE, RoleKind.SUPERVISOR)


def discipline_paths(scope: Scope) -> set[str]:
    """The subtrees where the user is a discipline officer (纪检委员 of a committee, or a supervisor)."""
    return {r.organisation.path for r in scope.roles if r.kind in DISCIPLINE_ROLES}


def is_discipline_officer(scope: Scope) -> bool:
    return bool(discipline_paths(scope))


def can_see_report(scope: Scope, report: MisconductReport) -> bool:
    """Discipline officers of the organisation or above, never the person accused; the reporter sees his own.
    Not even a superuser sees a report he has no discipline role for."""
    if scope.member is None:
        return False
    if report.accused_id == scope.member.pk:
        return False
    if report.reporter_id == scope.member.pk:
        return True
    return any(report.organisation.path.startswith(p) for p in discipline_paths(scope))


def can_handle_report(scope: Scope, report: MisconductReport) -> bool:
    return (
        scope.member is not None
        and report.accused_id != scope.member.pk
        and any(report.organisation.path.startswith(p) for p in discipline_paths(scope))
    )
