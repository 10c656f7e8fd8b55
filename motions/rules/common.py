"""What the rules of several sub-domains share: the person responsible for an answer, and board rates."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from branches.selectors import Scope


def is_responsible(scope: Scope, obj) -> bool:
    """He is the person named to answer `obj` (a proposal or an inquiry)."""
    return scope.member is not None and obj.responsible_id == scope.member.pk


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
