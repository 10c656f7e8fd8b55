"""The life cycles of proposals, inquiries, misconduct reports and first-deliberation topics.

Each is a table for `branches.states.transition()`, which refuses an illegal move and applies a legal one
with a conditional UPDATE, audited in the same transaction. Which of two legal moves applies (closed or
reopened, second answer or escalation) is decided by `rules.py`; the tables only say what is possible.
"""

from branches.states import Lifecycle

PROPOSAL = Lifecycle(
    moves={
        "cosigning": frozenset({"submitted"}),
        "submitted": frozenset({"registered", "not_accepted", "forwarded"}),
        "forwarded": frozenset({"registered", "not_accepted"}),
        "registered": frozenset({"assigned"}),
        "assigned": frozenset({"in_progress", "answered"}),
        "in_progress": frozenset({"answered"}),
        "answered": frozenset({"closed", "reopened"}),
        "reopened": frozenset({"answered"}),
        "not_accepted": frozenset(),
        "closed": frozenset(),
    }
)

INQUIRY = Lifecycle(
    moves={
        "cosigning": frozenset({"submitted"}),
        "submitted": frozenset({"answered"}),
        "answered": frozenset({"closed", "second_due", "escalated"}),
        "second_due": frozenset({"answered"}),
        "escalated": frozenset({"closed"}),
        "closed": frozenset(),
    }
)

REPORT = Lifecycle(
    moves={
        "received": frozenset({"handling", "concluded"}),
        "handling": frozenset({"concluded"}),
        "concluded": frozenset(),
    }
)

TOPIC = Lifecycle(
    moves={
        "proposed": frozenset({"accepted", "rejected"}),
        "accepted": frozenset({"scheduled"}),
        "scheduled": frozenset({"concluded"}),
        "concluded": frozenset({"closed"}),
        "rejected": frozenset(),
        "closed": frozenset(),
    }
)

# --- Motions (票决, domain.md §4.1) and evaluations (§4.5) -------------------------------------------------
# A motion's steps: the committee discusses it → the materials are circulated (and opinions solicited) →
# an optional hearing → the general meeting discusses it → the ballot → passed (then implemented) or
# postponed; a postponed motion may go back to the committee. Preconditions of each step are in
# rules.motion_blocking_issues(); the third vote after two failures in rules.third_vote_issues().
MOTION = Lifecycle(
    moves={
        "draft": frozenset({"discussed"}),
        "discussed": frozenset({"circulated"}),
        "circulated": frozenset({"heard", "debated"}),
        "heard": frozenset({"debated"}),
        "debated": frozenset({"voting"}),
        "voting": frozenset({"passed", "postponed", "debated"}),  # back to debated: the poll was void
        "passed": frozenset({"implemented"}),
        "postponed": frozenset({"discussed"}),
        "implemented": frozenset(),
    }
)

MEMBER_EVALUATION = Lifecycle(
    moves={
        "self": frozenset({"peer"}),
        "peer": frozenset({"rating"}),
        "rating": frozenset({"grading"}),
        "grading": frozenset({"concluded"}),
        "concluded": frozenset(),
    }
)

LEADERSHIP_EVALUATION = Lifecycle(
    moves={
        "reporting": frozenset({"rating"}),
        "rating": frozenset({"concluded"}),
        "concluded": frozenset(),
    }
)

PUBLIC_RATING = Lifecycle(moves={"open": frozenset({"published"}), "published": frozenset()})
