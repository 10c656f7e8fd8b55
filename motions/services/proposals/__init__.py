"""Every write of a proposal's course: filing, co-signing, registration, assignment, progress, answer,
extension, rating. Atomic, keyword-only, audited through `transition()` or `log_action()`."""

from .answers import answer_proposal, extend_proposal, rate_answer, record_progress
from .committee import assign_proposal, decline_proposal, forward_proposal, register_proposal
from .filing import cosign_proposal, file_proposal, submit_proposal

__all__ = [
    "answer_proposal",
    "assign_proposal",
    "cosign_proposal",
    "decline_proposal",
    "extend_proposal",
    "file_proposal",
    "forward_proposal",
    "rate_answer",
    "record_progress",
    "register_proposal",
    "submit_proposal",
]
