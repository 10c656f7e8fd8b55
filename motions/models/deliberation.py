"""First deliberation by the members (党员首议制, domain.md §4.4, 肃州): a topic goes to the members first."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Meeting, Member, Organisation


class TopicSource(models.TextChoices):
    BRANCH = "branch", _("The branch")
    VILLAGE_COMMITTEE = "village_committee", _("The village committee")
    VILLAGERS = "villagers", _("Villagers (at least 1/10)")
    REPRESENTATIVES = "representatives", _("Village representatives (at least 1/5)")
    MEMBERS = "members", _("Party members jointly (at least 10)")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("Put forward")
    REJECTED = "rejected", _("Not taken up")
    ACCEPTED = "accepted", _("Taken up by the committee")
    SCHEDULED = "scheduled", _("Meeting called")
    CONCLUDED = "concluded", _("Conclusion published")
    CLOSED = "closed", _("Satisfaction measured")


class Topic(models.Model):
    """A matter the members deliberate first. Seam for the motions issue: a motion may come from a topic
    (`Motion.source_topic`), as from a proposal."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"))
    source = models.CharField(_("put forward by"), max_length=20, choices=TopicSource.choices)
    supporters = models.PositiveIntegerField(_("supporters"), null=True, blank=True)
    base = models.PositiveIntegerField(
        _("out of"), null=True, blank=True, help_text=_("All villagers, or all village representatives.")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=TopicStatus.choices, default="proposed")
    review_note = models.TextField(_("committee's note"), blank=True)
    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topic",
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("first-deliberation topic")
        verbose_name_plural = _("first-deliberation topics")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TopicStatus.values), name="topic_status_valid"),
            models.CheckConstraint(condition=Q(source__in=TopicSource.values), name="topic_source_valid"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_note=""), name="topic_rejection_has_note"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "concluded", "closed"]) | Q(meeting__isnull=False),
                name="topic_scheduled_has_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["concluded", "closed"])
                | (~Q(conclusion="") & Q(published_at__isnull=False)),
                name="topic_concluded_is_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WrittenNoticeChannel(models.TextChoices):
    WRITTEN = "written", _("In writing")
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person")


class TopicOpinion(models.Model):
    """A member who will not be at the meeting (away, migrant): told in writing, his opinion collected."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("told"), max_length=10, choices=WrittenNoticeChannel.choices, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    collected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "member"], name="topic_opinion_once"),
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True) | ~Q(channel=""), name="topic_notice_has_channel"
            ),
        ]

    def __str__(self) -> str:
        return str(self.member)


class DiscussionGroup(models.Model):
    """A discussion group of the meeting, with a leader and a recorder, and the record of its discussion."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group"), max_length=60)
    leader = models.ForeignKey(Member, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+")
    recorder = models.ForeignKey(
        Member, verbose_name=_("recorder"), on_delete=models.PROTECT, related_name="+"
    )
    record = models.TextField(_("record of the discussion"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "name"], name="discussion_group_name_once"),
            models.CheckConstraint(
                condition=~Q(leader=models.F("recorder")), name="discussion_group_two_people"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SurveyAudience(models.TextChoices):
    MEMBERS = "members", _("Party members")
    MASSES = "masses", _("The masses")


class TopicSurvey(models.Model):
    """Satisfaction with the outcome, measured twice: among the members and among the masses."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="surveys")
    audience = models.CharField(_("among"), max_length=10, choices=SurveyAudience.choices)
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basically = models.PositiveIntegerField(_("basically satisfied"))
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audience"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "audience"], name="topic_survey_once_per_audience"),
            models.CheckConstraint(
                condition=Q(audience__in=SurveyAudience.values), name="topic_survey_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_audience_display()

    @property
    def total(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied
