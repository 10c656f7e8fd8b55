"""Every write of the branches app: atomic, keyword-only, audited, returning the object."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from . import reminders, rules, states
from .audit import diff, log_action
from .models import (
    COMMITTEE_ROLES,
    PARTY_MEMBER_CATEGORIES,
    Attendance,
    AttendanceStatus,
    Channel,
    CommitteeTerm,
    ExclusionReason,
    Household,
    Liaison,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Member,
    Organisation,
    Role,
    RoleKind,
    SignInMethod,
    SitInRequest,
    SitInStatus,
    generate_checkin_token,
)
from .notifications import notify


class BranchError(Exception):
    """A refused write; the message is for the user, in his language."""


# The two deadlines of this app, as reminder kinds (branches.reminders): the meeting notice and the higher
# committee's reminder before a committee term ends. Their texts are in the site's language (the notice
# goes to everyone, whatever the language of the secretary who scheduled the meeting).
MEETING_NOTICE = "meeting.notice"
TERM_ENDING = "term.ending"


# --- Organisations and terms ----------------------------------------------------------------------------


@transaction.atomic
def create_organisation(
    *,
    actor,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    unit_type: str = "other",
    is_joint: bool = False,
) -> Organisation:
    org = Organisation.objects.create(
        name=name, kind=kind, parent=parent, unit_type=unit_type, is_joint=is_joint
    )
    log_action(actor, "organisation.create", org, changes={"name": [None, name], "kind": [None, kind]})
    return org


@transaction.atomic
def start_term(*, actor, organisation: Organisation, starts_on: dt.date) -> CommitteeTerm:
    ends_on, reminder_due_on = rules.term_dates(organisation, starts_on)
    term = CommitteeTerm.objects.create(
        organisation=organisation, starts_on=starts_on, ends_on=ends_on, reminder_due_on=reminder_due_on
    )
    plan_term_reminder(term)
    log_action(
        actor,
        "term.start",
        term,
        organisation=organisation,
        changes={"starts_on": [None, starts_on], "ends_on": [None, ends_on]},
    )
    return term


def plan_term_reminder(term: CommitteeTerm) -> None:
    """The higher committee's reminder on `reminder_due_on` (rule `term_reminder_months_before`), at the
    reminder hour; called where a term is created or its dates change. Replaces a pending reminder; one
    already sent is not sent again; a term already over is not reminded."""
    reminders.cancel(term, kinds=[TERM_ENDING])
    if term.ends_on < timezone.localdate():
        return
    org = term.organisation
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("The committee term of %(org)s ends on %(date)s") % {"org": org, "date": term.ends_on}
    reminders.schedule(
        kind=TERM_ENDING,
        obj=term,
        due_at=reminders.at_reminder_hour(term.reminder_due_on),
        recipients=term_reminder_recipients(term),
        subject=subject,
        url=reverse("branches:organisation", args=[org.pk]),
        organisation=org,
    )


@reminders.recipients_when_due(TERM_ENDING)
def term_reminder_recipients(term: CommitteeTerm) -> list:
    """The officers above when the reminder falls due (years after the term began), not those of its start;
    nobody once the term is over."""
    if term.ends_on < timezone.localdate():
        return []
    return [r.member.user for r in officers_above(term.organisation) if r.member.user_id]


def officers_above(org: Organisation) -> list[Role]:
    """Current higher-committee officers of the organisations above `org` (and of `org` itself)."""
    return list(
        Role.objects.current()
        .filter(kind=RoleKind.OFFICER, organisation__path__in=org.ancestor_paths())
        .select_related("member__user")
    )


# --- Members ------------------------------------------------------------------------------------------------


def pinyin_key(name: str) -> str:
    """ "张三" → "zhangsan zs": full pinyin and initials, searched by `icontains`."""
    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return f"{''.join(syllables)} {''.join(initials)}".lower()


MEMBER_FIELDS = [
    "organisation",
    "group",
    "name",
    "id_number",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "full_on",
    "job",
    "phone",
    "address",
    "standing",
    "lost_contact",
    "migrant",
    "migrant_to",
    "rights_suspended",
    "is_delegate",
    "notes",
]


def _check_member(values: dict) -> None:
    if values.get("id_number") and not rules.id_number_is_valid(values["id_number"]):
        raise BranchError(_("The ID number is not valid."))
    joined, full = values.get("joined_on"), values.get("full_on")
    if values.get("category") == "full" and joined and full and full < joined:
        raise BranchError(_("A member becomes full after joining, not before."))
    if not values.get("migrant"):
        values["migrant_to"] = ""


@transaction.atomic
def add_member(*, actor, organisation: Organisation, name: str, category: str, **fields) -> Member:
    values = {"organisation": organisation, "name": name.strip(), "category": category, **fields}
    _check_member(values)
    for key in ("id_number", "phone"):
        if values.get(key) == "":
            values[key] = None
    member = Member(**values, name_pinyin=pinyin_key(values["name"]))
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise BranchError(_("A member with this ID number or phone number already exists.")) from exc
    log_action(
        actor, "member.add", member, changes={"name": [None, member.name], "category": [None, category]}
    )
    return member


@transaction.atomic
def update_member(*, actor, member: Member, **values) -> Member:
    values = {k: v for k, v in values.items() if k in MEMBER_FIELDS}
    for key in ("id_number", "phone"):
        if values.get(key) == "":
            values[key] = None
    merged = {name: getattr(member, name) for name in MEMBER_FIELDS} | values
    _check_member(merged)
    changes = diff(member, MEMBER_FIELDS, merged)
    if not changes:
        return member
    for name in changes:
        setattr(member, name, merged[name])
    member.name_pinyin = pinyin_key(member.name)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise BranchError(_("A member with this ID number or phone number already exists.")) from exc
    log_action(actor, "member.update", member, changes=changes)
    return member


@transaction.atomic
def add_household(*, actor, member: Member, head_name: str, address: str = "", phone: str = "") -> Household:
    if member.households.count() >= rules.rule("households_per_member_max"):
        raise BranchError(
            _("A member links at most %(n)d households.") % {"n": rules.rule("households_per_member_max")}
        )
    household = Household.objects.create(member=member, head_name=head_name, address=address, phone=phone)
    log_action(
        actor,
        "household.add",
        household,
        organisation=member.organisation,
        changes={"head_name": [None, head_name]},
    )
    return household


@transaction.atomic
def link_liaison(*, actor, upper: Member, lower: Member, kind: str) -> Liaison:
    if upper.pk == lower.pk:
        raise BranchError(_("A member cannot be linked to himself."))
    liaison, _created = Liaison.objects.get_or_create(upper=upper, lower=lower, defaults={"kind": kind})
    log_action(
        actor,
        "liaison.link",
        liaison,
        organisation=upper.organisation,
        changes={"upper": [None, str(upper)], "lower": [None, str(lower)]},
    )
    return liaison


# --- Roles ---------------------------------------------------------------------------------------------------


@transaction.atomic
def assign_role(
    *,
    actor,
    member: Member,
    organisation: Organisation,
    kind: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Role:
    starts_on = starts_on or timezone.localdate()
    if kind in COMMITTEE_ROLES:
        if member.category != "full":
            raise BranchError(_("Only full members serve on a committee."))
        if not member.organisation.is_within(organisation):
            raise BranchError(_("A committee member must belong to the organisation."))
        if (
            kind in (RoleKind.SECRETARY,)
            and Role.objects.current(starts_on).filter(organisation=organisation, kind=kind).exists()
        ):
            raise BranchError(_("The organisation already has a secretary; end that role first."))
    if ends_on is not None and ends_on < starts_on:
        raise BranchError(_("A role cannot end before it starts."))
    role = Role.objects.create(
        member=member, organisation=organisation, kind=kind, starts_on=starts_on, ends_on=ends_on
    )
    log_action(
        actor,
        "role.assign",
        role,
        organisation=organisation,
        changes={"member": [None, member.name], "kind": [None, kind], "starts_on": [None, starts_on]},
    )
    return role


@transaction.atomic
def end_role(*, actor, role: Role, ends_on: dt.date | None = None) -> Role:
    ends_on = ends_on or timezone.localdate()
    if ends_on < role.starts_on:
        raise BranchError(_("A role cannot end before it starts."))
    changes = {"ends_on": [role.ends_on, ends_on]}
    role.ends_on = ends_on
    role.save(update_fields=["ends_on"])
    log_action(actor, "role.end", role, organisation=role.organisation, changes=changes)
    return role


def committee_shape(org: Organisation) -> rules.CommitteeShape:
    roles = list(
        Role.objects.current()
        .filter(organisation=org, kind__in=COMMITTEE_ROLES)
        .values_list("kind", "member_id")
    )
    full = Member.objects.filter(
        organisation__path__startswith=org.path, is_active=True, category="full"
    ).count()
    return rules.CommitteeShape(
        full_members=full,
        committee_size=len({member_id for _kind, member_id in roles}),
        has_secretary=any(kind == RoleKind.SECRETARY for kind, _m in roles),
        deputies=sum(1 for kind, _m in roles if kind == RoleKind.DEPUTY_SECRETARY),
    )


# --- Meetings ------------------------------------------------------------------------------------------------------


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


@transaction.atomic
def start_meeting(*, actor, meeting: Meeting) -> Meeting:
    meeting = states.transition(meeting, states.MEETING, "in_progress", actor=actor, verb="meeting.start")
    reminders.cancel(meeting, kinds=[MEETING_NOTICE])
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


def _attendance_row(meeting: Meeting, member: Member) -> Attendance:
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


def sign_in_by_token(*, user, meeting: Meeting, token: str) -> Attendance:
    if token != meeting.checkin_token:
        raise BranchError(_("This sign-in code is not valid for the meeting."))
    member = getattr(user, "member", None)
    if member is None:
        raise BranchError(_("Only members on the roll can sign in."))
    return sign_in(actor=user, meeting=meeting, member=member, method=SignInMethod.SELF)


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
