"""What the steps of a proposal share: its page and label, the notices to the proposer and to the
committee, and the reminders of its deadline."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ... import selectors
from ...models import Proposal
from ...models.proposals import CLOCK_STATES
from ..common import plan_deadline_reminders, tell


def proposal_url(proposal: Proposal) -> str:
    return reverse("motions:proposal", args=[proposal.pk])


def proposal_label(proposal: Proposal) -> str:
    return f"#{proposal.pk} {proposal.title}"


def tell_proposer(proposal: Proposal, *, kind: str, subject: str, body: str = "") -> None:
    tell([proposal.proposer.user], kind=kind, url=proposal_url(proposal), subject=subject, body=body)


def tell_committee(proposal: Proposal) -> None:
    """A new proposal for the committee handling it to register."""
    tell(
        selectors.committee_heads(proposal.handled_by),
        kind="proposal.submitted",
        url=proposal_url(proposal),
        subject=_("New proposal to register: %(label)s") % {"label": proposal_label(proposal)},
    )


def plan_reminders(proposal: Proposal) -> None:
    """The reminders of the proposal's current deadline and people (see `plan_deadline_reminders`)."""
    plan_deadline_reminders(
        proposal,
        prefix="proposal",
        open_states=CLOCK_STATES,
        committee=proposal.handled_by,
        title=_("proposal %(label)s") % {"label": proposal_label(proposal)},
        url=proposal_url(proposal),
    )
