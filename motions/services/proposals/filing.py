"""A proposal filed — by one member, jointly with co-signers who confirm it themselves, or orally and
recorded by the secretary — and submitted to the committee."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.models import Household, Member

from ... import rules, states
from ...models import CosignStatus, Proposal, ProposalChannel, ProposalCosigner, ProposalStatus
from ..common import (
    MotionError,
    clean_text,
    clock_fields,
    move,
    named_cosigners,
    record_cosign,
    require_party_member,
    tell,
)
from .common import plan_reminders, proposal_url, tell_committee


@transaction.atomic
def file_proposal(
    *,
    actor,
    proposer: Member,
    title: str,
    content: str,
    cosigners: Iterable[Member] = (),
    household: Household | None = None,
    channel: str = ProposalChannel.FORM,
) -> Proposal:
    """A proposal by one member, or jointly: named co-signers confirm it themselves before it is submitted.
    An oral proposal is recorded by the secretary (`channel="oral"`, actor = the secretary)."""
    require_party_member(proposer)
    content, title = clean_text(content), clean_text(title)
    if not content:
        raise MotionError(_("A proposal needs its text: what should be done, and why."))
    title = title or content.splitlines()[0][:60]
    if channel not in ProposalChannel.values:
        raise MotionError(_("Unknown channel."))
    others = named_cosigners(
        proposer,
        cosigners,
        strangers=_(
            "Co-signers come from the proposer's branch; %(n)d of those named are not members of it."
        ),
    )
    if household is not None and household.member_id != proposer.pk:
        raise MotionError(_("The household is not one the proposer links."))
    proposal = Proposal.objects.create(
        organisation=proposer.organisation,
        handled_by=proposer.organisation,
        proposer=proposer,
        channel=channel,
        recorded_by=actor,
        household=household,
        title=title[:200],
        content=content,
        status=ProposalStatus.COSIGNING if others else ProposalStatus.SUBMITTED,
        **({} if others else _clock_from_today()),
    )
    ProposalCosigner.objects.bulk_create(ProposalCosigner(proposal=proposal, member=m) for m in others)
    log_action(
        actor,
        "proposal.file",
        proposal,
        changes={
            "status": [None, proposal.status],
            "channel": channel,
            "cosigners": [m.name for m in others],
        },
    )
    if others:
        tell(
            [m.user for m in others],
            kind="proposal.cosign",
            url=proposal_url(proposal),
            subject=_("%(name)s asks you to co-sign a proposal: %(title)s")
            % {"name": proposer.name, "title": proposal.title},
        )
    else:
        plan_reminders(proposal)
        tell_committee(proposal)
    return proposal


@transaction.atomic
def cosign_proposal(*, actor, proposal: Proposal, member: Member, confirm: bool) -> ProposalCosigner:
    """A named co-signer confirms or declines; when nobody is left to answer, the proposal is submitted."""
    row = record_cosign(
        proposal,
        actor=actor,
        member=member,
        confirm=confirm,
        collecting=ProposalStatus.COSIGNING,
        verb="proposal.cosign",
        not_named=_("You are not named as a co-signer of this proposal."),
        closed=_("This proposal no longer collects co-signatures."),
    )
    if not proposal.cosigners.filter(status=CosignStatus.PENDING).exists():
        _submit(proposal, actor=actor)
    return row


@transaction.atomic
def submit_proposal(*, actor, proposal: Proposal) -> Proposal:
    """The proposer submits without waiting for the co-signers who have not answered (they are dropped)."""
    if proposal.status != ProposalStatus.COSIGNING:
        raise MotionError(_("This proposal is already submitted."))
    dropped = list(proposal.cosigners.filter(status=CosignStatus.PENDING).select_related("member"))
    proposal.cosigners.filter(pk__in=[c.pk for c in dropped]).delete()
    if dropped:
        log_action(
            actor,
            "proposal.cosigners_dropped",
            proposal,
            changes={"dropped": [c.member.name for c in dropped]},
        )
    return _submit(proposal, actor=actor)


def _clock_from_today() -> dict:
    """The clock starts when the proposal reaches the committee (domain.md §4.2), not when it registers it."""
    return clock_fields(rules.proposal_deadline(timezone.localdate()))


def _submit(proposal: Proposal, *, actor) -> Proposal:
    move(
        proposal,
        states.PROPOSAL,
        ProposalStatus.SUBMITTED,
        actor=actor,
        verb="proposal.submit",
        **_clock_from_today(),
    )
    plan_reminders(proposal)
    tell_committee(proposal)
    return proposal
