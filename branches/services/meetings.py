"""Writes on meetings: scheduling with the notice, the life cycle, minutes, requests to sit in."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import reminders, rules, states
from ..audit import log_action
from ..models import (
    COMMITTEE_ROLES,
    PARTY_MEMBER_CATEGORIES,
    Attendance,
    Channel,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Member,
    Organisation,
    Role,
    SitInRequest,
    SitInStatus,
    generate_checkin_token,
)
from ..notifications import notify
from .errors import BranchError

# The meeting notice, as a reminder kind (branches.reminders). Its text is in the site's language: the notice
# goes to everyone, whatever the language of the secretary who scheduled the meeting.
MEETING_NOTICE = "meeting.notice"


def expected_members(org: Organisation, kind: str):
    """Who is expected: the committee for a 支委会, the group for a 党小组会, every party member otherwise."""
    members = Member.objects.filter(is_active=True, category__in=PARTY_MEMBER_CATEGORIES)
    if kind == MeetingKind.COMMITTEE:
        ids = Role.objects.current().filter(organisation=org, kind__in=COMMITTEE_ROLES).values("member_id")
        return members.filter(pk__in=ids)
    if org.kind == "group":
        return members.filter(group=org)
    return members.filter(organisation__path__startswith=org.path)


@transaction.atomic
def schedule_meeting(
    *,
    actor,
    organisation: Organisation,
    kind: str,
    title: str,
    agenda: str,
    starts_at: dt.datetime,
    location: str = "",
    is_open: bool = False,
) -> Meeting:
    now = timezone.now()
    if starts_at <= now:
        raise BranchError(_("A meeting is scheduled in the future."))
    meeting = Meeting.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        agenda=agenda,
        starts_at=starts_at,
        location=location,
        is_open=is_open,
        checkin_token=generate_checkin_token(),
        created_by=actor,
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=m) for m in expected_members(organisation, kind)
    )
    plan_meeting_notice(meeting)
    log_action(
        actor,
        "meeting.schedule",
        meeting,
        changes={"title": [None, title], "starts_at": [None, starts_at], "is_open": [None, is_open]},
    )
    return meeting


def plan_meeting_notice(meeting: Meeting) -> None:
    """The notice to every expected member, e-mail and SMS, `meeting_notice_days_before` (rule) the
    meeting, or at once when it is nearer; its e-mail never waits for the daily digest. Called where a
    meeting is scheduled or moved: replaces a pending notice (a meeting moved after its notice went out
    is noticed again, for the new time); a meeting no longer scheduled gets none."""
    reminders.cancel(meeting, kinds=[MEETING_NOTICE])
    if meeting.status != MeetingStatus.SCHEDULED:
        return
    local = timezone.localtime(meeting.starts_at)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Meeting notice: %(title)s, %(when)s") % {
            "title": meeting.title,
            "when": local.strftime("%Y-%m-%d %H:%M"),
        }
    reminders.schedule(
        kind=MEETING_NOTICE,
        obj=meeting,
        due_at=max(rules.meeting_notice_due(meeting.starts_at), timezone.now()),
        recipients=meeting_notice_recipients(meeting),
        subject=subject,
        body=f"{meeting.location}\n\n{meeting.agenda}",
        url=reverse("branches:meeting", args=[meeting.pk]),
        channels=(Channel.EMAIL, Channel.SMS),
        digest=False,
        organisation=meeting.organisation,
    )


@reminders.recipients_when_due(MEETING_NOTICE)
def meeting_notice_recipients(meeting: Meeting) -> list:
    """The users of the members on the roll when the notice falls due; nobody once the meeting has begun
    or was cancelled (their services also cancel the pending notice)."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return []
    return [a.member.user for a in meeting.attendances.select_related("member__user") if a.member.user_id]


def refresh_roll(meeting: Meeting) -> None:
    """应到 follows the roll until the meeting starts: members who joined since it was scheduled (a roster
    import, a transfer in) are added; rows of members no longer expected that nobody marked are dropped."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return
    wanted = set(expected_members(meeting.organisation, meeting.kind).values_list("pk", flat=True))
    rows = dict(meeting.attendances.values_list("member_id", "status"))
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk) for pk in sorted(wanted - rows.keys())],
        ignore_conflicts=True,
    )
    gone = [pk for pk, status in rows.items() if pk not in wanted and status == "expected"]
    if gone:
        meeting.attendances.filter(member_id__in=gone, status="expected", exclusion_reason="").delete()


def refresh_rolls_below(organisations: list[Organisation]) -> None:
    """Bring up to date the roll of every meeting not yet started whose organisation holds one of these
    (after a roster import: the new members are expected at the meetings already scheduled)."""
    # The organisations above a materialised path are its prefixes ("000001/", "000001/000004/").
    ancestors = set()
    for org in organisations:
        parts = org.path.strip("/").split("/")
        ancestors |= {"/".join(parts[: i + 1]) + "/" for i in range(len(parts))}
    scheduled = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, organisation__path__in=ancestors)
    for meeting in scheduled.select_related("organisation"):
        refresh_roll(meeting)


@transaction.atomic
def start_meeting(*, actor, meeting: Meeting, urgent_reason: str = "") -> Meeting:
    """Begin the meeting, on its scheduled day; earlier only as an urgent meeting with its reason
    recorded (shown on the minutes and on every vote held in it). The roll is brought up to date first."""
    now = timezone.now()
    urgent_reason = urgent_reason.strip()
    if rules.starts_early(meeting, now):
        if not urgent_reason:
            raise BranchError(
                _(
                    "This meeting is scheduled for %(day)s. To start it earlier, record why it is urgent "
                    "(an urgent meeting)."
                )
                % {"day": timezone.localdate(meeting.starts_at).strftime("%Y-%m-%d")}
            )
    else:
        urgent_reason = ""
    refresh_roll(meeting)
    meeting = states.transition(
        meeting,
        states.MEETING,
        "in_progress",
        actor=actor,
        verb="meeting.start",
        started_at=now,
        urgent_reason=urgent_reason,
    )
    if urgent_reason:
        log_action(actor, "meeting.urgent_start", meeting, changes={"urgent_reason": [None, urgent_reason]})
    reminders.cancel(meeting, kinds=[MEETING_NOTICE])
    return meeting


@transaction.atomic
def declare_online(*, actor, meeting: Meeting, presence_rule: str) -> Meeting:
    """The secretary declares the meeting online, where the rules allow one, with the rule by which a
    member counts as present (recorded on the minutes)."""
    presence_rule = presence_rule.strip()
    if not rules.online_meeting_allowed(meeting):
        raise BranchError(_("A meeting of this kind cannot be held online."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise BranchError(_("Only a scheduled meeting can be declared online."))
    if not presence_rule:
        raise BranchError(_("State how presence is established at the online meeting."))
    changes = {"is_online": [meeting.is_online, True], "presence_rule": [None, presence_rule]}
    meeting.is_online = True
    meeting.online_presence_rule = presence_rule
    meeting.save(update_fields=["is_online", "online_presence_rule"])
    log_action(actor, "meeting.declare_online", meeting, changes=changes)
    return meeting


def close_meeting(*, actor, meeting: Meeting) -> Meeting:
    return states.transition(meeting, states.MEETING, "closed", actor=actor, verb="meeting.close")


@transaction.atomic
def cancel_meeting(*, actor, meeting: Meeting) -> Meeting:
    meeting = states.transition(meeting, states.MEETING, "cancelled", actor=actor, verb="meeting.cancel")
    reminders.cancel(meeting, kinds=[MEETING_NOTICE])
    return meeting


@transaction.atomic
def record_minutes(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    if meeting.status == "cancelled":
        raise BranchError(_("A cancelled meeting has no minutes."))
    changes = {"minutes": [len(meeting.minutes), len(minutes)]}
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    log_action(actor, "meeting.minutes", meeting, changes=changes)
    return meeting


@transaction.atomic
def request_sit_in(*, user, meeting: Meeting, reason: str = "") -> SitInRequest:
    if not meeting.is_open:
        raise BranchError(_("Only open meetings take requests to sit in."))
    if meeting.status not in ("scheduled", "in_progress"):
        raise BranchError(_("This meeting no longer takes requests to sit in."))
    request, created = SitInRequest.objects.get_or_create(
        meeting=meeting, applicant=user, defaults={"reason": reason}
    )
    if created:
        log_action(user, "meeting.sit_in_request", meeting, changes={"applicant": user.display_name})
    return request


@transaction.atomic
def decide_sit_in(*, actor, sit_in: SitInRequest, approve: bool) -> SitInRequest:
    if sit_in.status != SitInStatus.PENDING:
        raise BranchError(_("This request has already been decided."))
    sit_in.status = SitInStatus.APPROVED if approve else SitInStatus.DECLINED
    sit_in.save(update_fields=["status"])
    log_action(
        actor,
        "meeting.sit_in_decide",
        sit_in.meeting,
        changes={"applicant": sit_in.applicant.display_name, "status": ["pending", sit_in.status]},
    )
    notify(
        [sit_in.applicant],
        kind="meeting.sit_in",
        subject=_("Your request to sit in on %(title)s: %(status)s")
        % {"title": sit_in.meeting.title, "status": sit_in.get_status_display()},
        url=reverse("branches:meeting", args=[sit_in.meeting_id]),
    )
    return sit_in
