"""Every write of an inquiry's course (询问 / 质询) and of inquiry days: asking, co-signing a formal
challenge, answering, the signers' ratings, a second answer and escalation. An inquiry that is really a
report of misconduct goes to the confidential channel (`reports`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.audit import log_action
from branches.models import COMMITTEE_ROLES, Meeting, Member, Organisation, Role

from .. import rules, selectors, states
from ..models import (
    AnswerMode,
    CosignStatus,
    Inquiry,
    InquiryAnswer,
    InquiryCosigner,
    InquiryDay,
    InquiryKind,
    InquiryRating,
    InquiryStatus,
)
from ..models.inquiries import INQUIRY_OPEN_STATES
from .common import (
    MotionError,
    answer_timing,
    clean_text,
    clock_fields,
    due_fields,
    move,
    move_answered,
    named_cosigners,
    plan_deadline_reminders,
    record_cosign,
    require_party_member,
    tell,
    users_of,
)


def _url(inquiry: Inquiry) -> str:
    return reverse("motions:inquiry", args=[inquiry.pk])


def _is_committee_member(member: Member, org: Organisation) -> bool:
    return (
        Role.objects.current()
        .filter(member=member, kind__in=COMMITTEE_ROLES, organisation__path__in=org.ancestor_paths())
        .exists()
    )


# --- asking ---------------------------------------------------------------------------------------


@transaction.atomic
def file_inquiry(
    *,
    actor,
    author: Member,
    kind: str,
    subject: str,
    questions: str,
    target: Member | None = None,
    cosigners: Iterable[Member] = (),
) -> Inquiry:
    """询问: any member asks, at once. 质询: written, names its target, and needs max(3, 10%) co-signers who
    confirm it themselves. A report of misconduct is not an inquiry: see `file_report`."""
    require_party_member(author)
    questions, subject = clean_text(questions), clean_text(subject)
    if kind not in InquiryKind.values:
        raise MotionError(_("Unknown kind of inquiry."))
    if not questions:
        raise MotionError(_("An inquiry needs its questions."))
    subject = subject or questions.splitlines()[0][:60]
    branch = author.organisation
    if target is not None and not _is_committee_member(target, branch):
        raise MotionError(
            _("Questions are put to a member of the committee; %(name)s is not one.") % {"name": target.name}
        )
    others = named_cosigners(
        author,
        cosigners,
        strangers=_("Co-signers come from the asker's branch; %(n)d of those named are not members of it."),
    )
    if kind == InquiryKind.CHALLENGE:
        if target is None:
            raise MotionError(_("A formal challenge names the committee member it is addressed to."))
        need = rules.challenge_cosigners_required(selectors.party_member_count(branch))
        if len(others) < need:
            raise MotionError(
                _("A formal challenge needs at least %(n)d co-signers; %(have)d named.")
                % {"n": need, "have": len(others)}
            )
    elif others:
        raise MotionError(_("Only a formal challenge has co-signers."))
    clock = {} if others else _clock(branch, target)
    inquiry = Inquiry.objects.create(
        organisation=branch,
        kind=kind,
        author=author,
        target=target,
        subject=subject[:200],
        questions=questions,
        status=InquiryStatus.COSIGNING if others else InquiryStatus.SUBMITTED,
        **clock,
    )
    InquiryCosigner.objects.bulk_create(InquiryCosigner(inquiry=inquiry, member=m) for m in others)
    log_action(
        actor,
        "inquiry.file",
        inquiry,
        changes={"kind": kind, "status": [None, inquiry.status], "cosigners": len(others)},
    )
    if others:
        tell(
            [m.user for m in others],
            kind="inquiry.cosign",
            url=_url(inquiry),
            subject=_("%(name)s asks you to co-sign a formal challenge: %(subject)s")
            % {"name": author.name, "subject": inquiry.subject},
        )
    else:
        _clock_started(inquiry)
    return inquiry


def _clock(organisation: Organisation, target: Member | None) -> dict:
    """The fields of a submitted inquiry: the person who answers is the one addressed, else the secretary;
    the clock starts now."""
    now = timezone.now()
    deadline = rules.inquiry_deadline(timezone.localdate(now))
    responsible = target or _default_responsible(organisation)
    if responsible is None:
        raise MotionError(_("The branch has no committee member to answer; ask the higher committee."))
    return {"submitted_at": now, **clock_fields(deadline), "responsible": responsible}


def _clock_started(inquiry: Inquiry, *, kind: str = "inquiry.submitted") -> None:
    """The reminders of the person who answers, and his notice: submitted to him, or assigned to him."""
    plan_reminders(inquiry)
    tell(
        [inquiry.responsible.user],
        kind=kind,
        url=_url(inquiry),
        subject=_("A question for you, to answer by %(due)s: %(subject)s")
        % {"due": inquiry.due_on, "subject": inquiry.subject},
    )


def _default_responsible(org: Organisation) -> Member | None:
    heads = selectors.committee_heads(org)
    return heads[0].member if heads else None


@transaction.atomic
def cosign_inquiry(*, actor, inquiry: Inquiry, member: Member, confirm: bool) -> InquiryCosigner:
    """A named co-signer confirms or declines. When nobody is left to answer, the challenge is submitted if
    enough confirmed; otherwise it goes on as an ordinary inquiry (询问): the questions are still
    answered."""
    row = record_cosign(
        inquiry,
        actor=actor,
        member=member,
        confirm=confirm,
        collecting=InquiryStatus.COSIGNING,
        verb="inquiry.cosign",
        not_named=_("You are not named as a co-signer of this challenge."),
        closed=_("This challenge no longer collects co-signatures."),
    )
    rows = list(inquiry.cosigners.values_list("status", flat=True))
    if CosignStatus.PENDING in rows:
        return row
    need = rules.challenge_cosigners_required(selectors.party_member_count(inquiry.organisation))
    if rows.count(CosignStatus.CONFIRMED) < need:
        Inquiry.objects.filter(pk=inquiry.pk).update(kind=InquiryKind.ASK)
        inquiry.kind = InquiryKind.ASK
        log_action(actor, "inquiry.downgrade", inquiry, changes={"kind": ["challenge", "ask"]})
        tell(
            [inquiry.author.user],
            kind="inquiry.downgraded",
            url=_url(inquiry),
            subject=_("Too few co-signers confirmed; your challenge goes on as an ordinary inquiry: %(s)s")
            % {"s": inquiry.subject},
        )
    move(
        inquiry,
        states.INQUIRY,
        InquiryStatus.SUBMITTED,
        actor=actor,
        verb="inquiry.submit",
        **_clock(inquiry.organisation, inquiry.target),
    )
    _clock_started(inquiry)
    return row


@transaction.atomic
def assign_inquiry(*, actor, inquiry: Inquiry, responsible: Member) -> Inquiry:
    if inquiry.status not in (InquiryStatus.SUBMITTED, InquiryStatus.SECOND_ANSWER_DUE):
        raise MotionError(_("Only an inquiry awaiting its answer can be reassigned."))
    if responsible.user_id is None or not _is_committee_member(responsible, inquiry.organisation):
        raise MotionError(_("The answer comes from a committee member with a login."))
    log_action(
        actor,
        "inquiry.assign",
        inquiry,
        changes={"responsible": [str(inquiry.responsible), responsible.name]},
    )
    inquiry.responsible = responsible
    inquiry.save(update_fields=["responsible"])
    _clock_started(inquiry, kind="inquiry.assigned")
    return inquiry


# --- answering and rating -------------------------------------------------------------------------


@transaction.atomic
def answer_inquiry(
    *, actor, inquiry: Inquiry, mode: str, text: str, meeting: Meeting | None = None
) -> InquiryAnswer:
    """Written and signed by the person answering, or given orally at a meeting and recorded."""
    text = clean_text(text)
    if mode not in AnswerMode.values:
        raise MotionError(_("Say how the answer was given."))
    if not text:
        raise MotionError(_("An answer needs its text; if it cannot be done, give the reason."))
    if inquiry.status not in (InquiryStatus.SUBMITTED, InquiryStatus.SECOND_ANSWER_DUE):
        raise MotionError(_("This inquiry is not awaiting an answer."))
    if mode == AnswerMode.ORAL:
        if meeting is None:
            raise MotionError(_("An oral answer names the meeting where it was given."))
        if not inquiry.organisation.is_within(meeting.organisation) or meeting.starts_at > timezone.now():
            raise MotionError(_("The meeting must be one of the branch that has taken place."))
    else:
        meeting = None
    now = timezone.now()
    answer = InquiryAnswer.objects.create(
        inquiry=inquiry,
        round=inquiry.answers.count() + 1,
        mode=mode,
        meeting=meeting,
        text=text,
        signed_by=actor,
        signer_name=actor.display_name,
        **answer_timing(inquiry, now),
    )
    move_answered(
        inquiry, states.INQUIRY, InquiryStatus.ANSWERED, actor=actor, verb="inquiry.answer", now=now
    )
    tell(
        users_of_signers(inquiry),
        kind="inquiry.answered",
        url=_url(inquiry),
        subject=_("Your inquiry is answered; are you satisfied? %(subject)s") % {"subject": inquiry.subject},
    )
    return answer


def users_of_signers(inquiry: Inquiry) -> list:
    return users_of(selectors.signers(inquiry))


@transaction.atomic
def rate_inquiry(*, actor, inquiry: Inquiry, satisfied: bool) -> InquiryRating:
    """Each signer says whether the answer satisfies him. More than half dissatisfied: one second answer is
    due; after it, escalation to the higher committee."""
    member = getattr(actor, "member", None)
    people = selectors.signers(inquiry)
    if member is None or member.pk not in {m.pk for m in people}:
        raise MotionError(_("Only the signers of the inquiry rate its answer."))
    if inquiry.status != InquiryStatus.ANSWERED:
        raise MotionError(_("There is no answer to rate."))
    answer = inquiry.answers.select_for_update().order_by("-round").first()
    if InquiryRating.objects.filter(answer=answer, member=member).exists():
        raise MotionError(_("You have already rated this answer."))
    rating = InquiryRating.objects.create(answer=answer, member=member, satisfied=satisfied)
    log_action(actor, "inquiry.rate", inquiry, changes={"round": answer.round, "satisfied": satisfied})
    ratings = list(answer.ratings.values_list("satisfied", flat=True))
    nxt = rules.inquiry_after_rating(
        signers=len(people), rated=len(ratings), dissatisfied=ratings.count(False), answer_round=answer.round
    )
    now = timezone.now()
    if nxt == InquiryStatus.CLOSED:
        move(inquiry, states.INQUIRY, InquiryStatus.CLOSED, actor=actor, verb="inquiry.close", closed_at=now)
    elif nxt == InquiryStatus.SECOND_ANSWER_DUE:
        deadline = rules.inquiry_deadline(timezone.localdate(now))
        move(
            inquiry,
            states.INQUIRY,
            InquiryStatus.SECOND_ANSWER_DUE,
            actor=actor,
            verb="inquiry.second_answer",
            **due_fields(deadline),
        )
        plan_reminders(inquiry)
        tell(
            [inquiry.responsible.user],
            kind="inquiry.second_answer",
            url=_url(inquiry),
            subject=_("Most signers are dissatisfied: a second answer is due by %(due)s: %(subject)s")
            % {"due": inquiry.due_on, "subject": inquiry.subject},
        )
    elif nxt == InquiryStatus.ESCALATED:
        move(
            inquiry,
            states.INQUIRY,
            InquiryStatus.ESCALATED,
            actor=actor,
            verb="inquiry.escalate",
            escalated_at=now,
        )
        tell(
            selectors.higher_committee(inquiry.organisation)
            or selectors.committee_heads(inquiry.organisation),
            kind="inquiry.escalated",
            url=_url(inquiry),
            subject=_("Escalated: the signers are dissatisfied with the second answer: %(subject)s")
            % {"subject": inquiry.subject},
        )
    return rating


@transaction.atomic
def resolve_escalated_inquiry(*, actor, inquiry: Inquiry, resolution: str) -> Inquiry:
    """The higher committee closes an escalated inquiry with its written resolution."""
    resolution = clean_text(resolution)
    if not resolution:
        raise MotionError(_("The resolution needs its text."))
    move(
        inquiry,
        states.INQUIRY,
        InquiryStatus.CLOSED,
        actor=actor,
        verb="inquiry.resolve",
        resolution=resolution,
        closed_at=timezone.now(),
    )
    tell(
        users_of_signers(inquiry),
        kind="inquiry.resolved",
        url=_url(inquiry),
        body=resolution,
        subject=_("The higher committee resolved your inquiry: %(subject)s") % {"subject": inquiry.subject},
    )
    return inquiry


def plan_reminders(inquiry: Inquiry) -> None:
    """The reminders of the inquiry's current deadline and people (see `plan_deadline_reminders`)."""
    plan_deadline_reminders(
        inquiry,
        prefix="inquiry",
        open_states=INQUIRY_OPEN_STATES,
        committee=inquiry.organisation,
        title=_("inquiry #%(pk)d %(subject)s") % {"pk": inquiry.pk, "subject": inquiry.subject},
        url=_url(inquiry),
    )


# --- inquiry days ---------------------------------------------------------------------------------


@transaction.atomic
def add_inquiry_day(
    *, actor, organisation: Organisation, date: dt.date, receiver: Member, location: str = ""
) -> InquiryDay:
    if not _is_committee_member(receiver, organisation):
        raise MotionError(
            _("Questions are received by a member of the committee; %(name)s is not one.")
            % {"name": receiver.name}
        )
    if date < timezone.localdate():
        raise MotionError(_("An inquiry day is in the future."))
    day, created = InquiryDay.objects.get_or_create(
        organisation=organisation, date=date, receiver=receiver, defaults={"location": clean_text(location)}
    )
    if created:
        log_action(
            actor,
            "inquiry_day.add",
            day,
            organisation=organisation,
            changes={"date": [None, date], "receiver": [None, receiver.name]},
        )
    return day
