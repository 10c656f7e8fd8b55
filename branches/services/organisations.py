"""Writes on the organisation tree: creating organisations, starting committee terms and their reminder."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import reminders, rules
from ..audit import log_action
from ..models import CommitteeTerm, Organisation
from .roles import officers_above

# The higher committee's reminder before a committee term ends, as a reminder kind (branches.reminders).
# Its text is in the site's language.
TERM_ENDING = "term.ending"


@transaction.atomic
def create_organisation(
    *,
    actor,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    unit_type: str = "other",
    is_joint: bool = False,
) -> Organisation:
    org = Organisation.objects.create(
        name=name, kind=kind, parent=parent, unit_type=unit_type, is_joint=is_joint
    )
    log_action(actor, "organisation.create", org, changes={"name": [None, name], "kind": [None, kind]})
    return org


@transaction.atomic
def start_term(*, actor, organisation: Organisation, starts_on: dt.date) -> CommitteeTerm:
    ends_on, reminder_due_on = rules.term_dates(organisation, starts_on)
    term = CommitteeTerm.objects.create(
        organisation=organisation, starts_on=starts_on, ends_on=ends_on, reminder_due_on=reminder_due_on
    )
    plan_term_reminder(term)
    log_action(
        actor,
        "term.start",
        term,
        organisation=organisation,
        changes={"starts_on": [None, starts_on], "ends_on": [None, ends_on]},
    )
    return term


def plan_term_reminder(term: CommitteeTerm) -> None:
    """The higher committee's reminder on `reminder_due_on` (rule `term_reminder_months_before`), at the
    reminder hour; called where a term is created or its dates change. Replaces a pending reminder; one
    already sent is not sent again; a term already over is not reminded."""
    reminders.cancel(term, kinds=[TERM_ENDING])
    if term.ends_on < timezone.localdate():
        return
    org = term.organisation
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("The committee term of %(org)s ends on %(date)s") % {"org": org, "date": term.ends_on}
    reminders.schedule(
        kind=TERM_ENDING,
        obj=term,
        due_at=reminders.at_reminder_hour(term.reminder_due_on),
        recipients=term_reminder_recipients(term),
        subject=subject,
        url=reverse("branches:organisation", args=[org.pk]),
        organisation=org,
    )


@reminders.recipients_when_due(TERM_ENDING)
def term_reminder_recipients(term: CommitteeTerm) -> list:
    """The officers above when the reminder falls due (years after the term began), not those of its start;
    nobody once the term is over."""
    if term.ends_on < timezone.localdate():
        return []
    return [r.member.user for r in officers_above(term.organisation) if r.member.user_id]
