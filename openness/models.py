"""党务公开: disclosure items and their versions, reviews, attachments, feedback, and the catalogue.

The life cycle of an item is the table in `states.py`; its status is the only source of truth. Content
is frozen from the secrecy review on (a PostgreSQL trigger enforces it, migration 0002): a published
item is never edited in place, a correction is a new version (`supersedes`) and the history stays.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import Member, Organisation
from branches.outbox import DisclosureDraft, DisclosureScope

# --- private storage ----------------------------------------------------------------------------------------


class PrivateStorage(LazyObject):
    """Attachments live outside MEDIA_ROOT (which DEBUG serves at /media/): only the attachment view, after
    the scope check, ever reads them. The folder sits next to MEDIA_ROOT: `<media>-private/`."""

    def _setup(self) -> None:
        media = Path(settings.MEDIA_ROOT)
        self._wrapped = FileSystemStorage(location=media.parent / f"{media.name}-private", base_url=None)


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """A callable, so that migrations name the function, not a path of the machine that made them."""
    return private_storage


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the original name is kept in a column, never in the path.
    suffix = {
        "application/pdf": ".pdf",
        "image/png": ".png",
        "image/jpeg": ".jpg",
        "image/gif": ".gif",
        "image/webp": ".webp",
    }.get(instance.content_type, "")
    return f"openness/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


# --- choices ------------------------------------------------------------------------------------------------


class BoardCategory(models.TextChoices):
    """The board categories (宣武)."""

    ORGANISATION = "organisation", _("Organisation building")
    LEADERSHIP = "leadership", _("Leadership and cadre management")
    INTEGRITY = "integrity", _("Party conduct and integrity")
    PLANS = "plans", _("Plans and decisions")
    DAILY = "daily", _("Daily party affairs")


class TimingKind(models.TextChoices):
    REGULAR = "regular", _("Regular work, periodically")
    PHASE = "phase", _("Phased work, at each phase")
    TEMPORARY = "temporary", _("Temporary work, at once")
    URGENT = "urgent", _("Urgent matter, immediately")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In secrecy review")
    APPROVAL = "approval", _("Awaiting approval")
    RETURNED = "returned", _("Returned")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    COMPLETED = "completed", _("Notice completed")
    CORRECTED = "corrected", _("Superseded by a correction")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")


# Content can change only in these states (the trigger of migration 0002 says the same in SQL).
EDITABLE_STATES = (ItemStatus.DRAFT, ItemStatus.RETURNED)
# States an item passes before publication: seen by its managers, reviewers, approvers and supervisors only.
PENDING_STATES = (
    ItemStatus.DRAFT,
    ItemStatus.REVIEW,
    ItemStatus.APPROVAL,
    ItemStatus.RETURNED,
    ItemStatus.SCHEDULED,
)
# States in which an item is (or was) public to its audience: the board and the history show these.
PUBLIC_STATES = (
    ItemStatus.PUBLISHED,
    ItemStatus.COMPLETED,
    ItemStatus.CORRECTED,
    ItemStatus.EXPIRED,
    ItemStatus.ARCHIVED,
)
# What the boards list by default: the current version of what is on display.
CURRENT_STATES = (ItemStatus.PUBLISHED, ItemStatus.COMPLETED)


class ReviewStage(models.TextChoices):
    SECRECY = "secrecy", _("Secrecy review")
    APPROVAL = "approval", _("Approval")
    SUPERVISION = "supervision", _("Supervision")


class ReviewDecision(models.TextChoices):
    PASSED = "passed", _("Passed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")


class FeedbackKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    OBJECTION = "objection", _("Objection")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", pgettext_lazy("feedback status", "Answered")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    EVENT = "event", _("At each occurrence")


# --- the catalogue ------------------------------------------------------------------------------------------


class CatalogueEntry(models.Model):
    """公开目录: something organisations owe to disclose, periodically or at each occurrence.

    Entries without an organisation are the default catalogue (data migration 0003); a higher committee
    adds entries for its own subtree. The outbox names an entry by `key` (`DisclosureDraft.catalogue_key`).
    """

    key = models.CharField(
        _("key"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9][a-z0-9_.-]*$", _("Lower-case letters, digits, dots, - and _."))
        ],
        help_text=_("How the outbox names it, e.g. election.results."),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("board category"), max_length=20, choices=BoardCategory.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    applies_to = models.JSONField(
        _("organisation kinds"),
        default=list,
        blank=True,
        help_text=_("Kinds of organisation that owe it; periodic entries only."),
    )
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline in working days"), help_text=_("After the period ends, or after the occurrence.")
    )
    scope = models.CharField(
        _("default scope"), max_length=10, choices=DisclosureScope.choices, default=DisclosureScope.INTERNAL
    )
    notice_working_days = models.PositiveSmallIntegerField(
        _("notice period in working days"), null=True, blank=True, help_text=_("Empty: not a public notice.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("defined by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="catalogue_entries",
        help_text=_("Empty: the default catalogue, for every organisation."),
    )
    starts_on = models.DateField(_("owed from"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["category", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="catalogue_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=BoardCategory.values), name="catalogue_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=DisclosureScope.values), name="catalogue_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(notice_working_days__isnull=True) | Q(notice_working_days__gt=0),
                name="catalogue_notice_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_periodic(self) -> bool:
        return self.frequency != Frequency.EVENT


class Obligation(models.Model):
    """What one organisation owes for one entry and one period (or one occurrence), and when it was met.

    Its standing is derived (rules.obligation_status): not yet due, published on time, late, or missing.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="disclosure_obligations"
    )
    entry = models.ForeignKey(CatalogueEntry, on_delete=models.CASCADE, related_name="obligations")
    period = models.CharField(_("period"), max_length=30)  # "2026-Q1", "2026", "2026-03", or the event's date
    event_key = models.CharField(
        max_length=120, blank=True
    )  # "<draft kind>:<content type>:<object>" for events
    due_on = models.DateField(_("due"))
    due_estimated = models.BooleanField(default=False)  # computed across a year without holiday data
    fulfilled_by = models.ForeignKey(
        "DisclosureItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fulfilled_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disclosure obligation")
        verbose_name_plural = _("disclosure obligations")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entry", "period", "event_key"], name="obligation_once"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "due_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.entry} · {self.period}"


# --- items --------------------------------------------------------------------------------------------------


class DisclosureItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> DisclosureItemQuerySet:
        """The security boundary of every item list (see `selectors.item_q`)."""
        from .selectors import item_q

        return self.filter(item_q(user))

    def current(self) -> DisclosureItemQuerySet:
        return self.filter(status__in=CURRENT_STATES)


class DisclosureItem(models.Model):
    """One version of a disclosure. A correction is a new row that `supersedes` the published one."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="disclosures"
    )
    category = models.CharField(_("board category"), max_length=20, choices=BoardCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), help_text=_("Sanitised HTML: paragraphs, lists, tables, links."))
    scope = models.CharField(
        _("scope"), max_length=10, choices=DisclosureScope.choices, default=DisclosureScope.INTERNAL
    )
    range_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations in range"), blank=True, related_name="+"
    )
    range_members = models.ManyToManyField(
        Member, verbose_name=_("people in range"), blank=True, related_name="+"
    )
    timing = models.CharField(
        _("timing"), max_length=10, choices=TimingKind.choices, default=TimingKind.TEMPORARY
    )
    period = models.CharField(_("period"), max_length=30, blank=True)
    obligation = models.ForeignKey(
        Obligation,
        verbose_name=_("catalogue obligation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    beyond_authority = models.BooleanField(
        _("beyond the organisation's authority"),
        default=False,
        help_text=_("The higher committee approves it (公开条例 art. 15)."),
    )
    # A public notice (公示) when set: it runs this many working days after publication.
    notice_working_days = models.PositiveSmallIntegerField(
        _("notice period (working days)"), null=True, blank=True
    )
    notice_ends_on = models.DateField(_("notice ends"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(null=True, blank=True)  # the first moment after the last day
    notice_estimated = models.BooleanField(default=False)  # crossed a year without holiday data
    notice_outcome = models.TextField(_("outcome of the notice"), blank=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expires_on = models.DateField(_("on display until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secrecy reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approver_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Versions: `root` is the first version (null on the first version itself).
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_note = models.TextField(_("what the correction changes"), blank=True)
    source_draft = models.OneToOneField(
        DisclosureDraft, null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosure_item"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = DisclosureItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ItemStatus.values), name="disclosure_status_valid"),
            models.CheckConstraint(
                condition=Q(category__in=BoardCategory.values), name="disclosure_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=DisclosureScope.values), name="disclosure_scope_valid"
            ),
            models.CheckConstraint(condition=Q(timing__in=TimingKind.values), name="disclosure_timing_valid"),
            models.CheckConstraint(
                condition=Q(notice_working_days__isnull=True) | Q(notice_working_days__gt=0),
                name="disclosure_notice_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATES) | Q(published_at__isnull=False),
                name="disclosure_public_has_time",
            ),
            models.CheckConstraint(
                condition=Q(version=1, root__isnull=True, supersedes__isnull=True)
                | Q(version__gt=1, root__isnull=False, supersedes__isnull=False),
                name="disclosure_version_chain",
            ),
            models.UniqueConstraint(fields=["root", "version"], name="disclosure_version_once"),
        ]
        indexes = [
            models.Index(fields=["status", "scope", "-published_at"], name="disclosure_board_idx"),
            models.Index(fields=["organisation", "status"], name="disclosure_org_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def series_id(self) -> int:
        return self.root_id or self.pk

    @property
    def is_notice(self) -> bool:
        return self.notice_working_days is not None

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATES


class Attachment(models.Model):
    """A PDF or an image of an item, validated by its content; served only through the scope check."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=get_private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Review(models.Model):
    """A reviewer's decision at one stage: the secrecy check (with its checklist), an approval, a return."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(max_length=12, choices=ReviewStage.choices)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL, related_name="+")
    checks = models.JSONField(default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=ReviewStage.values), name="review_stage_valid"),
            models.CheckConstraint(
                condition=Q(decision__in=ReviewDecision.values), name="review_decision_valid"
            ),
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(comment=""), name="review_return_has_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_decision_display()}"


class Feedback(models.Model):
    """A comment or an objection on a published item, from someone in its scope; each gets an answer."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.PROTECT, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=FeedbackKind.choices, default=FeedbackKind.COMMENT
    )
    body = models.TextField(_("your comment or objection"))
    status = models.CharField(max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN)
    during_notice = models.BooleanField(default=False)  # filed while the item's notice was running
    reply_due_on = models.DateField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FeedbackKind.values), name="feedback_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=FeedbackStatus.values), name="feedback_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="feedback_answered_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["item", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
