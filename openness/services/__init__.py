"""Every write of the openness app: atomic, keyword-only, audited, returning the object.

drafting    — creating and changing an item, its attachments, discarding a draft
review      — the procedure: submit → secrecy review → approval (or a return with comments)
publishing  — publication (at once or by the beat), expiry, archiving
corrections — a published item corrected by a new version
common      — what those four share: the row lock, the acting user, the item's page
notices     — 公示 completing by themselves at the end, held by an open objection
feedback    — comments and objections, each answered
catalogue   — 公开目录 entries and the obligations they create
intake      — drafts arriving from the outbox (elections, motions, proposals)
"""

from .catalogue import event_obligation, fulfil_obligation, open_obligations, periodic_obligation, save_entry
from .corrections import start_correction
from .drafting import add_attachment, create_item, discard_item, remove_attachment, update_item
from .errors import DisclosureError
from .feedback import answer_feedback, give_feedback
from .intake import consume_draft, sweep_drafts
from .notices import complete_due_notices, complete_notice
from .publishing import archive_item, expire_due_items, publish_due_items, publish_item
from .review import approve_item, pass_secrecy_review, return_item, submit_item

__all__ = [
    "DisclosureError",
    "add_attachment",
    "answer_feedback",
    "approve_item",
    "archive_item",
    "complete_due_notices",
    "complete_notice",
    "consume_draft",
    "create_item",
    "discard_item",
    "event_obligation",
    "expire_due_items",
    "fulfil_obligation",
    "give_feedback",
    "open_obligations",
    "pass_secrecy_review",
    "periodic_obligation",
    "publish_due_items",
    "publish_item",
    "remove_attachment",
    "return_item",
    "save_entry",
    "start_correction",
    "submit_item",
    "sweep_drafts",
    "update_item",
]
