"""A proposal answered: the responsible person's progress notes and answer, an extension of the time limit,
and the proposer's rating of the answer (不满意 reopens it once)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import workdays
from branches.audit import log_action
from branches.rules import rule

from ... import rules, selectors, states
from ...models import (
    Outcome,
    Proposal,
    ProposalAnswer,
    ProposalExtension,
    ProposalProgress,
    ProposalStatus,
    Satisfaction,
)
from ...models.proposals import HANDLING_STATES, OPEN_STATES
from ..common import (
    MotionError,
    answer_timing,
    clean_text,
    deadline_of,
    due_fields,
    move,
    move_answered,
    tell,
)
from .common import plan_reminders, proposal_url, tell_proposer


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
    timing = answer_timing(proposal, now)
    answer = ProposalAnswer.objects.create(
        proposal=proposal,
        round=proposal.reopen_count + 1,
        outcome=outcome,
        reasons=reasons,
        answered_by=actor,
        **timing,
    )
    move_answered(
        proposal,
        states.PROPOSAL,
        ProposalStatus.ANSWERED,
        actor=actor,
        verb="proposal.answer",
        now=now,
        answered_on_time=timing["on_time"],
    )
    tell_proposer(
        proposal,
        kind="proposal.answered",
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
    tell_proposer(
        proposal,
        kind="proposal.extended",
        body=reason,
        subject=_("The time limit of your proposal is extended to %(due)s: %(title)s")
        % {"due": deadline.due_on, "title": proposal.title},
    )
    return extension


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
        url=proposal_url(proposal),
        subject=_("The proposer is dissatisfied; the proposal is reopened, due by %(due)s: %(title)s")
        % {"due": proposal.due_on, "title": proposal.title},
    )
    return answer
