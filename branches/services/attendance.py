"""Writes on a meeting's roll: signing in, the secretary's marks, exclusions from 应到 (request, consent, vote)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .. import rules
from ..audit import log_action
from ..models import Attendance, AttendanceStatus, ExclusionReason, Meeting, Member, SignInMethod
from ..notifications import notify
from .errors import BranchError
from .roles import officers_above


def _attendance_row(meeting: Meeting, member: Member) -> Attendance:
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None and meeting.status == "scheduled":
        # 应到 follows the roll until the start: a member who joined since the scheduling is added.
        from .meetings import refresh_roll

        refresh_roll(meeting)
        row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None:
        raise BranchError(_("%(name)s is not on the roll of this meeting.") % {"name": member.name})
    return row


@transaction.atomic
def sign_in(*, actor, meeting: Meeting, member: Member, method: str) -> Attendance:
    """Mark a member present; signing in twice is harmless and keeps the first time."""
    meeting.refresh_from_db(fields=["status"])
    if not rules.checkin_is_open(meeting, timezone.now()):
        raise BranchError(_("Sign-in is not open for this meeting."))
    row = _attendance_row(meeting, member)
    if row.status == AttendanceStatus.PRESENT:
        return row
    if row.status == AttendanceStatus.EXCLUDED:
        raise BranchError(_("%(name)s is excluded from this meeting's count.") % {"name": member.name})
    old = row.status
    row.status = AttendanceStatus.PRESENT
    row.signed_in_at = timezone.now()
    row.sign_in_method = method
    row.save(update_fields=["status", "signed_in_at", "sign_in_method"])
    log_action(
        actor,
        "attendance.sign_in",
        meeting,
        changes={"member": member.name, "status": [old, row.status], "method": method},
    )
    return row


def signin_token(meeting: Meeting, now=None, *, window: int | None = None) -> str:
    """The rotating code the projector shows: "<window>.<mac>", the MAC over the meeting, its secret and the
    window (`signin_token_seconds`, rule). Nothing is stored; a code read off the screen is good for the
    rest of its window and the next one, and only for this meeting."""
    if window is None:
        window = rules.signin_window(now or timezone.now())
    mac = salted_hmac(
        "branches.signin", f"{meeting.pk}:{meeting.checkin_token}:{window}", algorithm="sha256"
    ).hexdigest()[:32]
    return f"{window}.{mac}"


def signin_token_is_valid(meeting: Meeting, token: str, now=None) -> bool:
    window, _dot, _mac = token.partition(".")
    if not (window.isascii() and window.isdigit()) or len(window) > 12:
        return False
    current = rules.signin_window(now or timezone.now())
    if int(window) not in (current, current - 1):
        return False
    return constant_time_compare(token, signin_token(meeting, window=int(window)))


def sign_in_by_token(*, user, meeting: Meeting, token: str) -> Attendance:
    """A member's own sign-in: only with the code on the meeting's screen, current or just before."""
    if not signin_token_is_valid(meeting, token):
        raise BranchError(
            _(
                "This sign-in code is not valid for the meeting or has expired: scan the code on the screen again."
            )
        )
    member = getattr(user, "member", None)
    if member is None:
        raise BranchError(_("Only members on the roll can sign in."))
    return sign_in(actor=user, meeting=meeting, member=member, method=SignInMethod.SELF)


@transaction.atomic
def mark_all_present(*, actor, meeting: Meeting) -> int:
    """全部到会: every member still "not signed in" marked present by the secretary, in one statement; the
    excused and the excluded stay as they are. Returns how many were marked."""
    _check_open_for_attendance(meeting)
    meeting.refresh_from_db(fields=["status"])
    if not rules.checkin_is_open(meeting, timezone.now()):
        raise BranchError(_("Sign-in is not open for this meeting."))
    now = timezone.now()
    rows = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.EXPECTED)
    names = list(rows.select_for_update(of=("self",)).values_list("member__name", flat=True))
    count = rows.update(
        status=AttendanceStatus.PRESENT, signed_in_at=now, sign_in_method=SignInMethod.SECRETARY
    )
    if count:
        log_action(actor, "attendance.all_present", meeting, changes={"members": names, "count": count})
    return count


_EXCLUSION_FIELDS = [
    "exclusion_reason",
    "exclusion_consented_by",
    "exclusion_consented_at",
    "exclusion_votes_for",
    "exclusion_votes_cast",
]


def _clear_exclusion(row: Attendance) -> None:
    row.exclusion_reason = ""
    row.exclusion_consented_by = None
    row.exclusion_consented_at = None
    row.exclusion_votes_for = None
    row.exclusion_votes_cast = None


def _check_open_for_attendance(meeting: Meeting) -> None:
    if meeting.status in ("closed", "cancelled"):
        raise BranchError(_("The attendance of a closed meeting cannot change."))


@transaction.atomic
def set_attendance(
    *, actor, meeting: Meeting, member: Member, status: str, exclusion_reason: str = "", note: str = ""
) -> Attendance:
    """The secretary's marks: present (signed in by him), excused, or back to expected. "Excluded" files a
    request for exclusion from 应到 (request_exclusion): it takes effect only after consent and a vote."""
    _check_open_for_attendance(meeting)
    if status == AttendanceStatus.PRESENT:
        return sign_in(actor=actor, meeting=meeting, member=member, method=SignInMethod.SECRETARY)
    if status == AttendanceStatus.EXCLUDED:
        return request_exclusion(actor=actor, meeting=meeting, member=member, reason=exclusion_reason)
    if status not in AttendanceStatus.values:
        raise BranchError(_("Unknown attendance status."))
    row = _attendance_row(meeting, member)
    old = row.status
    row.status = status
    _clear_exclusion(row)
    row.note = note
    row.signed_in_at = None
    row.sign_in_method = ""
    row.save(update_fields=["status", *_EXCLUSION_FIELDS, "note", "signed_in_at", "sign_in_method"])
    log_action(actor, "attendance.set", meeting, changes={"member": member.name, "status": [old, status]})
    return row


@transaction.atomic
def request_exclusion(*, actor, meeting: Meeting, member: Member, reason: str) -> Attendance:
    """The branch asks to leave a member out of 应到, for one of the reasons of the regulations. Nothing
    changes in the count until the higher committee consents and the meeting votes for it."""
    _check_open_for_attendance(meeting)
    if reason not in ExclusionReason.values:
        raise BranchError(_("An exclusion from the expected count needs a reason."))
    row = _attendance_row(meeting, member)
    if row.status == AttendanceStatus.PRESENT:
        raise BranchError(
            _("%(name)s is present: a member at the meeting is not left out of 应到.") % {"name": member.name}
        )
    if row.status == AttendanceStatus.EXCLUDED:
        raise BranchError(_("%(name)s is excluded from this meeting's count.") % {"name": member.name})
    _clear_exclusion(row)
    row.exclusion_reason = reason
    row.save(update_fields=_EXCLUSION_FIELDS)
    log_action(
        actor, "attendance.exclusion_request", meeting, changes={"member": member.name, "reason": reason}
    )
    officers = [r.member.user for r in officers_above(meeting.organisation) if r.member.user_id]
    notify(
        officers,
        kind="attendance.exclusion_request",
        subject=_("%(org)s asks to leave %(name)s out of the expected count of “%(meeting)s”")
        % {"org": meeting.organisation, "name": member.name, "meeting": meeting.title},
        url=reverse("branches:meeting", args=[meeting.pk]) + "#roll",
    )
    return row


@transaction.atomic
def consent_to_exclusion(*, actor, meeting: Meeting, member: Member) -> Attendance:
    """The higher committee's consent (the caller checked that the actor manages a committee above)."""
    _check_open_for_attendance(meeting)
    row = _attendance_row(meeting, member)
    if not row.exclusion_pending:
        raise BranchError(_("No exclusion of %(name)s awaits a decision.") % {"name": member.name})
    if row.exclusion_consented_at is not None:
        return row
    row.exclusion_consented_by = actor
    row.exclusion_consented_at = timezone.now()
    row.save(update_fields=["exclusion_consented_by", "exclusion_consented_at"])
    log_action(actor, "attendance.exclusion_consent", meeting, changes={"member": member.name})
    return row


@transaction.atomic
def record_exclusion_vote(
    *, actor, meeting: Meeting, member: Member, votes_for: int, votes_cast: int
) -> Attendance:
    """The meeting's vote on a consented exclusion: more than half of the votes cast for it → the member
    leaves 应到; otherwise the request is refused and he stays expected."""
    _check_open_for_attendance(meeting)
    row = _attendance_row(meeting, member)
    if not row.exclusion_pending:
        raise BranchError(_("No exclusion of %(name)s awaits a decision.") % {"name": member.name})
    if row.exclusion_consented_at is None:
        raise BranchError(
            _("The higher committee has not consented yet; the meeting votes after its consent.")
        )
    expected = meeting.attendances.exclude(status=AttendanceStatus.EXCLUDED).count()
    if not (0 <= votes_for <= votes_cast and 0 < votes_cast <= expected):
        raise BranchError(
            _("The vote does not add up: votes for at most the votes cast, and at most %(n)s votes cast.")
            % {"n": expected}
        )
    passed = rules.exclusion_passes(votes_for, votes_cast)
    old = row.status
    if passed:
        row.status = AttendanceStatus.EXCLUDED
        row.exclusion_votes_for, row.exclusion_votes_cast = votes_for, votes_cast
        row.signed_in_at = None
        row.sign_in_method = ""
    else:
        _clear_exclusion(row)
    row.save(update_fields=["status", *_EXCLUSION_FIELDS, "signed_in_at", "sign_in_method"])
    log_action(
        actor,
        "attendance.exclusion_vote",
        meeting,
        changes={
            "member": member.name,
            "status": [old, row.status],
            "votes": [votes_for, votes_cast],
            "passed": passed,
        },
    )
    return row
