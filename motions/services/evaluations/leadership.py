"""Every write of democratic evaluation (domain.md §4.5): member evaluation, leadership evaluation with its
consequences, the public rating of leaders (民评官), two-way reporting (双向述职).

The anonymous ratings of members are ballot-engine polls of kind "rating" (secret, frozen roll, sealed
box); the evaluation keeps only the poll and, once counted, the counts. Invited mass representatives and
members of the public rate once each through a one-time invitation: the token is shown once, stored as a
hash, and the rating adds to counts — nothing records who gave which value.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.audit import log_action
from branches.models import Meeting, Member, Organisation
from branches.rules import rule
from branches.selectors import committee_of
from ballots import services as engine
from ballots.models import Poll, PollStatus
from ballots.services import BallotError

from .. import rules, states
from ..models import (
    Assessment,
    Audience,
    EvaluationQuestion,
    Grade,
    Invitation,
    LeadershipEvaluation,
    LeadershipTally,
    MemberEvaluation,
    PeerReview,
    PublicRating,
    PublicRatingTally,
    RaterKind,
    TwoWayRating,
    TwoWayReport,
)
from .common import MotionError, clean_text, move, tell
from .motions import _secretaries

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


def _poll(actor, *, meeting: Meeting, title: str, scale: list[str], options: list[tuple[str, Member | None]]):
    try:
        poll = engine.create_poll(
            actor=actor,
            meeting=meeting,
            title=title,
            kind="rating",
            scale=[[v, label_of(v)] for v in scale],
            rule_preset="evaluation",
        )
        for label, member in options:
            engine.add_option(actor=actor, poll=poll, label=label, member=member)
    except BallotError as exc:
        raise MotionError(str(exc)) from exc
    return poll


def poll_counts(poll: Poll | None) -> dict[str, dict[str, int]]:
    """{option label or member id: {value: n}} from a counted poll; {} before the count."""
    if poll is None or poll.status not in (PollStatus.COUNTED, PollStatus.PUBLISHED):
        return {}
    totals = poll.result.figures["total"]["totals"]
    out = {}
    for option in poll.options.all():
        key = str(option.member_id) if option.member_id else "team"
        out[key] = {k: int(v) for k, v in totals.get(str(option.pk), {}).items()}
    return out


# --- member evaluation -------------------------------------------------------------------------------


@transaction.atomic
def start_member_evaluation(*, actor, organisation: Organisation, year: int) -> MemberEvaluation:
    if MemberEvaluation.objects.filter(organisation=organisation, year=year).exists():
        raise MotionError(_("The branch's evaluation of %(year)d exists already.") % {"year": year})
    members = list(
        Member.objects.filter(
            organisation__path__startswith=organisation.path,
            is_active=True,
            category__in=["full", "probationary"],
        )
    )
    if not members:
        raise MotionError(_("The branch has no members to evaluate."))
    evaluation = MemberEvaluation.objects.create(
        organisation=organisation,
        year=year,
        created_by=actor,
        excellent_cap=list(rule("evaluation_excellent_cap")),
    )
    Assessment.objects.bulk_create(Assessment(evaluation=evaluation, member=m) for m in members)
    log_action(
        actor, "evaluation.start", evaluation, organisation=organisation, changes={"members": len(members)}
    )
    tell(
        [m.user for m in members if m.user_id],
        kind="evaluation.self",
        subject=_("Democratic evaluation %(year)d: write your self-assessment") % {"year": year},
        url=evaluation.get_absolute_url(),
    )
    return evaluation


@transaction.atomic
def submit_self_assessment(*, actor, evaluation: MemberEvaluation, member: Member, text: str) -> Assessment:
    if evaluation.status != "self":
        raise MotionError(_("Self-assessments are written in the first step."))
    text = clean_text(text)
    if not text:
        raise MotionError(_("Write your self-assessment."))
    assessment = Assessment.objects.filter(evaluation=evaluation, member=member).first()
    if assessment is None:
        raise MotionError(_("You are not among the members evaluated."))
    Assessment.objects.filter(pk=assessment.pk).update(self_assessment=text)
    assessment.self_assessment = text
    log_action(actor, "evaluation.self_assessment", evaluation)
    return assessment


@transaction.atomic
def advance_member_evaluation(*, actor, evaluation: MemberEvaluation) -> MemberEvaluation:
    """Self-assessment → peer assessment (the rating and the grading move by their own services)."""
    if evaluation.status != "self":
        raise MotionError(_("Only the self-assessment step moves on this way."))
    return move(evaluation, states.MEMBER_EVALUATION, "peer", actor=actor, verb="evaluation.peer")


@transaction.atomic
def submit_peer_review(
    *, actor, evaluation: MemberEvaluation, author: Member, subject: Member, text: str
) -> PeerReview:
    if evaluation.status != "peer":
        raise MotionError(_("Peer assessments are written in the second step."))
    text = clean_text(text)
    if not text:
        raise MotionError(_("Write your assessment."))
    if author.pk == subject.pk:
        raise MotionError(_("The peer assessment is of others; yours is the self-assessment."))
    evaluated = set(evaluation.assessments.values_list("member_id", flat=True))
    if author.pk not in evaluated or subject.pk not in evaluated:
        raise MotionError(_("Both must be among the members evaluated."))
    review, _created = PeerReview.objects.update_or_create(
        evaluation=evaluation, author=author, subject=subject, defaults={"text": text}
    )
    log_action(actor, "evaluation.peer_review", evaluation)
    return review


@transaction.atomic
def open_member_rating(*, actor, evaluation: MemberEvaluation, meeting: Meeting) -> Poll:
    """The anonymous rating: an engine rating poll, one line per member, scale 优秀/合格/基本合格/不合格."""
    if evaluation.status != "peer":
        raise MotionError(_("The anonymous rating follows the peer assessment."))
    if meeting.organisation_id != evaluation.organisation_id:
        raise MotionError(_("Choose a meeting of this branch."))
    members = [a.member for a in evaluation.assessments.select_related("member")]
    poll = _poll(
        actor,
        meeting=meeting,
        title=_("Democratic evaluation of members %(year)d") % {"year": evaluation.year},
        scale=list(Grade.values),
        options=[(m.name, m) for m in members],
    )
    move(evaluation, states.MEMBER_EVALUATION, "rating", actor=actor, verb="evaluation.rating", poll=poll)
    return poll


@transaction.atomic
def start_grading(*, actor, evaluation: MemberEvaluation) -> MemberEvaluation:
    if evaluation.poll is None or evaluation.poll.status not in (PollStatus.COUNTED, PollStatus.PUBLISHED):
        raise MotionError(_("The anonymous rating has not been counted yet."))
    return move(evaluation, states.MEMBER_EVALUATION, "grading", actor=actor, verb="evaluation.grading")


@transaction.atomic
def set_grades(*, actor, evaluation: MemberEvaluation, grades: dict[int, str]) -> MemberEvaluation:
    """The committee sets every grade at once; 优秀 above 1/3 of the members is refused."""
    evaluation = MemberEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != "grading":
        raise MotionError(_("The committee sets the grades after the anonymous rating."))
    assessments = {a.member_id: a for a in evaluation.assessments.all()}
    grades = {int(k): v for k, v in grades.items() if int(k) in assessments}
    if any(g not in Grade.values for g in grades.values()):
        raise MotionError(_("Unknown grade."))
    issues = rules.grade_issues(grades, members=len(assessments))
    if issues:
        raise MotionError(" ".join(issues))
    for member_id, grade in grades.items():
        Assessment.objects.filter(pk=assessments[member_id].pk).update(grade=grade)
    log_action(
        actor,
        "evaluation.grades",
        evaluation,
        changes={
            "excellent": sum(1 for g in grades.values() if g == "excellent"),
            "members": len(assessments),
        },
    )
    return evaluation


@transaction.atomic
def conclude_member_evaluation(*, actor, evaluation: MemberEvaluation) -> MemberEvaluation:
    """Each member is told his own grade (a notice to him alone)."""
    assessments = list(evaluation.assessments.select_related("member__user"))
    issues = rules.grade_issues({a.member_id: a.grade for a in assessments}, members=len(assessments))
    if issues:
        raise MotionError(" ".join(issues))
    now = timezone.now()
    evaluation = move(
        evaluation,
        states.MEMBER_EVALUATION,
        "concluded",
        actor=actor,
        verb="evaluation.conclude",
        concluded_at=now,
    )
    for a in assessments:
        if a.member.user_id:
            tell(
                [a.member.user],
                kind="evaluation.grade",
                subject=_("Democratic evaluation %(year)d: your grade is %(grade)s")
                % {"year": evaluation.year, "grade": Grade(a.grade).label},
                url=evaluation.get_absolute_url(),
            )
    evaluation.assessments.update(told_at=now)
    return evaluation


# --- leadership evaluation ----------------------------------------------------------------------------


def next_leadership_evaluation_due(last_held_on: dt.date) -> dt.date:
    from branches.rules import add_months

    return add_months(last_held_on, rule("leadership_evaluation_months"))


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
    if evaluation.status == "concluded":
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
    if evaluation.status != "reporting":
        raise MotionError(_("The rating follows the report."))
    if meeting.organisation_id != evaluation.organisation_id:
        raise MotionError(_("Choose a meeting of this branch."))
    committee = sorted(
        {r.member_id: r.member for r in committee_of(evaluation.organisation)}.values(), key=str
    )
    if not committee:
        raise MotionError(_("The branch has no committee members on record."))
    team_poll = _poll(
        actor,
        meeting=meeting,
        title=_("Rating of the leadership team, %(period)s") % {"period": evaluation.period},
        scale=evaluation.team_scale,
        options=[(_("The leadership team"), None)],
    )
    member_poll = _poll(
        actor,
        meeting=meeting,
        title=_("Rating of the committee members, %(period)s") % {"period": evaluation.period},
        scale=evaluation.member_scale,
        options=[(m.name, m) for m in committee],
    )
    return move(
        evaluation,
        states.LEADERSHIP_EVALUATION,
        "rating",
        actor=actor,
        verb="leadership.rating",
        team_poll=team_poll,
        member_poll=member_poll,
    )


def _invite(*, actor, name: str, **target) -> tuple[Invitation, str]:
    name = clean_text(name)
    if not name:
        raise MotionError(_("Name the person invited."))
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(name=name[:60], token_hash=Invitation.hash(token), **target)
    log_action(actor, "evaluation.invite", next(iter(target.values())), changes={"invited": [None, name]})
    return invitation, token


@transaction.atomic
def invite_representative(*, actor, evaluation: LeadershipEvaluation, name: str) -> tuple[Invitation, str]:
    """A mass representative (群众代表) rates once; the token is shown once, to be handed over."""
    if evaluation.status == "concluded":
        raise MotionError(_("The evaluation is concluded."))
    return _invite(actor=actor, name=name, leadership=evaluation)


def _bump(model, **key) -> None:
    row, _created = model.objects.get_or_create(**key)
    model.objects.filter(pk=row.pk).update(count=F("count") + 1)


@transaction.atomic
def rate_by_invitation(*, token: str, values: dict[str, str]) -> Invitation:
    """One rating per invitation. Leadership: {"team": v, "<member id>": v}; 民评官: {"<dimension index>": v}.
    Values outside the scale are refused; the invitation is used in the same transaction."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("leadership", "public_rating")
        .filter(token_hash=Invitation.hash(token or ""))
        .first()
    )
    if invitation is None:
        raise MotionError(_("This invitation is not valid."))
    if invitation.used_at is not None:
        raise MotionError(_("This invitation has already been used."))
    if invitation.leadership_id:
        evaluation = invitation.leadership
        if evaluation.status != "rating":
            raise MotionError(_("The rating is not open."))
        members = {str(m) for m in evaluation.member_poll.options.values_list("member_id", flat=True)}
        if values.get("team") not in evaluation.team_scale:
            raise MotionError(_("Rate the leadership team."))
        for key, value in values.items():
            if key != "team" and (key not in members or value not in evaluation.member_scale):
                raise MotionError(_("A rating is outside the scale."))
        for key, value in values.items():
            target = None if key == "team" else int(key)
            _bump(
                LeadershipTally,
                evaluation=evaluation,
                target_id=target,
                raters=RaterKind.REPRESENTATIVES,
                value=value,
            )
    else:
        rating = invitation.public_rating
        if rating.status != "open":
            raise MotionError(_("The rating is closed."))
        if not values:
            raise MotionError(_("Rate at least one dimension."))
        for key, value in values.items():
            if not key.isdigit() or int(key) >= len(rating.dimensions) or value not in rating.scale:
                raise MotionError(_("A rating is outside the scale."))
        for key, value in values.items():
            _bump(PublicRatingTally, rating=rating, dimension=int(key), value=value)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    return invitation


def leadership_counts(evaluation: LeadershipEvaluation) -> dict[str, dict[str, int]]:
    """{"team" or member id: {value: n}}: the members' polls (once counted) plus the representatives."""
    counts: dict[str, dict[str, int]] = {}
    for poll in (evaluation.team_poll, evaluation.member_poll):
        for key, row in poll_counts(poll).items():
            for value, n in row.items():
                counts.setdefault(key, {}).setdefault(value, 0)
                counts[key][value] += n
    for t in evaluation.tallies.all():
        key = "team" if t.target_id is None else str(t.target_id)
        counts.setdefault(key, {}).setdefault(t.value, 0)
        counts[key][t.value] += t.count
    return counts


@transaction.atomic
def conclude_leadership_evaluation(*, actor, evaluation: LeadershipEvaluation) -> LeadershipEvaluation:
    """Verdicts from the counts (rules.verdict); the consequences follow from this and the previous one."""
    for poll in (evaluation.team_poll, evaluation.member_poll):
        if poll is None or poll.status not in (PollStatus.COUNTED, PollStatus.PUBLISHED):
            raise MotionError(_("The members' ratings have not been counted yet."))
    counts = leadership_counts(evaluation)
    verdicts = {
        "team": rules.verdict(counts.get("team", {}), evaluation.team_scale),
        "members": {
            key: rules.verdict(row, evaluation.member_scale) for key, row in counts.items() if key != "team"
        },
    }
    evaluation = move(
        evaluation,
        states.LEADERSHIP_EVALUATION,
        "concluded",
        actor=actor,
        verb="leadership.conclude",
        verdicts=verdicts,
        concluded_at=timezone.now(),
    )
    # 泰安: every half year. The next one is a reminder row to the branch's secretaries.
    due = next_leadership_evaluation_due(evaluation.held_on)
    reminders.schedule(
        kind="leadership.next_due",
        obj=evaluation,
        due_at=reminders.at_reminder_hour(due - dt.timedelta(days=14)),
        recipients=_secretaries(evaluation.organisation),
        subject=_("The next evaluation of the leadership is due by %(due)s") % {"due": due},
        url=evaluation.get_absolute_url(),
        organisation=evaluation.organisation,
    )
    return evaluation


def previous_leadership_evaluation(evaluation: LeadershipEvaluation) -> LeadershipEvaluation | None:
    return (
        LeadershipEvaluation.objects.filter(
            organisation_id=evaluation.organisation_id, status="concluded", held_on__lt=evaluation.held_on
        )
        .order_by("-held_on", "-pk")
        .first()
    )


def consequences_of(evaluation: LeadershipEvaluation) -> list[rules.Consequence]:
    if evaluation.status != "concluded":
        return []
    previous = previous_leadership_evaluation(evaluation)
    return rules.leadership_consequences(evaluation.verdicts, previous.verdicts if previous else None)


# --- 民评官 and 双向述职 ---------------------------------------------------------------------------------


@transaction.atomic
def create_public_rating(*, actor, organisation: Organisation, leader: Member, title: str) -> PublicRating:
    title = clean_text(title)
    if not title:
        raise MotionError(_("The rating needs a title."))
    rating = PublicRating.objects.create(
        organisation=organisation,
        leader=leader,
        title=title[:200],
        dimensions=list(rule("public_rating_dimensions")),
        scale=list(rule("public_rating_scale")),
        created_by=actor,
    )
    log_action(actor, "public_rating.create", rating, organisation=organisation)
    return rating


@transaction.atomic
def invite_public_rater(*, actor, rating: PublicRating, name: str) -> tuple[Invitation, str]:
    if rating.status != "open":
        raise MotionError(_("The rating is closed."))
    return _invite(actor=actor, name=name, public_rating=rating)


@transaction.atomic
def publish_public_rating(*, actor, rating: PublicRating) -> PublicRating:
    results: dict[str, dict[str, int]] = {d: dict.fromkeys(rating.scale, 0) for d in rating.dimensions}
    for t in rating.tallies.all():
        results[rating.dimensions[t.dimension]][t.value] = t.count
    return move(
        rating,
        states.PUBLIC_RATING,
        "published",
        actor=actor,
        verb="public_rating.publish",
        results=results,
        published_at=timezone.now(),
    )


@transaction.atomic
def record_two_way_report(
    *, actor, organisation: Organisation, secretary: Member, period: str, to_higher: str, to_members: str
) -> TwoWayReport:
    period = clean_text(period)
    if not period or not (clean_text(to_higher) and clean_text(to_members)):
        raise MotionError(_("双向述职: the report to the higher committee and the report to the members."))
    report, _created = TwoWayReport.objects.update_or_create(
        organisation=organisation,
        secretary=secretary,
        period=period[:40],
        defaults={"to_higher": clean_text(to_higher), "to_members": clean_text(to_members)},
    )
    log_action(actor, "two_way.report", report, organisation=organisation)
    return report


@transaction.atomic
def record_two_way_rating(
    *, actor, report: TwoWayReport, audience: str, counts: dict[str, int]
) -> TwoWayReport:
    """Each audience's rating (好/中/差) of the secretary's report, as counted at its meeting."""
    if audience not in Audience.values:
        raise MotionError(_("Unknown audience."))
    scale = rule("public_rating_scale")
    if set(counts) - set(scale) or any(int(n) < 0 for n in counts.values()):
        raise MotionError(_("A rating is outside the scale."))
    for value in scale:
        TwoWayRating.objects.update_or_create(
            report=report,
            audience=audience,
            value=value,
            defaults={"count": int(counts.get(value, 0)), "recorded_by": actor},
        )
    log_action(actor, "two_way.rating", report, changes={"audience": [None, audience]})
    return report
