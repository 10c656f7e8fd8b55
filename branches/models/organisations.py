"""The organisation tree (committee, general branch, branch, group) and the committees' terms of office."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
        from ..selectors import scope_for

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
    # The day the higher committee is reminded (a Reminder row of kind "term.ending", branches.services.organisations).
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
