"""Disclosure items: one row per version, its life cycle's states, and the board categories.

The life cycle of an item is the table in `states.py`; its status is the only source of truth. Content
is frozen from the secrecy review on (a PostgreSQL trigger enforces it, migration 0002): a published
item is never edited in place, a correction is a new version (`supersedes`) and the history stays.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Member, Organisation
from branches.outbox import DisclosureDraft, DisclosureScope


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
    WITHDRAWN = "withdrawn", _("Withdrawn by its source")


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
        "Obligation",
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
