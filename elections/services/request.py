"""公推直选 up to the fixed list of candidates: the request, nomination from four sources with one-time
invitations, the qualification review, democratic recommendation (engine polls for members, invitations for
mass representatives), inspection and pre-candidates, the public notice with objections, candidate pages.

Every move of the life cycle goes through `branches.states.transition()` (conditional UPDATE + audit) and
re-plans the reminder of the party the next step waits on; the election meeting, the count and the new
committee's taking office are in `procedure_meeting.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import PollStatus
from ballots.services import add_option, add_scrutineer, create_poll
from branches import reminders
from branches.audit import log_action
from branches.models import COMMITTEE_ROLES, Meeting, Member, Organisation, Role, RoleKind
from branches.outbox import offer_disclosure
from branches.rules import rule
from branches.workdays import WorkCalendar

from .. import rules as prules
from ..models import (
    Candidacy,
    CandidateQuestion,
    Election,
    ElectionPoll,
    ElectionStatus,
    EvaluationResponse,
    EvaluationTally,
    Invitation,
    InvitationPurpose,
    Nomination,
    Objection,
    Post,
    Purpose,
    Source,
    Stage,
)
from ..states import ELECTION, TransitionError, transition
from .errors import ElectionError

INVITATION_SALT = "elections.invitation"


# --- who the steps wait on ----------------------------------------------------------------------------


def managers_of(org: Organisation) -> list:
    """The users who run the branch: its current committee."""
    return [
        r.member.user
        for r in Role.objects.current()
        .filter(organisation=org, kind__in=COMMITTEE_ROLES)
        .select_related("member__user")
        if r.member.user_id
    ]


def officers_above(org: Organisation) -> list:
    """The higher committee's officers: current officers of the organisations above the branch."""
    paths = org.ancestor_paths()[:-1]
    return [
        r.member.user
        for r in Role.objects.current()
        .filter(kind=RoleKind.OFFICER, organisation__path__in=paths)
        .select_related("member__user")
        if r.member.user_id
    ]


_WAITS_ON_HIGHER = {"requested", "review", "pre_approval", "filed"}
_WAITS_ON_NOBODY = {"notice", "in_office", "cancelled"}


def _plan_step_reminder(election: Election) -> None:
    """Tell whoever the new step waits on, now and again every few days while it still waits."""
    reminders.cancel(election, kinds=["election.step"])
    status = election.status
    if status in _WAITS_ON_NOBODY:
        return
    org = election.organisation
    recipients = officers_above(org) if status in _WAITS_ON_HIGHER else managers_of(org)
    label = ElectionStatus(status).label
    reminders.schedule(
        kind="election.step",
        obj=election,
        due_at=timezone.now(),
        recipients=recipients,
        subject=_("%(title)s: “%(step)s” waits on you") % {"title": election.title, "step": label},
        url=reverse("elections:election", args=[election.pk]),
        repeat_every=dt.timedelta(days=rule("election_step_reminder_days")),
        organisation=org,
    )


def move(election: Election, new: str, *, actor, verb: str, **extra) -> Election:
    election.refresh_from_db(fields=["status"])
    try:
        transition(
            election, ELECTION, new, actor=actor, verb=verb, organisation=election.organisation, **extra
        )
    except TransitionError as exc:
        raise ElectionError(str(exc)) from exc
    _plan_step_reminder(election)
    return election


def check_no_issues(election: Election) -> None:
    from ..selectors import issues_for

    issues = issues_for(election)
    if issues:
        raise ElectionError(" ".join(issues))


def _check_status(election: Election, *statuses: str) -> None:
    election.refresh_from_db(fields=["status"])
    if election.status not in statuses:
        raise ElectionError(
            _("This cannot be done while the election is at “%(step)s”.")
            % {"step": ElectionStatus(election.status).label}
        )


# --- the request --------------------------------------------------------------------------------------


@transaction.atomic
def draft_election(
    *,
    actor,
    organisation: Organisation,
    title: str,
    committee_seats: int,
    request_text: str,
    mode: str = "direct",
    deputy_seats: int = 0,
    timetable: str = "",
) -> Election:
    if not organisation.is_branch:
        raise ElectionError(_("Only a party branch elects its committee here."))
    if (
        Election.objects.filter(organisation=organisation)
        .exclude(status__in=["in_office", "cancelled"])
        .exists()
    ):
        raise ElectionError(_("The branch already has an election under way."))
    lo, hi = rule("committee_min_size"), rule("committee_hard_max_size")
    if not lo <= committee_seats <= hi:
        raise ElectionError(_("A committee has %(lo)d to %(hi)d seats.") % {"lo": lo, "hi": hi})
    if deputy_seats > rule("max_deputy_secretaries"):
        raise ElectionError(_("At most %(n)d deputy secretary.") % {"n": rule("max_deputy_secretaries")})
    if not request_text.strip():
        raise ElectionError(_("The request (换届请示) has no text."))
    election = Election.objects.create(
        organisation=organisation,
        title=title.strip(),
        mode=mode,
        committee_seats=committee_seats,
        deputy_seats=deputy_seats,
        request_text=request_text.strip(),
        timetable=timetable,
        rules=prules.rule_snapshot(),
        created_by=actor,
    )
    log_action(
        actor,
        "election.draft",
        election,
        changes={"title": [None, election.title], "mode": [None, mode], "seats": [None, committee_seats]},
    )
    _plan_step_reminder(election)
    return election


@transaction.atomic
def submit_request(*, actor, election: Election) -> Election:
    _check_status(election, "draft")
    check_no_issues(election)
    return move(election, "requested", actor=actor, verb="election.request")


@transaction.atomic
def approve_request(*, actor, election: Election, comment: str = "") -> Election:
    return move(election, "approved", actor=actor, verb="election.request_approve", higher_comment=comment)


@transaction.atomic
def return_request(*, actor, election: Election, comment: str) -> Election:
    if not comment.strip():
        raise ElectionError(_("Say why the request is returned."))
    return move(
        election, "draft", actor=actor, verb="election.request_return", higher_comment=comment.strip()
    )


@transaction.atomic
def open_nomination(
    *,
    actor,
    election: Election,
    procedure: str,
    timetable: str = "",
    mobilisation_at: dt.datetime | None = None,
) -> Election:
    """The mobilisation: the procedure, conditions and timetable are published, nomination opens."""
    from branches.services import BranchError, schedule_meeting

    _check_status(election, "approved")
    if not procedure.strip():
        raise ElectionError(_("Publish the procedure, the conditions and the timetable first."))
    extra = {"procedure": procedure.strip(), "timetable": timetable or election.timetable}
    if mobilisation_at is not None:
        try:
            meeting = schedule_meeting(
                actor=actor,
                organisation=election.organisation,
                kind="general",
                title=_("Mobilisation meeting: %(title)s") % {"title": election.title},
                agenda=procedure.strip(),
                starts_at=mobilisation_at,
            )
        except BranchError as exc:
            raise ElectionError(str(exc)) from exc
        extra["mobilisation_meeting"] = meeting
    move(election, "nomination", actor=actor, verb="election.nomination_open", **extra)
    offer_disclosure(
        organisation=election.organisation,
        kind="election.procedure",
        title=_("%(title)s: procedure, conditions and timetable") % {"title": election.title},
        body=f"{election.procedure}\n\n{election.timetable}".strip(),
        source=election,
        catalogue_key="election.procedure",
    )
    return election


@transaction.atomic
def cancel_election(*, actor, election: Election, reason: str) -> Election:
    if not reason.strip():
        raise ElectionError(_("Cancelling an election needs a reason."))
    move(election, "cancelled", actor=actor, verb="election.cancel", higher_comment=reason.strip())
    reminders.cancel(election)
    return election


# --- invitations (群众代表, the employer) -------------------------------------------------------------


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


@transaction.atomic
def invite(*, actor, election: Election, purpose: str, name: str) -> tuple[Invitation, str]:
    """A one-time link; the token is returned once and never stored (only its nonce's hash is)."""
    if purpose not in InvitationPurpose.values:
        raise ElectionError(_("Unknown purpose of an invitation."))
    if not name.strip():
        raise ElectionError(_("Name the representative the link is for."))
    if purpose == InvitationPurpose.RECOMMEND and not election.rules["election_recommendation_masses"]:
        raise ElectionError(_("Mass representatives do not take part in the recommendation here."))
    nonce = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        election=election, purpose=purpose, name=name.strip()[:100], nonce_hash=_hash(nonce), created_by=actor
    )
    token = signing.dumps({"i": invitation.pk, "n": nonce}, salt=INVITATION_SALT, compress=True)
    log_action(actor, "election.invite", election, changes={"purpose": purpose, "name": invitation.name})
    return invitation, token


def invitation_for(token: str) -> Invitation:
    """The invitation of a link, if it is genuine, not expired, and not used; else a refusal."""
    max_age = dt.timedelta(days=rule("election_invitation_max_age_days"))
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
        invitation = Invitation.objects.select_related("election__organisation").get(pk=int(data["i"]))
    except (signing.BadSignature, Invitation.DoesNotExist, KeyError, TypeError, ValueError) as exc:
        raise ElectionError(_("This link is not valid.")) from exc
    if not secrets.compare_digest(invitation.nonce_hash, _hash(str(data.get("n", "")))):
        raise ElectionError(_("This link is not valid."))
    if invitation.used_at is not None:
        raise ElectionError(_("This link has already been used."))
    return invitation


def _claim(invitation: Invitation, purpose: str) -> None:
    if invitation.purpose != purpose:
        raise ElectionError(_("This link is not valid."))
    if not Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise ElectionError(_("This link has already been used."))


# --- nomination ---------------------------------------------------------------------------------------


def _branch_member(election: Election, member: Member) -> None:
    if not member.is_active or not member.organisation.is_within(election.organisation):
        raise ElectionError(_("%(name)s is not a member of this branch.") % {"name": member.name})


@transaction.atomic
def nominate(
    *,
    actor,
    election: Election,
    member: Member,
    post: str,
    source: str,
    reason: str = "",
    invitation: Invitation | None = None,
) -> Nomination:
    """A recommendation form naming a member and a post, from one of the four sources."""
    _check_status(election, "nomination")
    if post not in election.posts:
        raise ElectionError(_("This election does not fill that post by nomination."))
    _branch_member(election, member)
    nominator = getattr(actor, "member", None) if actor is not None and actor.is_authenticated else None
    if source == Source.MASS:
        if invitation is None:
            raise ElectionError(_("Mass recommendations come through an invitation link."))
        _claim(invitation, InvitationPurpose.NOMINATE)
        actor = None
    elif source == Source.SELF:
        if nominator is None or nominator.pk != member.pk:
            raise ElectionError(_("A self-nomination names oneself."))
    elif source == Source.MEMBER:
        if nominator is None or not nominator.organisation.is_within(election.organisation):
            raise ElectionError(_("Only members of the branch recommend."))
        if not nominator.has_voting_rights:
            raise ElectionError(_("Only full members with voting rights recommend."))
    elif source != Source.ORGANISATION:
        raise ElectionError(_("Unknown source of a nomination."))
    candidacy, _created = Candidacy.objects.get_or_create(election=election, member=member, post=post)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                candidacy=candidacy,
                source=source,
                nominated_by=actor,
                invitation=invitation,
                reason=reason.strip(),
            )
    except IntegrityError as exc:
        raise ElectionError(
            _("You have already nominated %(name)s for this post.") % {"name": member.name}
        ) from exc
    log_action(
        actor,
        "election.nominate",
        election,
        changes={"nominee": member.name, "post": post, "source": source},
    )
    return nomination


@transaction.atomic
def close_nomination(*, actor, election: Election) -> Election:
    _check_status(election, "nomination")
    check_no_issues(election)
    return move(election, "review", actor=actor, verb="election.nomination_close")


# --- qualification review -----------------------------------------------------------------------------


@transaction.atomic
def review_candidacy(*, actor, candidacy: Candidacy, qualified: bool, reason: str = "") -> Candidacy:
    election = candidacy.election
    _check_status(election, "review")
    if qualified:
        problems = prules.qualification_problems(
            candidacy.member, candidacy.post, election.organisation, election.rules, timezone.localdate()
        )
        if problems:
            raise ElectionError(" ".join(problems))
        stage, reason = Stage.QUALIFIED, ""
    else:
        if not reason.strip():
            raise ElectionError(_("Each rejected nominee gets a reason."))
        stage = Stage.REJECTED
    old = candidacy.stage
    candidacy.stage, candidacy.rejection_reason, candidacy.reviewed_at = stage, reason.strip(), timezone.now()
    candidacy.save(update_fields=["stage", "rejection_reason", "reviewed_at"])
    log_action(
        actor,
        "election.review",
        election,
        changes={
            "nominee": candidacy.member.name,
            "post": candidacy.post,
            "stage": [old, stage],
            "reason": reason,
        },
    )
    return candidacy


@transaction.atomic
def complete_review(*, actor, election: Election) -> Election:
    _check_status(election, "review")
    check_no_issues(election)
    move(election, "recommendation", actor=actor, verb="election.review_complete")
    names = "\n".join(
        f"{c.get_post_display()}：{c.member.name}"
        for c in election.candidacies.filter(stage=Stage.QUALIFIED).select_related("member")
    )
    offer_disclosure(
        organisation=election.organisation,
        kind="election.nominees",
        title=_("%(title)s: qualified nominees") % {"title": election.title},
        body=names,
        source=election,
        catalogue_key="election.nominees",
    )
    return election


# --- democratic recommendation ------------------------------------------------------------------------


@transaction.atomic
def prepare_recommendation(*, actor, election: Election, meeting: Meeting, scrutineers: list[Member]) -> list:
    """One engine poll per post in the recommendation meeting: members mark up to the preliminary number."""
    _check_status(election, "recommendation")
    if election.election_polls.filter(purpose=Purpose.RECOMMENDATION).exists():
        raise ElectionError(_("The recommendation ballot is already prepared."))
    if meeting.organisation_id != election.organisation_id or meeting.kind != "general":
        raise ElectionError(_("The recommendation is held in a general meeting of the branch."))
    overrides = {
        "quorum": list(election.rules["election_recommendation_quorum"]),
        "quorum_inclusive": bool(election.rules["election_recommendation_quorum_inclusive"]),
    }
    links = []
    for post in election.posts:
        nominees = list(
            election.candidacies.filter(post=post, stage=Stage.QUALIFIED).select_related(
                "member__organisation"
            )
        )
        target = prules.preliminary_target(election.rules, election.seats_for(post))
        poll = create_poll(
            actor=actor,
            meeting=meeting,
            title=_("Democratic recommendation: %(post)s") % {"post": Post(post).label},
            kind="candidates",
            seats=max(1, min(target, len(nominees))),
            rule_preset="election",
            rule_overrides=overrides,
        )
        for s in scrutineers:
            add_scrutineer(actor=actor, poll=poll, member=s)
        for c in nominees:
            add_option(actor=actor, poll=poll, member=c.member)
        links.append(
            ElectionPoll.objects.create(
                election=election, poll=poll, post=post, purpose=Purpose.RECOMMENDATION, seats=poll.seats
            )
        )
    Election.objects.filter(pk=election.pk).update(recommendation_meeting=meeting)
    election.recommendation_meeting = meeting
    log_action(actor, "election.recommendation_prepare", election, changes={"meeting": meeting.title})
    return links


@transaction.atomic
def recommend_by_invitation(*, invitation: Invitation, choices: dict[str, list[int]]) -> None:
    """A mass representative's recommendation: counts only (which nominees), never linked to the link."""
    election = invitation.election
    _check_status(election, "recommendation")
    for post, ids in choices.items():
        if post not in election.posts:
            raise ElectionError(_("This election does not fill that post by nomination."))
        target = prules.preliminary_target(election.rules, election.seats_for(post))
        if len(set(ids)) != len(ids) or len(ids) > target:
            raise ElectionError(
                _("Recommend at most %(n)d people for %(post)s.") % {"n": target, "post": Post(post).label}
            )
        valid = election.candidacies.filter(post=post, stage=Stage.QUALIFIED, pk__in=ids).count()
        if valid != len(ids):
            raise ElectionError(_("Only qualified nominees can be recommended."))
    _claim(invitation, InvitationPurpose.RECOMMEND)
    for ids in choices.values():
        Candidacy.objects.filter(pk__in=ids).update(mass_votes=F("mass_votes") + 1)
    Election.objects.filter(pk=election.pk).update(mass_recommenders=F("mass_recommenders") + 1)
    log_action(None, "election.mass_recommend", election, changes={})


@transaction.atomic
def close_recommendation(*, actor, election: Election) -> Election:
    """Rank the qualified nominees of each post by the weighted shares; the first at the margin advance."""
    _check_status(election, "recommendation")
    check_no_issues(election)
    election.refresh_from_db()
    table = {}
    for link in election.election_polls.filter(purpose=Purpose.RECOMMENDATION).select_related("poll__result"):
        poll, result = link.poll, link.poll.result
        option_members = dict(poll.options.values_list("pk", "member_id"))
        member_votes = {
            option_members[int(o)]: row.get("for", 0) for o, row in result.figures["total"]["totals"].items()
        }
        candidacies = list(election.candidacies.filter(post=link.post, stage=Stage.QUALIFIED))
        target = prules.preliminary_target(election.rules, election.seats_for(link.post))
        ranked = prules.rank_recommendations(
            [(c.pk, member_votes.get(c.member_id, 0), c.mass_votes) for c in candidacies],
            member_ballots=result.valid,
            mass_ballots=election.mass_recommenders,
            rules=election.rules,
            target=target,
        )
        by_pk = {c.pk: c for c in candidacies}
        for r in ranked:
            c = by_pk[r.key]
            c.member_votes, c.score, c.rank = r.member_votes, round(float(r.score), 4), r.rank
            c.stage = Stage.PRELIMINARY if r.advances else Stage.QUALIFIED
            c.save(update_fields=["member_votes", "score", "rank", "stage"])
        table[link.post] = {
            "target": target,
            "member_ballots": result.valid,
            "mass_ballots": election.mass_recommenders,
            "poll": poll.pk,
            "ranking": [
                {
                    "member": by_pk[r.key].member.name,
                    "member_votes": r.member_votes,
                    "mass_votes": r.mass_votes,
                    "score": str(round(float(r.score), 4)),
                    "advances": r.advances,
                }
                for r in ranked
            ],
        }
    recommendation = {
        "rules": {
            k: election.rules[k]
            for k in (
                "election_preliminary_margin_percent",
                "election_recommendation_member_weight",
                "election_recommendation_mass_weight",
                "election_recommendation_masses",
            )
        },
        "posts": table,
    }
    return move(
        election,
        "inspection",
        actor=actor,
        verb="election.recommendation_close",
        recommendation_result=recommendation,
    )


# --- inspection and pre-candidates --------------------------------------------------------------------


@transaction.atomic
def record_inspection(*, actor, candidacy: Candidacy, note: str) -> Candidacy:
    _check_status(candidacy.election, "inspection")
    if candidacy.stage not in (Stage.PRELIMINARY, Stage.PRE_CANDIDATE):
        raise ElectionError(_("Only preliminary candidates are inspected."))
    candidacy.inspection_note = note.strip()
    candidacy.save(update_fields=["inspection_note"])
    log_action(actor, "election.inspect", candidacy.election, changes={"nominee": candidacy.member.name})
    return candidacy


@transaction.atomic
def choose_pre_candidates(*, actor, election: Election, candidacy_ids: list[int]) -> int:
    """The pre-candidates (预备人选) among the preliminary candidates; the others stay preliminary."""
    _check_status(election, "inspection")
    pool = election.candidacies.filter(stage__in=[Stage.PRELIMINARY, Stage.PRE_CANDIDATE])
    chosen = set(pool.filter(pk__in=candidacy_ids).values_list("pk", flat=True))
    if chosen != set(candidacy_ids):
        raise ElectionError(_("Pre-candidates are chosen among the preliminary candidates."))
    pool.exclude(pk__in=chosen).update(stage=Stage.PRELIMINARY)
    pool.filter(pk__in=chosen).update(stage=Stage.PRE_CANDIDATE)
    log_action(actor, "election.pre_candidates", election, changes={"chosen": len(chosen)})
    return len(chosen)


@transaction.atomic
def submit_pre_candidates(*, actor, election: Election) -> Election:
    _check_status(election, "inspection")
    check_no_issues(election)
    return move(election, "pre_approval", actor=actor, verb="election.pre_candidates_submit")


@transaction.atomic
def return_pre_candidates(*, actor, election: Election, comment: str) -> Election:
    if not comment.strip():
        raise ElectionError(_("Say why the pre-candidates are returned."))
    return move(
        election, "inspection", actor=actor, verb="election.pre_candidates_return", higher_comment=comment
    )


def notice_end(start: dt.date, working_days: int) -> tuple[dt.datetime, bool]:
    """The notice runs N working days after the day it starts and ends at midnight after the last one."""
    due = WorkCalendar().add_working_days(start, working_days)
    ends = timezone.make_aware(dt.datetime.combine(due.day + dt.timedelta(days=1), dt.time(0, 0)))
    return ends, due.estimated


@transaction.atomic
def approve_pre_candidates(*, actor, election: Election, comment: str = "") -> Election:
    """The higher committee approves; the public notice (公示) starts at once, for N working days."""
    now = timezone.now()
    ends, estimated = notice_end(timezone.localdate(now), election.rules["election_notice_working_days"])
    move(
        election,
        "notice",
        actor=actor,
        verb="election.pre_candidates_approve",
        higher_comment=comment,
        notice_starts_at=now,
        notice_ends_at=ends,
        notice_estimated=estimated,
    )
    pre = election.candidacies.filter(stage=Stage.PRE_CANDIDATE).select_related("member")
    offer_disclosure(
        organisation=election.organisation,
        kind="election.candidates",
        title=_("%(title)s: notice of the pre-candidates") % {"title": election.title},
        body="\n".join(f"{c.get_post_display()}：{c.member.name}" for c in pre)
        + "\n\n"
        + _("Notice until %(date)s.") % {"date": timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")},
        source=election,
        catalogue_key="election.candidates",
    )
    reminders.schedule(
        kind="election.notice_end",
        obj=election,
        due_at=ends,
        recipients=managers_of(election.organisation) + officers_above(election.organisation),
        subject=_("%(title)s: the notice of the pre-candidates has ended") % {"title": election.title},
        url=reverse("elections:election", args=[election.pk]),
        organisation=election.organisation,
    )
    return election


def end_due_notices(now: dt.datetime | None = None) -> int:
    """The beat job: each notice whose period is over ends by itself, once (the conditional UPDATE)."""
    now = now or timezone.now()
    ended = 0
    for election in Election.objects.filter(status="notice", notice_ends_at__lte=now).select_related(
        "organisation"
    ):
        try:
            with transaction.atomic():
                transition(
                    election,
                    ELECTION,
                    "notice_over",
                    actor=None,
                    verb="election.notice_end",
                    organisation=election.organisation,
                )
                _plan_step_reminder(election)
        except TransitionError:
            continue  # another worker ended it
        ended += 1
    return ended


# --- objections ---------------------------------------------------------------------------------------


@transaction.atomic
def raise_objection(*, actor, candidacy: Candidacy, text: str) -> Objection:
    election = candidacy.election
    _check_status(election, "notice")
    if candidacy.stage != Stage.PRE_CANDIDATE:
        raise ElectionError(_("Objections concern the pre-candidates on notice."))
    if not text.strip():
        raise ElectionError(_("An objection needs a text."))
    objection = Objection.objects.create(
        election=election, candidacy=candidacy, text=text.strip(), raised_by=actor
    )
    log_action(actor, "election.objection", election, changes={"about": candidacy.member.name})
    reminders.schedule(
        kind="election.objection",
        obj=objection,
        due_at=timezone.now(),
        recipients=managers_of(election.organisation),
        subject=_("%(title)s: an objection to answer") % {"title": election.title},
        url=reverse("elections:election", args=[election.pk]),
        organisation=election.organisation,
    )
    return objection


@transaction.atomic
def answer_objection(*, actor, objection: Objection, answer: str, upheld: bool = False) -> Objection:
    if not objection.is_open:
        raise ElectionError(_("This objection has already been answered."))
    if not answer.strip():
        raise ElectionError(_("An answer needs a text."))
    objection.answer, objection.upheld = answer.strip(), upheld
    objection.answered_by, objection.answered_at = actor, timezone.now()
    objection.save(update_fields=["answer", "upheld", "answered_by", "answered_at"])
    if upheld:
        Candidacy.objects.filter(pk=objection.candidacy_id).update(
            stage=Stage.WITHDRAWN, withdrawn_reason=answer.strip()
        )
    log_action(
        actor,
        "election.objection_answer",
        objection.election,
        changes={"about": objection.candidacy.member.name, "upheld": upheld},
    )
    return objection


# --- candidates ---------------------------------------------------------------------------------------


@transaction.atomic
def fix_candidates(*, actor, election: Election, deliberation_note: str = "") -> Election:
    """The members' deliberation fixes the list: notice over, every objection answered, margins met."""
    _check_status(election, "notice", "notice_over")
    check_no_issues(election)
    election.candidacies.filter(stage=Stage.PRE_CANDIDATE).update(stage=Stage.CANDIDATE)
    return move(
        election,
        "candidates",
        actor=actor,
        verb="election.candidates_fix",
        deliberation_note=deliberation_note,
    )


PAGE_FIELDS = ("cv", "record", "strengths", "weaknesses", "pledge")


@transaction.atomic
def update_candidate_page(*, actor, candidacy: Candidacy, **values) -> Candidacy:
    _check_status(candidacy.election, "notice", "notice_over", "candidates")
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


def _before_the_vote(candidacy: Candidacy) -> None:
    election = candidacy.election
    _check_status(election, "candidates", "meeting")
    if (
        election.status == "meeting"
        and ElectionPoll.objects.filter(
            election=election,
            purpose="election",
            poll__status__in=[s for s in PollStatus.values if s != "draft"],
        ).exists()
    ):
        raise ElectionError(_("Voting has begun: questions were taken before the vote."))
    if candidacy.stage != Stage.CANDIDATE:
        raise ElectionError(_("Questions are put to the candidates."))


@transaction.atomic
def ask_question(*, actor, candidacy: Candidacy, text: str) -> CandidateQuestion:
    _before_the_vote(candidacy)
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
    _before_the_vote(candidacy)
    if candidacy.member.user_id != getattr(actor, "pk", None):
        raise ElectionError(_("The candidate answers his own questions."))
    if not answer.strip():
        raise ElectionError(_("An answer needs a text."))
    question.answer, question.answered_at = answer.strip(), timezone.now()
    question.save(update_fields=["answer", "answered_at"])
    log_action(actor, "election.question_answer", candidacy.election, changes={"by": candidacy.member.name})
    return question


# --- three-way evaluation of the outgoing committee ---------------------------------------------------


def _tally(election: Election, source: str, rating: str) -> None:
    from ..models import Rating

    if rating not in Rating.values:
        raise ElectionError(_("Choose one of the ratings."))
    if election.status in ("draft", "requested", "cancelled"):
        raise ElectionError(_("The evaluation opens once the request is approved."))
    row, _created = EvaluationTally.objects.get_or_create(election=election, source=source, rating=rating)
    EvaluationTally.objects.filter(pk=row.pk).update(count=F("count") + 1)


@transaction.atomic
def evaluate_as_member(*, actor, election: Election, rating: str) -> None:
    member = getattr(actor, "member", None)
    if (
        member is None
        or not member.organisation.is_within(election.organisation)
        or member.category not in ("full", "probationary")
    ):
        raise ElectionError(_("Members of the branch rate the outgoing committee."))
    try:
        with transaction.atomic():
            EvaluationResponse.objects.create(election=election, user=actor)
    except IntegrityError as exc:
        raise ElectionError(_("You have already rated the outgoing committee.")) from exc
    _tally(election, "members", rating)


@transaction.atomic
def evaluate_by_invitation(*, invitation: Invitation, rating: str) -> None:
    source = {"evaluate_mass": "masses", "evaluate_employer": "employer"}.get(invitation.purpose)
    if source is None:
        raise ElectionError(_("This link is not valid."))
    _claim(invitation, invitation.purpose)
    _tally(invitation.election, source, rating)
