"""公推直选 from the election meeting to the committee in office: reports and observers, roll call and the
quorum gate, scrutineers and election rules adopted, ballots through the engine (first round, runoff among
the tied, 另行选举, repeat of a void round), seat reduction, the result sheet, filing, the higher committee's
approval, and only then the roles in branches.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import Poll, Signature
from ballots.services import add_option, add_scrutineer, create_poll, publish_poll
from branches import reminders
from branches.audit import log_action
from branches.models import Attendance, Member, Role, RoleKind
from branches.outbox import offer_disclosure
from branches.rules import voting_rights_q

from .. import rules as prules
from ..models import (
    ElectedMember,
    Election,
    ElectionPoll,
    ElectionScrutineer,
    Observer,
    ObserverKind,
    Post,
    Purpose,
    RoundKind,
    Stage,
)
from .errors import ElectionError
from .procedure import _check_status, check_no_issues, managers_of, move

COMMITTEE_DUTIES = (
    RoleKind.ORGANISATION,
    RoleKind.PROPAGANDA,
    RoleKind.DISCIPLINE,
    RoleKind.COMMITTEE_MEMBER,
)


# --- before the meeting -------------------------------------------------------------------------------


@transaction.atomic
def schedule_election_meeting(*, actor, election: Election, starts_at: dt.datetime, location: str = ""):
    from branches.services import BranchError, schedule_meeting

    _check_status(election, "notice_over", "candidates")
    if election.election_meeting_id:
        raise ElectionError(_("The election meeting is already scheduled."))
    try:
        meeting = schedule_meeting(
            actor=actor,
            organisation=election.organisation,
            kind="general",
            title=_("Election meeting: %(title)s") % {"title": election.title},
            agenda=_("Reports of the outgoing committee; election of the new committee."),
            starts_at=starts_at,
            location=location,
        )
    except BranchError as exc:
        raise ElectionError(str(exc)) from exc
    Election.objects.filter(pk=election.pk).update(election_meeting=meeting)
    election.election_meeting = meeting
    log_action(actor, "election.meeting_schedule", election, changes={"starts_at": [None, starts_at]})
    return meeting


@transaction.atomic
def attach_reports(*, actor, election: Election, work_report: str, dues_report: str) -> Election:
    _check_status(election, "notice", "notice_over", "candidates")
    election.work_report, election.dues_report = work_report.strip(), dues_report.strip()
    election.save(update_fields=["work_report", "dues_report"])
    log_action(
        actor,
        "election.reports",
        election,
        changes={"work_report": len(work_report), "dues_report": len(dues_report)},
    )
    return election


@transaction.atomic
def add_observer(*, actor, election: Election, name: str, kind: str) -> Observer:
    _check_status(election, "notice", "notice_over", "candidates", "meeting")
    if kind not in ObserverKind.values or not name.strip():
        raise ElectionError(_("Name the observer and what he represents."))
    observer = Observer.objects.create(election=election, name=name.strip(), kind=kind)
    log_action(actor, "election.observer", election, changes={"observer": name.strip(), "kind": kind})
    return observer


@transaction.atomic
def start_election_meeting(*, actor, election: Election) -> Election:
    from branches.services import start_meeting

    _check_status(election, "candidates")
    check_no_issues(election)
    meeting = election.election_meeting
    if meeting.status == "scheduled":
        start_meeting(actor=actor, meeting=meeting)
    return move(election, "meeting", actor=actor, verb="election.meeting_start")


# --- the meeting's gates ------------------------------------------------------------------------------


def roll_call(election: Election) -> tuple[int, int]:
    """(应到, 实到) of the election meeting: members with voting rights not excluded, and those signed in."""
    statuses = list(
        Attendance.objects.filter(voting_rights_q("member__"), meeting_id=election.election_meeting_id)
        .exclude(status="excluded")
        .values_list("status", flat=True)
    )
    return len(statuses), statuses.count("present")


@transaction.atomic
def confirm_quorum(*, actor, election: Election) -> Election:
    """The quorum gate: present electors > 4/5 of 应到 (≥ with the setting); nothing is voted before it."""
    _check_status(election, "meeting")
    expected, present = roll_call(election)
    problem = prules.quorum_problem(present, expected, election.rules)
    if problem:
        raise ElectionError(problem)
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(
        expected_electors=expected, present_electors=present, quorum_confirmed_at=now
    )
    election.expected_electors, election.present_electors, election.quorum_confirmed_at = (
        expected,
        present,
        now,
    )
    log_action(
        actor,
        "election.quorum",
        election,
        changes={
            "expected": expected,
            "present": present,
            "quorum": election.rules["election_quorum"],
            "inclusive": election.rules["election_quorum_inclusive"],
        },
    )
    return election


def _candidate_member_ids(election: Election) -> set[int]:
    return set(election.candidacies.filter(stage=Stage.CANDIDATE).values_list("member_id", flat=True))


def _check_adopted(election: Election, votes_for: int) -> None:
    if election.quorum_confirmed_at is None:
        raise ElectionError(_("The roll call has not confirmed the quorum."))
    if not prules.majority_of_present(votes_for, election.present_electors or 0):
        raise ElectionError(
            _("%(n)d of %(present)d electors agreed; more than half must agree.")
            % {"n": votes_for, "present": election.present_electors or 0}
        )


@transaction.atomic
def elect_scrutineers(*, actor, election: Election, members: list[Member], votes_for: int) -> list:
    """The meeting elects its scrutineers (监票人) from non-candidates on its roll."""
    _check_status(election, "meeting")
    election.refresh_from_db()
    _check_adopted(election, votes_for)
    if election.election_polls.filter(purpose=Purpose.ELECTION).exists():
        raise ElectionError(_("The scrutineers are elected before the first ballot."))
    if len(members) < prules.rule_k():
        raise ElectionError(_("At least %(k)d scrutineers are needed.") % {"k": prules.rule_k()})
    candidates = _candidate_member_ids(election)
    on_roll = set(
        Attendance.objects.filter(meeting_id=election.election_meeting_id).values_list("member_id", flat=True)
    )
    for m in members:
        if m.pk in candidates:
            raise ElectionError(_("%(name)s is a candidate and cannot be a scrutineer.") % {"name": m.name})
        if m.pk not in on_roll:
            raise ElectionError(_("%(name)s is not on the roll of this meeting.") % {"name": m.name})
    ElectionScrutineer.objects.filter(election=election).delete()
    rows = ElectionScrutineer.objects.bulk_create(
        ElectionScrutineer(election=election, member=m) for m in members
    )
    Election.objects.filter(pk=election.pk).update(scrutineers_votes_for=votes_for)
    log_action(
        actor,
        "election.scrutineers",
        election,
        changes={"scrutineers": [m.name for m in members], "votes_for": votes_for},
    )
    return rows


@transaction.atomic
def adopt_election_rules(*, actor, election: Election, text: str, votes_for: int) -> Election:
    _check_status(election, "meeting")
    election.refresh_from_db()
    _check_adopted(election, votes_for)
    if not text.strip():
        raise ElectionError(_("The election rules (选举办法) have no text."))
    election.election_rules_text, election.election_rules_votes_for = text.strip(), votes_for
    election.save(update_fields=["election_rules_text", "election_rules_votes_for"])
    log_action(actor, "election.rules_adopt", election, changes={"votes_for": votes_for})
    return election


# --- ballots ------------------------------------------------------------------------------------------


def _round_facts(link: ElectionPoll) -> dict:
    poll = link.poll
    options = list(poll.options.all())
    option_members = {str(o.pk): o.member_id for o in options}
    result = getattr(poll, "result", None) if poll.status in ("counted", "published") else None
    votes = {}
    outcome = {}
    if result is not None:
        totals = result.figures["total"]
        votes = {option_members[o]: row.get("for", 0) for o, row in totals["totals"].items()}
        votes.update({int(m): n for m, n in totals["write_ins"].items()})
        outcome = result.outcome
    return {
        "kind": link.round_kind,
        "seats": link.seats,
        "status": poll.status,
        "outcome": outcome,
        "votes": votes,
        "option_members": option_members,
        "candidates": [o.member_id for o in options],
    }


def post_links(election: Election, post: str) -> list[ElectionPoll]:
    return list(
        election.election_polls.filter(purpose=Purpose.ELECTION, post=post)
        .select_related("poll__result")
        .prefetch_related("poll__options")
        .order_by("pk")
    )


def progress_of(
    election: Election, post: str, links: list[ElectionPoll] | None = None
) -> prules.PostProgress:
    links = post_links(election, post) if links is None else links
    return prules.post_progress(election.seats_for(post), [_round_facts(link) for link in links])


def _ballot_candidates(election: Election, post: str) -> list[Member]:
    members = [
        c.member
        for c in election.candidacies.filter(post=post, stage=Stage.CANDIDATE).select_related("member")
    ]
    if post == Post.COMMITTEE:
        return members
    # 公推直选: 书记 and 副书记 are elected from the newly elected committee.
    committee = progress_of(election, Post.COMMITTEE)
    if not committee.done:
        raise ElectionError(_("The committee is elected first; then the secretary and the deputy."))
    allowed = set(committee.elected)
    if post == Post.DEPUTY:
        allowed -= set(progress_of(election, Post.SECRETARY).elected)
    return [m for m in members if m.pk in allowed]


def _new_poll(
    *, actor, election: Election, post: str, kind: str, seats: int, members: list[Member], write_ins: bool
) -> ElectionPoll:
    if len(members) < seats:
        raise ElectionError(
            _("%(n)d candidates for %(seats)d seats: there must be at least as many candidates as seats.")
            % {"n": len(members), "seats": seats}
        )
    round_no = election.election_polls.filter(purpose=Purpose.ELECTION, post=post).count() + 1
    title = _("Election of the %(post)s") % {"post": Post(post).label}
    if kind != RoundKind.FIRST:
        title = f"{title} · {RoundKind(kind).label}"
    poll = create_poll(
        actor=actor,
        meeting=election.election_meeting,
        title=title,
        kind="candidates",
        seats=seats,
        allow_write_in=write_ins,
        rule_preset="election",
        # The election's own rule values (recorded when it was requested), not today's settings.
        rule_overrides={
            "quorum": list(election.rules["election_quorum"]),
            "quorum_inclusive": bool(election.rules["election_quorum_inclusive"]),
            "threshold": list(election.rules["election_threshold"]),
        },
    )
    if round_no > 1:
        Poll.objects.filter(pk=poll.pk).update(round_no=round_no)
    for s in election.scrutineers.select_related("member"):
        add_scrutineer(actor=actor, poll=poll, member=s.member)
    for m in members:
        add_option(actor=actor, poll=poll, member=m)
    link = ElectionPoll.objects.create(
        election=election, poll=poll, post=post, purpose=Purpose.ELECTION, round_kind=kind, seats=seats
    )
    log_action(
        actor,
        "election.ballot",
        election,
        changes={"post": post, "round": kind, "seats": seats, "poll": poll.pk},
    )
    return link


def _check_meeting_ready(election: Election) -> None:
    _check_status(election, "meeting")
    election.refresh_from_db()
    if election.quorum_confirmed_at is None:
        raise ElectionError(_("The roll call has not confirmed the quorum."))
    if election.scrutineers.count() < prules.rule_k():
        raise ElectionError(_("The meeting has not elected its scrutineers."))
    if election.election_rules_votes_for is None:
        raise ElectionError(_("The meeting has not adopted the election rules (选举办法)."))


@transaction.atomic
def prepare_ballot(*, actor, election: Election, post: str) -> ElectionPoll:
    """The first ballot of a post: 赞成 / 不赞成 / 弃权 per candidate, write-ins (另选他人) allowed."""
    _check_meeting_ready(election)
    if post not in election.posts:
        raise ElectionError(_("This election does not fill that post by ballot."))
    if progress_of(election, post).next_step != "ballot":
        raise ElectionError(_("This post already has its ballot."))
    members = _ballot_candidates(election, post)
    return _new_poll(
        actor=actor,
        election=election,
        post=post,
        kind=RoundKind.FIRST,
        seats=election.seats_for(post),
        members=members,
        write_ins=True,
    )


@transaction.atomic
def start_runoff(*, actor, election: Election, post: str) -> ElectionPoll:
    """A tie at the cut-off: a runoff among the tied only, for the seats still open."""
    _check_meeting_ready(election)
    progress = progress_of(election, post)
    if progress.next_step != "runoff":
        raise ElectionError(_("There is no tie to resolve."))
    members = list(Member.objects.filter(pk__in=progress.tied).order_by("name_pinyin", "pk"))
    return _new_poll(
        actor=actor,
        election=election,
        post=post,
        kind=RoundKind.RUNOFF,
        seats=progress.open_seats,
        members=members,
        write_ins=False,
    )


@transaction.atomic
def start_further_round(*, actor, election: Election, post: str) -> ElectionPoll:
    """另行选举 for the open seats, among the candidates not elected."""
    _check_meeting_ready(election)
    progress = progress_of(election, post)
    if progress.next_step != "shortfall":
        raise ElectionError(_("No seat is open."))
    elected = set(progress.elected)
    members = [m for m in _ballot_candidates(election, post) if m.pk not in elected]
    return _new_poll(
        actor=actor,
        election=election,
        post=post,
        kind=RoundKind.FURTHER,
        seats=progress.open_seats,
        members=members,
        write_ins=True,
    )


@transaction.atomic
def repeat_round(*, actor, election: Election, post: str) -> ElectionPoll:
    """The last round was void (more ballots than voters): voting repeats with the same ballot."""
    _check_meeting_ready(election)
    links = post_links(election, post)
    if not links or links[-1].poll.status != "void":
        raise ElectionError(_("Only a void round is repeated."))
    last = links[-1]
    members = list(Member.objects.filter(pk__in=[o.member_id for o in last.poll.options.all()]))
    return _new_poll(
        actor=actor,
        election=election,
        post=post,
        kind=RoundKind.REPEAT,
        seats=last.seats,
        members=members,
        write_ins=last.poll.allow_write_in,
    )


@transaction.atomic
def reduce_seats(*, actor, election: Election, votes_for: int) -> Election:
    """Instead of 另行选举: fewer committee seats, agreed by > 1/2 of the electors present; never below 3."""
    _check_meeting_ready(election)
    progress = progress_of(election, Post.COMMITTEE)
    if progress.next_step != "shortfall":
        raise ElectionError(_("No seat is open."))
    problems = prules.seat_reduction_problems(
        election.rules,
        post=Post.COMMITTEE,
        elected=len(progress.elected),
        new_seats=len(progress.elected),
        votes_for=votes_for,
        present=election.present_electors or 0,
    )
    if problems:
        raise ElectionError(" ".join(problems))
    old = election.seats_for(Post.COMMITTEE)
    election.committee_seats_final, election.reduction_votes_for = len(progress.elected), votes_for
    election.save(update_fields=["committee_seats_final", "reduction_votes_for"])
    log_action(
        actor,
        "election.seats_reduce",
        election,
        changes={"seats": [old, election.committee_seats_final], "votes_for": votes_for},
    )
    return election


# --- result, filing, approval, office -----------------------------------------------------------------


def unsigned_polls(election: Election) -> int:
    """Counted ballots of the election that fewer than k scrutineers signed (one query)."""
    counts = (
        Poll.objects.filter(
            election_link__election=election,
            election_link__purpose=Purpose.ELECTION,
            status__in=["counted", "published"],
        )
        .annotate(signed=Count("signatures", filter=Q(signatures__purpose="count")))
        .values_list("signed", flat=True)
    )
    return sum(1 for signed in counts if signed < prules.rule_k())


@transaction.atomic
def announce_results(
    *, actor, election: Election, secretary: Member | None = None, deputy: Member | None = None
) -> Election:
    """Every post settled and every count signed: the result sheet is written and announced on the spot."""
    from branches.services import close_meeting

    _check_status(election, "meeting")
    check_no_issues(election)
    election.refresh_from_db()
    posts, rows = {}, []
    for post in election.posts:
        links = post_links(election, post)
        progress = progress_of(election, post, links)
        posts[post] = {
            "seats": election.seats_for(post),
            "elected": progress.elected,
            "rounds": [
                {
                    "poll": link.poll_id,
                    "kind": link.round_kind,
                    "seats": link.seats,
                    "status": link.poll.status,
                    "expected": link.poll.result.expected if hasattr(link.poll, "result") else None,
                    "present": link.poll.result.present if hasattr(link.poll, "result") else None,
                    "rules": link.poll.rules,
                    "signed_by": list(
                        Signature.objects.filter(poll_id=link.poll_id, purpose="count").values_list(
                            "scrutineer__member__name", flat=True
                        )
                    ),
                }
                for link in links
            ],
        }
        rows += [(post, m, progress.votes.get(m, 0)) for m in progress.elected]
    if not election.is_direct:
        committee = {m for post, m, _v in rows if post == Post.COMMITTEE}
        if secretary is None or secretary.pk not in committee:
            raise ElectionError(_("The new committee names its secretary from among its members."))
        rows.append((Post.SECRETARY.value, secretary.pk, 0))
        if deputy is not None:
            if deputy.pk not in committee or deputy.pk == secretary.pk:
                raise ElectionError(_("The deputy secretary is another member of the new committee."))
            rows.append((Post.DEPUTY.value, deputy.pk, 0))
    ElectedMember.objects.bulk_create(
        ElectedMember(election=election, member_id=m, post=post, votes=v) for post, m, v in rows
    )
    names = dict(Member.objects.filter(pk__in=[m for _p, m, _v in rows]).values_list("pk", "name"))
    sheet = {
        "rules": election.rules,
        "expected": election.expected_electors,
        "present": election.present_electors,
        "seats_reduced_to": election.committee_seats_final,
        "reduction_votes_for": election.reduction_votes_for,
        "posts": posts,
        "elected": [{"post": p, "member": m, "name": names[m], "votes": v} for p, m, v in rows],
    }
    for link in election.election_polls.filter(poll__status="counted").select_related("poll"):
        publish_poll(actor=actor, poll=link.poll)
    meeting = election.election_meeting
    if meeting.status == "in_progress":
        close_meeting(actor=actor, meeting=meeting)
    move(
        election,
        "counted",
        actor=actor,
        verb="election.announce",
        result_sheet=sheet,
        announced_at=timezone.now(),
    )
    lines = [f"{_(str(Post(p).label))}：{names[m]}（{v}）" for p, m, v in rows]
    offer_disclosure(
        organisation=election.organisation,
        kind="election.results",
        title=_("%(title)s: results") % {"title": election.title},
        body="\n".join(lines),
        source=election,
        catalogue_key="election.results",
    )
    return election


@transaction.atomic
def set_duty(*, actor, election: Election, member: Member, duty: str) -> ElectedMember:
    """The new committee's division of work (组织委员, 宣传委员, 纪检委员) before it takes office."""
    _check_status(election, "counted", "filed", "confirmed")
    if duty not in COMMITTEE_DUTIES:
        raise ElectionError(_("Unknown duty."))
    row = ElectedMember.objects.filter(election=election, member=member, post=Post.COMMITTEE).first()
    if row is None:
        raise ElectionError(_("%(name)s was not elected to the committee.") % {"name": member.name})
    row.duty = duty
    row.save(update_fields=["duty"])
    log_action(actor, "election.duty", election, changes={"member": member.name, "duty": duty})
    return row


@transaction.atomic
def file_results(*, actor, election: Election) -> Election:
    """备案: the committee members are filed with the higher committee, which approves 书记 and 副书记."""
    return move(election, "filed", actor=actor, verb="election.file", filed_at=timezone.now())


@transaction.atomic
def confirm_results(*, actor, election: Election, comment: str = "") -> Election:
    return move(
        election,
        "confirmed",
        actor=actor,
        verb="election.confirm",
        confirmed_at=timezone.now(),
        confirmed_by=actor,
        higher_comment=comment,
    )


@transaction.atomic
def take_office(*, actor, election: Election, starts_on: dt.date | None = None) -> Election:
    """After the higher committee's approval only: the old roles end, the new begin, the new term starts
    with its end-of-term reminder."""
    from branches.models import COMMITTEE_ROLES
    from branches.services import assign_role, end_role, start_term

    _check_status(election, "confirmed")
    if election.confirmed_at is None:
        raise ElectionError(_("The secretary has not been approved by the higher committee."))
    org = election.organisation
    starts_on = starts_on or timezone.localdate()
    day_before = starts_on - dt.timedelta(days=1)
    for role in Role.objects.current(starts_on).filter(organisation=org, kind__in=COMMITTEE_ROLES):
        end_role(actor=actor, role=role, ends_on=max(role.starts_on, day_before))
    elected = list(ElectedMember.objects.filter(election=election).select_related("member"))
    officers = {row.member_id for row in elected if row.post != Post.COMMITTEE}
    for row in elected:
        if row.post == Post.SECRETARY:
            kind = RoleKind.SECRETARY
        elif row.post == Post.DEPUTY:
            kind = RoleKind.DEPUTY_SECRETARY
        elif row.member_id in officers:
            continue  # the secretary's committee seat is his secretary role
        else:
            kind = row.duty or RoleKind.COMMITTEE_MEMBER
        assign_role(actor=actor, member=row.member, organisation=org, kind=kind, starts_on=starts_on)
    term = start_term(actor=actor, organisation=org, starts_on=starts_on)
    move(election, "in_office", actor=actor, verb="election.take_office", term=term)
    reminders.schedule(
        kind="term.end",
        obj=term,
        due_at=reminders.at_reminder_hour(term.reminder_due_on),
        recipients=managers_of(org),
        subject=_("The committee's term ends on %(date)s: prepare the next election")
        % {"date": term.ends_on.isoformat()},
        url=reverse("branches:organisation", args=[org.pk]),
        organisation=org,
    )
    return election


__all__ = [
    "add_observer",
    "adopt_election_rules",
    "announce_results",
    "attach_reports",
    "confirm_quorum",
    "confirm_results",
    "elect_scrutineers",
    "file_results",
    "prepare_ballot",
    "reduce_seats",
    "repeat_round",
    "schedule_election_meeting",
    "set_duty",
    "start_election_meeting",
    "start_further_round",
    "start_runoff",
    "take_office",
]
