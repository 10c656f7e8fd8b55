"""The organisation app's part of the work queue (branches.workqueue): meetings to sign in to, minutes to
write, exclusions from 应到 waiting for the higher committee's consent. One query per part that applies."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attendance, Meeting
from .workqueue import (
    MEMBER,
    NOW,
    OFFICER,
    SECRETARY,
    WAITING,
    WorkItem,
    committee_paths,
    officer_paths,
    paths_q,
    register,
)

MINUTES_LOOKBACK = dt.timedelta(days=90)


@register
def meeting_work(user, scope) -> list[WorkItem]:
    items: list[WorkItem] = []
    if scope.member is not None:
        for meeting in Meeting.objects.filter(
            status="in_progress", attendances__member=scope.member, attendances__status="expected"
        ).order_by("starts_at", "pk"):
            items.append(
                WorkItem(
                    MEMBER,
                    _("Sign in"),
                    meeting.title,
                    reverse("branches:meeting", args=[meeting.pk]),
                    urgency=NOW,
                )
            )
    paths = committee_paths(scope)
    if paths:
        for meeting in Meeting.objects.filter(
            paths_q(paths, "organisation__path"),
            status="closed",
            minutes="",
            starts_at__gte=timezone.now() - MINUTES_LOOKBACK,
        ).order_by("starts_at", "pk"):
            items.append(
                WorkItem(
                    SECRETARY,
                    _("Write the minutes"),
                    meeting.title,
                    reverse("branches:meeting", args=[meeting.pk]),
                )
            )
    paths = officer_paths(scope)
    if paths:
        rows = (
            Attendance.objects.filter(
                paths_q(paths, "meeting__organisation__parent__path"),
                meeting__status__in=["scheduled", "in_progress"],
                exclusion_consented_by__isnull=True,
            )
            .exclude(exclusion_reason="")
            .exclude(status="excluded")
            .select_related("meeting__organisation", "member")
            .order_by("meeting__starts_at", "pk")
        )
        for row in rows:
            items.append(
                WorkItem(
                    OFFICER,
                    _("Consent to an exclusion"),
                    f"{row.meeting.organisation.name} · {row.meeting.title} · {row.member.name}",
                    reverse("branches:meeting", args=[row.meeting_id]),
                    deadline=row.meeting.starts_at,
                    urgency=WAITING,
                )
            )
    return items
