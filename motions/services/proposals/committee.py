"""The committee's part in a proposal: registering it (the clock starts), not accepting it, forwarding it
to the higher committee, and naming the person responsible."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.models import Member

from ... import rules, selectors, states
from ...models import Proposal, ProposalStatus
from ...models.proposals import HANDLING_STATES
from ..common import MotionError, clean_text, clock_fields, move, tell
from .common import plan_reminders, proposal_label, proposal_url, tell_proposer


@transaction.atomic
def register_proposal(*, actor, proposal: Proposal) -> Proposal:
    """The committee registers the proposal. The clock has run since submission (15 days [cfg], calendar or
    working days) and registering does not restart it; a proposal filed before the clock moved to
    submission gets its deadline now."""
    now = timezone.now()
    clock = {} if proposal.due_on else clock_fields(rules.proposal_deadline(timezone.localdate(now)))
    move(
        proposal,
        states.PROPOSAL,
        ProposalStatus.REGISTERED,
        actor=actor,
        verb="proposal.register",
        registered_at=now,
        **clock,
    )
    plan_reminders(proposal)
    tell_proposer(
        proposal,
        kind="proposal.registered",
        subject=_("Your proposal is registered; the answer is due by %(due)s: %(title)s")
        % {"due": proposal.due_on, "title": proposal.title},
    )
    return proposal


@transaction.atomic
def decline_proposal(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Not accepted, always with a written reason, told to the proposer."""
    reason = clean_text(reason)
    if not reason:
        raise MotionError(_("Not accepting a proposal needs a written reason."))
    move(
        proposal,
        states.PROPOSAL,
        ProposalStatus.NOT_ACCEPTED,
        actor=actor,
        verb="proposal.decline",
        decision_reason=reason,
    )
    plan_reminders(proposal)  # the clock, running since submission, stops: its reminders go
    tell_proposer(
        proposal,
        kind="proposal.declined",
        body=reason,
        subject=_("Your proposal was not accepted: %(title)s") % {"title": proposal.title},
    )
    return proposal


@transaction.atomic
def forward_proposal(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Forwarded to the higher committee, which registers (or declines) it in turn."""
    reason = clean_text(reason)
    if not reason:
        raise MotionError(_("Forwarding a proposal needs a written reason."))
    higher = proposal.handled_by.parent
    if higher is None:
        raise MotionError(_("There is no higher committee to forward it to."))
    move(
        proposal,
        states.PROPOSAL,
        ProposalStatus.FORWARDED,
        actor=actor,
        verb="proposal.forward",
        decision_reason=reason,
        handled_by=higher,
    )
    plan_reminders(proposal)  # the clock runs on; the reminders go to the higher committee's people now
    tell_proposer(
        proposal,
        kind="proposal.forwarded",
        body=reason,
        subject=_("Your proposal was forwarded to %(org)s: %(title)s")
        % {"org": higher, "title": proposal.title},
    )
    tell(
        selectors.committee_heads(higher),
        kind="proposal.submitted",
        url=proposal_url(proposal),
        subject=_("A proposal was forwarded to you: %(label)s") % {"label": proposal_label(proposal)},
    )
    return proposal


@transaction.atomic
def assign_proposal(*, actor, proposal: Proposal, responsible: Member, department: str = "") -> Proposal:
    """Name the responsible department and person (again, to reassign); the reminders follow the person."""
    if responsible.user_id is None:
        raise MotionError(
            _("%(name)s has no login: choose someone who can answer on the portal.")
            % {"name": responsible.name}
        )
    if not responsible.is_active or not responsible.organisation.is_within(proposal.handled_by):
        raise MotionError(_("The responsible person must belong to %(org)s.") % {"org": proposal.handled_by})
    department = clean_text(department)[:100]
    if proposal.status == ProposalStatus.REGISTERED:
        move(
            proposal,
            states.PROPOSAL,
            ProposalStatus.ASSIGNED,
            actor=actor,
            verb="proposal.assign",
            responsible=responsible,
            department=department,
        )
    elif proposal.status in HANDLING_STATES:
        changes = {
            "responsible": [str(proposal.responsible), responsible.name],
            "department": [proposal.department, department],
        }
        proposal.responsible, proposal.department = responsible, department
        proposal.save(update_fields=["responsible", "department"])
        log_action(actor, "proposal.reassign", proposal, changes=changes)
    else:
        raise MotionError(_("Only a registered proposal that is not yet answered can be assigned."))
    plan_reminders(proposal)
    tell(
        [responsible.user],
        kind="proposal.assigned",
        url=proposal_url(proposal),
        subject=_("You are responsible for a proposal, due by %(due)s: %(title)s")
        % {"due": proposal.due_on, "title": proposal.title},
    )
    return proposal
