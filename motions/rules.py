"""Pure rules of proposals, inquiries, reports and first deliberation: who may act, deadlines, thresholds.

Every number comes from `settings.ZHIBU_RULES` (domain.md §6); nothing here writes. The traffic light of
the board is written once for Python and once for SQL; tests/motions/test_rules.py proves they agree.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext as _

from branches import workdays
from branches.models import RoleKind
from branches.rules import rule

if TYPE_CHECKING:
    from branches.selectors import Scope

    from .models import Inquiry, MisconductReport, Proposal, Topic

# --- deadlines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A time limit and its reminder days, with the rule values it was computed under."""

    due_on: dt.date
    reminder_days: tuple[dt.date, ...]
    limit_days: int
    working_days: bool
    estimated: bool

    @property
    def warn_on(self) -> dt.date:
        return self.reminder_days[0] if self.reminder_days else self.due_on


def deadline(start: dt.date, *, limit_days: int, working_days: bool, reminder_days: list[int]) -> Deadline:
    """`limit_days` calendar or working days after `start`; reminders on the given days of that course."""
    calendar = workdays.WorkCalendar()
    due = calendar.add_days(start, limit_days, working=working_days)
    return _with_reminders(
        calendar, due, limit_days=limit_days, working_days=working_days, reminder_days=reminder_days
    )


def moved_deadline(
    new_due_on: dt.date, *, limit_days: int, working_days: bool, reminder_days: list[int]
) -> Deadline:
    """An extended (or reopened) deadline: the reminders keep their distance from the deadline (day 10 of
    15 is 5 days before it)."""
    calendar = workdays.WorkCalendar()
    return _with_reminders(
        calendar,
        workdays.DueDate(new_due_on),
        limit_days=limit_days,
        working_days=working_days,
        reminder_days=reminder_days,
    )


def _with_reminders(calendar, due: workdays.DueDate, *, limit_days, working_days, reminder_days) -> Deadline:
    days, estimated = [], due.estimated
    for k in sorted(reminder_days):
        if 0 < k < limit_days:
            day = calendar.add_days(due.day, k - limit_days, working=working_days)
            estimated |= day.estimated
            days.append(day.day)
    return Deadline(due.day, tuple(days), limit_days, working_days, estimated)


def proposal_deadline(start: dt.date) -> Deadline:
    return deadline(
        start,
        limit_days=rule("proposal_reply_days"),
        working_days=rule("proposal_reply_working_days"),
        reminder_days=rule("proposal_reminder_days"),
    )


def inquiry_deadline(start: dt.date) -> Deadline:
    return deadline(
        start,
        limit_days=rule("inquiry_reply_days"),
        working_days=rule("inquiry_reply_working_days"),
        reminder_days=rule("inquiry_reminder_days"),
    )


# --- the traffic light (board) --------------------------------------------------------------------

GREEN, AMBER, RED, DONE, WAITING = "green", "amber", "red", "done", "waiting"


def traffic_light(
    status: str,
    due_on: dt.date | None,
    warn_on: dt.date | None,
    today: dt.date,
    *,
    open_states: tuple[str, ...],
    waiting_states: tuple[str, ...],
) -> str:
    """waiting: no clock yet (not registered); green: on course; amber: in the reminder window; red: overdue;
    done: answered, closed or not accepted."""
    if status in waiting_states:
        return WAITING
    if status not in open_states:
        return DONE
    if today > due_on:
        return RED
    if warn_on is not None and today >= warn_on:
        return AMBER
    return GREEN


def traffic_light_sql(
    today: dt.date, *, open_states: tuple[str, ...], waiting_states: tuple[str, ...]
) -> Case:
    """The same rule as an annotation, so the board computes every light in its one query."""
    return Case(
        When(status__in=waiting_states, then=Value(WAITING)),
        When(~Q(status__in=open_states), then=Value(DONE)),
        When(due_on__lt=today, then=Value(RED)),
        When(warn_on__lte=today, then=Value(AMBER)),
        default=Value(GREEN),
        output_field=CharField(),
    )


# --- proposals ------------------------------------------------------------------------------------


def can_manage_proposal(scope: Scope, proposal: Proposal) -> bool:
    """The committee handling it (the branch's, or the higher committee's after forwarding)."""
    return scope.can_manage(proposal.handled_by)


def is_responsible(scope: Scope, obj) -> bool:
    return scope.member is not None and obj.responsible_id == scope.member.pk


def can_answer_proposal(scope: Scope, proposal: Proposal) -> bool:
    return can_manage_proposal(scope, proposal) or is_responsible(scope, proposal)


def is_proposer(scope: Scope, proposal: Proposal) -> bool:
    return scope.member is not None and proposal.proposer_id == scope.member.pk


def proposal_after_rating(rating: str, reopen_count: int) -> str:
    """不满意 reopens a proposal once; any other rating, or a second 不满意, closes it."""
    if rating == "dissatisfied" and reopen_count < rule("proposal_reopen_limit"):
        return "reopened"
    return "closed"


# --- inquiries ------------------------------------------------------------------------------------


def challenge_cosigners_required(party_members: int) -> int:
    """A 质询 needs max(3, 10% of the members) co-signers [cfg]."""
    return max(
        rule("challenge_cosigners_min"), math.ceil(party_members * rule("challenge_cosigners_percent") / 100)
    )


def inquiry_after_rating(*, signers: int, rated: int, dissatisfied: int, answer_round: int) -> str | None:
    """More than half of the signers dissatisfied → a second answer (first round) or escalation (second);
    every signer rated and no such majority → closed; otherwise still waiting (None)."""
    if dissatisfied * 2 > signers:
        return "second_due" if answer_round == 1 else "escalated"
    if rated >= signers:
        return "closed"
    return None


def can_manage_inquiry(scope: Scope, inquiry: Inquiry) -> bool:
    return scope.can_manage(inquiry.organisation)


def can_answer_inquiry(scope: Scope, inquiry: Inquiry) -> bool:
    return can_manage_inquiry(scope, inquiry) or is_responsible(scope, inquiry)


# --- the confidential channel ---------------------------------------------------------------------

DISCIPLINE_ROLES = (RoleKind.DISCIPLINE, RoleKind.SUPERVISOR)


def discipline_paths(scope: Scope) -> set[str]:
    """The subtrees where the user is a discipline officer (纪检委员 of a committee, or a supervisor)."""
    return {r.organisation.path for r in scope.roles if r.kind in DISCIPLINE_ROLES}


def is_discipline_officer(scope: Scope) -> bool:
    return bool(discipline_paths(scope))


def can_see_report(scope: Scope, report: MisconductReport) -> bool:
    """Discipline officers of the organisation or above, never the person accused; the reporter sees his own.
    Not even a superuser sees a report he has no discipline role for."""
    if scope.member is None:
        return False
    if report.accused_id == scope.member.pk:
        return False
    if report.reporter_id == scope.member.pk:
        return True
    return any(report.organisation.path.startswith(p) for p in discipline_paths(scope))


def can_handle_report(scope: Scope, report: MisconductReport) -> bool:
    return (
        scope.member is not None
        and report.accused_id != scope.member.pk
        and any(report.organisation.path.startswith(p) for p in discipline_paths(scope))
    )


# --- first deliberation ---------------------------------------------------------------------------


def topic_threshold_issues(source: str, supporters: int | None, base: int | None) -> list[str]:
    """Why a topic may not be put forward by this source with this support (empty: it may)."""
    if source in ("branch", "village_committee"):
        return []
    if source == "members":
        need = rule("first_deliberation_members_min")
        if (supporters or 0) < need:
            return [_("At least %(n)d members must put the topic forward jointly.") % {"n": need}]
        return []
    num, den = rule(f"first_deliberation_{source}_fraction")
    if not base:
        return [_("Give the total number (all villagers or all representatives) to check the threshold.")]
    need = math.ceil(base * num / den)
    if (supporters or 0) < need:
        return [
            _("%(have)d of %(base)d is below the threshold of %(num)d/%(den)d (%(need)d needed).")
            % {"have": supporters or 0, "base": base, "num": num, "den": den, "need": need}
        ]
    return []


def topic_conclusion_issues(topic: Topic, *, groups: list, opinions: list, now: dt.datetime) -> list[str]:
    """What stands between a topic and its published conclusion (helios `issues_before_freeze`)."""
    issues = []
    if topic.meeting is None or topic.meeting.starts_at > now:
        issues.append(_("The meeting has not taken place yet."))
    if not groups:
        issues.append(_("No discussion group has been formed."))
    for group in groups:
        if not group.record.strip():
            issues.append(_("Group “%(name)s” has no record of its discussion.") % {"name": group.name})
    untold = [o.member.name for o in opinions if o.notified_at is None]
    if untold:
        issues.append(_("Not yet told in writing: %(names)s.") % {"names": "、".join(untold)})
    return issues


# --- rates (board) --------------------------------------------------------------------------------


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
