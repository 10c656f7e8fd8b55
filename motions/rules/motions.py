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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# --- motions (票决, domain.md §4.1) -----------------------------------------------------------------
# Fractions compare in integers with the ballot engine's `exceeds()`, so a boundary is exact: 2 of 4
# present is not "> 1/2", 3 赞成 of 应到 6 is not "> 1/2".


def _exceeds(count: int, base: int, fraction, inclusive: bool = False) -> bool:
    from ballots.rules import exceeds

    return exceeds(count, base, fraction, inclusive=inclusive)


def _fraction(fraction, inclusive: bool) -> str:
    from ballots.rules import fraction_text

    return fraction_text(fraction, inclusive)


def committee_quorum_issues(*, present: int, size: int) -> list[str]:
    """支委会: at least 1/2 of the committee (支部条例 art. 12)."""
    fraction, inclusive = rule("committee_quorum"), rule("committee_quorum_inclusive")
    if size <= 0:
        return [_("The branch has no committee members on record.")]
    if present > size:
        return [
            _("More committee members present (%(p)d) than there are (%(n)d).") % {"p": present, "n": size}
        ]
    if not _exceeds(present, size, fraction, inclusive):
        return [
            _("The committee's quorum is not reached: %(p)d of %(n)d present; %(q)s is needed.")
            % {"p": present, "n": size, "q": _fraction(fraction, inclusive)}
        ]
    return []


def general_meeting_quorum(four_two: bool) -> dict:
    """The quorum the general meeting needs: > 1/2 of 应到, or ≥ 2/3 for 四议两公开 (configurable)."""
    if four_two:
        return {
            "quorum": list(rule("motion_village_quorum")),
            "quorum_inclusive": bool(rule("motion_village_quorum_inclusive")),
        }
    return {
        "quorum": list(rule("general_meeting_quorum")),
        "quorum_inclusive": bool(rule("general_meeting_quorum_inclusive")),
    }


def meeting_quorum_issues(*, present: int, expected: int, four_two: bool = False) -> list[str]:
    q = general_meeting_quorum(four_two)
    if expected <= 0:
        return [_("No member of the meeting has voting rights.")]
    if not _exceeds(present, expected, q["quorum"], q["quorum_inclusive"]):
        return [
            _(
                "The general meeting's quorum is not reached: %(p)d of %(n)d voting members present; "
                "%(q)s is needed."
            )
            % {"p": present, "n": expected, "q": _fraction(q["quorum"], q["quorum_inclusive"])}
        ]
    return []


def materials_issues(*, meeting_starts_at: dt.datetime, now: dt.datetime) -> list[str]:
    """Materials reach the members at least N days (default 3) before the general meeting."""
    days = rule("motion_materials_days_before")
    if meeting_starts_at - now < dt.timedelta(days=days):
        return [
            _("Materials must be circulated at least %(n)d days before the meeting; it starts on %(when)s.")
            % {"n": days, "when": timezone.localtime(meeting_starts_at).strftime("%Y-%m-%d %H:%M")}
        ]
    return []


def counts_written_opinions(category: str) -> bool:
    """发展细则: only admission and conversion count the written opinions of absent voting members."""
    return category in rule("motion_written_opinion_categories")


@dataclass(frozen=True)
class MotionOutcome:
    expected: int  # 应到
    present: int  # 实到
    votes_for: int
    votes_against: int
    abstentions: int
    written_for: int
    written_against: int
    written_abstain: int
    passed: bool
    rules: dict


def motion_outcome(
    *,
    category: str,
    expected: int,
    present: int,
    votes_for: int,
    votes_against: int = 0,
    abstentions: int = 0,
    written: dict[str, int] | None = None,
    threshold=None,
    threshold_inclusive: bool = False,
) -> MotionOutcome:
    """Passed iff 赞成 > 1/2 of 应到 — the voting members who should attend, not those present (支部条例).
    Written opinions of absent voting members add to the counts only for admission and conversion."""
    threshold = list(threshold or rule("general_meeting_threshold"))
    written = written if counts_written_opinions(category) else {}
    written = {k: int((written or {}).get(k, 0)) for k in ("for", "against", "abstain")}
    passed = (
        _exceeds(votes_for + written["for"], expected, threshold, threshold_inclusive)
        if expected > 0
        else False
    )
    return MotionOutcome(
        expected=expected,
        present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        written_for=written["for"],
        written_against=written["against"],
        written_abstain=written["abstain"],
        passed=passed,
        rules={
            "threshold": threshold,
            "threshold_inclusive": threshold_inclusive,
            "threshold_base": "expected",
            "written_opinions_counted": counts_written_opinions(category),
            "written_opinion_categories": list(rule("motion_written_opinion_categories")),
        },
    )


def consecutive_failures(outcomes: list[bool | None]) -> int:
    """How many of the latest announced votes failed in a row (None: not announced, skipped)."""
    n = 0
    for passed in reversed([o for o in outcomes if o is not None]):
        if passed:
            break
        n += 1
    return n


def third_vote_issues(*, outcomes: list[bool | None], reason_after_votes: int | None) -> list[str]:
    """泰安: the same matter failing twice in a row is not voted again unless the committee records a
    reason — after the latest failure (a reason recorded before it does not carry over)."""
    limit = rule("motion_max_consecutive_failures")
    if consecutive_failures(outcomes) >= limit and reason_after_votes != len(outcomes):
        return [
            _(
                "This matter failed %(n)d times in a row; it can be voted again only once the committee "
                "records a reason."
            )
            % {"n": consecutive_failures(outcomes)}
        ]
    return []


def can_manage_motion(scope: Scope, motion) -> bool:
    return scope.can_manage(motion.organisation)


# --- evaluations (domain.md §4.5) -----------------------------------------------------------------


def excellent_cap(members: int) -> int:
    """The most 优秀 grades allowed: at most 1/3 (rule) of the members evaluated, rounded down."""
    num, den = rule("evaluation_excellent_cap")
    return members * num // den


def grade_issues(grades: dict[int, str], *, members: int) -> list[str]:
    issues = []
    if len(grades) != members or any(not g for g in grades.values()):
        issues.append(_("Every member evaluated needs a grade."))
    excellent = sum(1 for g in grades.values() if g == "excellent")
    cap = excellent_cap(members)
    if excellent > cap:
        num, den = rule("evaluation_excellent_cap")
        issues.append(
            _("At most %(cap)d of %(n)d members may be graded excellent (%(num)d/%(den)d); %(k)d are.")
            % {"cap": cap, "n": members, "num": num, "den": den, "k": excellent}
        )
    return issues


def verdict(counts: dict[str, int], scale: list[str]) -> str | None:
    """The most frequent value of a rating; a tie goes to the worse value (the scale is best first)."""
    if not counts or not any(counts.values()):
        return None
    top = max(counts.get(v, 0) for v in scale)
    return [v for v in scale if counts.get(v, 0) == top][-1]


def satisfaction(counts: dict[str, int], scale: list[str]) -> float | None:
    """The share of the best value, in per cent (宣武: entering inspection needs ≥ 50%)."""
    total = sum(counts.get(v, 0) for v in scale)
    return round(100 * counts.get(scale[0], 0) / total, 1) if total else None


def satisfaction_reached(counts: dict[str, int], scale: list[str]) -> bool | None:
    """宣武: entering inspection needs the best value from at least half (rule) of those who rated."""
    total = sum(counts.get(v, 0) for v in scale)
    if not total:
        return None
    num, den = rule("leadership_satisfaction_min")
    return counts.get(scale[0], 0) * den >= num * total


@dataclass(frozen=True)
class Consequence:
    target: str  # "team" or a member id
    verdict: str
    action: str  # "talk_secretary", "talk_higher", "adjustment", "admonition"


CONSEQUENCE_LABELS = {
    "talk_secretary": gettext_lazy("Talk with the secretary"),
    "talk_higher": gettext_lazy("Talk by the higher committee"),
    "adjustment": gettext_lazy("Adjustment of the leadership"),
    "admonition": gettext_lazy("Admonition (诫勉)"),
}


def leadership_consequences(current: dict, previous: dict | None) -> list[Consequence]:
    """泰安's consequences from this evaluation's verdicts and the one before (`{"team": v, "members":
    {id: v}}`; scales best first: team adapted / basically_adapted / not_adapted, member competent /
    basically_competent / incompetent):
    team 基本适应 → talk with the secretary; team 不适应 once → talk with the secretary (it is worse than
    基本适应), twice in a row → adjustment; member 基本称职 → talk by the higher committee; member 不称职 →
    admonition."""
    team_scale, member_scale = rule("leadership_team_scale"), rule("leadership_member_scale")
    out: list[Consequence] = []
    team, before = current.get("team"), (previous or {}).get("team")
    if team == team_scale[2]:
        action = "adjustment" if before == team_scale[2] else "talk_secretary"
        out.append(Consequence("team", team, action))
    elif team == team_scale[1]:
        out.append(Consequence("team", team, "talk_secretary"))
    for member_id, value in sorted(current.get("members", {}).items(), key=lambda kv: str(kv[0])):
        if value == member_scale[1]:
            out.append(Consequence(str(member_id), value, "talk_higher"))
        elif value == member_scale[2]:
            out.append(Consequence(str(member_id), value, "admonition"))
    return out
