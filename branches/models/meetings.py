"""Meetings, their roll of attendance (with exclusions from 应到) and requests to sit in."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .members import Member
from .organisations import Organisation


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("General meeting")
    COMMITTEE = "committee", _("Committee meeting")
    GROUP = "group", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    LIFE = "life", _("Organisational life meeting")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    is_open = models.BooleanField(
        _("open meeting"),
        default=False,
        help_text=_("The agenda is published and members may apply to sit in."),
    )
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default="scheduled")
    minutes = models.TextField(_("minutes"), blank=True)
    # The real start (branches.services.meetings.start_meeting); before the scheduled day only with a
    # recorded reason (an urgent meeting), shown on the minutes and on every vote held in it.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    urgent_reason = models.TextField(_("reason for the urgent start"), blank=True, editable=False)
    # An online meeting, where the rules allow one (rule "online_meeting_kinds"), declared by the
    # secretary with the rule by which presence is established; the rule is recorded on the minutes.
    is_online = models.BooleanField(_("online meeting"), default=False, editable=False)
    online_presence_rule = models.TextField(
        _("presence rule of the online meeting"), blank=True, editable=False
    )
    # The notice to every expected member a week ahead is a Reminder row ("meeting.notice", branches.services.meetings).
    checkin_token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def real_start(self):
        """When the meeting really began (its scheduled time until it has)."""
        return self.started_at or self.starts_at


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", _("Not signed in")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    EXCLUDED = "excluded", _("Excluded from the expected count")


class ExclusionReason(models.TextChoices):
    ILLNESS = "illness", _("Illness preventing expression of will")
    ABROAD = "abroad", _("Self-funded stay abroad over 6 months")
    SENTENCE = "sentence", _("Serving a sentence")
    BEDRIDDEN = "bedridden", _("Bedridden")
    AWAY = "away", _("Away over 6 months without moving membership")
    RETIRED_AWAY = "retired_away", _("Retired, living away, membership not moved")


class SignInMethod(models.TextChoices):
    SELF = "self", _("Scanned the QR code")
    SECRETARY = "secretary", _("Signed in by the secretary")


class Attendance(models.Model):
    """One expected attendee of a meeting; the rows of a meeting are its roll."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(
        max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.EXPECTED
    )
    # Exclusion from 应到: requested by the branch with a reason, consented to by the higher committee, then
    # voted by the meeting; only then is the status "excluded" (branches.services.attendance.request_exclusion & co.).
    exclusion_reason = models.CharField(max_length=20, choices=ExclusionReason.choices, blank=True)
    exclusion_consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    exclusion_consented_at = models.DateTimeField(null=True, blank=True, editable=False)
    exclusion_votes_for = models.PositiveIntegerField(null=True, blank=True, editable=False)
    exclusion_votes_cast = models.PositiveIntegerField(null=True, blank=True, editable=False)
    note = models.CharField(max_length=200, blank=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    sign_in_method = models.CharField(max_length=20, choices=SignInMethod.choices, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member"),
            models.CheckConstraint(
                condition=Q(status="excluded", exclusion_reason__gt="") | ~Q(status="excluded"),
                name="attendance_exclusion_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="present", signed_in_at__isnull=False) | ~Q(status="present"),
                name="attendance_present_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id} {self.status}"

    @property
    def exclusion_pending(self) -> bool:
        """An exclusion from 应到 requested and not yet decided (consent, then the meeting's vote)."""
        return bool(self.exclusion_reason) and self.status != AttendanceStatus.EXCLUDED


class SitInStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class SitInRequest(models.Model):
    """三会开放: a member asks to sit in (列席) on an open meeting of another organisation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sit_in_requests")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=SitInStatus.choices, default=SitInStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "applicant"], name="sit_in_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.applicant_id} {self.status}"


def generate_checkin_token() -> str:
    return secrets.token_urlsafe(24)
