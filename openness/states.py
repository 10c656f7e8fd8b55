"""The life cycles of disclosure, applied by `branches.states.transition()` (conditional UPDATE + audit).

Item (公开条例 art. 15): draft → secrecy review by the named reviewer → approval (at the organisation, or
the higher committee when beyond its authority) → scheduled → published → (notice) completed; a
correction supersedes a published version (→ corrected); display ends (→ expired) → archived. A returned
item goes back through the secrecy review: no path reaches publication without it.
"""

from __future__ import annotations

from branches.states import Lifecycle, TransitionError, transition

ITEM = Lifecycle(
    moves={
        # Before publication its source may withdraw it (an election cancelled: branches.outbox).
        "draft": frozenset({"review", "withdrawn"}),
        "review": frozenset({"approval", "returned", "withdrawn"}),
        "approval": frozenset({"scheduled", "returned", "withdrawn"}),
        "returned": frozenset({"review", "withdrawn"}),
        "scheduled": frozenset({"published", "returned", "withdrawn"}),
        "published": frozenset({"completed", "corrected", "expired"}),
        "completed": frozenset({"corrected", "expired"}),
        "corrected": frozenset(),
        "expired": frozenset({"archived"}),
        "archived": frozenset(),
        "withdrawn": frozenset(),
    }
)

FEEDBACK = Lifecycle(
    moves={
        "open": frozenset({"answered"}),
        "answered": frozenset(),
    }
)

__all__ = ["FEEDBACK", "ITEM", "TransitionError", "transition"]
