"""Motions voted by ballot (票决, domain.md §4.1): the quorums, the materials' notice, the checks before
each step, the outcome, and the third vote after two failures.

Fractions compare in integers through `branches.rules` (the one home of that arithmetic), so a boundary is
exact: 2 of 4 present is not "> 1/2", 3 赞成 of 应到 6 is not "> 1/2".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import Secrecy
from branches.models import MeetingKind, MeetingStatus
from branches.rules import fraction_text, majority_of, quorum_reached, rule

from ..models import MotionStatus

if TYPE_CHECKING:
    from branches.models import Meeting
    from branches.selectors import Scope

    from ..models import Motion


def committee_quorum_issues(*, present: int, size: int) -> list[str]:
    """支委会: at least 1/2 of the committee (支部条例 art. 12)."""
    fraction, inclusive = rule("committee_quorum"), rule("committee_quorum_inclusive")
    if size <= 0:
        return [_("The branch has no committee members on record.")]
    if present > size:
        return [
            _("More committee members present (%(p)d) than there are (%(n)d).") % {"p": present, "n": size}
        ]
    if not quorum_reached(present, size, fraction, inclusive=inclusive):
        return [
            _("The committee's quorum is not reached: %(p)d of %(n)d present; %(q)s is needed.")
            % {"p": present, "n": size, "q": fraction_text(fraction, inclusive)}
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
    if not quorum_reached(present, expected, q["quorum"], inclusive=q["quorum_inclusive"]):
        return [
            _(
                "The general meeting's quorum is not reached: %(p)d of %(n)d voting members present; "
                "%(q)s is needed."
            )
            % {"p": present, "n": expected, "q": fraction_text(q["quorum"], q["quorum_inclusive"])}
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


def circulation_issues(motion: Motion, meeting: Meeting | None, now: dt.datetime) -> list[str]:
    """Why the materials cannot go to the members for this general meeting (empty: they can)."""
    issues = []
    if motion.four_two and not motion.joint_deliberation:
        issues.append(_("四议两公开: the two committees have not deliberated yet."))
    if meeting is None:
        issues.append(_("Choose the general meeting that will vote."))
        return issues
    if meeting.organisation_id != motion.organisation_id or meeting.kind != MeetingKind.GENERAL:
        issues.append(_("Choose a general meeting of this branch."))
    if meeting.status != MeetingStatus.SCHEDULED:
        issues.append(_("The general meeting must still be scheduled."))
    issues += materials_issues(meeting_starts_at=meeting.starts_at, now=now)
    return issues


def debate_issues(motion: Motion, *, expected: int, present: int) -> list[str]:
    """Why the general meeting cannot discuss the motion now, with (应到, 实到) of its voting members."""
    if motion.meeting is None:
        return [_("The motion has no general meeting.")]
    issues = []
    if motion.meeting.status != MeetingStatus.IN_PROGRESS:
        issues.append(_("The general meeting has not started."))
    elif motion.circulated_at is not None:
        # The N days count to the real start: a meeting started early (urgent) must still leave them.
        issues += materials_issues(meeting_starts_at=motion.meeting.real_start, now=motion.circulated_at)
    issues += meeting_quorum_issues(present=present, expected=expected, four_two=motion.four_two)
    return issues


def vote_issues(
    motion: Motion,
    secrecy: str = Secrecy.SECRET,
    *,
    outcomes: list[bool | None],
    another_item_open: bool,
) -> list[str]:
    """Why the motion cannot be put to the vote now: `outcomes` are its earlier votes (passed or not, in
    order), `another_item_open` says whether another poll of its meeting is open."""
    issues = []
    if motion.status != MotionStatus.DEBATED:
        issues.append(_("The general meeting discusses the motion before it votes."))
    if secrecy == Secrecy.NAMED and motion.category not in rule("motion_named_ballot_categories"):
        issues.append(_("This matter is voted by secret ballot."))
    issues += third_vote_issues(outcomes=outcomes, reason_after_votes=motion.revote_reason_after_votes)
    if another_item_open:
        issues.append(_("Another item is being voted on: one item at a time."))
    return issues


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
    passed = majority_of(votes_for + written["for"], expected, threshold, inclusive=threshold_inclusive)
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
