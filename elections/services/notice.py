"""The public notice (公示) of the pre-candidates: it starts when the higher committee approves them, runs N
working days and ends by itself (the beat job, once); objections raised meanwhile are answered before the
list is fixed — an upheld objection withdraws the pre-candidate."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.outbox import DisclosureKind
from branches.workdays import WorkCalendar

from ..models import Candidacy, Election, ElectionStatus, Objection, Stage
from ..states import ELECTION, TransitionError, transition
from .common import (
    check_status,
    disclose,
    election_url,
    managers_of,
    move,
    officers_above,
    plan_step_reminder,
)
from .errors import ElectionError


def notice_end(start: dt.date, working_days: int) -> tuple[dt.datetime, bool]:
    """The notice runs N working days after the day it starts and ends at midnight after the last one."""
    due = WorkCalendar().add_working_days(start, working_days)
    ends = timezone.make_aware(dt.datetime.combine(due.day + dt.timedelta(days=1), dt.time(0, 0)))
    return ends, due.estimated


@transaction.atomic
def approve_pre_candidates(*, actor, election: Election, comment: str = "") -> Election:
    """The higher committee approves; the public notice (公示) starts at once, for N working days."""
    now = timezone.now()
    ends, estimated = notice_end(timezone.localdate(now), election.rules["election_notice_working_days"])
    move(
        election,
        ElectionStatus.NOTICE,
        actor=actor,
        verb="election.pre_candidates_approve",
        higher_comment=comment,
        notice_starts_at=now,
        notice_ends_at=ends,
        notice_estimated=estimated,
    )
    pre = election.candidacies.filter(stage=Stage.PRE_CANDIDATE).select_related("member")
    disclose(
        election,
        DisclosureKind.ELECTION_CANDIDATES,
        title=_("%(title)s: notice of the pre-candidates") % {"title": election.title},
        body="\n".join(f"{c.get_post_display()}：{c.member.name}" for c in pre)
        + "\n\n"
        + _("Notice until %(date)s.") % {"date": timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")},
    )
    reminders.schedule(
        kind="election.notice_end",
        obj=election,
        due_at=ends,
        recipients=managers_of(election.organisation) + officers_above(election.organisation),
        subject=_("%(title)s: the notice of the pre-candidates has ended") % {"title": election.title},
        url=election_url(election),
        organisation=election.organisation,
    )
    return election


def end_due_notices(now: dt.datetime | None = None) -> int:
    """The beat job: each notice whose period is over ends by itself, once (the conditional UPDATE)."""
    now = now or timezone.now()
    ended = 0
    due = Election.objects.filter(status=ElectionStatus.NOTICE, notice_ends_at__lte=now)
    for election in due.select_related("organisation"):
        try:
            with transaction.atomic():
                transition(
                    election,
                    ELECTION,
                    ElectionStatus.NOTICE_OVER,
                    actor=None,
                    verb="election.notice_end",
                    organisation=election.organisation,
                )
                plan_step_reminder(election)
        except TransitionError:
            continue  # another worker ended it
        ended += 1
    return ended


# --- objections ---------------------------------------------------------------------------------------


@transaction.atomic
def raise_objection(*, actor, candidacy: Candidacy, text: str) -> Objection:
    election = candidacy.election
    check_status(election, ElectionStatus.NOTICE)
    if candidacy.stage != Stage.PRE_CANDIDATE:
        raise ElectionError(_("Objections concern the pre-candidates on notice."))
    if not text.strip():
        raise ElectionError(_("An objection needs a text."))
    objection = Objection.objects.create(
        election=election, candidacy=candidacy, text=text.strip(), raised_by=actor
    )
    log_action(actor, "election.objection", election, changes={"about": candidacy.member.name})
    reminders.schedule(
        kind="election.objection",
        obj=objection,
        due_at=timezone.now(),
        recipients=managers_of(election.organisation),
        subject=_("%(title)s: an objection to answer") % {"title": election.title},
        url=election_url(election),
        organisation=election.organisation,
    )
    return objection


@transaction.atomic
def answer_objection(*, actor, objection: Objection, answer: str, upheld: bool = False) -> Objection:
    if not objection.is_open:
        raise ElectionError(_("This objection has already been answered."))
    if not answer.strip():
        raise ElectionError(_("An answer needs a text."))
    objection.answer, objection.upheld = answer.strip(), upheld
    objection.answered_by, objection.answered_at = actor, timezone.now()
    objection.save(update_fields=["answer", "upheld", "answered_by", "answered_at"])
    if upheld:
        Candidacy.objects.filter(pk=objection.candidacy_id).update(
            stage=Stage.WITHDRAWN, withdrawn_reason=answer.strip()
        )
    log_action(
        actor,
        "election.objection_answer",
        objection.election,
        changes={"about": objection.candidacy.member.name, "upheld": upheld},
    )
    return objection
