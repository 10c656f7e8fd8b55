"""Roles in the tree: committee posts, higher-committee officers and supervisors, each with its dates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .members import Member
from .organisations import Organisation


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


def rank_order(field: str = "kind", ranks=COMMITTEE_ROLES) -> models.Case:
    """A committee in rank order (书记, 副书记, then the members): the position of `field`'s value in
    `ranks` as a sort key (the kinds' values sort 书记 last alphabetically)."""
    return models.Case(
        *(models.When(**{field: str(value)}, then=models.Value(i)) for i, value in enumerate(ranks)),
        default=models.Value(len(ranks)),
        output_field=models.IntegerField(),
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
