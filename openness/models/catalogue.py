"""公开目录: what organisations owe to disclose (catalogue entries) and each debt of one period (obligations)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from branches.outbox import DisclosureScope

from .items import BoardCategory

# What a higher committee edits of an entry (the form's fields, the service's accepted values).
ENTRY_FIELDS = [
    "key",
    "name",
    "description",
    "category",
    "frequency",
    "applies_to",
    "deadline_working_days",
    "scope",
    "notice_working_days",
    "starts_on",
    "is_active",
]


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    EVENT = "event", _("At each occurrence")


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
        from ..rules import period_display  # the rules import the models

        return f"{self.organisation} · {self.entry} · {period_display(self.period)}"
