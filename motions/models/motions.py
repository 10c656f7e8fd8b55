"""Motions voted by ballot (票决制, domain.md §4.1): the steps as states, the votes through the ballot engine,
and a passed motion followed until it is carried out.

A motion is one matter. Each time it is put to the general meeting it gets a `MotionVote` (an engine poll of
kind "motion" with one option); the vote's figures and the rule values they were judged under are copied
onto the vote when the outcome is announced, so the result page can show 应到, 实到, the counts and the
rules even after the settings change. A failed motion is postponed; it may come back to the committee and
be voted again — but not a third time after two failures in a row, unless the committee records a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ballots.models import Poll
from branches.models import Meeting, Member, Organisation

from .deliberation import Topic
from .proposals import Proposal


class MotionCategory(models.TextChoices):
    """The major matters (支部条例 art. 11; 泰安; 宣武 "三重一大")."""

    COMMITTEE_ELECTION = (
        "committee_election",
        _("Election of committee members and recommendation of delegates"),
    )
    ADMISSION = "admission", _("Admission of a probationary member")
    CONVERSION = "conversion", _("Conversion to full membership")
    REWARDS = "rewards", _("Rewards and sanctions")
    DISCIPLINE = "discipline", _("Disciplinary handling")
    COMMENDATION = "commendation", _("Commendations")
    COLLECTIVE_INCOME = "collective_income", _("Collective income")
    MAJOR_AFFAIRS = "major_affairs", _("Other major affairs")


class MotionOrigin(models.TextChoices):
    COMMITTEE = "committee", _("The committee")
    PROPOSAL = "proposal", _("A member's proposal")
    TOPIC = "topic", _("A first-deliberation topic")


class MotionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISCUSSED = "discussed", _("Discussed by the committee")
    CIRCULATED = "circulated", _("Materials circulated, opinions solicited")
    HEARD = "heard", _("Hearing held")
    DEBATED = "debated", _("Discussed by the general meeting")
    VOTING = "voting", _("Being voted on")
    PASSED = "passed", _("Passed: being implemented")
    POSTPONED = "postponed", _("Not passed: postponed")
    IMPLEMENTED = "implemented", _("Implemented")


# The counted states of the statistics board (泰安: voted / passed / implemented / rejected).
DECIDED_STATES = ("passed", "postponed", "implemented")
PASSED_STATES = ("passed", "implemented")


class MotionQuerySet(models.QuerySet):
    def visible_to(self, user) -> MotionQuerySet:
        from branches.selectors import scope_for

        from ..selectors import motion_q

        return self.filter(motion_q(scope_for(user)))


class Motion(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="motions"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=30, choices=MotionCategory.choices)
    origin = models.CharField(_("origin"), max_length=20, choices=MotionOrigin.choices, default="committee")
    source_proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("from the proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
    )
    source_topic = models.ForeignKey(
        Topic,
        verbose_name=_("from the topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
    )
    # 四议两公开 (village branches): the four steps and the two disclosures.
    four_two = models.BooleanField(_("四议两公开"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=MotionStatus.choices, default="draft")
    # Step 1: committee discussion (支委会), with its quorum and its decision.
    committee_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committee_size = models.PositiveSmallIntegerField(null=True, blank=True)
    committee_present = models.PositiveSmallIntegerField(null=True, blank=True)
    committee_decision = models.TextField(_("committee decision"), blank=True)
    # 四议两公开 step 2: the two committees (村党组织 and 村委会) deliberate together.
    joint_deliberation = models.TextField(_("the two committees' deliberation"), blank=True)
    # Step 2: materials circulated before the general meeting, opinions solicited.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("general meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
    )
    materials = models.TextField(_("materials"), blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    # Step 3 (optional): the hearing (听证会).
    hearing_record = models.TextField(_("record of the hearing"), blank=True)
    # Step 4: the general meeting's discussion, with the attendance it was held with.
    discussion = models.TextField(_("record of the discussion"), blank=True)
    # After two failures in a row: the committee's reason for a further vote, and after how many votes.
    revote_reason = models.TextField(_("reason for a further vote"), blank=True)
    revote_reason_after_votes = models.PositiveSmallIntegerField(null=True, blank=True)
    # 四议两公开 step 4: the villagers' meeting (or their representatives) resolves.
    villagers_resolution = models.TextField(_("resolution of the villagers' meeting"), blank=True)
    # Implementation.
    responsible = models.ForeignKey(
        Member,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions_responsible",
    )
    result = models.TextField(_("result of the implementation"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    implemented_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MotionQuerySet.as_manager()

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MotionStatus.values), name="motion_status_valid"),
            models.CheckConstraint(
                condition=Q(category__in=MotionCategory.values), name="motion_category_valid"
            ),
            models.CheckConstraint(condition=Q(origin__in=MotionOrigin.values), name="motion_origin_valid"),
            models.CheckConstraint(
                condition=~Q(origin="proposal") | Q(source_proposal__isnull=False),
                name="motion_proposal_origin",
            ),
            models.CheckConstraint(
                condition=~Q(origin="topic") | Q(source_topic__isnull=False), name="motion_topic_origin"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft"]) | ~Q(committee_decision=""), name="motion_committee_decided"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["debated", "voting", *DECIDED_STATES]) | ~Q(discussion=""),
                name="motion_discussed_before_vote",
            ),
            models.CheckConstraint(
                condition=~Q(status="implemented") | ~Q(result=""), name="motion_implemented_has_result"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["decided_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("motions:motion", args=[self.pk])

    @property
    def counts_written_opinions(self) -> bool:
        return self.category in settings.ZHIBU_RULES["motion_written_opinion_categories"]


class MotionVote(models.Model):
    """One time the motion was put to the vote: the engine poll, then the outcome judged by motions.rules."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="votes")
    number = models.PositiveSmallIntegerField()  # 1, 2, 3 … for this motion
    poll = models.OneToOneField(Poll, on_delete=models.PROTECT, related_name="motion_vote")
    # Filled when the outcome is announced; `rules` are the values it was judged under.
    expected = models.PositiveIntegerField(null=True)  # 应到
    present = models.PositiveIntegerField(null=True)  # 实到
    votes_for = models.PositiveIntegerField(null=True)
    votes_against = models.PositiveIntegerField(null=True)
    abstentions = models.PositiveIntegerField(null=True)
    written_for = models.PositiveIntegerField(default=0)
    written_against = models.PositiveIntegerField(default=0)
    written_abstain = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(null=True)
    rules = models.JSONField(default=dict)
    announced_at = models.DateTimeField(null=True)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["motion_id", "number"]
        constraints = [models.UniqueConstraint(fields=["motion", "number"], name="motion_vote_number_once")]

    def __str__(self) -> str:
        return f"{self.motion} #{self.number}"

    @property
    def quorum_text(self) -> str:
        from branches.rules import fraction_text

        return fraction_text(self.rules.get("quorum"), bool(self.rules.get("quorum_inclusive")))


class OpinionChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class WrittenOpinion(models.Model):
    """A written opinion handed in before the meeting by a voting member who will be absent (发展细则);
    counted only for admission and conversion, and only if he was indeed absent from the vote."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="written_opinions")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=OpinionChoice.choices)
    handed_in_on = models.DateField(_("handed in on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["motion", "member"], name="written_opinion_once"),
            models.CheckConstraint(
                condition=Q(choice__in=OpinionChoice.values), name="written_opinion_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.motion_id}/{self.member_id}"


class MotionComment(models.Model):
    """征求意见: a member's comment on the circulated materials."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="comments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.motion_id}/{self.member_id}"


class ReservedOpinion(models.Model):
    """保留意见 (党章 art. 4): a member carries out a passed decision and records that he disagrees."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="reserved_opinions")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("reserved opinion"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="reserved_opinion_once")]

    def __str__(self) -> str:
        return f"{self.motion_id}/{self.member_id}"


class Milestone(models.Model):
    """A dated step of the implementation; overdue milestones remind the responsible person and the secretary
    (a reminder row, cancelled when the milestone is done)."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class MotionProgress(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="progress")
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("per cent done"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="motion_progress_percent")]

    def __str__(self) -> str:
        return self.text[:50]
