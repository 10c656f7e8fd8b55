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
