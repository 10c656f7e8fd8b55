"""Member proposals (提议, "民情提议", domain.md §4.2): answered within a time limit, the whole course
public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Household, Member, Organisation


class ProposalStatus(models.TextChoices):
    COSIGNING = "cosigning", _("Awaiting co-signers")
    SUBMITTED = "submitted", _("Submitted")
    FORWARDED = "forwarded", _("Forwarded to the higher committee")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")


# The clock runs in these states: registered and not (yet) answered. (Plain strings: the constraints and
# migrations use them.)
OPEN_STATES = ("registered", "assigned", "in_progress", "reopened")
# A responsible person is named from assignment on.
ASSIGNED_STATES = ("assigned", "in_progress", "answered", "reopened", "closed")
BEFORE_REGISTRATION = ("cosigning", "submitted", "forwarded", "not_accepted")
# Assigned and not answered: the responsible person works on it.
HANDLING_STATES = (ProposalStatus.ASSIGNED, ProposalStatus.IN_PROGRESS, ProposalStatus.REOPENED)
# The 15-day clock runs from submission (domain.md §4.2: a member's proposal is answered within 15 days of
# his filing it, however long registration takes): submitted and forwarded proposals are on the clock too.
CLOCK_STATES = ("submitted", "forwarded", *OPEN_STATES)
# No clock yet, the co-signers still answering: the board's light says "waiting" (rules.traffic_light).
WAITING_STATES = (ProposalStatus.COSIGNING,)


class ProposalChannel(models.TextChoices):
    FORM = "form", _("Proposal form")
    ORAL = "oral", _("Oral, recorded by the secretary")


class CosignStatus(models.TextChoices):
    PENDING = "pending", _("Not yet confirmed")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    NOT_YET = "not_yet", _("Cannot be done yet (explained)")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Proposal(models.Model):
    """A member's proposal. `organisation` is the proposer's branch (the board it appears on);
    `handled_by` the committee that handles it — the branch, or the higher committee it was forwarded to.

    The deadline fields are written when the clock starts (registration), moved by an extension or a
    reopening, and record the rule values they were computed under (`limit_days`, `limit_working_days`).

    Seam for the motions issue (票决): a motion will record where it came from with
    `Motion.source_proposal = ForeignKey(Proposal, null=True, related_name="motions")`; the proposal page
    already shows `proposal.motions` ("your proposal led to this decision") once that link exists.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="proposals"
    )
    handled_by = models.ForeignKey(
        Organisation, verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="handled_proposals"
    )
    proposer = models.ForeignKey(
        Member, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="proposals"
    )
    channel = models.CharField(
        _("way of filing"), max_length=10, choices=ProposalChannel.choices, default="form"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("from the household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("proposal"))
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices, default="submitted")
    decision_reason = models.TextField(_("reason"), blank=True)
    # The clock.
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    warn_on = models.DateField(null=True, blank=True)  # the first reminder day: amber on the board from then
    due_estimated = models.BooleanField(default=False)  # computed Monday–Friday: no holiday data for the year
    limit_days = models.PositiveSmallIntegerField(null=True, blank=True)
    limit_working_days = models.BooleanField(default=False)
    # Handling.
    department = models.CharField(_("responsible department"), max_length=100, blank=True)
    responsible = models.ForeignKey(
        Member,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_responsible",
    )
    first_answered_at = models.DateTimeField(null=True, blank=True)
    answered_on_time = models.BooleanField(null=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=ProposalChannel.values), name="proposal_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BEFORE_REGISTRATION)
                | Q(due_on__isnull=False, registered_at__isnull=False),
                name="proposal_registered_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ASSIGNED_STATES) | Q(responsible__isnull=False),
                name="proposal_assigned_has_person",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["not_accepted", "forwarded"]) | ~Q(decision_reason=""),
                name="proposal_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(first_answered_at__isnull=False),
                name="proposal_closed_only_when_answered",
            ),
            models.CheckConstraint(condition=~Q(content=""), name="proposal_has_text"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(
                fields=["due_on"], condition=Q(status__in=OPEN_STATES), name="proposal_open_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Proposal')} #{self.pk} {self.title}"[:200]


class Cosigner(models.Model):
    """联名: a co-signer named by the author of a proposal or a formal challenge, who confirms (or declines)
    it himself. The concrete models add the object (`cosigners`) and the `member`."""

    status = models.CharField(max_length=10, choices=CosignStatus.choices, default="pending")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")

    def __str__(self) -> str:
        return f"{self.member} ({self.get_status_display()})"


class ProposalCosigner(Cosigner):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="cosigned_proposals")

    class Meta(Cosigner.Meta):
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="proposal_cosigner_once"),
            models.CheckConstraint(
                condition=Q(status__in=CosignStatus.values), name="proposal_cosign_status_valid"
            ),
        ]


class ProposalProgress(models.Model):
    """A progress note by the responsible person (shown to the members: 全程公示)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="progress")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="proposal_progress_has_text")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.text[:40]}"


class ProposalAnswer(models.Model):
    """An answer, always with reasons; round 2 answers a reopened proposal. The proposer rates each."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(default=1)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()  # the deadline in force when it was given
    on_time = models.BooleanField()
    rating = models.CharField(_("rating"), max_length=20, choices=Satisfaction.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="proposal_answer_once_per_round"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="proposal_outcome_valid"),
            models.CheckConstraint(condition=~Q(reasons=""), name="proposal_answer_has_reasons"),
            models.CheckConstraint(
                condition=Q(rating="", rated_at__isnull=True)
                | Q(rating__in=Satisfaction.values, rated_at__isnull=False),
                name="proposal_rating_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.round})"


class ProposalExtension(models.Model):
    """An extension of the time limit; the proposer is told (domain.md §4.2)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="extensions")
    old_due_on = models.DateField()
    new_due_on = models.DateField()
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_on__gt=models.F("old_due_on")), name="extension_moves_later"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.old_due_on} → {self.new_due_on}"
