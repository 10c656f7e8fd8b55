"""Keep the pending reminders of open proposals and inquiries in step with the people who hold the roles."""

from __future__ import annotations

from django.db import transaction

from ..models import Inquiry, Proposal
from ..models.inquiries import INQUIRY_OPEN_STATES
from ..models.proposals import CLOCK_STATES
from .inquiries import plan_reminders as plan_inquiry_reminders
from .proposals.common import plan_reminders as plan_proposal_reminders


def replan_open_reminders() -> int:
    """Re-plan every open deadline (idempotent: reminders already sent are never sent again), so that a new
    secretary or a new officer above receives the reminders written before he took office."""
    count = 0
    for proposal in Proposal.objects.filter(status__in=CLOCK_STATES).select_related(
        "handled_by", "responsible__user"
    ):
        with transaction.atomic():
            plan_proposal_reminders(proposal)
        count += 1
    for inquiry in Inquiry.objects.filter(status__in=INQUIRY_OPEN_STATES).select_related(
        "organisation", "responsible__user"
    ):
        with transaction.atomic():
            plan_inquiry_reminders(inquiry)
        count += 1
    return count
