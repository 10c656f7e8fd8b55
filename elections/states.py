"""The life cycle of 公推直选 (domain.md §3), applied by the one `branches.states.transition()`."""

from __future__ import annotations

from branches.states import Lifecycle, TransitionError, transition

__all__ = ["ELECTION", "TransitionError", "transition"]


# 公推直选 (domain.md §3): each step a state, no jump. Any state before the new committee takes office may be
# cancelled; the higher committee may return a request or pre-candidates for another pass.
ELECTION = Lifecycle(
    moves={
        "draft": frozenset({"requested", "cancelled"}),
        "requested": frozenset({"approved", "draft", "cancelled"}),
        "approved": frozenset({"nomination", "cancelled"}),
        "nomination": frozenset({"review", "cancelled"}),
        "review": frozenset({"recommendation", "cancelled"}),
        "recommendation": frozenset({"inspection", "cancelled"}),
        # A post left short of preliminary candidates is recommended again (recommendation.recommend_again).
        "inspection": frozenset({"pre_approval", "recommendation", "cancelled"}),
        "pre_approval": frozenset({"notice", "inspection", "cancelled"}),
        "notice": frozenset({"notice_over", "cancelled"}),
        "notice_over": frozenset({"candidates", "cancelled"}),
        "candidates": frozenset({"meeting", "cancelled"}),
        "meeting": frozenset({"counted", "cancelled"}),
        "counted": frozenset({"filed", "cancelled"}),
        "filed": frozenset({"confirmed", "cancelled"}),
        "confirmed": frozenset({"in_office", "cancelled"}),
        "in_office": frozenset(),
        "cancelled": frozenset(),
    }
)
