"""公开目录: catalogue entries (editable by higher committees) and the obligations they create.

Periodic entries (dues quarterly, evaluation results yearly …) create one obligation per organisation of
the kinds they apply to and per period that has begun — the beat job `open_obligations` writes them, in
bulk and idempotently (a unique constraint; conflicts ignored). Occurrences (an election's results, a
motion's resolution) create theirs when the outbox draft arrives. Publication marks an obligation met,
once, with the day it was met: the compliance board derives on time / late / missing from the rows.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import diff, log_action
from branches.models import Organisation
from branches.selectors import scope_for
from branches.workdays import WorkCalendar

from .. import rules
from ..models import ENTRY_FIELDS, CatalogueEntry, DisclosureItem, Frequency, Obligation
from .errors import DisclosureError


@transaction.atomic
def save_entry(
    *, actor, organisation: Organisation | None, entry: CatalogueEntry | None = None, **values
) -> CatalogueEntry:
    """Create or change an entry; a higher committee edits the entries of its own subtree only."""
    if not rules.can_define_catalogue(
        scope_for(actor), organisation if entry is None else entry.organisation
    ):
        raise DisclosureError(
            _("Only a higher committee keeps catalogue entries, for its own organisations.")
        )
    values = {k: v for k, v in values.items() if k in ENTRY_FIELDS}
    if values.get("frequency") == Frequency.EVENT:
        values["applies_to"] = []
    if entry is None:
        if CatalogueEntry.objects.filter(key=values.get("key")).exists():
            raise DisclosureError(_("An entry with this key exists already."))
        entry = CatalogueEntry.objects.create(organisation=organisation, **values)
        log_action(
            actor,
            "catalogue.create",
            entry,
            organisation=organisation,
            changes={"key": [None, entry.key], "name": [None, entry.name]},
        )
        return entry
    values.pop("key", None)  # the outbox refers to entries by key: it never changes
    changes = diff(entry, ENTRY_FIELDS, values)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.save()
    if changes:
        log_action(actor, "catalogue.edit", entry, organisation=entry.organisation, changes=changes)
    return entry


def entries_for(org: Organisation):
    """The active entries that apply to an organisation: the default catalogue and those of its ancestors."""
    return CatalogueEntry.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__path__in=org.ancestor_paths()), is_active=True
    )


def periodic_obligation(
    org: Organisation, entry: CatalogueEntry, period: str, calendar: WorkCalendar | None = None
) -> Obligation:
    if not rules.period_is_valid(period, entry.frequency):
        raise DisclosureError(_("“%(period)s” is not a period of this entry.") % {"period": period})
    due = rules.obligation_due(entry, period, calendar)
    obligation, _created = Obligation.objects.get_or_create(
        organisation=org,
        entry=entry,
        period=period,
        event_key="",
        defaults={"due_on": due.day, "due_estimated": due.estimated},
    )
    return obligation


def event_obligation(
    *, organisation: Organisation, entry: CatalogueEntry, day: dt.date, event_key: str
) -> Obligation:
    period = rules.period_label(day, Frequency.EVENT)
    due = WorkCalendar().add_working_days(day, entry.deadline_working_days)
    obligation, _created = Obligation.objects.get_or_create(
        organisation=organisation,
        entry=entry,
        period=period,
        event_key=event_key[:120],
        defaults={"due_on": due.day, "due_estimated": due.estimated},
    )
    return obligation


def obligation_for_item(org: Organisation, entry: CatalogueEntry, period: str) -> Obligation:
    """The obligation a hand-drafted item fulfils: a period of a periodic entry, or an occurrence today."""
    if entry not in entries_for(org):
        raise DisclosureError(_("This catalogue entry does not apply to %(org)s.") % {"org": org})
    if entry.is_periodic:
        return periodic_obligation(
            org, entry, period or rules.period_label(timezone.localdate(), entry.frequency)
        )
    day = timezone.localdate()
    return event_obligation(organisation=org, entry=entry, day=day, event_key=f"manual:{day.isoformat()}")


def fulfil_obligation(item: DisclosureItem, *, now: dt.datetime) -> bool:
    """Mark the item's obligation met by its first publication (a later correction changes nothing)."""
    if item.obligation_id is None:
        return False
    return bool(
        Obligation.objects.filter(pk=item.obligation_id, fulfilled_on__isnull=True).update(
            fulfilled_on=timezone.localdate(now), fulfilled_by=item
        )
    )


def open_obligations(today: dt.date | None = None) -> int:
    """Beat: write the obligations of every periodic entry for each period begun up to today (idempotent)."""
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    created = 0
    for entry in CatalogueEntry.objects.filter(is_active=True).exclude(frequency=Frequency.EVENT):
        if not entry.applies_to or entry.starts_on > today:
            continue
        orgs = Organisation.objects.filter(kind__in=entry.applies_to)
        if entry.organisation_id:
            orgs = orgs.filter(path__startswith=entry.organisation.path)
        rows = []
        due_cache: dict[str, tuple[dt.date, bool]] = {}
        for org in orgs.only("pk", "created_at"):
            begins = max(entry.starts_on, timezone.localdate(org.created_at))
            for period in rules.periods_between(begins, today, entry.frequency):
                if period not in due_cache:
                    due = rules.obligation_due(entry, period, calendar)
                    due_cache[period] = (due.day, due.estimated)
                day, estimated = due_cache[period]
                rows.append(
                    Obligation(
                        organisation_id=org.pk,
                        entry=entry,
                        period=period,
                        event_key="",
                        due_on=day,
                        due_estimated=estimated,
                    )
                )
        before = Obligation.objects.filter(entry=entry).count()
        Obligation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        created += Obligation.objects.filter(entry=entry).count() - before
    return created
