"""Drafting an item: creating and changing it, its attachments, discarding a draft never published.

Invariant (tested): content changes only in `draft` and `returned` — here (`_check_editable`), and in the
database (trigger, migration 0002). A published item is corrected by a new version (services.corrections).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit import diff, log_action
from branches.models import Organisation
from branches.outbox import DisclosureDraft, DisclosureScope

from .. import rules
from ..files import AttachmentRefused, detect
from ..models import (
    EDITABLE_STATES,
    Attachment,
    CatalogueEntry,
    DisclosureItem,
    ItemStatus,
    Obligation,
    TimingKind,
    private_storage,
)
from ..richtext import sanitise
from .catalogue import obligation_for_item
from .common import acting_user, lock_item
from .errors import DisclosureError

UNCHANGED = object()

CONTENT_FIELDS = [
    "category",
    "title",
    "body",
    "scope",
    "timing",
    "period",
    "notice_working_days",
    "publish_at",
    "expires_on",
    "beyond_authority",
]


def _check_values(values: dict) -> dict:
    values = dict(values)
    if "body" in values:
        values["body"] = sanitise(values["body"])
    if "title" in values:
        values["title"] = (values["title"] or "").strip()[:200]
    if values.get("notice_working_days") in ("", 0):
        values["notice_working_days"] = None
    if values.get("scope") and values["scope"] not in DisclosureScope.values:
        raise DisclosureError(_("Unknown scope."))
    return values


@transaction.atomic
def create_item(
    *,
    actor,
    organisation: Organisation,
    category: str,
    title: str,
    body: str,
    scope: str = DisclosureScope.INTERNAL,
    range_organisations=(),
    range_members=(),
    timing: str = TimingKind.TEMPORARY,
    period: str = "",
    catalogue_entry: CatalogueEntry | None = None,
    obligation: Obligation | None = None,
    notice_working_days: int | None = None,
    publish_at: dt.datetime | None = None,
    expires_on: dt.date | None = None,
    beyond_authority: bool = False,
    source_draft: DisclosureDraft | None = None,
) -> DisclosureItem:
    values = _check_values(
        {
            "category": category,
            "title": title,
            "body": body,
            "scope": scope,
            "timing": timing,
            "period": period,
            "notice_working_days": notice_working_days,
            "publish_at": publish_at,
            "expires_on": expires_on,
            "beyond_authority": beyond_authority,
        }
    )
    if obligation is None and catalogue_entry is not None:
        obligation = obligation_for_item(organisation, catalogue_entry, values["period"])
    if obligation is not None and not values["period"]:
        values["period"] = obligation.period
    item = DisclosureItem.objects.create(
        organisation=organisation,
        obligation=obligation,
        source_draft=source_draft,
        created_by=acting_user(actor),
        **values,
    )
    _set_range(item, range_organisations, range_members)
    log_action(
        actor,
        "disclosure.create",
        item,
        changes={"title": [None, item.title], "scope": [None, item.scope], "status": [None, item.status]},
    )
    return item


def _set_range(item: DisclosureItem, organisations, members) -> None:
    orgs = list(organisations or [])
    people = list(members or [])
    if item.scope != DisclosureScope.RANGE:
        orgs, people = [], []
    item.range_organisations.set(orgs)
    item.range_members.set(people)


def _check_editable(item: DisclosureItem) -> None:
    if item.status in EDITABLE_STATES:
        return
    if item.status in ItemStatus.values and item.published_at is not None:
        raise DisclosureError(
            _("A published item is never edited in place: publish a correction (a new version) instead.")
        )
    raise DisclosureError(_("The content is frozen while the item is reviewed; ask for it to be returned."))


@transaction.atomic
def update_item(
    *,
    actor,
    item: DisclosureItem,
    range_organisations=None,
    range_members=None,
    catalogue_entry: CatalogueEntry | None | object = UNCHANGED,
    **values,
) -> DisclosureItem:
    """Change a draft (or a returned item). `catalogue_entry=None` unlinks it from the catalogue; leaving
    the argument out keeps the link (with the period moved if the period changes)."""
    locked = lock_item(item)
    _check_editable(locked)
    values = _check_values({k: v for k, v in values.items() if k in CONTENT_FIELDS})
    merged = {name: getattr(locked, name) for name in CONTENT_FIELDS} | values
    obligation = locked.obligation
    if catalogue_entry is None:
        obligation = None
    elif catalogue_entry is not UNCHANGED:
        obligation = obligation_for_item(locked.organisation, catalogue_entry, merged["period"])
    elif "period" in values and obligation is not None and obligation.entry.is_periodic:
        obligation = obligation_for_item(locked.organisation, obligation.entry, merged["period"])
    changes = diff(locked, CONTENT_FIELDS, merged)
    if "body" in changes:  # the log keeps sizes; the versions keep the text
        changes["body"] = [len(locked.body), len(merged["body"])]
    for name in CONTENT_FIELDS:
        setattr(locked, name, merged[name])
    if obligation != locked.obligation:
        changes["obligation"] = [str(locked.obligation or ""), str(obligation or "")]
        locked.obligation = obligation
    locked.save()
    if range_organisations is not None or range_members is not None:
        _set_range(
            locked,
            range_organisations if range_organisations is not None else locked.range_organisations.all(),
            range_members if range_members is not None else locked.range_members.all(),
        )
    elif locked.scope != DisclosureScope.RANGE:
        _set_range(locked, [], [])
    if changes:
        log_action(actor, "disclosure.edit", locked, changes=changes)
    return locked


@transaction.atomic
def add_attachment(*, actor, item: DisclosureItem, upload) -> Attachment:
    locked = lock_item(item)
    _check_editable(locked)
    if locked.attachments.count() >= rules.rule("disclosure_attachments_per_item"):
        raise DisclosureError(
            _("An item takes at most %(n)d attachments.")
            % {"n": rules.rule("disclosure_attachments_per_item")}
        )
    try:
        detected = detect(upload)
    except AttachmentRefused as exc:
        raise DisclosureError(str(exc)) from exc
    name = (getattr(upload, "name", "") or "attachment").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        item=locked,
        original_name=name,
        content_type=detected.content_type,
        size=detected.size,
        uploaded_by=acting_user(actor),
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    log_action(actor, "disclosure.attach", locked, changes={"attachment": [None, name]})
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    locked = lock_item(attachment.item)
    _check_editable(locked)
    name, stored = attachment.original_name, attachment.file.name
    attachment.delete()
    log_action(actor, "disclosure.detach", locked, changes={"attachment": [name, None]})
    # The file goes only when no other version still refers to it (corrections share their files).
    if not Attachment.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))


@transaction.atomic
def discard_item(*, actor, item: DisclosureItem) -> None:
    """Throw away a draft that was never published (a draft correction included)."""
    locked = lock_item(item)
    if locked.status not in EDITABLE_STATES or locked.published_at is not None:
        raise DisclosureError(_("Only a draft that was never published can be discarded."))
    if locked.feedback.exists():
        raise DisclosureError(_("An item with feedback cannot be discarded."))
    log_action(actor, "disclosure.discard", locked, changes={"title": [locked.title, None]})
    stored = [a.file.name for a in locked.attachments.all()]
    locked.attachments.all().delete()
    DisclosureItem.objects.filter(pk=locked.pk).delete()
    orphans = [name for name in stored if not Attachment.objects.filter(file=name).exists()]
    if orphans:
        transaction.on_commit(lambda: [private_storage.delete(n) for n in orphans])
