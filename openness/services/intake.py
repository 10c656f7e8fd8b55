"""Drafts flow in: each outbox row (branches.outbox) becomes a disclosure draft for a human to review.

Elections, motions and proposals call `offer_disclosure()`; the `disclosure_offered` signal (after their
commit) reaches `consume_draft` through the receiver in apps.py, and the beat sweep takes any row a
receiver missed (a crash between commit and signal, a worker that was down). Idempotent: the outbox row
is locked and marked consumed in the transaction that creates the item, and the item's one-to-one link to
the row is unique, so a second receiver, a rerun of the sweep, or both at once create one item.

The draft's kind decides its board category, timing, notice period and catalogue entry, unless the
producer named the entry (`catalogue_key`).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.notifications import notify
from branches.outbox import DisclosureDraft, DisclosureKind

from .. import rules, selectors
from ..models import PENDING_STATES, BoardCategory, CatalogueEntry, DisclosureItem, ItemStatus, TimingKind
from ..richtext import from_text_or_html
from ..states import ITEM, transition
from .catalogue import event_obligation, periodic_obligation
from .drafting import create_item

log = logging.getLogger(__name__)

# kind → (board category, timing, catalogue entry, notice rule or None). Every DisclosureKind has its row
# (a test holds it), so a new kind is placed on purpose. The third column is a catalogue key
# (CatalogueEntry.key, the default catalogue of migration 0003), not a kind: most event entries are named
# like the kind that fulfils them, but an inquiry's answer counts for "proposal.answer", and a motion's
# result names its entry itself (`catalogue_key`) or has none.
KINDS: dict[DisclosureKind, tuple[str, str, str, str | None]] = {
    DisclosureKind.ELECTION_PROCEDURE: (
        BoardCategory.LEADERSHIP,
        TimingKind.PHASE,
        "election.procedure",
        None,
    ),
    DisclosureKind.ELECTION_NOMINEES: (BoardCategory.LEADERSHIP, TimingKind.PHASE, "election.nominees", None),
    DisclosureKind.ELECTION_CANDIDATES: (
        BoardCategory.LEADERSHIP,
        TimingKind.PHASE,
        "election.candidates",
        "disclosure_candidate_notice_working_days",
    ),
    DisclosureKind.ELECTION_RESULTS: (BoardCategory.LEADERSHIP, TimingKind.PHASE, "election.results", None),
    DisclosureKind.MOTION_RESOLUTION: (BoardCategory.PLANS, TimingKind.TEMPORARY, "motion.resolution", None),
    DisclosureKind.MOTION_RESULT: (BoardCategory.PLANS, TimingKind.TEMPORARY, "", None),
    DisclosureKind.MOTION_IMPLEMENTATION: (
        BoardCategory.PLANS,
        TimingKind.PHASE,
        "motion.implementation",
        None,
    ),
    DisclosureKind.PROPOSAL_ANSWER: (BoardCategory.DAILY, TimingKind.TEMPORARY, "proposal.answer", None),
    DisclosureKind.INQUIRY_ANSWER: (BoardCategory.DAILY, TimingKind.TEMPORARY, "proposal.answer", None),
    DisclosureKind.DEVELOPMENT_ACTIVIST: (
        BoardCategory.ORGANISATION,
        TimingKind.PHASE,
        "development.activist",
        "disclosure_development_notice_working_days",
    ),
    DisclosureKind.DEVELOPMENT_CANDIDATE: (
        BoardCategory.ORGANISATION,
        TimingKind.PHASE,
        "development.candidate",
        "disclosure_development_notice_working_days",
    ),
    DisclosureKind.DEVELOPMENT_CONVERSION: (
        BoardCategory.ORGANISATION,
        TimingKind.PHASE,
        "development.conversion",
        "disclosure_development_notice_working_days",
    ),
    DisclosureKind.EVALUATION_RESULTS: (
        BoardCategory.ORGANISATION,
        TimingKind.REGULAR,
        "evaluation.results",
        None,
    ),
}
# A kind not in the table (an old row, a producer ahead of this table) is placed by its prefix.
PREFIXES = {
    "election": BoardCategory.LEADERSHIP,
    "motion": BoardCategory.PLANS,
    "deliberation": BoardCategory.PLANS,
    "proposal": BoardCategory.DAILY,
    "inquiry": BoardCategory.DAILY,
    "development": BoardCategory.ORGANISATION,
    "evaluation": BoardCategory.ORGANISATION,
    "dues": BoardCategory.DAILY,
}


def placement(draft: DisclosureDraft) -> tuple[str, str, str, int | None]:
    """(category, timing, catalogue key, notice working days) of an outbox draft."""
    if draft.kind in KINDS:
        category, timing, key, notice_rule = KINDS[draft.kind]
    else:
        category = PREFIXES.get(draft.kind.split(".", 1)[0], BoardCategory.DAILY)
        timing, key, notice_rule = TimingKind.TEMPORARY, "", None
    notice = rules.rule(notice_rule) if notice_rule else None
    return category, timing, draft.catalogue_key or key, notice


def consume_draft(pk: int) -> DisclosureItem | None:
    """Turn one outbox row into a disclosure draft; returns the item (the existing one on a repeat)."""
    with transaction.atomic():
        draft = (
            DisclosureDraft.objects.select_for_update().select_related("organisation").filter(pk=pk).first()
        )
        if draft is None or draft.withdrawn_at is not None:
            return None
        existing = DisclosureItem.objects.filter(source_draft=draft).first()
        if draft.consumed_at is not None or existing is not None:
            if draft.consumed_at is None:
                DisclosureDraft.objects.filter(pk=pk).update(consumed_at=timezone.now())
            return existing
        category, timing, key, notice = placement(draft)
        entry = CatalogueEntry.objects.filter(key=key, is_active=True).first() if key else None
        obligation = None
        day = timezone.localdate(draft.created_at)
        if entry is not None:
            if entry.is_periodic:
                obligation = periodic_obligation(
                    draft.organisation, entry, rules.period_label(day, entry.frequency)
                )
            else:
                event_key = f"{draft.kind}:{draft.content_type_id}:{draft.object_id}"
                obligation = event_obligation(
                    organisation=draft.organisation, entry=entry, day=day, event_key=event_key
                )
            notice = notice or entry.notice_working_days
        item = create_item(
            actor=None,
            organisation=draft.organisation,
            category=entry.category if entry else category,
            title=draft.title,
            body=from_text_or_html(draft.body),
            scope=draft.scope,
            timing=timing,
            obligation=obligation,
            notice_working_days=notice,
            source_draft=draft,
        )
        DisclosureDraft.objects.filter(pk=pk).update(consumed_at=timezone.now())
        notify(
            selectors.managers_of(draft.organisation),
            kind="disclosure.draft",
            url=reverse("openness:item", args=[item.pk]),
            subject=_("A disclosure draft awaits review: %(title)s") % {"title": item.title},
        )
    return item


def sweep_drafts(limit: int = 200) -> int:
    """Beat: consume the outbox rows no receiver took; returns how many became items."""
    pks = list(
        DisclosureDraft.objects.filter(consumed_at__isnull=True, withdrawn_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    made = 0
    for pk in pks:
        try:
            made += consume_draft(pk) is not None
        except Exception:  # one bad row must not stop the sweep; it stays unconsumed and is logged
            log.exception("disclosure draft %s could not be consumed", pk)
    return made


def on_disclosure_offered(sender, draft: DisclosureDraft, **kwargs) -> None:
    """The signal receiver (connected in apps.py): a failure here is left to the sweep."""
    try:
        consume_draft(draft.pk)
    except Exception:
        log.exception("disclosure draft %s: the receiver failed; the sweep will take it", draft.pk)


def on_disclosure_withdrawn(sender, draft_ids: list[int], **kwargs) -> None:
    """The source withdrew its offers (connected in apps.py): the items made from them and not yet published
    are withdrawn in the source's transaction, so none is left on a workbench."""
    for item in DisclosureItem.objects.select_for_update().filter(
        source_draft_id__in=draft_ids, status__in=PENDING_STATES
    ):
        transition(item, ITEM, ItemStatus.WITHDRAWN, actor=None, verb="disclosure.withdraw")
        reminders.cancel(item)
