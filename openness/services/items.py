"""Items: drafting, attachments, the procedure of 公开条例 art. 15, corrections, expiry, archiving.

Invariants (each tested):
1. No item reaches `published` without a passed secrecy review by the reviewer named at submission, who is
   never the person who submitted it: the state table has no other path (states.ITEM).
2. The approving organisation is fixed at submission (rules.approving_organisation): an item beyond its
   organisation's authority waits for the higher committee, whose members alone (and supervisors) approve.
3. Content changes only in `draft` and `returned` — here, and in the database (trigger, migration 0002).
   A published item is corrected by a new version that goes through the same procedure; when it is
   published, the old version becomes `corrected` in the same transaction, and both stay visible.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import diff, log_action
from branches.models import Organisation
from branches.notifications import notify
from branches.outbox import DisclosureDraft, DisclosureScope
from branches.selectors import scope_for

from .. import boardcache, rules, selectors
from ..files import AttachmentRefused, detect
from ..models import (
    CURRENT_STATES,
    EDITABLE_STATES,
    Attachment,
    CatalogueEntry,
    DisclosureItem,
    ItemStatus,
    Obligation,
    Review,
    ReviewDecision,
    ReviewStage,
    TimingKind,
)
from ..richtext import sanitise
from ..states import ITEM, TransitionError, transition
from .catalogue import fulfil_obligation, obligation_for_item
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


def _url(item: DisclosureItem) -> str:
    return reverse("openness:item", args=[item.pk])


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


# --- drafting -----------------------------------------------------------------------------------------------


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
        created_by=_user(actor),
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


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _set_range(item: DisclosureItem, organisations, members) -> None:
    orgs = list(organisations or [])
    people = list(members or [])
    if item.scope != DisclosureScope.RANGE:
        orgs, people = [], []
    item.range_organisations.set(orgs)
    item.range_members.set(people)


def _lock(item: DisclosureItem) -> DisclosureItem:
    return DisclosureItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)


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
    locked = _lock(item)
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
    locked = _lock(item)
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
        uploaded_by=_user(actor),
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    log_action(actor, "disclosure.attach", locked, changes={"attachment": [None, name]})
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    locked = _lock(attachment.item)
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
    locked = _lock(item)
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
        from ..models import private_storage

        transaction.on_commit(lambda: [private_storage.delete(n) for n in orphans])


# --- the procedure ------------------------------------------------------------------------------------------


@transaction.atomic
def submit_item(*, actor, item: DisclosureItem, reviewer) -> DisclosureItem:
    """Send a draft (or a returned item) to the secrecy review by a named reviewer."""
    locked = _lock(item)
    if not rules.can_submit(scope_for(actor), locked):
        raise DisclosureError(_("Only the organisation's committee submits its items for review."))
    issues = rules.blocking_issues(locked, "submit")
    if issues:
        raise DisclosureError(" ".join(issues))
    if reviewer is None or reviewer.pk not in {
        u.pk for u in selectors.eligible_reviewers(locked, exclude=actor)
    }:
        raise DisclosureError(
            _("Name a secrecy reviewer from the committee or a higher committee; it cannot be yourself.")
        )
    approver = rules.approving_organisation(locked)
    transition(
        locked,
        ITEM,
        ItemStatus.REVIEW,
        actor=actor,
        verb="disclosure.submit",
        reviewer=reviewer,
        approver_organisation=approver,
    )
    notify(
        [reviewer],
        kind="disclosure.review",
        url=_url(locked),
        subject=_("Secrecy review requested: %(title)s") % {"title": locked.title},
    )
    return locked


@transaction.atomic
def pass_secrecy_review(
    *, actor, item: DisclosureItem, checks: dict[str, bool], comment: str = ""
) -> DisclosureItem:
    """保密审查: the named reviewer confirms necessity, accuracy, no secrets and no private data."""
    locked = _lock(item)
    if not rules.can_review_secrecy(actor, locked):
        raise DisclosureError(_("Only the named reviewer performs the secrecy review."))
    missing = [name for name in rules.SECRECY_CHECKS if not checks.get(name)]
    if missing:
        raise DisclosureError(_("Every point of the secrecy check must be confirmed, or the item returned."))
    issues = rules.blocking_issues(locked, "pass_secrecy", attachment_names=_attachment_names(locked))
    if issues:
        raise DisclosureError(" ".join(issues))
    Review.objects.create(
        item=locked,
        stage=ReviewStage.SECRECY,
        decision=ReviewDecision.PASSED,
        reviewer=actor,
        organisation=locked.organisation,
        checks={n: True for n in rules.SECRECY_CHECKS},
        comment=comment,
    )
    transition(locked, ITEM, ItemStatus.APPROVAL, actor=actor, verb="disclosure.secrecy_passed")
    org = locked.approver_organisation
    notify(
        selectors.approvers_of(org),
        kind="disclosure.approval",
        url=_url(locked),
        subject=_("Approval requested by %(org)s: %(title)s")
        % {"org": locked.organisation, "title": locked.title},
    )
    return locked


def _attachment_names(item: DisclosureItem) -> list[str]:
    return list(item.attachments.values_list("original_name", flat=True))


@transaction.atomic
def return_item(*, actor, item: DisclosureItem, comment: str) -> DisclosureItem:
    """Return with comments: by the named reviewer, the approvers, or a supervisor before publication."""
    locked = _lock(item)
    scope = scope_for(actor)
    if not rules.can_return(actor, scope, locked):
        raise DisclosureError(_("You cannot return this item at its present stage."))
    if not (comment or "").strip():
        raise DisclosureError(_("Say what must change: a returned item carries a comment."))
    if locked.status == ItemStatus.REVIEW and rules.can_review_secrecy(actor, locked):
        stage, org = ReviewStage.SECRECY, locked.organisation
    elif locked.status == ItemStatus.APPROVAL and scope.can_manage(locked.approver_organisation):
        stage, org = ReviewStage.APPROVAL, locked.approver_organisation
    else:
        stage, org = ReviewStage.SUPERVISION, locked.organisation
    Review.objects.create(
        item=locked,
        stage=stage,
        decision=ReviewDecision.RETURNED,
        reviewer=actor,
        organisation=org,
        comment=comment.strip(),
    )
    transition(locked, ITEM, ItemStatus.RETURNED, actor=actor, verb="disclosure.return")
    recipients = [locked.created_by, *selectors.managers_of(locked.organisation)]
    notify(
        recipients,
        kind="disclosure.returned",
        url=_url(locked),
        body=comment.strip(),
        subject=_("Returned with comments: %(title)s") % {"title": locked.title},
    )
    return locked


@transaction.atomic
def approve_item(
    *, actor, item: DisclosureItem, comment: str = "", now: dt.datetime | None = None
) -> DisclosureItem:
    """Approve at the approving organisation; published at once unless a later moment was set."""
    now = now or timezone.now()
    locked = _lock(item)
    scope = scope_for(actor)
    if not rules.can_approve(scope, locked):
        raise DisclosureError(_("This item is approved by %(org)s.") % {"org": locked.approver_organisation})
    # The approving committee approves; a supervisor over it may too (his review queue), recorded as such.
    stage = (
        ReviewStage.APPROVAL if scope.can_manage(locked.approver_organisation) else ReviewStage.SUPERVISION
    )
    Review.objects.create(
        item=locked,
        stage=stage,
        decision=ReviewDecision.APPROVED,
        reviewer=actor,
        organisation=locked.approver_organisation,
        comment=comment,
    )
    transition(locked, ITEM, ItemStatus.SCHEDULED, actor=actor, verb="disclosure.approve")
    if locked.publish_at is None or locked.publish_at <= now:
        publish_item(actor=actor, item=locked, now=now)
    return locked


@transaction.atomic
def publish_item(*, actor, item: DisclosureItem, now: dt.datetime | None = None) -> DisclosureItem:
    """Publish an approved item: compute its notice in working days, supersede the version it corrects,
    mark its catalogue obligation met, and let the public board show it."""
    now = now or timezone.now()
    extra = {"published_at": now}
    if item.notice_working_days:
        end = rules.notice_end(now, item.notice_working_days)
        extra |= {
            "notice_ends_on": end.day,
            "notice_ends_at": rules.start_of_next_day(end.day),
            "notice_estimated": end.estimated,
        }
    transition(item, ITEM, ItemStatus.PUBLISHED, actor=actor, verb="disclosure.publish", **extra)
    if item.supersedes_id:
        old = DisclosureItem.objects.select_for_update().get(pk=item.supersedes_id)
        if old.status in CURRENT_STATES:
            transition(old, ITEM, ItemStatus.CORRECTED, actor=actor, verb="disclosure.corrected")
            # A notice of the old version no longer runs: its reminders stop.
            reminders.cancel(old)
    fulfil_obligation(item, now=now)
    boardcache.bump()
    people = [item.created_by]
    if item.scope == DisclosureScope.RANGE:
        people += [m.user for m in item.range_members.select_related("user") if m.user_id]
    notify(
        people,
        kind="disclosure.published",
        url=_url(item),
        subject=_("Published: %(title)s") % {"title": item.title},
    )
    return item


def publish_due_items(now: dt.datetime | None = None) -> int:
    """Beat: publish the approved items whose moment has come; each once (the UPDATE is conditional)."""
    now = now or timezone.now()
    published = 0
    due = DisclosureItem.objects.filter(status=ItemStatus.SCHEDULED, publish_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            item = (
                DisclosureItem.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=ItemStatus.SCHEDULED)
                .first()
            )
            if item is None:
                continue  # another worker has it, or it was returned meanwhile
            publish_item(actor=None, item=item, now=now)
            published += 1
    return published


# --- corrections, expiry, archive ---------------------------------------------------------------------------


@transaction.atomic
def start_correction(*, actor, item: DisclosureItem, note: str) -> DisclosureItem:
    """A correction is a new version (a draft copying the published one) that goes through the procedure."""
    locked = _lock(item)
    if not rules.can_correct(scope_for(actor), locked):
        raise DisclosureError(_("Only a published item of an organisation you run can be corrected."))
    if not (note or "").strip():
        raise DisclosureError(_("Say what the correction changes and why."))
    pending = DisclosureItem.objects.filter(supersedes=locked).first()
    if pending is not None:
        raise DisclosureError(
            _("A correction (version %(v)d) is already under way.") % {"v": pending.version}
        )
    root_id = locked.root_id or locked.pk
    new = DisclosureItem.objects.create(
        organisation=locked.organisation,
        category=locked.category,
        title=locked.title,
        body=locked.body,
        scope=locked.scope,
        timing=locked.timing,
        period=locked.period,
        obligation=locked.obligation,
        beyond_authority=locked.beyond_authority,
        notice_working_days=locked.notice_working_days,
        expires_on=locked.expires_on,
        root_id=root_id,
        version=locked.version + 1,
        supersedes=locked,
        correction_note=note.strip(),
        created_by=_user(actor),
    )
    new.range_organisations.set(locked.range_organisations.all())
    new.range_members.set(locked.range_members.all())
    Attachment.objects.bulk_create(
        Attachment(
            item=new,
            file=a.file.name,
            original_name=a.original_name,
            content_type=a.content_type,
            size=a.size,
            uploaded_by=a.uploaded_by,
        )
        for a in locked.attachments.all()
    )
    log_action(
        actor,
        "disclosure.correction_started",
        new,
        changes={"version": [locked.version, new.version], "note": note.strip()},
    )
    return new


def expire_due_items(today: dt.date | None = None) -> int:
    """Beat: take items off display after their last day; a running notice ends first."""
    today = today or timezone.localdate()
    due = DisclosureItem.objects.filter(expires_on__lt=today).filter(
        Q(status=ItemStatus.COMPLETED) | Q(status=ItemStatus.PUBLISHED, notice_working_days__isnull=True)
    )
    expired = 0
    for item in list(due):
        with transaction.atomic():
            try:
                transition(item, ITEM, ItemStatus.EXPIRED, actor=None, verb="disclosure.expire")
            except TransitionError:  # changed meanwhile (corrected, completed): the next run decides
                continue
            expired += 1
    if expired:
        boardcache.bump()
    return expired


@transaction.atomic
def archive_item(*, actor, item: DisclosureItem) -> DisclosureItem:
    locked = _lock(item)
    if not rules.can_archive(scope_for(actor), locked):
        raise DisclosureError(_("Only an expired item of an organisation you run can be archived."))
    transition(locked, ITEM, ItemStatus.ARCHIVED, actor=actor, verb="disclosure.archive")
    return locked
