"""Democratic evaluation (民主评议 / 民主测评, domain.md §4.5).

- Member evaluation, yearly: self-assessment → peer assessment → anonymous rating (a ballot-engine poll of
  kind "rating") → the committee sets each grade, 优秀 at most 1/3 → each member is told his grade.
- Leadership evaluation, every half year: the committee reports (述职) and answers questions; members rate
  the team and each committee member in two engine rating polls, invited mass representatives rate once
  each through a one-time invitation; verdicts and consequences are computed from the sequence of
  evaluations (rules.leadership_consequences).
- The public rating of leaders (民评官): dimensions × 好/中/差, by invitation, results published.
- Two-way reporting (双向述职): a secretary reports to the higher committee and to his own members; each
  audience's ratings are recorded.
Rating tallies are counts, never who rated what.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ballots.models import Poll
from branches.models import Member, Organisation


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    QUALIFIED = "qualified", _("Qualified (合格)")
    BASICALLY = "basically", _("Basically qualified (基本合格)")
    UNQUALIFIED = "unqualified", _("Unqualified (不合格)")


class MemberEvaluationStatus(models.TextChoices):
    SELF = "self", _("Self-assessment")
    PEER = "peer", _("Peer assessment")
    RATING = "rating", _("Anonymous rating")
    GRADING = "grading", _("The committee sets the grades")
    CONCLUDED = "concluded", _("Concluded: members told")


class MemberEvaluation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="member_evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(max_length=20, choices=MemberEvaluationStatus.choices, default="self")
    poll = models.OneToOneField(
        Poll, null=True, blank=True, on_delete=models.PROTECT, related_name="member_evaluation"
    )
    # The rule value of the 优秀 cap the grades were set under.
    excellent_cap = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="member_evaluation_once_a_year"),
            models.CheckConstraint(
                condition=Q(status__in=MemberEvaluationStatus.values), name="member_evaluation_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} 民主评议党员"

    def get_absolute_url(self) -> str:
        return reverse("motions:member_evaluation", args=[self.pk])


class Assessment(models.Model):
    """One member in an evaluation: his self-assessment and the grade the committee set."""

    evaluation = models.ForeignKey(MemberEvaluation, on_delete=models.CASCADE, related_name="assessments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="assessments")
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member__name_pinyin", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="assessment_once"),
            models.CheckConstraint(
                condition=Q(grade="") | Q(grade__in=Grade.values), name="assessment_grade_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.member_id}"


class PeerReview(models.Model):
    evaluation = models.ForeignKey(MemberEvaluation, on_delete=models.CASCADE, related_name="peer_reviews")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("peer assessment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "author", "subject"], name="peer_review_once"),
            models.CheckConstraint(condition=~Q(author=models.F("subject")), name="peer_review_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.author_id}→{self.subject_id}"


class LeadershipStatus(models.TextChoices):
    REPORTING = "reporting", _("Report and questions (述职)")
    RATING = "rating", _("Rating")
    CONCLUDED = "concluded", _("Concluded")


class LeadershipEvaluation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="leadership_evaluations"
    )
    period = models.CharField(_("period"), max_length=40)  # e.g. "2026 上半年"
    held_on = models.DateField(_("held on"))
    report = models.TextField(_("report (述职)"))
    status = models.CharField(max_length=20, choices=LeadershipStatus.choices, default="reporting")
    # The scales (best first) and verdicts are snapshots: a later change of the rules does not change them.
    team_scale = models.JSONField(default=list)
    member_scale = models.JSONField(default=list)
    team_poll = models.OneToOneField(Poll, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    member_poll = models.OneToOneField(
        Poll, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # {"team": value, "members": {member_id: value}} once concluded.
    verdicts = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LeadershipStatus.values), name="leadership_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("motions:leadership_evaluation", args=[self.pk])


class EvaluationQuestion(models.Model):
    evaluation = models.ForeignKey(LeadershipEvaluation, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.CharField(_("asked by"), max_length=60)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.question[:50]


class RaterKind(models.TextChoices):
    MEMBERS = "members", _("Party members")
    REPRESENTATIVES = "representatives", _("Mass representatives")


class LeadershipTally(models.Model):
    """How many raters gave `value` to the team (no member) or to one committee member."""

    evaluation = models.ForeignKey(LeadershipEvaluation, on_delete=models.CASCADE, related_name="tallies")
    target = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    raters = models.CharField(max_length=20, choices=RaterKind.choices)
    value = models.CharField(max_length=30)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "target", "raters", "value"],
                nulls_distinct=False,
                name="leadership_tally_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.target_id}/{self.value}"


class PublicRatingStatus(models.TextChoices):
    OPEN = "open", _("Open for rating")
    PUBLISHED = "published", _("Results published")


class PublicRating(models.Model):
    """民评官: the masses rate a leader on several dimensions (好 / 中 / 差); the results are published."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="public_ratings")
    leader = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    dimensions = models.JSONField(default=list)
    scale = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=PublicRatingStatus.choices, default="open")
    # {dimension: {value: n}} for the public page once published.
    results = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PublicRatingStatus.values), name="public_rating_status"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("motions:public_rating", args=[self.pk])


class PublicRatingTally(models.Model):
    rating = models.ForeignKey(PublicRating, on_delete=models.CASCADE, related_name="tallies")
    dimension = models.PositiveSmallIntegerField()  # index into rating.dimensions
    value = models.CharField(max_length=30)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rating", "dimension", "value"], name="public_rating_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id}/{self.dimension}/{self.value}"


class Invitation(models.Model):
    """A one-time invitation for a mass representative (leadership evaluation) or a member of the public
    (民评官): the token is shown once; only its hash is stored; it rates once, and it says nothing about
    how it rated."""

    leadership = models.ForeignKey(
        LeadershipEvaluation, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    public_rating = models.ForeignKey(
        PublicRating, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    name = models.CharField(_("invited"), max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(leadership__isnull=False, public_rating__isnull=True)
                | Q(leadership__isnull=True, public_rating__isnull=False),
                name="invitation_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Audience(models.TextChoices):
    HIGHER = "higher", _("The higher committee")
    MEMBERS = "members", _("His own members")


class TwoWayReport(models.Model):
    """双向述职 (宣武): the secretary reports to the higher committee and to his members; both rate him."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="two_way_reports")
    secretary = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=40)
    to_higher = models.TextField(_("report to the higher committee"), blank=True)
    to_members = models.TextField(_("report to the members"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "secretary", "period"], name="two_way_report_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.secretary} {self.period}"


class TwoWayRating(models.Model):
    report = models.ForeignKey(TwoWayReport, on_delete=models.CASCADE, related_name="ratings")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    value = models.CharField(max_length=30)
    count = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "audience", "value"], name="two_way_rating_once"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="two_way_rating_audience"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.audience}/{self.value}"
