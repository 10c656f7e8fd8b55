"""党务公开: disclosure items and their versions, reviews, attachments, feedback, and the catalogue.

items        — `DisclosureItem` (one row per version), its statuses and the state groups, board categories
reviews      — `Review`: the secrecy review, the approval, a return with comments
attachments  — `Attachment` and the private storage its files live in
feedback     — `Feedback`: comments and objections, each answered
catalogue    — `CatalogueEntry` (公开目录) and the `Obligation` rows it creates

A 公示 (public notice) is not a model of its own: it is the notice fields of an item (`notice_*`).
Migrations name `openness.models.get_private_storage` and `openness.models.attachment_path`: both stay
importable from here.
"""

from .attachments import Attachment, PrivateStorage, attachment_path, get_private_storage, private_storage
from .catalogue import ENTRY_FIELDS, CatalogueEntry, Frequency, Obligation
from .feedback import Feedback, FeedbackKind, FeedbackStatus
from .items import (
    CURRENT_STATES,
    EDITABLE_STATES,
    PENDING_STATES,
    PUBLIC_STATES,
    BoardCategory,
    DisclosureItem,
    DisclosureItemQuerySet,
    ItemStatus,
    TimingKind,
)
from .reviews import Review, ReviewDecision, ReviewStage

__all__ = [
    "CURRENT_STATES",
    "EDITABLE_STATES",
    "ENTRY_FIELDS",
    "PENDING_STATES",
    "PUBLIC_STATES",
    "Attachment",
    "BoardCategory",
    "CatalogueEntry",
    "DisclosureItem",
    "DisclosureItemQuerySet",
    "Feedback",
    "FeedbackKind",
    "FeedbackStatus",
    "Frequency",
    "ItemStatus",
    "Obligation",
    "PrivateStorage",
    "Review",
    "ReviewDecision",
    "ReviewStage",
    "TimingKind",
    "attachment_path",
    "get_private_storage",
    "private_storage",
]
