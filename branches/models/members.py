"""The organisation tree, members, roles, meetings, notifications and the audit log.

Rules computed from these rows (voting rights, committee structure, terms) live in `rules.py`;
every write goes through `services.py`; scoped reads through `selectors.py`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rules import voting_rights_q


class User(AbstractUser):
    """A login. Party members have a `member` record; staff without one can exist (administrators)."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        member = getattr(self, "member", None)
        return member.name if member else (self.get_full_name() or self.username)


# --- Organisations ------------------------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", _("Primary party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    GROUP = "group", _("Party group")


class UnitType(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Public institution")
    ORGAN = "organ", _("Government organ")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet):
    def subtree_of(self, org: Organisation) -> OrganisationQuerySet:
        return self.filter(path__startswith=org.path)

    def visible_to(self, user) -> OrganisationQuerySet:
        """The security boundary of every organisation list (see `selectors.scope_for`)."""
        from .selectors import scope_for

        return self.filter(scope_for(user).organisation_q())


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    unit_type = models.CharField(
        _("unit type"), max_length=20, choices=UnitType.choices, default=UnitType.OTHER
    )
    is_joint = models.BooleanField(_("joint branch"), default=False, help_text=_("Spans several units."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("000001/000004/"): a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path derives from the primary key, so a new row is saved first and then given its path.
        creating = self.pk is None
        if creating:
            self.path = f"new-{secrets.token_hex(8)}"
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        path = f"{parent_path}{self.pk:06d}/"
        if path != self.path:
            self.path = path
            self.depth = path.count("/") - 1
            Organisation.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    def ancestor_paths(self) -> list[str]:
        parts = self.path.strip("/").split("/")
        return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]

    def is_within(self, other: Organisation) -> bool:
        return self.path.startswith(other.path)

    @property
    def is_branch(self) -> bool:
        return self.kind == OrganisationKind.BRANCH


class CommitteeTerm(models.Model):
    """A committee's term of office; the end-of-term reminder falls due `reminder_due_on`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="terms")
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    # The day the higher committee is reminded (a Reminder row of kind "term.ending", branches.services).
    reminder_due_on = models.DateField(_("end-of-term reminder due"))

    class Meta:
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "starts_on"], name="term_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.starts_on:%Y}–{self.ends_on:%Y}"


# --- Members ---------------------------------------------------------------------------------------------


class MemberCategory(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")
    CANDIDATE = "candidate", _("Development candidate")
    ACTIVIST = "activist", _("Activist")
    APPLICANT = "applicant", _("Applicant")


PARTY_MEMBER_CATEGORIES = (MemberCategory.FULL, MemberCategory.PROBATIONARY)


class Standing(models.TextChoices):
    NORMAL = "normal", _("Normal")
    PROBATION = "probation", _("Party probation")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MemberQuerySet(models.QuerySet):
    def active(self) -> MemberQuerySet:
        return self.filter(is_active=True)

    def party_members(self) -> MemberQuerySet:
        return self.filter(category__in=PARTY_MEMBER_CATEGORIES)

    def with_voting_rights(self) -> MemberQuerySet:
        return self.filter(voting_rights_q())

    def visible_to(self, user) -> MemberQuerySet:
        """The security boundary of every member list (see `selectors.scope_for`)."""
        from .selectors import scope_for

        return self.filter(scope_for(user).member_q())


class Member(models.Model):
    """A member's record, in the order of the national template (domain.md §1)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="members"
    )
    group = models.ForeignKey(
        Organisation,
        verbose_name=_("party group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
    )
    name = models.CharField(_("name"), max_length=60)
    # "zhangsan zs": full pinyin and initials, for search by pinyin.
    name_pinyin = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True, null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=MemberCategory.choices)
    joined_on = models.DateField(_("joined the party"), null=True, blank=True)
    full_on = models.DateField(_("became a full member"), null=True, blank=True)
    job = models.CharField(_("post"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    address = models.CharField(_("home address"), max_length=200, blank=True)
    standing = models.CharField(
        _("standing"), max_length=20, choices=Standing.choices, default=Standing.NORMAL
    )
    lost_contact = models.BooleanField(_("lost contact"), default=False)
    migrant = models.BooleanField(_("migrant member"), default=False)
    migrant_to = models.CharField(_("migrant destination"), max_length=120, blank=True)
    rights_suspended = models.BooleanField(
        _("rights suspended"), default=False, help_text=_("While detained or arrested.")
    )
    is_delegate = models.BooleanField(_("party delegate"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("on the roll"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["organisation_id", "name_pinyin", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=MemberCategory.values), name="member_category_valid"
            ),
            models.CheckConstraint(condition=Q(standing__in=Standing.values), name="member_standing_valid"),
            models.CheckConstraint(
                condition=Q(migrant=True) | Q(migrant_to=""), name="member_destination_only_if_migrant"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "category"])]

    def __str__(self) -> str:
        return self.name

    @property
    def has_voting_rights(self) -> bool:
        from .rules import has_voting_rights

        return has_voting_rights(self)

    @property
    def party_age(self) -> int | None:
        from .rules import party_age

        return party_age(self)

    @property
    def masked_id_number(self) -> str:
        from .rules import mask_id_number

        return mask_id_number(self.id_number)


class Household(models.Model):
    """党员联户: a household a member keeps in contact with (3–5 each)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="households")
    head_name = models.CharField(_("head of household"), max_length=60)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("linked household")
        verbose_name_plural = _("linked households")

    def __str__(self) -> str:
        return self.head_name


class LiaisonKind(models.TextChoices):
    COMMITTEE_TO_DELEGATE = "committee_delegate", _("Committee member → delegate")
    DELEGATE_TO_MEMBER = "delegate_member", _("Delegate → member")


class Liaison(models.Model):
    """三联: committee members link delegates, delegates link members."""

    upper = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="liaisons_down")
    lower = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="liaisons_up")
    kind = models.CharField(max_length=30, choices=LiaisonKind.choices)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        constraints = [
            models.UniqueConstraint(fields=["upper", "lower"], name="liaison_unique_pair"),
            models.CheckConstraint(condition=~Q(upper=models.F("lower")), name="liaison_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.upper} → {self.lower}"


# --- Roles ---------------------------------------------------------------------------------------------------


class RoleKind(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANISATION = "organisation", _("Organisation committee member")
    PROPAGANDA = "propaganda", _("Propaganda committee member")
    DISCIPLINE = "discipline", _("Discipline committee member")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    OFFICER = "officer", _("Higher-committee officer")
    SUPERVISOR = "supervisor", _("Supervisor")


COMMITTEE_ROLES = (
    RoleKind.SECRETARY,
    RoleKind.DEPUTY_SECRETARY,
    RoleKind.ORGANISATION,
    RoleKind.PROPAGANDA,
    RoleKind.DISCIPLINE,
    RoleKind.COMMITTEE_MEMBER,
)


class RoleQuerySet(models.QuerySet):
    def current(self, on=None) -> RoleQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Role(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["organisation_id", "kind", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RoleKind.values), name="role_kind_valid"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()} {self.member}"

    @property
    def is_committee_role(self) -> bool:
        return self.kind in COMMITTEE_ROLES


# --- Meetings ------------------------------------------------------------------------------------------------


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
    # The notice to every expected member a week ahead is a Reminder row ("meeting.notice", branches.services).
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
    # voted by the meeting; only then is the status "excluded" (branches.services.request_exclusion & co.).
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


# --- Notifications -------------------------------------------------------------------------------------------


class Notification(models.Model):
    """The outbox: one row per message and recipient. The in-app inbox reads these rows."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when a reminder (branches.reminders) made this row: one notification per reminder and recipient.
    reminder = models.ForeignKey(
        "Reminder", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "recipient"], name="notification_once_per_reminder"),
        ]

    def __str__(self) -> str:
        return self.subject


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("No address")
    HELD = "held", _("Held for the daily digest")


class Delivery(models.Model):
    """One notification over one outside channel; unique, so a rerun sends nothing twice."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # A held e-mail goes out inside the recipient's daily digest (branches.reminders), not on its own.
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(fields=["status"], condition=Q(status="pending"), name="delivery_pending_idx")
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


# --- Audit log --------------------------------------------------------------------------------------------------


class AuditLog(models.Model):
    """Every change of state: who, what, old → new, when. Never ballot content."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_repr}"


# --- Roster import -----------------------------------------------------------------------------------------------


class RosterImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")


class RosterImport(models.Model):
    """An uploaded roster, parsed and validated; applied as a whole or not at all."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=RosterImportStatus.choices, default="previewed")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RosterImportStatus.values), name="roster_import_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


def generate_checkin_token() -> str:
    return secrets.token_urlsafe(24)


__all__ = [
    "AuditLog",
    "Attendance",
    "CommitteeTerm",
    "ContentType",
    "Delivery",
    "Household",
    "Liaison",
    "Meeting",
    "Member",
    "Notification",
    "Organisation",
    "Role",
    "RosterImport",
    "SitInRequest",
    "User",
]


# --- Working-day calendar (branches.workdays) ------------------------------------------------------------------


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar package")
    ADMIN = "admin", _("Entered by an administrator")


class HolidayYear(models.Model):
    """A year whose official holiday schedule (国务院办公厅 放假安排) is in the table.

    A year without a row is computed from the `chinesecalendar` package if it covers the year, else as plain
    Monday–Friday, flagged as an estimate (branches.workdays).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=CalendarSource.choices, default="admin")
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday schedule")
        verbose_name_plural = _("holiday schedules")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2200), name="holiday_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(source__in=CalendarSource.values), name="holiday_year_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (day off)")
    WORKDAY = "workday", _("Adjusted working day (调休)")


class Holiday(models.Model):
    """A day that differs from Monday–Friday: a statutory day off, or a weekend day worked in lieu."""

    year = models.ForeignKey(
        HolidayYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="holiday_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.year_id and self.date and self.date.year != self.year.year:
            raise ValidationError(
                {"date": _("The date lies outside the year %(year)s.") % {"year": self.year.year}}
            )


# --- Reminders (branches.reminders) -------------------------------------------------------------------------------


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    """A deadline's reminder: one row per (kind, object, due moment), written by the service that sets the
    deadline and sent once by the beat job when due. A repeating reminder (daily once overdue) writes its
    next occurrence when it is sent; cancelling the pending rows of an object stops the series."""

    kind = models.CharField(_("kind"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    due_at = models.DateTimeField(_("due"))
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("recipients")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Outside channels ("email", "sms"); the in-app notification is always written.
    channels = models.JSONField(default=list, blank=True)
    # False for a notice that must not wait for the recipient's daily digest (a meeting notice): its e-mail
    # goes out on its own at once, through the outbox.
    digest = models.BooleanField(default=True)
    repeat_every = models.DurationField(_("repeat every"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    status = models.CharField(_("status"), max_length=10, choices=ReminderStatus.choices, default="pending")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "due_at"], name="reminder_once_per_due_moment"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values), name="reminder_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="reminder_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M}"


class Digest(models.Model):
    """One e-mail a day per user: the reminder e-mails of the day are held and go out together in it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    send_after = models.DateTimeField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day", "channel"], name="digest_once_per_day"),
        ]
        indexes = [
            models.Index(fields=["send_after"], condition=Q(status="pending"), name="digest_pending_idx")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day:%Y-%m-%d}"


# The disclosure outbox lives in its own module (see branches/outbox.py); imported here to register it.
from .outbox import DisclosureDraft  # noqa: E402, F401
