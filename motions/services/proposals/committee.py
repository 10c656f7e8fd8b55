"""Every write of a proposal's course: filing, co-signing, registration, assignment, progress, answer,
extension, rating. Atomic, keyword-only, audited through `transition()` or `log_action()`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders, workdays
from branches.audit import log_action
from branches.models import Household, Member
from branches.rules import rule

from .. import rules, selectors, states
from ..models import (
    CosignStatus,
    Outcome,
    Proposal,
    ProposalAnswer,
    ProposalChannel,
    ProposalCosigner,
    ProposalExtension,
    ProposalProgress,
    ProposalStatus,
    Satisfaction,
)
from ..models.proposals import OPEN_STATES
from .common import (
    MotionError,
    clean_text,
    clock_fields,
    deadline_of,
    due_fields,
    move,
    named_cosigners,
    plan_deadline_reminders,
    record_cosign,
    require_party_member,
    tell,
)

HANDLING_STATES = (ProposalStatus.ASSIGNED, ProposalStatus.IN_PROGRESS, ProposalStatus.REOPENED)


def _url(proposal: Proposal) -> str:
    return reverse("motions:proposal", args=[proposal.pk])


def _label(proposal: Proposal) -> str:
    return f"#{proposal.pk} {proposal.title}"


# --- filing ---------------------------------------------------------------------------------------


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
            url=_url(proposal),
            subject=_("%(name)s asks you to co-sign a proposal: %(title)s")
            % {"name": proposer.name, "title": proposal.title},
        )
    else:
        _tell_committee(proposal)
    return proposal


def _tell_committee(proposal: Proposal) -> None:
    tell(
        selectors.committee_heads(proposal.handled_by),
        kind="proposal.submitted",
        url=_url(proposal),
        subject=_("New proposal to register: %(label)s") % {"label": _label(proposal)},
    )


@transaction.atomic
def cosign_proposal(*, actor, proposal: Proposal, member: Member, confirm: bool) -> ProposalCosigner:
    """A named co-signer confirms or declines; when nobody is left to answer, the proposal is submitted."""
    row = record_cosign(
        proposal,
        actor=actor,
        member=member,
        confirm=confirm,
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


def _submit(proposal: Proposal, *, actor) -> Proposal:
    move(proposal, states.PROPOSAL, ProposalStatus.SUBMITTED, actor=actor, verb="proposal.submit")
    _tell_committee(proposal)
    return proposal


# --- the committee --------------------------------------------------------------------------------


@transaction.atomic
def register_proposal(*, actor, proposal: Proposal) -> Proposal:
    """The committee registers the proposal: the clock starts (15 days [cfg], calendar or working days)."""
    now = timezone.now()
    deadline = rules.proposal_deadline(timezone.localdate(now))
    move(
        proposal,
        states.PROPOSAL,
        ProposalStatus.REGISTERED,
        actor=actor,
        verb="proposal.register",
        registered_at=now,
        **clock_fields(deadline),
    )
    plan_reminders(proposal)
    tell(
        [proposal.proposer.user],
        kind="proposal.registered",
        url=_url(proposal),
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
    tell(
        [proposal.proposer.user],
        kind="proposal.declined",
        url=_url(proposal),
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
    tell(
        [proposal.proposer.user],
        kind="proposal.forwarded",
        url=_url(proposal),
        body=reason,
        subject=_("Your proposal was forwarded to %(org)s: %(title)s")
        % {"org": higher, "title": proposal.title},
    )
    tell(
        selectors.committee_heads(higher),
        kind="proposal.submitted",
        url=_url(proposal),
        subject=_("A proposal was forwarded to you: %(label)s") % {"label": _label(proposal)},
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
        url=_url(proposal),
        subject=_("You are responsible for a proposal, due by %(due)s: %(title)s")
        % {"due": proposal.due_on, "title": proposal.title},
    )
    return proposal


# --- the responsible person -----------------------------------------------------------------------


@transaction.atomic
def record_progress(*, actor, proposal: Proposal, text: str) -> ProposalProgress:
    text = clean_text(text)
    if not text:
        raise MotionError(_("A progress note needs its text."))
    if proposal.status not in HANDLING_STATES:
        raise MotionError(_("Progress is recorded while the proposal is being handled."))
    if proposal.status == ProposalStatus.ASSIGNED:
        move(proposal, states.PROPOSAL, ProposalStatus.IN_PROGRESS, actor=actor, verb="proposal.start")
    note = ProposalProgress.objects.create(proposal=proposal, author=actor, text=text)
    log_action(actor, "proposal.progress", proposal, changes={"progress": len(text)})
    return note


@transaction.atomic
def answer_proposal(*, actor, proposal: Proposal, outcome: str, reasons: str) -> ProposalAnswer:
    """Adopted, partly adopted, not adopted — or not possible yet — always with reasons."""
    reasons = clean_text(reasons)
    if outcome not in Outcome.values:
        raise MotionError(_("Choose the outcome of the proposal."))
    if not reasons:
        raise MotionError(_("An answer always gives its reasons; if it cannot be done yet, explain why."))
    if proposal.status not in HANDLING_STATES:
        raise MotionError(_("Only an assigned proposal that is not yet answered can be answered."))
    now = timezone.now()
    on_time = timezone.localdate(now) <= proposal.due_on
    answer = ProposalAnswer.objects.create(
        proposal=proposal,
        round=proposal.reopen_count + 1,
        outcome=outcome,
        reasons=reasons,
        answered_by=actor,
        answered_at=now,
        due_on=proposal.due_on,
        on_time=on_time,
    )
    first = (
        {"first_answered_at": now, "answered_on_time": on_time} if proposal.first_answered_at is None else {}
    )
    move(proposal, states.PROPOSAL, ProposalStatus.ANSWERED, actor=actor, verb="proposal.answer", **first)
    reminders.cancel(proposal)
    tell(
        [proposal.proposer.user],
        kind="proposal.answered",
        url=_url(proposal),
        subject=_("Your proposal is answered (%(outcome)s); please rate the answer: %(title)s")
        % {"outcome": answer.get_outcome_display(), "title": proposal.title},
    )
    return answer


@transaction.atomic
def extend_proposal(*, actor, proposal: Proposal, days: int, reason: str) -> ProposalExtension:
    """More time, with a reason, and always a notice to the proposer."""
    reason = clean_text(reason)
    if not reason:
        raise MotionError(_("An extension needs a reason; the proposer is told."))
    limit = rule("proposal_extension_max_days")
    if not 1 <= days <= limit:
        raise MotionError(_("An extension is from 1 to %(n)d days.") % {"n": limit})
    if proposal.status not in OPEN_STATES:
        raise MotionError(_("Only a proposal whose clock runs can be extended."))
    old = proposal.due_on
    due = workdays.days_after(old, days, working=proposal.limit_working_days)
    extension = ProposalExtension.objects.create(
        proposal=proposal, old_due_on=old, new_due_on=due.day, reason=reason, granted_by=actor
    )
    deadline = deadline_of(proposal, due.day, prefix="proposal")
    updated = Proposal.objects.filter(pk=proposal.pk, status=proposal.status, due_on=old).update(
        due_on=deadline.due_on, warn_on=deadline.warn_on, due_estimated=deadline.estimated or due.estimated
    )
    if updated != 1:
        raise MotionError(_("Someone else changed this at the same moment; reload the page."))
    proposal.due_on, proposal.warn_on = deadline.due_on, deadline.warn_on
    proposal.due_estimated = deadline.estimated or due.estimated
    log_action(
        actor, "proposal.extend", proposal, changes={"due_on": [old, deadline.due_on], "reason": reason}
    )
    plan_reminders(proposal)
    tell(
        [proposal.proposer.user],
        kind="proposal.extended",
        url=_url(proposal),
        body=reason,
        subject=_("The time limit of your proposal is extended to %(due)s: %(title)s")
        % {"due": deadline.due_on, "title": proposal.title},
    )
    return extension


# --- the proposer ---------------------------------------------------------------------------------


@transaction.atomic
def rate_answer(*, actor, proposal: Proposal, rating: str) -> ProposalAnswer:
    """满意 / 基本满意 close the proposal; 不满意 reopens it once (a new time limit), then closes it."""
    member = getattr(actor, "member", None)
    if member is None or member.pk != proposal.proposer_id:
        raise MotionError(_("Only the proposer rates the answer."))
    if rating not in Satisfaction.values:
        raise MotionError(_("Choose satisfied, basically satisfied or dissatisfied."))
    if proposal.status != ProposalStatus.ANSWERED:
        raise MotionError(_("There is no answer to rate."))
    answer = ProposalAnswer.objects.select_for_update().filter(proposal=proposal).order_by("-round").first()
    if answer is None or answer.rating:
        raise MotionError(_("This answer is already rated."))
    now = timezone.now()
    answer.rating, answer.rated_at = rating, now
    answer.save(update_fields=["rating", "rated_at"])
    nxt = rules.proposal_after_rating(rating, proposal.reopen_count)
    if nxt == ProposalStatus.CLOSED:
        move(
            proposal,
            states.PROPOSAL,
            ProposalStatus.CLOSED,
            actor=actor,
            verb="proposal.rate_close",
            closed_at=now,
        )
        return answer
    deadline = rules.proposal_deadline(timezone.localdate(now))
    move(
        proposal,
        states.PROPOSAL,
        ProposalStatus.REOPENED,
        actor=actor,
        verb="proposal.reopen",
        reopen_count=proposal.reopen_count + 1,
        **due_fields(deadline),
    )
    plan_reminders(proposal)
    tell(
        [proposal.responsible.user, *selectors.committee_heads(proposal.handled_by)],
        kind="proposal.reopened",
        url=_url(proposal),
        subject=_("The proposer is dissatisfied; the proposal is reopened, due by %(due)s: %(title)s")
        % {"due": proposal.due_on, "title": proposal.title},
    )
    return answer


# --- reminders ------------------------------------------------------------------------------------


def plan_reminders(proposal: Proposal) -> None:
    """The reminders of the proposal's current deadline and people (see `plan_deadline_reminders`)."""
    plan_deadline_reminders(
        proposal,
        prefix="proposal",
        open_states=OPEN_STATES,
        committee=proposal.handled_by,
        title=_("proposal %(label)s") % {"label": _label(proposal)},
        url=_url(proposal),
    )
