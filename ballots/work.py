"""The ballot engine's part of the work queue (branches.workqueue): 请投票 for every open poll whose roll
holds the member, at a meeting he is signed in to, that he has not voted in — one query."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Attendance
from branches.workqueue import MEMBER, NOW, WorkItem, register

from .models import HasVoted, Poll, PollStatus, RollEntry


@register
def ballots_to_cast(user, scope) -> list[WorkItem]:
    member = scope.member
    if member is None:
        return []
    polls = (
        Poll.objects.filter(status=PollStatus.OPEN)
        .filter(Exists(RollEntry.objects.filter(poll=OuterRef("pk"), member=member)))
        .filter(
            Exists(Attendance.objects.filter(meeting=OuterRef("meeting_id"), member=member, status="present"))
        )
        .exclude(Exists(HasVoted.objects.filter(poll=OuterRef("pk"), member=member)))
        .select_related("meeting")
        .order_by("pk")
    )
    return [
        WorkItem(
            MEMBER,
            _("Please vote"),
            f"{poll.meeting.title} · {poll.title}",
            reverse("ballots:vote", args=[poll.pk]),
            urgency=NOW,
        )
        for poll in polls
    ]
