"""Who may see and do what in an election, and the reads of its pages — always scoped.

- The branch's managers (its committee, and the officers above, who manage the subtree) run the election.
- The higher committee — officers of an organisation above the branch — approves: the request, the
  qualification review, the pre-candidates, the result.
- Supervisors over the branch read everything; they change nothing.
- Members of the branch see the election, nominate, ask candidates, raise objections, rate, vote.
- Anyone else: 404. Anonymous visitors reach only a one-time invitation link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import Choice, Poll, PollStatus, SignaturePurpose
from branches.models import (
    PARTY_MEMBER_CATEGORIES,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Member,
    Organisation,
    OrganisationKind,
)
from branches.models.roles import rank_order
from branches.outbox import DisclosureDraft
from branches.rules import voting_rights_q
from branches.selectors import Scope, scope_for

from . import rules as prules
from .models import (
    Candidacy,
    Election,
    ElectionPoll,
    ElectionStatus,
    EvaluationSource,
    EvaluationTally,
    Post,
    Purpose,
    Rating,
    Stage,
)

_NOTHING = Q(pk__in=[])


def election_scope_q(user) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    q = _NOTHING
    for path in scope.read_paths:
        q |= Q(organisation__path__startswith=path)
    if scope.own_ancestor_paths:
        q |= Q(organisation__path__in=scope.own_ancestor_paths)
    return q


@dataclass(frozen=True)
class ElectionAccess:
    election: Election
    scope: Scope
    can_manage: bool
    can_approve: bool
    can_supervise: bool

    @property
    def member(self):
        m = self.scope.member
        if m is not None and m.organisation.is_within(self.election.organisation):
            return m
        return None

    @property
    def can_take_part(self) -> bool:
        """Nominate, ask, object, rate: a party member of the branch."""
        m = self.member
        return m is not None and m.category in PARTY_MEMBER_CATEGORIES


def _can_approve(scope: Scope, election: Election) -> bool:
    parent = election.organisation.parent
    return parent is not None and scope.can_manage(parent)


def get_election_for(
    request: HttpRequest, pk: int, *, manage: bool = False, approve: bool = False, take_part: bool = False
) -> ElectionAccess:
    scope = scope_for(request.user)
    election = (
        Election.objects.filter(pk=pk).select_related("organisation__parent", "election_meeting").first()
    )
    if election is None or not (
        scope.can_read_roster(election.organisation) or election.organisation.path in scope.own_ancestor_paths
    ):
        raise Http404
    access = ElectionAccess(
        election=election,
        scope=scope,
        can_manage=scope.can_manage(election.organisation),
        can_approve=_can_approve(scope, election),
        can_supervise=scope.can_supervise(election.organisation),
    )
    if manage and not access.can_manage:
        raise PermissionDenied
    if approve and not access.can_approve:
        raise PermissionDenied
    if take_part and not access.can_take_part:
        raise PermissionDenied
    return access


def get_candidacy_for(request: HttpRequest, pk: int, **permission: bool) -> tuple[Candidacy, ElectionAccess]:
    """The candidacy and the access to its election, checked as get_election_for checks (manage=True, …)."""
    election_id = Candidacy.objects.filter(pk=pk).values_list("election_id", flat=True).first()
    if election_id is None:
        raise Http404
    access = get_election_for(request, election_id, **permission)
    candidacy = Candidacy.objects.select_related("member__user", "election").get(pk=pk)
    candidacy.election = access.election
    return candidacy, access


def elections_for(user):
    """The list: one query, whatever its length (the organisation is joined)."""
    return (
        Election.objects.filter(election_scope_q(user))
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )


# --- facts and issues ---------------------------------------------------------------------------------


def managed_branches(user) -> list:
    """The branches whose elections the user may start (his own committee's, or those below an officer)."""
    scope = scope_for(user)
    if not scope.is_manager:
        return []
    q = Q() if scope.is_superuser else _NOTHING
    for path in scope.manage_paths:
        q |= Q(path__startswith=path)
    return list(Organisation.objects.filter(q, kind=OrganisationKind.BRANCH).order_by("path")[:50])


# --- the ballots of the election meeting ---------------------------------------------------------------


def roll_call(election: Election) -> tuple[int, int]:
    """(应到, 实到) of the election meeting: members with voting rights not excluded, and those signed in."""
    statuses = list(
        Attendance.objects.filter(voting_rights_q("member__"), meeting_id=election.election_meeting_id)
        .exclude(status=AttendanceStatus.EXCLUDED)
        .values_list("status", flat=True)
    )
    return len(statuses), statuses.count(AttendanceStatus.PRESENT)


COUNTED = (PollStatus.COUNTED, PollStatus.PUBLISHED)


def _round_facts(link: ElectionPoll) -> dict:
    """A round as `rules.post_progress()` reads it: its candidates, and once counted its votes and outcome."""
    poll = link.poll
    options = list(poll.options.all())
    option_members = {str(o.pk): o.member_id for o in options}
    result = getattr(poll, "result", None) if poll.status in COUNTED else None
    votes = {}
    outcome = {}
    if result is not None:
        totals = result.figures["total"]
        votes = {option_members[o]: row.get(Choice.FOR, 0) for o, row in totals["totals"].items()}
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
    """The election ballots of a post, round by round."""
    return list(
        election.election_polls.filter(purpose=Purpose.ELECTION, post=post)
        .select_related("poll__result")
        .prefetch_related("poll__options")
        .order_by("pk")
    )


def progress_of(
    election: Election, post: str, links: list[ElectionPoll] | None = None
) -> prules.PostProgress:
    """Where a post's ballots stand (`links`: its rounds, when the caller has them already)."""
    links = post_links(election, post) if links is None else links
    return prules.post_progress(election.seats_for(post), [_round_facts(link) for link in links])


def unsigned_polls(election: Election) -> int:
    """Counted ballots of the election that fewer than k scrutineers signed (one query)."""
    counts = (
        Poll.objects.filter(
            election_link__election=election,
            election_link__purpose=Purpose.ELECTION,
            status__in=COUNTED,
        )
        .annotate(signed=Count("signatures", filter=Q(signatures__purpose=SignaturePurpose.COUNT)))
        .values_list("signed", flat=True)
    )
    return sum(1 for signed in counts if signed < prules.rule_k())


ON_NOTICE = (ElectionStatus.NOTICE, ElectionStatus.NOTICE_OVER)


def election_facts(election: Election) -> prules.Facts:
    stage_counts: dict[tuple[str, str], int] = {}
    for row in election.candidacies.values("post", "stage").annotate(n=Count("pk")):
        stage_counts[(row["post"], row["stage"])] = row["n"]

    def count(post: str, *stages: str) -> int:
        return sum(stage_counts.get((post, s), 0) for s in stages)

    posts = election.posts
    after_review = (Stage.QUALIFIED, Stage.PRELIMINARY, Stage.PRE_CANDIDATE, Stage.CANDIDATE)
    status = election.status
    facts = {
        "status": status,
        "posts": posts,
        "seats": {p: election.seats_for(p) for p in posts},
        "post_labels": {p: str(Post(p).label) for p in posts},
        "has_higher": election.organisation.parent_id is not None,
        "request_text": bool(election.request_text.strip()),
        "procedure_text": bool(election.procedure.strip()),
    }
    if status == ElectionStatus.NOMINATION:
        facts["nominated"] = {p: sum(v for (pp, _s), v in stage_counts.items() if pp == p) for p in posts}
        if len(posts) > 1:
            on_committee = election.candidacies.filter(post=Post.COMMITTEE).values("member_id")
            facts["officers_off_committee"] = list(
                election.candidacies.exclude(post=Post.COMMITTEE)
                .exclude(member_id__in=on_committee)
                .order_by("member__name_pinyin")
                .values_list("member__name", flat=True)
                .distinct()
            )
    if status == ElectionStatus.REVIEW:
        facts["undecided"] = sum(count(p, Stage.NOMINATED) for p in posts)
        facts["qualified"] = {p: count(p, *after_review) for p in posts}
    if status == ElectionStatus.RECOMMENDATION:
        polls = list(
            election.election_polls.filter(purpose=Purpose.RECOMMENDATION).values_list(
                "poll__status", flat=True
            )
        )
        facts["recommendation_polls"] = len(polls)
        facts["recommendation_polls_pending"] = sum(1 for s in polls if s not in COUNTED)
    if status in (ElectionStatus.INSPECTION, *ON_NOTICE):
        facts["pre_candidates"] = {p: count(p, Stage.PRE_CANDIDATE) for p in posts}
        facts["pre_candidates_uninspected"] = (
            election.candidacies.filter(stage=Stage.PRE_CANDIDATE, inspection_note="").count()
            if status == ElectionStatus.INSPECTION
            else 0
        )
    if status in ON_NOTICE:
        facts["notice_published"] = (
            status == ElectionStatus.NOTICE_OVER or election.notice_starts_at is not None
        )
        facts["notice_over"] = status == ElectionStatus.NOTICE_OVER or (
            election.notice_ends_at is not None and election.notice_ends_at <= timezone.now()
        )
        facts["open_objections"] = election.objections.filter(answered_at__isnull=True).count()
    if status == ElectionStatus.CANDIDATES:
        facts["has_meeting"] = election.election_meeting_id is not None
        facts["reports_attached"] = bool(election.work_report.strip() and election.dues_report.strip())
    if status == ElectionStatus.MEETING:
        facts["quorum_confirmed"] = election.quorum_confirmed_at is not None
        facts["scrutineers"] = election.scrutineers.count()
        facts["rules_adopted"] = election.election_rules_votes_for is not None
        facts["progress"] = {p: progress_of(election, p) for p in posts}
        facts["unsigned_polls"] = unsigned_polls(election)
    if status == ElectionStatus.CONFIRMED:
        facts["officers_approved"] = election.confirmed_at is not None
    return prules.Facts(**facts)


def issues_for(election: Election) -> list[str]:
    issues = prules.blocking_issues(election.rules, election_facts(election))
    if election.status == ElectionStatus.INSPECTION and election.is_direct:
        committee = set(
            election.candidacies.filter(post=Post.COMMITTEE, stage=Stage.PRE_CANDIDATE).values_list(
                "member_id", flat=True
            )
        )
        for c in (
            election.candidacies.filter(stage=Stage.PRE_CANDIDATE)
            .exclude(post=Post.COMMITTEE)
            .select_related("member")
        ):
            if c.member_id not in committee:
                issues.append(
                    _("%(name)s stands for %(post)s and must also be a committee pre-candidate.")
                    % {"name": c.member.name, "post": c.get_post_display()}
                )
    return issues


# --- the timeline -------------------------------------------------------------------------------------

# Every status in the order of the procedure; a cancelled election leaves the path where it stood.
TIMELINE = [s.value for s in ElectionStatus if s != ElectionStatus.CANCELLED]


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    state: str  # done | current | todo
    issues: tuple[str, ...] = ()


def timeline(election: Election, issues: list[str]) -> list[Step]:
    """The whole path: what is done, the current step with what blocks the next, what is still to come."""
    current = election.status
    index = TIMELINE.index(current) if current in TIMELINE else len(TIMELINE)
    steps = []
    for i, status in enumerate(TIMELINE):
        state = "done" if i < index else "current" if i == index else "todo"
        if current == status == ElectionStatus.IN_OFFICE:
            state = "done"
        steps.append(
            Step(
                status, str(ElectionStatus(status).label), state, tuple(issues) if state == "current" else ()
            )
        )
    return steps


# Candidates and the elected listed in rank order: 书记, 副书记, then the committee members.
POST_RANKS = (Post.SECRETARY, Post.DEPUTY, Post.COMMITTEE)


def elected_in_rank_order(election: Election) -> list:
    """The elected committee as it is listed: 书记, 副书记, then the members by votes."""
    return list(
        election.elected.select_related("member").order_by(rank_order("post", POST_RANKS), "-votes", "pk")
    )


def candidates_for_page(election: Election):
    return (
        election.candidacies.all()
        .select_related("member")
        .annotate(nominations_count=Count("nominations", distinct=True))
        .order_by(rank_order("post", POST_RANKS), "rank", "member__name_pinyin", "pk")
    )


# --- the election page --------------------------------------------------------------------------------


def branch_members(election: Election) -> QuerySet[Member]:
    """The active members of the branch (and of its groups), by name: whom the forms of its steps name."""
    return Member.objects.filter(
        organisation__path__startswith=election.organisation.path, is_active=True
    ).order_by("name_pinyin", "pk")


def evaluation_table(election: Election) -> list[dict]:
    """The three-way evaluation as counts per source and rating; empty before anyone has rated."""
    rows = {(t.source, t.rating): t.count for t in EvaluationTally.objects.filter(election=election)}
    if not rows:
        return []
    return [
        {"source": label, "counts": [(r_label, rows.get((source, r), 0)) for r, r_label in Rating.choices]}
        for source, label in EvaluationSource.choices
    ]


def general_meetings(election: Election) -> QuerySet[Meeting]:
    """The branch's general meetings still to be held or under way (where the recommendation is held)."""
    return Meeting.objects.filter(
        organisation=election.organisation,
        kind=MeetingKind.GENERAL,
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS],
    ).order_by("starts_at")


def disclosure_drafts(election: Election) -> QuerySet[DisclosureDraft]:
    """What the election has offered to the disclosure boards, in the order offered."""
    return DisclosureDraft.objects.filter(object_id=str(election.pk), kind__startswith="election.").order_by(
        "created_at", "pk"
    )
