"""Who acts on a proposal, and where a rating of its answer leads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from branches.rules import rule

from ..models import ProposalStatus, Satisfaction
from .common import is_responsible

if TYPE_CHECKING:
    from branches.selectors import Scope

    from ..models import Proposal


def can_manage_proposal(scope: Scope, proposal: Proposal) -> bool:
    """The committee handling it (the branch's, or the higher committee's after forwarding)."""
    return scope.can_manage(proposal.handled_by)


def can_answer_proposal(scope: Scope, proposal: Proposal) -> bool:
    return can_manage_proposal(scope, proposal) or is_responsible(scope, proposal)


def is_proposer(scope: Scope, proposal: Proposal) -> bool:
    return scope.member is not None and proposal.proposer_id == scope.member.pk


def proposal_after_rating(rating: str, reopen_count: int) -> str:
    """不满意 reopens a proposal once; any other rating, or a second 不满意, closes it."""
    if rating == Satisfaction.DISSATISFIED and reopen_count < rule("proposal_reopen_limit"):
        return ProposalStatus.REOPENED
    return ProposalStatus.CLOSED
