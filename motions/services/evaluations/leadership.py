"""Evaluation of the leadership (泰安): the committee's report (述职) and questions, two rating polls (the
team, each committee member) plus the invited mass representatives, the verdicts and their consequences,
and the reminder of the next evaluation half a year on."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.models import Meeting, Organisation
from branches.rules import rule
from branches.selectors import committee_of

from ... import rules, selectors, states
from ...models import EvaluationQuestion, Invitation, LeadershipEvaluation, LeadershipStatus
from ..common import MotionError, clean_text, move
from .common import invite, rating_poll


@transaction.atomic
def start_leadership_evaluation(
    *, actor, organisation: Organisation, period: str, held_on: dt.date, report: str
) -> LeadershipEvaluation:
    period, report = clean_text(period), clean_text(report)
    if not period or not report:
        raise MotionError(_("The evaluation needs its period and the committee's report (述职)."))
    evaluation = LeadershipEvaluation.objects.create(
        organisation=organisation,
        period=period[:40],
        held_on=held_on,
        report=report,
        team_scale=list(rule("leadership_team_scale")),
        member_scale=list(rule("leadership_member_scale")),
        created_by=actor,
    )
    log_action(actor, "leadership.start", evaluation, organisation=organisation)
    return evaluation


@transaction.atomic
def add_question(
    *, actor, evaluation: LeadershipEvaluation, asked_by: str, question: str, answer: str = ""
) -> EvaluationQuestion:
    if evaluation.status == LeadershipStatus.CONCLUDED:
        raise MotionError(_("The evaluation is concluded."))
    asked_by, question = clean_text(asked_by), clean_text(question)
    if not asked_by or not question:
        raise MotionError(_("Say who asked and what."))
    q = EvaluationQuestion.objects.create(
        evaluation=evaluation, asked_by=asked_by[:60], question=question, answer=clean_text(answer)
    )
    log_action(actor, "leadership.question", evaluation)
    return q


@transaction.atomic
def open_leadership_rating(
    *, actor, evaluation: LeadershipEvaluation, meeting: Meeting
) -> LeadershipEvaluation:
    """Two engine rating polls in the meeting: the team, and each member of the committee."""
    if evaluation.status != LeadershipStatus.REPORTING:
        raise MotionError(_("The rating follows the report."))
    if meeting.organisation_id != evaluation.organisation_id:
        raise MotionError(_("Choose a meeting of this branch."))
    committee = sorted(
        {r.member_id: r.member for r in committee_of(evaluation.organisation)}.values(), key=str
    )
    if not committee:
        raise MotionError(_("The branch has no committee members on record."))
    team_poll = rating_poll(
        actor,
        meeting=meeting,
        title=_("Rating of the leadership team, %(period)s") % {"period": evaluation.period},
        scale=evaluation.team_scale,
        options=[(_("The leadership team"), None)],
    )
    member_poll = rating_poll(
        actor,
        meeting=meeting,
        title=_("Rating of the committee members, %(period)s") % {"period": evaluation.period},
        scale=evaluation.member_scale,
        options=[(m.name, m) for m in committee],
    )
    return move(
        evaluation,
        states.LEADERSHIP_EVALUATION,
        LeadershipStatus.RATING,
        actor=actor,
        verb="leadership.rating",
        team_poll=team_poll,
        member_poll=member_poll,
    )


@transaction.atomic
def invite_representative(*, actor, evaluation: LeadershipEvaluation, name: str) -> tuple[Invitation, str]:
    """A mass representative (群众代表) rates once; the token is shown once, to be handed over."""
    if evaluation.status == LeadershipStatus.CONCLUDED:
        raise MotionError(_("The evaluation is concluded."))
    return invite(actor=actor, name=name, leadership=evaluation)


@transaction.atomic
def conclude_leadership_evaluation(*, actor, evaluation: LeadershipEvaluation) -> LeadershipEvaluation:
    """Verdicts from the counts (rules.verdict); the consequences follow from this and the previous one."""
    for poll in (evaluation.team_poll, evaluation.member_poll):
        if not selectors.is_counted(poll):
            raise MotionError(_("The members' ratings have not been counted yet."))
    counts = selectors.leadership_counts(evaluation)
    verdicts = {
        "team": rules.verdict(counts.get("team", {}), evaluation.team_scale),
        "members": {
            key: rules.verdict(row, evaluation.member_scale) for key, row in counts.items() if key != "team"
        },
    }
    evaluation = move(
        evaluation,
        states.LEADERSHIP_EVALUATION,
        LeadershipStatus.CONCLUDED,
        actor=actor,
        verb="leadership.conclude",
        verdicts=verdicts,
        concluded_at=timezone.now(),
    )
    # 泰安: every half year. The next one is a reminder row to the branch's secretaries.
    due = rules.next_leadership_evaluation_due(evaluation.held_on)
    reminders.schedule(
        kind="leadership.next_due",
        obj=evaluation,
        due_at=reminders.at_reminder_hour(due - dt.timedelta(days=14)),
        recipients=selectors.secretaries(evaluation.organisation),
        subject=_("The next evaluation of the leadership is due by %(due)s") % {"due": due},
        url=evaluation.get_absolute_url(),
        organisation=evaluation.organisation,
    )
    return evaluation
