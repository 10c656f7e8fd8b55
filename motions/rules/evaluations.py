"""Democratic evaluation (domain.md §4.5): the cap on 优秀, verdicts and satisfaction from counts, and the
consequences of a leadership evaluation, its next due date, and the labels of the scales."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.rules import add_months, exceeds, rule

from ..models import Grade


def excellent_cap(members: int) -> int:
    """The most 优秀 grades allowed: at most 1/3 (rule) of the members evaluated, rounded down."""
    num, den = rule("evaluation_excellent_cap")
    return members * num // den


def grade_issues(grades: dict[int, str], *, members: int) -> list[str]:
    issues = []
    if len(grades) != members or any(not g for g in grades.values()):
        issues.append(_("Every member evaluated needs a grade."))
    excellent = sum(1 for g in grades.values() if g == Grade.EXCELLENT)
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
    return exceeds(counts.get(scale[0], 0), total, rule("leadership_satisfaction_min"), inclusive=True)


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


def next_leadership_evaluation_due(last_held_on: dt.date) -> dt.date:
    return add_months(last_held_on, rule("leadership_evaluation_months"))


# Labels of the scale values (the rule set holds the values, best first).
SCALE_LABELS = {
    "excellent": "优秀",
    "qualified": "合格",
    "basically": "基本合格",
    "unqualified": "不合格",
    "adapted": "适应",
    "basically_adapted": "基本适应",
    "not_adapted": "不适应",
    "competent": "称职",
    "basically_competent": "基本称职",
    "incompetent": "不称职",
    "good": "好",
    "fair": "中",
    "poor": "差",
}


def label_of(value: str) -> str:
    return SCALE_LABELS.get(value, value)
