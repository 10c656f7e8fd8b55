"""The poll's life cycle (domain.md §2), applied by the one `branches.states.transition()`.

draft → open → closed → counted → published; any state but published may become void (the round is
superseded by a new one). A published poll never changes again (a PostgreSQL trigger refuses it too).
"""

from __future__ import annotations

from branches.states import Lifecycle, TransitionError, transition

POLL = Lifecycle(
    moves={
        "draft": frozenset({"open", "void"}),
        "open": frozenset({"closed", "void"}),
        "closed": frozenset({"counted", "void"}),
        "counted": frozenset({"published", "void"}),
        "published": frozenset(),
        "void": frozenset(),
    }
)

__all__ = ["POLL", "TransitionError", "transition"]
