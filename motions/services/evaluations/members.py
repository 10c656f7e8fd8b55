"""Democratic evaluation of members (民主评议党员): self-assessment → peer assessment → the anonymous rating
(an engine rating poll) → the committee's grades (优秀 capped at 1/3) → each member told his own grade."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import Poll
from branches.audit import log_action
from branches.models import Meeting, Member, Organisation
from branches.rules import rule

from ... import rules, selectors, states
from ...models import Assessment, Grade, MemberEvaluation, MemberEvaluationStatus, PeerReview
from ..common import MotionError, check_issues, clean_text, move, tell
from .common import rating_poll


@transaction.atomic
def start_member_evaluation(*, actor, organisation: Organisation, year: int) -> MemberEvaluation:
    if MemberEvaluation.objects.filter(organisation=organisation, year=year).exists():
        raise MotionError(_("The branch's evaluation of %(year)d exists already.") % {"year": year})
    members = list(selectors.party_members(organisation))
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
    if evaluation.status != MemberEvaluationStatus.SELF:
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
    if evaluation.status != MemberEvaluationStatus.SELF:
        raise MotionError(_("Only the self-assessment step moves on this way."))
    return move(
        evaluation, states.MEMBER_EVALUATION, MemberEvaluationStatus.PEER, actor=actor, verb="evaluation.peer"
    )


@transaction.atomic
def submit_peer_review(
    *, actor, evaluation: MemberEvaluation, author: Member, subject: Member, text: str
) -> PeerReview:
    if evaluation.status != MemberEvaluationStatus.PEER:
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
    if evaluation.status != MemberEvaluationStatus.PEER:
        raise MotionError(_("The anonymous rating follows the peer assessment."))
    if meeting.organisation_id != evaluation.organisation_id:
        raise MotionError(_("Choose a meeting of this branch."))
    members = [a.member for a in evaluation.assessments.select_related("member")]
    poll = rating_poll(
        actor,
        meeting=meeting,
        title=_("Democratic evaluation of members %(year)d") % {"year": evaluation.year},
        scale=list(Grade.values),
        options=[(m.name, m) for m in members],
    )
    move(
        evaluation,
        states.MEMBER_EVALUATION,
        MemberEvaluationStatus.RATING,
        actor=actor,
        verb="evaluation.rating",
        poll=poll,
    )
    return poll


@transaction.atomic
def start_grading(*, actor, evaluation: MemberEvaluation) -> MemberEvaluation:
    if not selectors.is_counted(evaluation.poll):
        raise MotionError(_("The anonymous rating has not been counted yet."))
    return move(
        evaluation,
        states.MEMBER_EVALUATION,
        MemberEvaluationStatus.GRADING,
        actor=actor,
        verb="evaluation.grading",
    )


@transaction.atomic
def set_grades(*, actor, evaluation: MemberEvaluation, grades: dict[int, str]) -> MemberEvaluation:
    """The committee sets every grade at once; 优秀 above 1/3 of the members is refused."""
    evaluation = MemberEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != MemberEvaluationStatus.GRADING:
        raise MotionError(_("The committee sets the grades after the anonymous rating."))
    assessments = {a.member_id: a for a in evaluation.assessments.all()}
    grades = {int(k): v for k, v in grades.items() if int(k) in assessments}
    if any(g not in Grade.values for g in grades.values()):
        raise MotionError(_("Unknown grade."))
    check_issues(rules.grade_issues(grades, members=len(assessments)))
    for member_id, grade in grades.items():
        Assessment.objects.filter(pk=assessments[member_id].pk).update(grade=grade)
    log_action(
        actor,
        "evaluation.grades",
        evaluation,
        changes={
            "excellent": sum(1 for g in grades.values() if g == Grade.EXCELLENT),
            "members": len(assessments),
        },
    )
    return evaluation


@transaction.atomic
def conclude_member_evaluation(*, actor, evaluation: MemberEvaluation) -> MemberEvaluation:
    """Each member is told his own grade (a notice to him alone)."""
    assessments = list(evaluation.assessments.select_related("member__user"))
    check_issues(rules.grade_issues({a.member_id: a.grade for a in assessments}, members=len(assessments)))
    now = timezone.now()
    evaluation = move(
        evaluation,
        states.MEMBER_EVALUATION,
        MemberEvaluationStatus.CONCLUDED,
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
