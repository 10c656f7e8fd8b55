"""Who may see and do what with a poll, and the reads of the pages — always scoped.

- Organisers are the managers of the meeting's organisation (branches scope): they prepare, run and count
  polls, and they alone see who has not voted yet.
- Members of the meeting see its polls, vote, and see their own has-voted status; results and the list of
  trackers once published.
- Supervisors read results once published, never who voted how (named votes included).
An object a user may not see answers 404; a visible one he may not change, 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from branches.models import Attendance, Member
from branches.selectors import Scope, scope_for

from . import ballotbox, rules
from .models import Ballot, Channel, HasVoted, Poll, PollStatus, RollEntry

_NOTHING = Q(pk__in=[])


def poll_scope_q(user) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    q = _NOTHING
    for path in scope.read_paths:
        q |= Q(organisation__path__startswith=path)
    if scope.member is not None:
        q |= Q(meeting__in=Attendance.objects.filter(member=scope.member).values("meeting_id"))
    # A draft is still being prepared: only its organisers see it.
    managed = _NOTHING
    for path in scope.manage_paths:
        managed |= Q(organisation__path__startswith=path)
    return (q & ~Q(status=PollStatus.DRAFT)) | managed


@dataclass(frozen=True)
class PollAccess:
    poll: Poll
    scope: Scope
    can_manage: bool
    can_supervise: bool

    @property
    def results_visible(self) -> bool:
        if self.poll.status == PollStatus.PUBLISHED:
            return True
        return (
            self.can_manage
            and self.poll.status in (PollStatus.COUNTED, PollStatus.VOID)
            and hasattr(self.poll, "result")
        )

    @property
    def named_votes_visible(self) -> bool:
        """Named votes: organisers after the count, members after publication; supervisors never."""
        if self.poll.is_secret or not self.results_visible:
            return False
        return self.can_manage or (self.scope.member is not None and not self.can_supervise)


def get_poll_for(request: HttpRequest, pk: int, *, manage: bool = False) -> PollAccess:
    scope = scope_for(request.user)
    poll = Poll.objects.filter(pk=pk).select_related("meeting", "organisation", "result").first()
    # The same rule as poll_scope_q(), checked on the one poll (the list pages use the Q).
    if poll is None or not (
        scope.can_read_roster(poll.organisation)
        or (
            scope.member is not None
            and Attendance.objects.filter(meeting_id=poll.meeting_id, member=scope.member).exists()
        )
    ):
        raise Http404
    access = PollAccess(
        poll=poll,
        scope=scope,
        can_manage=scope.can_manage(poll.organisation),
        can_supervise=scope.can_supervise(poll.organisation),
    )
    if poll.status == PollStatus.DRAFT and not access.can_manage:
        raise Http404  # a draft is still being prepared: only its organisers see it
    if manage and not access.can_manage:
        raise PermissionDenied
    return access


def polls_for(user):
    return (
        Poll.objects.visible_to(user)
        .select_related("meeting", "organisation")
        .order_by("-meeting__starts_at", "-created_at", "-pk")
    )


def managed_meetings(user) -> list:
    """Meetings scheduled or under way in which the user may prepare polls."""
    from branches.models import Meeting

    scope = scope_for(user)
    if not scope.is_manager:
        return []
    q = Q() if scope.is_superuser else _NOTHING
    for path in scope.manage_paths:
        q |= Q(organisation__path__startswith=path)
    return list(
        Meeting.objects.filter(q, status__in=["scheduled", "in_progress"])
        .select_related("organisation")
        .order_by("starts_at")[:20]
    )


@dataclass(frozen=True)
class Turnout:
    expected: int
    present: int
    voted: int
    online: int
    paper: int


def turnout(poll: Poll) -> Turnout:
    """Numbers only; who is missing is `missing_voters()`, for organisers."""
    voted = list(HasVoted.objects.filter(poll_id=poll.pk).values_list("channel", flat=True))
    if poll.status == PollStatus.DRAFT:
        from .rules import roll_preview

        preview = roll_preview(poll)
        expected, present = preview.expected, preview.present
    else:
        expected = poll.expected_count or 0
        roll = RollEntry.objects.filter(poll_id=poll.pk).values("member_id")
        present = Attendance.objects.filter(
            meeting_id=poll.meeting_id, member_id__in=roll, status="present"
        ).count()
    return Turnout(
        expected=expected,
        present=present,
        voted=len(voted),
        online=voted.count(Channel.ONLINE),
        paper=voted.count(Channel.PAPER),
    )


def desk_rows(poll: Poll) -> list[dict]:
    """The paper desk's list (organisers only): each roll member, present or not, and how he voted — the
    channel, never the content."""
    channels = dict(HasVoted.objects.filter(poll_id=poll.pk).values_list("member_id", "channel"))
    present = set(
        Attendance.objects.filter(meeting_id=poll.meeting_id, status="present").values_list(
            "member_id", flat=True
        )
    )
    members = Member.objects.filter(
        pk__in=RollEntry.objects.filter(poll_id=poll.pk).values("member_id")
    ).order_by("name_pinyin", "pk")
    return [{"member": m, "present": m.pk in present, "channel": channels.get(m.pk)} for m in members]


@dataclass(frozen=True)
class VoterStatus:
    on_roll: bool
    present: bool
    voted_channel: str | None


def voter_status(poll: Poll, member: Member | None) -> VoterStatus:
    if member is None:
        return VoterStatus(False, False, None)
    on_roll = RollEntry.objects.filter(poll_id=poll.pk, member_id=member.pk).exists()
    if poll.status == PollStatus.DRAFT:
        from branches.rules import has_voting_rights

        on_roll = (
            has_voting_rights(member)
            and Attendance.objects.filter(meeting_id=poll.meeting_id, member=member)
            .exclude(status="excluded")
            .exists()
        )
    present = Attendance.objects.filter(meeting_id=poll.meeting_id, member=member, status="present").exists()
    channel = (
        HasVoted.objects.filter(poll_id=poll.pk, member_id=member.pk)
        .values_list("channel", flat=True)
        .first()
    )
    return VoterStatus(on_roll=on_roll, present=present, voted_channel=channel)


def trackers(poll: Poll, search: str = "") -> list[str]:
    """The published list of trackers, in hash order (which says nothing about time)."""
    qs = Ballot.objects.filter(poll_id=poll.pk).order_by("tracker")
    search = search.replace("-", "").strip().lower()
    if search:
        qs = qs.filter(tracker__startswith=search[:64])
    return [ballotbox.short_tracker(t) for t in qs.values_list("tracker", flat=True)]


def result_rows(poll: Poll) -> dict:
    """The result table: per option (and written-in person) the counts per channel, and the outcome."""
    result = poll.result
    figures = result.figures
    options = list(poll.options.select_related("member").order_by("position", "pk"))
    outcome = result.outcome
    elected = set(outcome.get("elected", []))
    tied = set(outcome.get("tied", []))
    rows = []
    for option in options:
        key = str(option.pk)
        row = {
            "label": option.label,
            "online": figures["online"]["totals"].get(key, {}),
            "paper": figures["paper"]["totals"].get(key, {}),
            "total": figures["total"]["totals"].get(key, {}),
            "elected": f"o{key}" in elected,
            "tied": f"o{key}" in tied,
        }
        if poll.kind == "motion":
            row["passed"] = outcome["options"].get(key, {}).get("passed")
        if poll.kind == "rating":
            row["shares"] = outcome["options"].get(key, {}).get("shares", {})
        rows.append(row)
    write_in_ids = [int(m) for m in figures["total"]["write_ins"]]
    names = dict(Member.objects.filter(pk__in=write_in_ids).values_list("pk", "name"))
    for member_id, n in figures["total"]["write_ins"].items():
        rows.append(
            {
                "label": names.get(int(member_id), "?"),
                "write_in": True,
                "online": {"for": figures["online"]["write_ins"].get(member_id, 0)},
                "paper": {"for": figures["paper"]["write_ins"].get(member_id, 0)},
                "total": {"for": n},
                "elected": f"m{member_id}" in elected,
                "tied": f"m{member_id}" in tied,
            }
        )
    labels = {str(o.pk): o.label for o in options} | {f"o{o.pk}": o.label for o in options}
    labels |= {f"m{m}": names.get(int(m), "?") for m in figures["total"]["write_ins"]}
    labels |= {f"choice:{value}": str(label) for value, label in poll.choice_labels}
    return {
        "rows": rows,
        "figures": figures,
        "outcome": outcome,
        "result": result,
        "void_write_ins": figures["total"].get("void_write_ins", 0),
        "sentences": rules.result_sentences(
            kind=poll.kind,
            seats=poll.seats,
            rules=result.rules,
            outcome=outcome,
            figures=figures,
            labels=labels,
            void_required=result.void_required,
        ),
    }


def chart_data(poll: Poll, table: dict) -> dict:
    choices = [value for value, _label in poll.choice_labels]
    return {
        "labels": [row["label"] for row in table["rows"]],
        "datasets": [
            {"label": str(label), "data": [row["total"].get(value, 0) for row in table["rows"]]}
            for value, label in poll.choice_labels
            if any(row["total"].get(value, 0) for row in table["rows"]) or value == choices[0]
        ],
    }
