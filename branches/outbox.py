"""The disclosure outbox: how a result of elections, motions or proposals reaches the disclosure boards.

Dependencies point one way (branches ← ballots ← (elections | motions); openness reads only branches and
the outbox), so no app imports openness. `DisclosureKind` is the one registry of what can be offered: the
producers name their kind from it and openness places each kind on its board from it.
A service that produces something to disclose calls `offer_disclosure()` in its transaction; the row is
the message. The openness app receives the `disclosure_offered` signal after commit and turns the row
into a draft for human review; a periodic sweep picks up any row a receiver missed. The openness
workbench lists the rows not yet taken.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Sent after commit with `draft=<DisclosureDraft>`; receivers must be idempotent.
disclosure_offered = Signal()
# Sent inside the transaction that publishes the board item made from a draft (`report_published`), with
# `draft=<DisclosureDraft>` carrying `published_at` and the item's `notice_ends_at`: a producer whose step
# waits for the publication (an election's 公示) starts its clock from the board's, in the same transaction.
disclosure_published = Signal()
# Sent inside the transaction of `withdraw_disclosures`, with `draft_ids=[...]`: the board withdraws what it
# made from them and has not published.
disclosure_withdrawn = Signal()


class DisclosureKind(StrEnum):
    """Every kind of offer, as `<app step>.<what>`; a kind's prefix also places it on a board."""

    ELECTION_PROCEDURE = "election.procedure"  # 公推直选: the procedure announced
    ELECTION_NOMINEES = "election.nominees"  # the nominees after recommendation
    ELECTION_CANDIDATES = "election.candidates"  # the candidates' 公示
    ELECTION_RESULTS = "election.results"  # the committee elected
    MOTION_RESOLUTION = "motion.resolution"  # 票决: the resolution
    MOTION_RESULT = "motion.result"  # 票决: how it was carried out
    MOTION_IMPLEMENTATION = "motion.implementation"
    PROPOSAL_ANSWER = "proposal.answer"
    INQUIRY_ANSWER = "inquiry.answer"
    DEVELOPMENT_ACTIVIST = "development.activist"  # 发展党员: the three notices
    DEVELOPMENT_CANDIDATE = "development.candidate"
    DEVELOPMENT_CONVERSION = "development.conversion"
    EVALUATION_RESULTS = "evaluation.results"  # 民主评议


class DisclosureScope(models.TextChoices):
    SOCIETY = "society", _("To society")
    INTERNAL = "internal", _("Party-internal")
    RANGE = "range", _("A defined range")


class DisclosureDraft(models.Model):
    organisation = models.ForeignKey(
        "branches.Organisation", on_delete=models.CASCADE, related_name="disclosure_drafts"
    )
    kind = models.CharField(max_length=60)  # a DisclosureKind
    title = models.CharField(max_length=200)
    body = models.TextField()
    scope = models.CharField(max_length=10, choices=DisclosureScope.choices, default=DisclosureScope.INTERNAL)
    catalogue_key = models.CharField(max_length=60, blank=True)  # the catalogue entry it fulfils
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    consumed_at = models.DateTimeField(null=True, blank=True)
    # What the board reports back: when the item made from this row was published and when its notice
    # ends (None without a notice), or when the producer withdrew the offer before publication.
    published_at = models.DateTimeField(null=True, blank=True)
    notice_ends_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "branches"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One offer per step of one object: a retried service offers nothing twice.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"], name="disclosure_draft_once"
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=DisclosureScope.values), name="disclosure_draft_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def offer_disclosure(
    *,
    organisation,
    kind: str,
    title: str,
    body: str,
    source: models.Model,
    scope: str = DisclosureScope.INTERNAL,
    catalogue_key: str = "",
) -> DisclosureDraft:
    """Record something to disclose (idempotent per kind and source) and signal it after commit."""
    draft, created = DisclosureDraft.objects.get_or_create(
        kind=kind,
        content_type=ContentType.objects.get_for_model(source),
        object_id=str(source.pk),
        defaults={
            "organisation": organisation,
            "title": title[:200],
            "body": body,
            "scope": scope,
            "catalogue_key": catalogue_key,
        },
    )
    if created:
        transaction.on_commit(lambda: disclosure_offered.send(sender=DisclosureDraft, draft=draft))
    return draft


def report_published(*, draft_id: int, published_at, notice_ends_at=None) -> bool:
    """The board published the item made from a draft: record it on the row, once, and tell the producer
    (in the caller's transaction). Returns False when it was already reported or the offer was withdrawn."""
    updated = DisclosureDraft.objects.filter(
        pk=draft_id, published_at__isnull=True, withdrawn_at__isnull=True
    ).update(published_at=published_at, notice_ends_at=notice_ends_at)
    if not updated:
        return False
    draft = DisclosureDraft.objects.get(pk=draft_id)
    disclosure_published.send(sender=DisclosureDraft, draft=draft)
    return True


def withdraw_disclosures(*, source: models.Model) -> list[int]:
    """The producer withdraws its offers not yet published (an election cancelled): each row is marked, and
    the board withdraws the items it made from them, in the caller's transaction. Returns the rows' ids."""
    pending = DisclosureDraft.objects.filter(
        content_type=ContentType.objects.get_for_model(source),
        object_id=str(source.pk),
        published_at__isnull=True,
        withdrawn_at__isnull=True,
    )
    ids = list(pending.values_list("pk", flat=True))
    if ids:
        DisclosureDraft.objects.filter(pk__in=ids).update(withdrawn_at=timezone.now())
        disclosure_withdrawn.send(sender=DisclosureDraft, draft_ids=ids)
    return ids
