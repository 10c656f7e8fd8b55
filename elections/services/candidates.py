"""The candidates (候选人): the members' deliberation fixes the list once the notice is over, each candidate
keeps a page (CV, record, strengths, weaknesses, pledge), and members put questions to the candidates, who
answer them, until voting begins."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import PollStatus
from branches import reminders
from branches.audit import log_action

from ..models import Candidacy, CandidateQuestion, Election, ElectionPoll, ElectionStatus, Purpose, Stage
from .common import check_no_issues, check_status, move
from .errors import ElectionError

PAGE_FIELDS = ("cv", "record", "strengths", "weaknesses", "pledge")


@transaction.atomic
def fix_candidates(*, actor, election: Election, deliberation_note: str = "") -> Election:
    """The members' deliberation fixes the list: notice over, every objection answered, margins met."""
    check_status(election, ElectionStatus.NOTICE, ElectionStatus.NOTICE_OVER)
    check_no_issues(election)
    election.candidacies.filter(stage=Stage.PRE_CANDIDATE).update(stage=Stage.CANDIDATE)
    return move(
        election,
        ElectionStatus.CANDIDATES,
        actor=actor,
        verb="election.candidates_fix",
        deliberation_note=deliberation_note,
    )


@transaction.atomic
def update_candidate_page(*, actor, candidacy: Candidacy, **values) -> Candidacy:
    check_status(
        candidacy.election, ElectionStatus.NOTICE, ElectionStatus.NOTICE_OVER, ElectionStatus.CANDIDATES
    )
    if candidacy.stage not in (Stage.PRE_CANDIDATE, Stage.CANDIDATE):
        raise ElectionError(_("Only candidates have a candidate page."))
    changed = [k for k in PAGE_FIELDS if k in values and getattr(candidacy, k) != values[k].strip()]
    for k in changed:
        setattr(candidacy, k, values[k].strip())
    candidacy.save(update_fields=changed or None)
    log_action(
        actor,
        "election.candidate_page",
        candidacy.election,
        changes={"candidate": candidacy.member.name, "fields": changed},
    )
    return candidacy


# --- questions to the candidates ----------------------------------------------------------------------


def _check_before_the_vote(candidacy: Candidacy) -> None:
    election = candidacy.election
    check_status(election, ElectionStatus.CANDIDATES, ElectionStatus.MEETING)
    if (
        election.status == ElectionStatus.MEETING
        and ElectionPoll.objects.filter(election=election, purpose=Purpose.ELECTION)
        .exclude(poll__status=PollStatus.DRAFT)
        .exists()
    ):
        raise ElectionError(_("Voting has begun: questions were taken before the vote."))
    if candidacy.stage != Stage.CANDIDATE:
        raise ElectionError(_("Questions are put to the candidates."))


@transaction.atomic
def ask_question(*, actor, candidacy: Candidacy, text: str) -> CandidateQuestion:
    _check_before_the_vote(candidacy)
    if not text.strip():
        raise ElectionError(_("A question needs a text."))
    question = CandidateQuestion.objects.create(candidacy=candidacy, asked_by=actor, text=text.strip())
    log_action(actor, "election.question", candidacy.election, changes={"to": candidacy.member.name})
    if candidacy.member.user_id:
        reminders.schedule(
            kind="election.question",
            obj=question,
            due_at=timezone.now(),
            recipients=[candidacy.member.user],
            subject=_("A member asks you a question as a candidate"),
            url=reverse("elections:candidate", args=[candidacy.pk]),
            organisation=candidacy.election.organisation,
        )
    return question


@transaction.atomic
def answer_question(*, actor, question: CandidateQuestion, answer: str) -> CandidateQuestion:
    candidacy = question.candidacy
    _check_before_the_vote(candidacy)
    if candidacy.member.user_id != getattr(actor, "pk", None):
        raise ElectionError(_("The candidate answers his own questions."))
    if not answer.strip():
        raise ElectionError(_("An answer needs a text."))
    question.answer, question.answered_at = answer.strip(), timezone.now()
    question.save(update_fields=["answer", "answered_at"])
    log_action(actor, "election.question_answer", candidacy.election, changes={"by": candidacy.member.name})
    return question
