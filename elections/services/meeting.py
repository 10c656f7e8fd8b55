"""The election meeting of 公推直选 up to its first ballot: scheduled with the outgoing committee's reports
and observers (阳光选举), opened, the roll call's quorum gate, scrutineers (监票人) elected from the
non-candidates on its roll, the election rules (选举办法) adopted. Its ballots are in rounds.py."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.models import Attendance, Meeting, MeetingStatus, Member
from branches.rules import majority_of

from .. import rules as prules
from ..models import Election, ElectionScrutineer, ElectionStatus, Observer, ObserverKind, Purpose, Stage
from ..selectors import roll_call
from .common import check_no_issues, check_status, move, schedule_general_meeting
from .errors import ElectionError

BEFORE_THE_VOTE = (ElectionStatus.NOTICE, ElectionStatus.NOTICE_OVER, ElectionStatus.CANDIDATES)


@transaction.atomic
def schedule_election_meeting(
    *, actor, election: Election, starts_at: dt.datetime, location: str = ""
) -> Meeting:
    check_status(election, ElectionStatus.NOTICE_OVER, ElectionStatus.CANDIDATES)
    if election.election_meeting_id:
        raise ElectionError(_("The election meeting is already scheduled."))
    meeting = schedule_general_meeting(
        actor=actor,
        election=election,
        title=_("Election meeting: %(title)s") % {"title": election.title},
        agenda=_("Reports of the outgoing committee; election of the new committee."),
        starts_at=starts_at,
        location=location,
    )
    Election.objects.filter(pk=election.pk).update(election_meeting=meeting)
    election.election_meeting = meeting
    log_action(actor, "election.meeting_schedule", election, changes={"starts_at": [None, starts_at]})
    return meeting


@transaction.atomic
def attach_reports(*, actor, election: Election, work_report: str, dues_report: str) -> Election:
    check_status(election, *BEFORE_THE_VOTE)
    election.work_report, election.dues_report = work_report.strip(), dues_report.strip()
    election.save(update_fields=["work_report", "dues_report"])
    log_action(
        actor,
        "election.reports",
        election,
        changes={"work_report": len(work_report), "dues_report": len(dues_report)},
    )
    return election


@transaction.atomic
def add_observer(*, actor, election: Election, name: str, kind: str) -> Observer:
    check_status(election, *BEFORE_THE_VOTE, ElectionStatus.MEETING)
    if kind not in ObserverKind.values or not name.strip():
        raise ElectionError(_("Name the observer and what he represents."))
    observer = Observer.objects.create(election=election, name=name.strip(), kind=kind)
    log_action(actor, "election.observer", election, changes={"observer": name.strip(), "kind": kind})
    return observer


@transaction.atomic
def start_election_meeting(*, actor, election: Election) -> Election:
    from branches.services import start_meeting

    check_status(election, ElectionStatus.CANDIDATES)
    check_no_issues(election)
    meeting = election.election_meeting
    if meeting.status == MeetingStatus.SCHEDULED:
        start_meeting(actor=actor, meeting=meeting)
    return move(election, ElectionStatus.MEETING, actor=actor, verb="election.meeting_start")


# --- the meeting's gates ------------------------------------------------------------------------------


@transaction.atomic
def confirm_quorum(*, actor, election: Election) -> Election:
    """The quorum gate: present electors > 4/5 of 应到 (≥ with the setting); nothing is voted before it."""
    check_status(election, ElectionStatus.MEETING)
    expected, present = roll_call(election)
    problem = prules.quorum_problem(present, expected, election.rules)
    if problem:
        raise ElectionError(problem)
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(
        expected_electors=expected, present_electors=present, quorum_confirmed_at=now
    )
    election.expected_electors, election.present_electors, election.quorum_confirmed_at = (
        expected,
        present,
        now,
    )
    log_action(
        actor,
        "election.quorum",
        election,
        changes={
            "expected": expected,
            "present": present,
            "quorum": election.rules["election_quorum"],
            "inclusive": election.rules["election_quorum_inclusive"],
        },
    )
    return election


def _check_adopted(election: Election, votes_for: int) -> None:
    """The meeting's own decisions (scrutineers, election rules): more than half of the electors present."""
    if election.quorum_confirmed_at is None:
        raise ElectionError(_("The roll call has not confirmed the quorum."))
    if not majority_of(votes_for, election.present_electors or 0):
        raise ElectionError(
            _("%(n)d of %(present)d electors agreed; more than half must agree.")
            % {"n": votes_for, "present": election.present_electors or 0}
        )


@transaction.atomic
def elect_scrutineers(*, actor, election: Election, members: list[Member], votes_for: int) -> list:
    """The meeting elects its scrutineers (监票人) from non-candidates on its roll."""
    check_status(election, ElectionStatus.MEETING)
    election.refresh_from_db()
    _check_adopted(election, votes_for)
    if election.election_polls.filter(purpose=Purpose.ELECTION).exists():
        raise ElectionError(_("The scrutineers are elected before the first ballot."))
    if len(members) < prules.rule_k():
        raise ElectionError(_("At least %(k)d scrutineers are needed.") % {"k": prules.rule_k()})
    candidates = set(election.candidacies.filter(stage=Stage.CANDIDATE).values_list("member_id", flat=True))
    on_roll = set(
        Attendance.objects.filter(meeting_id=election.election_meeting_id).values_list("member_id", flat=True)
    )
    for m in members:
        if m.pk in candidates:
            raise ElectionError(_("%(name)s is a candidate and cannot be a scrutineer.") % {"name": m.name})
        if m.pk not in on_roll:
            raise ElectionError(_("%(name)s is not on the roll of this meeting.") % {"name": m.name})
    ElectionScrutineer.objects.filter(election=election).delete()
    rows = ElectionScrutineer.objects.bulk_create(
        ElectionScrutineer(election=election, member=m) for m in members
    )
    Election.objects.filter(pk=election.pk).update(scrutineers_votes_for=votes_for)
    log_action(
        actor,
        "election.scrutineers",
        election,
        changes={"scrutineers": [m.name for m in members], "votes_for": votes_for},
    )
    return rows


@transaction.atomic
def adopt_election_rules(*, actor, election: Election, text: str, votes_for: int) -> Election:
    check_status(election, ElectionStatus.MEETING)
    election.refresh_from_db()
    _check_adopted(election, votes_for)
    if not text.strip():
        raise ElectionError(_("The election rules (选举办法) have no text."))
    election.election_rules_text, election.election_rules_votes_for = text.strip(), votes_for
    election.save(update_fields=["election_rules_text", "election_rules_votes_for"])
    log_action(actor, "election.rules_adopt", election, changes={"votes_for": votes_for})
    return election
