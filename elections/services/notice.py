"""The public notice (公示) of the pre-candidates: offered to the board when the higher committee approves
them, it starts when the board publishes it, runs the item's N working days and ends by itself (the beat
job, once); objections raised meanwhile are answered before the
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
    """The higher committee approves and the notice (公示) of the pre-candidates is offered to the board.
    There is one clock, the board item's: it starts when the notice is published there (`start_notice`,
    told by the outbox), not while it is still a draft."""
    move(
        election,
        ElectionStatus.NOTICE,
        actor=actor,
        verb="election.pre_candidates_approve",
        higher_comment=comment,
        notice_starts_at=None,
        notice_ends_at=None,
        notice_estimated=False,
    )
    pre = election.candidacies.filter(stage=Stage.PRE_CANDIDATE).select_related("member")
    disclose(
        election,
        DisclosureKind.ELECTION_CANDIDATES,
        title=_("%(title)s: notice of the pre-candidates") % {"title": election.title},
        body="\n".join(f"{c.get_post_display()}：{c.member.name}" for c in pre),
    )
    return election


def start_notice(*, election: Election, published_at: dt.datetime, ends_at: dt.datetime | None) -> bool:
    """The board published the notice: the election's 公示 runs from then until the item's notice ends (N
    working days counted by the board; the election's own rule when the item has no notice). Once."""
    estimated = False
    if ends_at is None:
        ends_at, estimated = notice_end(
            timezone.localdate(published_at), election.rules["election_notice_working_days"]
        )
    started = Election.objects.filter(
        pk=election.pk, status=ElectionStatus.NOTICE, notice_starts_at__isnull=True
    ).update(notice_starts_at=published_at, notice_ends_at=ends_at, notice_estimated=estimated)
    if not started:
        return False
    election.notice_starts_at, election.notice_ends_at = published_at, ends_at
    log_action(
        None,
        "election.notice_start",
        election,
        changes={"ends": timezone.localtime(ends_at).strftime("%Y-%m-%d %H:%M")},
    )
    reminders.schedule(
        kind="election.notice_end",
        obj=election,
        due_at=ends_at,
        recipients=managers_of(election.organisation) + officers_above(election.organisation),
        subject=_("%(title)s: the notice of the pre-candidates has ended") % {"title": election.title},
        url=election_url(election),
        organisation=election.organisation,
    )
    return True


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
