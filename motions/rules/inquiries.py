"""Who acts on an inquiry, how many co-sign a formal challenge, and where the signers' ratings lead."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from branches.rules import majority_of, rule

from ..models import InquiryStatus
from .common import is_responsible

if TYPE_CHECKING:
    from branches.selectors import Scope

    from ..models import Inquiry


def challenge_cosigners_required(party_members: int) -> int:
    """A 质询 needs max(3, 10% of the members) co-signers [cfg]."""
    return max(
        rule("challenge_cosigners_min"), math.ceil(party_members * rule("challenge_cosigners_percent") / 100)
    )


def inquiry_after_rating(*, signers: int, rated: int, dissatisfied: int, answer_round: int) -> str | None:
    """More than half of the signers dissatisfied → a second answer (first round) or escalation (second);
    every signer rated and no such majority → closed; otherwise still waiting (None)."""
    if majority_of(dissatisfied, signers):
        return InquiryStatus.SECOND_ANSWER_DUE if answer_round == 1 else InquiryStatus.ESCALATED
    if rated >= signers:
        return InquiryStatus.CLOSED
    return None


def can_manage_inquiry(scope: Scope, inquiry: Inquiry) -> bool:
    return scope.can_manage(inquiry.organisation)


def can_answer_inquiry(scope: Scope, inquiry: Inquiry) -> bool:
    return can_manage_inquiry(scope, inquiry) or is_responsible(scope, inquiry)
