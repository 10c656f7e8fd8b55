"""Pure rules of the ballot engine: rule sets, quorum, blocking issues, ballot validity, tally and outcome.

Every number comes from the poll's own rule snapshot (copied from `settings.ZHIBU_RULES` when the poll is
created), so a result can be checked later with the values it was computed under. Fractions compare in
integers through `branches.rules` (the one home of that arithmetic), so a boundary is exact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ballots import strokes
from branches import rules as arithmetic
from branches.rules import exceeds, rule

if TYPE_CHECKING:
    from .models import Poll


# --- Rule sets (domain.md §6) ---------------------------------------------------------------------

# preset → (quorum key, threshold key or None, threshold base)
_PRESETS: dict[str, tuple[str, str | None, str]] = {
    # 选举条例: quorum > 4/5 of 应到; elected iff 赞成 > 1/2 of electors present.
    "election": ("election_quorum", "election_threshold", "present"),
    # 支部条例 art. 11: quorum > 1/2 present; passes iff 赞成 > 1/2 of 应到 (not of those present).
    "general_meeting": ("general_meeting_quorum", "general_meeting_threshold", "expected"),
    # 支部条例 art. 12: quorum ≥ 1/2 of the committee; passes iff 赞成 > 1/2 of 应到.
    "committee": ("committee_quorum", "committee_threshold", "expected"),
    # Evaluations rate; they do not pass or fail.
    "evaluation": ("evaluation_quorum", None, "expected"),
}


def rule_snapshot(preset: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The rule values a new poll runs under; `overrides` lets a caller (e.g. 四议两公开's 2/3) differ."""
    quorum_key, threshold_key, base = _PRESETS[preset]
    snapshot = {
        "preset": preset,
        "quorum": list(rule(quorum_key)),
        "quorum_inclusive": bool(rule(f"{quorum_key}_inclusive")),
        "threshold": list(rule(threshold_key)) if threshold_key else None,
        "threshold_base": base,
        "threshold_inclusive": False,
        "shamir_threshold": int(rule("shamir_threshold")),
    }
    snapshot.update(overrides or {})
    return snapshot


def quorum_reached(present: int, expected: int, rules: dict[str, Any]) -> bool:
    """The poll's own quorum (its rule snapshot) over 应到."""
    return arithmetic.quorum_reached(present, expected, rules["quorum"], inclusive=rules["quorum_inclusive"])


# --- Surname stroke order (姓氏笔画) ------------------------------------------------------------------
# The table and the key live in ballots/strokes.py (Unihan counts, cnchar stroke orders); named here too,
# since a poll's order of candidates is one of the engine's rules.
stroke_key = strokes.stroke_key
sort_by_strokes = strokes.sort_by_strokes


# --- Blocking issues ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollPreview:
    expected: int  # 应到: voting rights, not excluded
    present: int  # 实到: of those, signed in


def roll_preview(poll: Poll) -> RollPreview:
    from branches.models import Attendance
    from branches.rules import voting_rights_q

    rows = Attendance.objects.filter(voting_rights_q("member__"), meeting_id=poll.meeting_id).exclude(
        status="excluded"
    )
    statuses = list(rows.values_list("status", flat=True))
    return RollPreview(expected=len(statuses), present=statuses.count("present"))


def blocking_issues(poll: Poll, preview: RollPreview | None = None) -> list[str]:
    """Why voting cannot open yet — shown on the page as a list, empty when it may open."""
    issues: list[str] = []
    options = list(poll.options.all())
    scrutineers = list(poll.scrutineers.all())
    k = poll.rules["shamir_threshold"]
    if poll.status != "draft":
        issues.append(_("Only a poll being prepared can be opened."))
    if poll.meeting.status != "in_progress":
        issues.append(_("The meeting has not started: voting opens during the meeting."))
    if not options:
        issues.append(_("The ballot has no options yet."))
    if poll.kind == "candidates" and len(options) < poll.seats:
        issues.append(
            _(
                "There are %(n)d candidates for %(seats)d seats; "
                "there must be at least as many candidates as seats."
            )
            % {"n": len(options), "seats": poll.seats}
        )
    if poll.kind == "rating" and len(poll.scale) < 2:
        issues.append(_("A rating scale needs at least two values."))
    if len(scrutineers) < k:
        issues.append(
            _("At least %(k)d scrutineers are needed; %(n)d are named.") % {"k": k, "n": len(scrutineers)}
        )
    candidate_ids = {o.member_id for o in options if o.member_id} if poll.kind == "candidates" else set()
    for s in scrutineers:
        if s.member_id in candidate_ids:
            issues.append(_("%(name)s is a candidate and cannot be a scrutineer.") % {"name": s.member.name})
    if poll.public_key is None:
        issues.append(_("The scrutineers have not sealed the ballot box with their passphrases."))
    preview = preview or roll_preview(poll)
    if preview.expected == 0:
        issues.append(_("No member of this meeting has voting rights."))
    elif not quorum_reached(preview.present, preview.expected, poll.rules):
        q = poll.rules["quorum"]
        values = {"present": preview.present, "expected": preview.expected, "q": f"{q[0]}/{q[1]}"}
        if poll.rules["quorum_inclusive"]:
            issues.append(
                _("Quorum not reached: %(present)d of %(expected)d present; at least %(q)s is needed.")
                % values
            )
        else:
            issues.append(
                _("Quorum not reached: %(present)d of %(expected)d present; more than %(q)s is needed.")
                % values
            )
    return issues


# --- Ballots: validity ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotSpec:
    """What a ballot of a poll may contain; built once per poll, used per ballot."""

    kind: str
    seats: int
    option_ids: frozenset[str]
    choices: frozenset[str]
    allow_write_in: bool = False
    eligible_write_ins: frozenset[str] = frozenset()
    candidate_member_ids: frozenset[str] = frozenset()


def spec_for(poll: Poll, eligible_write_ins=(), *, option_ids=None, candidate_member_ids=None) -> BallotSpec:
    """The poll's ballot rules; the caller may pass its options' ids and candidates' member ids, read already."""
    if option_ids is None or candidate_member_ids is None:
        options = list(poll.options.all())
        option_ids = [o.pk for o in options]
        candidate_member_ids = [o.member_id for o in options if o.member_id]
    return BallotSpec(
        kind=poll.kind,
        seats=poll.seats,
        option_ids=frozenset(map(str, option_ids)),
        choices=frozenset(poll.choice_values),
        allow_write_in=poll.allow_write_in and poll.kind == "candidates",
        eligible_write_ins=frozenset(str(m) for m in eligible_write_ins),
        candidate_member_ids=frozenset(map(str, candidate_member_ids)),
    )


def ballot_problems(spec: BallotSpec, content: dict, *, at_count: bool = False) -> list[str]:
    """Everything that makes a ballot invalid; an empty list means valid (a blank ballot is valid).

    At the booth a write-in of someone not eligible is refused, so the voter can correct it. At the count
    (`at_count`) it no longer spoils the ballot: as the 选举条例 practice has it, only that mark is void and
    the other marks stand (`void_write_ins` counts them) — a person may lose his rights between cast and count.
    """
    problems: list[str] = []
    marks = content.get("c")
    write_ins = content.get("w", [])
    if not isinstance(marks, dict) or not isinstance(write_ins, list):
        return [_("The ballot is malformed.")]
    for option_id, choice in marks.items():
        if option_id not in spec.option_ids:
            problems.append(_("The ballot names an option that is not on it."))
            break
        if choice not in spec.choices:
            problems.append(_("The ballot has a mark that is not allowed."))
            break
    if write_ins:
        if not spec.allow_write_in:
            problems.append(_("This ballot takes no write-ins."))
        elif len(set(map(str, write_ins))) != len(write_ins):
            problems.append(_("The same person is written in twice."))
        else:
            for member_id in map(str, write_ins):
                if member_id in spec.candidate_member_ids:
                    problems.append(_("A written-in person is already a candidate on the ballot."))
                    break
                if member_id not in spec.eligible_write_ins and not at_count:
                    problems.append(_("A written-in person is not an eligible member."))
                    break
            against = sum(1 for c in marks.values() if c == "against")
            if len(write_ins) > against:
                problems.append(_("A write-in (另选他人) replaces a candidate marked against."))
    if spec.kind == "candidates":
        in_favour = sum(1 for c in marks.values() if c == "for") + len(write_ins)
        if in_favour > spec.seats:
            problems.append(
                _("More votes in favour (%(n)d, write-ins included) than seats (%(seats)d).")
                % {"n": in_favour, "seats": spec.seats}
            )
    return problems


def is_blank(content: dict) -> bool:
    return not content.get("c") and not content.get("w")


def unmarked_lines(spec: BallotSpec, content: dict) -> int:
    """How many lines of the ballot the voter left without a mark (the booth asks before casting those)."""
    return len(spec.option_ids - set(content.get("c", {})))


def unmarked_question(spec: BallotSpec, content: dict) -> str:
    """What the booth asks before a blank or partly marked ballot is cast."""
    if is_blank(content):
        return _("You have not chosen any option: this will be a blank ballot. Are you sure?")
    return _("%(n)d of the %(total)d lines are not marked. Cast the ballot anyway?") % {
        "n": unmarked_lines(spec, content),
        "total": len(spec.option_ids),
    }


# --- Tally ----------------------------------------------------------------------------------------


@dataclass
class Tally:
    returned: int = 0
    valid: int = 0
    invalid: int = 0
    blank: int = 0
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # option id → choice → n
    write_ins: dict[str, int] = field(default_factory=dict)  # member id → n
    void_write_ins: int = 0  # marks for someone not eligible: void, the rest of the ballot stands

    def as_dict(self) -> dict:
        return {
            "returned": self.returned,
            "valid": self.valid,
            "invalid": self.invalid,
            "blank": self.blank,
            "totals": self.totals,
            "write_ins": self.write_ins,
            "void_write_ins": self.void_write_ins,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Tally:
        return cls(
            returned=data["returned"],
            valid=data["valid"],
            invalid=data["invalid"],
            blank=data["blank"],
            totals={k: dict(v) for k, v in data["totals"].items()},
            write_ins=dict(data["write_ins"]),
            void_write_ins=data.get("void_write_ins", 0),  # results counted before void write-ins: none
        )


def empty_totals(spec: BallotSpec) -> dict[str, dict[str, int]]:
    return {o: dict.fromkeys(sorted(spec.choices), 0) for o in sorted(spec.option_ids, key=int)}


def tally(spec: BallotSpec, contents) -> tuple[Tally, list[tuple[dict, bool, bool]]]:
    """Count opened ballots; returns the tally and (content, valid, blank) per ballot, in the given order.

    Unmarked lines of a valid ballot count as abstentions on candidate and motion polls (a paper ballot
    leaves 弃权 unmarked); a rating poll leaves them uncounted.
    """
    result = Tally(totals=empty_totals(spec))
    opened = []
    write_ins: Counter[str] = Counter()
    fills_abstain = spec.kind in ("candidates", "motion")
    for content in contents:
        result.returned += 1
        blank = is_blank(content)
        valid = not ballot_problems(spec, content, at_count=True)
        if not valid:
            result.invalid += 1
        elif blank:
            result.blank += 1
        else:
            result.valid += 1
        opened.append((content, valid, blank))
        if not valid or blank:
            continue
        marks = content["c"]
        for option_id, row in result.totals.items():
            choice = marks.get(option_id)
            if choice is None and fills_abstain:
                choice = "abstain"
            if choice is not None:
                row[choice] += 1
        for member_id in map(str, content.get("w", [])):
            if member_id in spec.eligible_write_ins:
                write_ins[member_id] += 1
            else:
                result.void_write_ins += 1
    result.write_ins = dict(sorted(write_ins.items()))
    return result, opened


def add_tallies(a: Tally, b: Tally) -> Tally:
    totals = {
        o: {c: n + b.totals.get(o, {}).get(c, 0) for c, n in row.items()} for o, row in a.totals.items()
    }
    write_ins = Counter(a.write_ins)
    write_ins.update(b.write_ins)
    return Tally(
        returned=a.returned + b.returned,
        valid=a.valid + b.valid,
        invalid=a.invalid + b.invalid,
        blank=a.blank + b.blank,
        totals=totals,
        write_ins=dict(sorted(write_ins.items())),
        void_write_ins=a.void_write_ins + b.void_write_ins,
    )


def ballots_exceed_voters(returned: int, voters: int) -> bool:
    """选举条例: more ballots returned than voters → the round is void and voting repeats."""
    return returned > voters


# --- Outcome --------------------------------------------------------------------------------------


def threshold_base(rules: dict, *, expected: int, present: int) -> int:
    return present if rules["threshold_base"] == "present" else expected


def candidate_outcome(rules: dict, seats: int, votes: dict[str, int], *, base: int) -> dict:
    """Who is elected: 赞成 > threshold × base; the most votes win the seats; ties at the cut-off and
    shortfalls are reported, not resolved (the caller decides a runoff or a further round)."""
    qualified = sorted(
        (
            (key, n)
            for key, n in votes.items()
            if exceeds(n, base, rules["threshold"], inclusive=rules["threshold_inclusive"])
        ),
        key=lambda item: -item[1],
    )
    elected, tied = [k for k, _n in qualified], []
    if len(qualified) > seats:
        cutoff = qualified[seats - 1][1]
        above = [k for k, n in qualified if n > cutoff]
        at_cutoff = [k for k, n in qualified if n == cutoff]
        if len(above) + len(at_cutoff) > seats:
            elected, tied = above, at_cutoff  # a runoff among the tied only, for the remaining seats
        else:
            elected = above + at_cutoff
    return {
        "elected": elected,
        "tied": tied,
        "tie_seats": seats - len(elected) if tied else 0,
        "shortfall": 0 if tied else max(seats - len(elected), 0),
        "qualified": [k for k, _n in qualified],
        "base": base,
    }


def motion_outcome(rules: dict, votes_for: int, *, base: int) -> dict:
    return {
        "passed": exceeds(votes_for, base, rules["threshold"], inclusive=rules["threshold_inclusive"]),
        "base": base,
    }


def rating_outcome(totals: dict[str, int]) -> dict:
    counted = sum(totals.values())
    return {
        "counted": counted,
        "shares": {value: (round(100 * n / counted, 1) if counted else 0.0) for value, n in totals.items()},
    }


def outcome(poll_kind: str, rules: dict, seats: int, tally_: Tally, *, expected: int, present: int) -> dict:
    base = threshold_base(rules, expected=expected, present=present)
    if poll_kind == "candidates":
        votes = {f"o{o}": row["for"] for o, row in tally_.totals.items()}
        votes.update({f"m{m}": n for m, n in tally_.write_ins.items()})
        return {"kind": "candidates", **candidate_outcome(rules, seats, votes, base=base)}
    if poll_kind == "motion":
        return {
            "kind": "motion",
            "options": {o: motion_outcome(rules, row["for"], base=base) for o, row in tally_.totals.items()},
            "base": base,
        }
    return {"kind": "rating", "options": {o: rating_outcome(row) for o, row in tally_.totals.items()}}


# --- Paper entry ----------------------------------------------------------------------------------


def paper_differences(a: dict, b: dict) -> list[tuple[str, Any, Any]]:
    """Where two counters' entries differ, as (field, first, second); keys are stable labels."""
    diffs = []
    for name in ("returned", "invalid", "blank", "void_write_ins"):
        if a.get(name, 0) != b.get(name, 0):
            diffs.append((name, a.get(name, 0), b.get(name, 0)))
    for option_id in sorted(set(a["totals"]) | set(b["totals"]), key=str):
        row_a, row_b = a["totals"].get(option_id, {}), b["totals"].get(option_id, {})
        for choice in sorted(set(row_a) | set(row_b)):
            if row_a.get(choice, 0) != row_b.get(choice, 0):
                diffs.append((f"{option_id}:{choice}", row_a.get(choice, 0), row_b.get(choice, 0)))
    for member_id in sorted(set(a["write_ins"]) | set(b["write_ins"]), key=str):
        if a["write_ins"].get(member_id, 0) != b["write_ins"].get(member_id, 0):
            diffs.append(
                (f"w:{member_id}", a["write_ins"].get(member_id, 0), b["write_ins"].get(member_id, 0))
            )
    return diffs


def paper_entry_problems(
    spec: BallotSpec,
    *,
    returned: int,
    invalid: int,
    blank: int,
    totals: dict,
    write_ins: dict,
    void_write_ins: int = 0,
) -> list[str]:
    """Inconsistent figures refused at entry; more ballots than voters is not refused (it voids the round)."""
    problems = []
    valid = returned - invalid - blank
    if valid < 0:
        problems.append(_("Invalid and blank ballots cannot exceed the ballots returned."))
        return problems
    for row in totals.values():
        if spec.kind in ("candidates", "motion") and sum(row.values()) != valid:
            problems.append(
                _("The marks of each line must add up to the valid ballots (%(valid)d).") % {"valid": valid}
            )
            break
        if spec.kind == "rating" and sum(row.values()) > valid:
            problems.append(_("A line has more marks than valid ballots."))
            break
    if spec.kind == "candidates":
        in_favour = (
            sum(row.get("for", 0) for row in totals.values()) + sum(write_ins.values()) + void_write_ins
        )
        if in_favour > valid * spec.seats:
            problems.append(_("More votes in favour than valid ballots times seats."))
    return problems


# --- The result in words (rules/headline.py) ------------------------------------------------------
from .headline import motion_sentence as motion_sentence  # noqa: E402 — built on the outcome above
from .headline import result_sentences as result_sentences  # noqa: E402
