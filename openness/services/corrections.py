"""Corrections: a published item is never edited in place; a correction is a new version (`supersedes`),
a draft copying the published one (its files shared), that goes through the same procedure."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.selectors import scope_for

from .. import rules
from ..models import Attachment, DisclosureItem
from .common import acting_user, lock_item
from .errors import DisclosureError


@transaction.atomic
def start_correction(*, actor, item: DisclosureItem, note: str) -> DisclosureItem:
    """A correction is a new version (a draft copying the published one) that goes through the procedure."""
    locked = lock_item(item)
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
        created_by=acting_user(actor),
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
