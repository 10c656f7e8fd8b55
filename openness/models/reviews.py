"""The reviewers' decisions on an item: the secrecy review, the approval, a return, a supervisor's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation

from .items import DisclosureItem


class ReviewStage(models.TextChoices):
    SECRECY = "secrecy", _("Secrecy review")
    APPROVAL = "approval", _("Approval")
    SUPERVISION = "supervision", _("Supervision")


class ReviewDecision(models.TextChoices):
    PASSED = "passed", _("Passed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")


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
