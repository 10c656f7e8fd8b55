"""Pure rules of 公推直选 (domain.md §3, §6): margins, qualification, quorum, recommendation ranking, the
decision after each counted round, seat reduction, and `blocking_issues()` — what keeps an election from
its next step, as data.

Every number comes from the election's rule snapshot (copied from settings.ZHIBU_RULES when it is created),
so the result sheet can name the values it was computed under. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from ballots.models import PollStatus
from branches.models import MemberCategory
from branches.rules import has_voting_rights, majority_of, party_age, quorum_reached, rule

from .models import ElectionStatus, Post, RoundKind

RULE_KEYS = (
    "election_preliminary_margin_percent",
    "election_pre_candidate_margin_percent",
    "election_candidate_margin_percent",
    "election_competitive_candidates_per_post",
    "election_min_party_years",
    "election_recommendation_masses",
    "election_recommendation_member_weight",
    "election_recommendation_mass_weight",
    "election_recommendation_quorum",
    "election_recommendation_quorum_inclusive",
    "election_notice_working_days",
    "election_seat_reduction_threshold",
    "election_quorum",
    "election_quorum_inclusive",
    "election_threshold",
    "committee_min_size",
)


def rule_snapshot() -> dict[str, Any]:
    return {key: rule(key) for key in RULE_KEYS}


# --- margins ------------------------------------------------------------------------------------------


def with_margin(seats: int, percent: int) -> int:
    """seats + ceil(percent % × seats), in integers."""
    return seats + -(-seats * percent // 100)


def preliminary_target(rules: dict, seats: int) -> int:
    return with_margin(seats, rules["election_preliminary_margin_percent"])


def pre_candidate_target(rules: dict, post: str, seats: int) -> int:
    if post == Post.COMMITTEE:
        return with_margin(seats, rules["election_pre_candidate_margin_percent"])
    return seats * rules["election_competitive_candidates_per_post"]


def candidate_minimum(rules: dict, post: str, seats: int) -> int:
    """Committee: ≥ seats + ceil(20 % × seats) (选举条例 art. 13); 书记/副书记 in 公推直选: N per post."""
    if post == Post.COMMITTEE:
        return with_margin(seats, rules["election_candidate_margin_percent"])
    return seats * rules["election_competitive_candidates_per_post"]


def margin_problem(rules: dict, post: str, seats: int, count: int, label: str) -> str | None:
    need = candidate_minimum(rules, post, seats)
    if count >= need:
        return None
    return _("%(post)s: %(n)d candidates for %(seats)d seats; at least %(need)d are needed.") % {
        "post": label,
        "n": count,
        "seats": seats,
        "need": need,
    }


# --- qualification ------------------------------------------------------------------------------------


def qualification_problems(member, post: str, organisation, rules: dict, on: dt.date) -> list[str]:
    """Why a nominee cannot stand for the post: standing to be elected, then the post's conditions."""
    problems = []
    if member.category == MemberCategory.PROBATIONARY:
        problems.append(_("%(name)s is a probationary member and cannot stand.") % {"name": member.name})
    elif not has_voting_rights(member):
        problems.append(_("%(name)s has no right to stand for election.") % {"name": member.name})
    if not member.organisation.is_within(organisation):
        problems.append(_("%(name)s is not a member of this branch.") % {"name": member.name})
    minimum = rules["election_min_party_years"].get(post, 0)
    age = party_age(member, on)
    if minimum and (age is None or age < minimum):
        problems.append(
            _("%(name)s has %(age)s full years of party membership; the post needs at least %(n)d.")
            % {"name": member.name, "age": age if age is not None else 0, "n": minimum}
        )
    return problems


# --- quorum -------------------------------------------------------------------------------------------


def election_quorum_reached(present: int, expected: int, rules: dict) -> bool:
    """The election meeting's quorum under the election's own rule values (branches.rules does the sum)."""
    return quorum_reached(
        present, expected, rules["election_quorum"], inclusive=rules["election_quorum_inclusive"]
    )


def quorum_problem(present: int, expected: int, rules: dict) -> str | None:
    if election_quorum_reached(present, expected, rules):
        return None
    if rules["election_quorum_inclusive"]:
        message = _("Quorum not reached: %(present)d of %(expected)d present; at least %(q)s is needed.")
    else:
        message = _("Quorum not reached: %(present)d of %(expected)d present; more than %(q)s is needed.")
    num, den = rules["election_quorum"]
    return message % {"present": present, "expected": expected, "q": f"{num}/{den}"}


# --- democratic recommendation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    key: int  # candidacy id
    member_votes: int
    mass_votes: int
    score: Fraction
    rank: int
    advances: bool


def rank_recommendations(
    rows: list[tuple[int, int, int]], *, member_ballots: int, mass_ballots: int, rules: dict, target: int
) -> list[Ranked]:
    """Weighted shares of support: member weight × (member votes / member ballots) + mass weight × (mass
    votes / mass ballots); without mass ballots the members' share counts alone. The first `target` advance;
    a tie at the cut-off advances everyone tied (a tie is not broken by chance)."""
    wm = Fraction(rules["election_recommendation_member_weight"], 100)
    wg = Fraction(rules["election_recommendation_mass_weight"], 100)
    if not mass_ballots or not rules["election_recommendation_masses"]:
        wm, wg = Fraction(1), Fraction(0)

    def share(n: int, of: int) -> Fraction:
        return Fraction(n, of) if of else Fraction(0)

    scored = sorted(
        (
            (key, mv, gv, wm * share(mv, member_ballots) + wg * share(gv, mass_ballots))
            for key, mv, gv in rows
        ),
        key=lambda r: (-r[3], -r[1], r[0]),
    )
    cutoff = scored[target - 1][3] if 0 < target <= len(scored) else None
    result = []
    for position, (key, mv, gv, score) in enumerate(scored, start=1):
        advances = cutoff is None or score >= cutoff
        result.append(Ranked(key, mv, gv, score, position, advances and score > 0))
    return result


# --- the decision after a counted round ---------------------------------------------------------------


@dataclass
class PostProgress:
    """Where a post's ballots stand: who is elected, and what the meeting does next."""

    seats: int
    elected: list[int] = field(default_factory=list)  # member ids, in the order elected
    votes: dict[int, int] = field(default_factory=dict)
    next_step: str = "ballot"  # ballot | voting | runoff | shortfall | repeat | done
    tied: list[int] = field(default_factory=list)  # member ids tied at the cut-off
    open_seats: int = 0

    @property
    def done(self) -> bool:
        return self.next_step == "done"


def _members_of_keys(keys: list[str], option_members: dict[str, int]) -> list[int]:
    """The members an outcome names: "o<option id>" a candidate's option, "m<member id>" a write-in."""
    members = (
        option_members.get(k[1:]) if k.startswith("o") else int(k[1:]) if k.startswith("m") else None
        for k in keys
    )
    return [m for m in members if m is not None]


def runoff_outcome(votes: dict[int, int], seats: int) -> tuple[list[int], list[int]]:
    """A runoff among the tied (选举条例): the most votes win; a tie at the cut-off again → tied again."""
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if len(ranked) <= seats:
        return [k for k, _n in ranked], []
    cutoff = ranked[seats - 1][1]
    above = [k for k, n in ranked if n > cutoff]
    at = [k for k, n in ranked if n == cutoff]
    if len(above) + len(at) > seats:
        return above, at
    return above + at, []


def post_progress(seats: int, rounds: list[dict]) -> PostProgress:
    """Walk a post's rounds in order. Each round: {"kind", "seats", "status", "outcome", "votes",
    "option_members"} where votes maps member id → 赞成 and option_members option id → member id."""
    progress = PostProgress(seats=seats, open_seats=seats)
    for r in rounds:
        if r["status"] == PollStatus.VOID:
            progress.next_step = "repeat"
            continue
        if r["status"] not in (PollStatus.COUNTED, PollStatus.PUBLISHED):
            progress.next_step = "voting"
            return progress
        progress.votes.update(r["votes"])
        if r["kind"] == RoundKind.RUNOFF:
            winners, tied = runoff_outcome({m: r["votes"].get(m, 0) for m in r["candidates"]}, r["seats"])
            progress.elected += winners
            progress.tied = tied
        else:
            outcome = r["outcome"]
            progress.elected += _members_of_keys(outcome["elected"], r["option_members"])
            progress.tied = _members_of_keys(outcome.get("tied", []), r["option_members"])
        progress.open_seats = seats - len(progress.elected)
        if progress.tied:
            progress.next_step = "runoff"
        elif progress.open_seats > 0:
            progress.next_step = "shortfall"
        else:
            progress.next_step = "done"
    if not rounds:
        progress.next_step = "ballot"
    return progress


def seat_reduction_problems(
    rules: dict, *, post: str, elected: int, new_seats: int, votes_for: int, present: int
) -> list[str]:
    """Fewer seats instead of a further round: > 1/2 of the electors present agree, never fewer than the
    minimum committee (3) and never without a 书记."""
    problems = []
    if post != Post.COMMITTEE:
        problems.append(_("The secretary's post cannot be left empty; hold a further round."))
        return problems
    if new_seats < rules["committee_min_size"]:
        problems.append(
            _("A committee has at least %(n)d members; the seats cannot be reduced to %(seats)d.")
            % {"n": rules["committee_min_size"], "seats": new_seats}
        )
    if new_seats != elected:
        problems.append(_("The seats are reduced to the number already elected (%(n)d).") % {"n": elected})
    if not majority_of(votes_for, present, rules["election_seat_reduction_threshold"]):
        problems.append(
            _("%(n)d of %(present)d electors agreed; more than half must agree to reduce the seats.")
            % {"n": votes_for, "present": present}
        )
    return problems


# --- blocking issues ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """Counts of an election's rows, gathered by the selector; the rules judge them."""

    status: str
    posts: list[str]
    seats: dict[str, int]
    post_labels: dict[str, str]
    nominated: dict[str, int] = field(default_factory=dict)
    officers_off_committee: list[str] = field(default_factory=list)  # 书记/副书记 nominees not for 委员
    undecided: int = 0
    qualified: dict[str, int] = field(default_factory=dict)
    recommendation_polls_pending: int = 0
    recommendation_polls: int = 0
    preliminary: dict[str, int] = field(default_factory=dict)
    pre_candidates: dict[str, int] = field(default_factory=dict)
    pre_candidates_uninspected: int = 0
    notice_published: bool = True  # the 公示 item is on the board (its clock runs)
    notice_over: bool = False
    open_objections: int = 0
    candidates: dict[str, int] = field(default_factory=dict)
    has_meeting: bool = False
    meeting_in_progress: bool = False
    reports_attached: bool = False
    quorum_confirmed: bool = False
    scrutineers: int = 0
    rules_adopted: bool = False
    progress: dict[str, PostProgress] = field(default_factory=dict)
    unsigned_polls: int = 0
    officers_approved: bool = False
    has_higher: bool = True
    request_text: bool = True
    procedure_text: bool = True


def _short_of_target(rules: dict, facts: Facts, counts: dict[str, int], message: str) -> list[str]:
    """Each post with fewer than its pre-candidate target, said by `message` (post, n, need)."""
    issues = []
    for post in facts.posts:
        need, n = pre_candidate_target(rules, post, facts.seats[post]), counts.get(post, 0)
        if n < need:
            issues.append(message % {"post": facts.post_labels[post], "n": n, "need": need})
    return issues


def blocking_issues(rules: dict, facts: Facts) -> list[str]:
    """Why the election cannot take its next step — shown on the page as a list, empty when it may."""
    s = facts.status
    issues: list[str] = []
    if s == ElectionStatus.DRAFT:
        if not facts.has_higher:
            issues.append(_("The branch has no higher committee to approve the request."))
        if not facts.request_text:
            issues.append(_("The request (换届请示) has no text."))
    elif s == ElectionStatus.APPROVED:
        if not facts.procedure_text:
            issues.append(_("Publish the procedure, the conditions and the timetable first."))
    elif s == ElectionStatus.NOMINATION:
        issues += _short_of_target(
            rules, facts, facts.nominated, _("%(post)s: %(n)d nominees; at least %(need)d are needed.")
        )
        for name in facts.officers_off_committee:
            issues.append(
                _("%(name)s is nominated for secretary but not for the committee; nominate him for it too.")
                % {"name": name}
            )
    elif s == ElectionStatus.REVIEW:
        if facts.undecided:
            issues.append(_("%(n)d nominees still await the qualification review.") % {"n": facts.undecided})
        issues += _short_of_target(
            rules,
            facts,
            facts.qualified,
            _("%(post)s: %(n)d qualified nominees; at least %(need)d are needed."),
        )
    elif s == ElectionStatus.RECOMMENDATION:
        if not facts.recommendation_polls:
            issues.append(_("The recommendation ballot has not been prepared."))
        elif facts.recommendation_polls_pending:
            issues.append(
                _("%(n)d recommendation ballots are not counted yet.")
                % {"n": facts.recommendation_polls_pending}
            )
    elif s == ElectionStatus.INSPECTION:
        issues += _short_of_target(
            rules,
            facts,
            facts.pre_candidates,
            _("%(post)s: %(n)d pre-candidates; at least %(need)d are needed."),
        )
        if facts.pre_candidates_uninspected:
            issues.append(
                _("%(n)d pre-candidates have no inspection record.") % {"n": facts.pre_candidates_uninspected}
            )
    elif s == ElectionStatus.PRE_APPROVAL:
        issues.append(_("The higher committee has not approved the pre-candidates yet."))
    elif s in (ElectionStatus.NOTICE, ElectionStatus.NOTICE_OVER):
        if not facts.notice_published:
            issues.append(
                _("The notice is not published on the board yet; its working days start when it is.")
            )
        elif not facts.notice_over:
            issues.append(_("The notice period is not over yet."))
        if facts.open_objections:
            issues.append(
                _("%(n)d objections are still open; answer them before the list is fixed.")
                % {"n": facts.open_objections}
            )
        for post in facts.posts:
            problem = margin_problem(
                rules, post, facts.seats[post], facts.pre_candidates.get(post, 0), facts.post_labels[post]
            )
            if problem:
                issues.append(problem)
    elif s == ElectionStatus.CANDIDATES:
        if not facts.has_meeting:
            issues.append(_("The election meeting has not been scheduled."))
        if not facts.reports_attached:
            issues.append(_("The outgoing committee's work report and dues report are not attached."))
    elif s == ElectionStatus.MEETING:
        if not facts.quorum_confirmed:
            issues.append(_("The roll call has not confirmed the quorum."))
        if facts.scrutineers < rule_k():
            issues.append(_("The meeting has not elected its scrutineers."))
        if not facts.rules_adopted:
            issues.append(_("The meeting has not adopted the election rules (选举办法)."))
        for post in facts.posts:
            progress = facts.progress.get(post)
            if progress is None or not progress.done:
                issues.append(_("%(post)s: the ballots are not settled.") % {"post": facts.post_labels[post]})
        if facts.unsigned_polls:
            issues.append(_("%(n)d counts are not signed by the scrutineers.") % {"n": facts.unsigned_polls})
    elif s == ElectionStatus.FILED:
        issues.append(_("The higher committee has not approved the result."))
    elif s == ElectionStatus.CONFIRMED and not facts.officers_approved:
        issues.append(_("The secretary has not been approved by the higher committee."))
    return issues


def rule_k() -> int:
    return int(rule("shamir_threshold"))
