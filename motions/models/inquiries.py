"""Inquiries (询问 / 质询, domain.md §4.3), inquiry days, and the confidential channel for reports of
misconduct."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Meeting, Member, Organisation

from .proposals import Cosigner, CosignStatus


class InquiryKind(models.TextChoices):
    ASK = "ask", _("Inquiry (询问)")
    CHALLENGE = "challenge", _("Formal challenge (质询)")


class InquiryStatus(models.TextChoices):
    COSIGNING = "cosigning", _("Awaiting co-signers")
    SUBMITTED = "submitted", _("Awaiting the answer")
    ANSWERED = "answered", _("Answered")
    SECOND_ANSWER_DUE = "second_due", _("Second answer due")
    ESCALATED = "escalated", _("Escalated to the higher committee")
    CLOSED = "closed", _("Closed")


# The clock runs while an answer is due. (Plain strings: constraints and migrations use them.)
INQUIRY_OPEN_STATES = ("submitted", "second_due")
# No clock yet: the board's light says "waiting" (rules.traffic_light).
INQUIRY_WAITING_STATES = (InquiryStatus.COSIGNING,)


class AnswerMode(models.TextChoices):
    WRITTEN = "written", _("In writing, signed")
    ORAL = "oral", _("Orally at a meeting (recorded)")


class Inquiry(models.Model):
    """A member's question to the committee (询问), or a written challenge with co-signers (质询)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="inquiries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InquiryKind.choices, default="ask")
    author = models.ForeignKey(
        Member, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="inquiries"
    )
    target = models.ForeignKey(
        Member,
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The committee member the questions are put to (required for a formal challenge)."),
    )
    responsible = models.ForeignKey(
        Member,
        verbose_name=_("answers"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries_responsible",
    )
    subject = models.CharField(_("subject"), max_length=200)
    questions = models.TextField(_("questions"))
    status = models.CharField(_("status"), max_length=20, choices=InquiryStatus.choices, default="submitted")
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    warn_on = models.DateField(null=True, blank=True)
    due_estimated = models.BooleanField(default=False)
    limit_days = models.PositiveSmallIntegerField(null=True, blank=True)
    limit_working_days = models.BooleanField(default=False)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("higher committee's resolution"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InquiryStatus.values), name="inquiry_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=InquiryKind.values), name="inquiry_kind_valid"),
            models.CheckConstraint(condition=~Q(questions=""), name="inquiry_has_questions"),
            models.CheckConstraint(
                condition=~Q(kind="challenge") | Q(target__isnull=False),
                name="inquiry_challenge_names_target",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=INQUIRY_OPEN_STATES)
                | Q(due_on__isnull=False, responsible__isnull=False),
                name="inquiry_open_has_deadline",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        # No content: audit entries and notifications carry this text.
        return f"{_('Inquiry')} #{self.pk}"


class InquiryCosigner(Cosigner):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="cosigners")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="cosigned_inquiries")

    class Meta(Cosigner.Meta):
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "member"], name="inquiry_cosigner_once"),
            models.CheckConstraint(
                condition=Q(status__in=CosignStatus.values), name="inquiry_cosign_status_valid"
            ),
        ]


class InquiryAnswer(models.Model):
    """The responsible leader's answer: written and signed, or given orally at a meeting and recorded."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(default=1)
    mode = models.CharField(_("how answered"), max_length=10, choices=AnswerMode.choices)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("answer"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signer_name = models.CharField(_("signed"), max_length=60)
    answered_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    on_time = models.BooleanField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "round"], name="inquiry_answer_once_per_round"),
            models.CheckConstraint(condition=Q(mode__in=AnswerMode.values), name="inquiry_answer_mode_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="inquiry_answer_has_text"),
            models.CheckConstraint(
                condition=~Q(mode="oral") | Q(meeting__isnull=False), name="inquiry_oral_answer_names_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} ({self.round})"


class InquiryRating(models.Model):
    """A signer's verdict on an answer; more than half dissatisfied → a second answer, then escalation."""

    answer = models.ForeignKey(InquiryAnswer, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    satisfied = models.BooleanField(_("satisfied"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "member"], name="inquiry_rating_once")]

    def __str__(self) -> str:
        return f"{self.member} {self.satisfied}"


class InquiryDay(models.Model):
    """询问质询日: the day a committee member receives members' questions, in turn."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="inquiry_days")
    date = models.DateField(_("date"))
    receiver = models.ForeignKey(
        Member, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("inquiry day")
        verbose_name_plural = _("inquiry days")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date", "receiver"], name="inquiry_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


# --- the confidential channel ---------------------------------------------------------------------


class ReportKind(models.TextChoices):
    ACCUSATION = "accusation", _("Report of misconduct (检举)")
    COMPLAINT = "complaint", _("Complaint (控告)")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    CONCLUDED = "concluded", _("Concluded")


class MisconductReport(models.Model):
    """检举 / 控告: not an inquiry. Only discipline officers of the organisation or above see it — never the
    person accused — and the reporter's name appears on no list and in no export (权利条例).

    It is not registered in the admin, its audit entries carry no organisation (so no branch audit page lists
    them) and no actor for the filing, and `__str__` names nobody.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices, default="accusation")
    reporter = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    accused = models.ForeignKey(
        Member,
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accused_description = models.CharField(
        _("person concerned (if not a member)"), max_length=120, blank=True
    )
    content = models.TextField(_("facts"))
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default="received")
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("misconduct report")
        verbose_name_plural = _("misconduct reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="report_kind_valid"),
            models.CheckConstraint(condition=~Q(content=""), name="report_has_facts"),
            models.CheckConstraint(
                condition=~Q(status="concluded") | ~Q(conclusion=""), name="report_concluded_has_conclusion"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Report')} #{self.pk}"
