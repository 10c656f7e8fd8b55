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
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.selectors import Scope, scope_for

from . import rules as prules
from .models import Candidacy, Election, ElectionStatus, Post, Purpose, Stage

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
        return m is not None and m.category in ("full", "probationary")


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
    from branches.models import Organisation

    scope = scope_for(user)
    if not scope.is_manager:
        return []
    q = Q() if scope.is_superuser else _NOTHING
    for path in scope.manage_paths:
        q |= Q(path__startswith=path)
    return list(Organisation.objects.filter(q, kind="branch").order_by("path")[:50])


def election_facts(election: Election) -> prules.Facts:
    from .services.procedure_meeting import progress_of, unsigned_polls

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
    if status == "nomination":
        facts["nominated"] = {p: sum(v for (pp, _s), v in stage_counts.items() if pp == p) for p in posts}
    if status == "review":
        facts["undecided"] = sum(count(p, Stage.NOMINATED) for p in posts)
        facts["qualified"] = {p: count(p, *after_review) for p in posts}
    if status == "recommendation":
        polls = list(
            election.election_polls.filter(purpose=Purpose.RECOMMENDATION).values_list(
                "poll__status", flat=True
            )
        )
        facts["recommendation_polls"] = len(polls)
        facts["recommendation_polls_pending"] = sum(1 for s in polls if s not in ("counted", "published"))
    if status in ("inspection", "notice", "notice_over"):
        facts["pre_candidates"] = {p: count(p, Stage.PRE_CANDIDATE) for p in posts}
        facts["pre_candidates_uninspected"] = (
            election.candidacies.filter(stage=Stage.PRE_CANDIDATE, inspection_note="").count()
            if status == "inspection"
            else 0
        )
    if status in ("notice", "notice_over"):
        facts["notice_over"] = status == "notice_over" or (
            election.notice_ends_at is not None and election.notice_ends_at <= timezone.now()
        )
        facts["open_objections"] = election.objections.filter(answered_at__isnull=True).count()
    if status == "candidates":
        facts["has_meeting"] = election.election_meeting_id is not None
        facts["reports_attached"] = bool(election.work_report.strip() and election.dues_report.strip())
    if status == "meeting":
        facts["quorum_confirmed"] = election.quorum_confirmed_at is not None
        facts["scrutineers"] = election.scrutineers.count()
        facts["rules_adopted"] = election.election_rules_votes_for is not None
        facts["progress"] = {p: progress_of(election, p) for p in posts}
        facts["unsigned_polls"] = unsigned_polls(election)
    if status == "confirmed":
        facts["officers_approved"] = election.confirmed_at is not None
    return prules.Facts(**facts)


def issues_for(election: Election) -> list[str]:
    issues = prules.blocking_issues(election.rules, election_facts(election))
    if election.status == "inspection" and election.is_direct:
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

TIMELINE = [
    "draft",
    "requested",
    "approved",
    "nomination",
    "review",
    "recommendation",
    "inspection",
    "pre_approval",
    "notice",
    "notice_over",
    "candidates",
    "meeting",
    "counted",
    "filed",
    "confirmed",
    "in_office",
]


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
        if current == "in_office" and status == "in_office":
            state = "done"
        steps.append(
            Step(
                status, str(ElectionStatus(status).label), state, tuple(issues) if state == "current" else ()
            )
        )
    return steps


def candidates_for_page(election: Election):
    return (
        election.candidacies.all()
        .select_related("member")
        .annotate(nominations_count=Count("nominations", distinct=True))
        .order_by("post", "rank", "member__name_pinyin", "pk")
    )
