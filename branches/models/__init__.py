"""The organisation tree, members, roles, meetings, notifications and the audit log.

Rules computed from these rows (voting rights, committee structure, terms) live in `rules.py`;
every write goes through `services/`; scoped reads through `selectors.py`.

One module per sub-domain: `users`, `organisations` (the tree and committee terms), `members` (records,
households, liaisons), `roles`, `meetings` (with attendance and sitting in), `notifications`, `audit`,
`roster` (uploaded rosters), `workdays` (the holiday calendar) and `reminders`. Recruitment, transfers and
dues will be modules of their own beside `members`. Every name is re-exported here: import from
`branches.models`, not from a module.
"""

# isort: off
# The modules are imported in the order their classes had in the one models.py, so that the app registry
# lists the models in the same order as before (content types, admin, related objects).
from .users import User
from .organisations import CommitteeTerm, Organisation, OrganisationKind, OrganisationQuerySet, UnitType
from .members import (
    PARTY_MEMBER_CATEGORIES,
    Gender,
    Household,
    Liaison,
    LiaisonKind,
    Member,
    MemberCategory,
    MemberQuerySet,
    Standing,
)
from .roles import COMMITTEE_ROLES, Role, RoleKind, RoleQuerySet
from .meetings import (
    Attendance,
    AttendanceStatus,
    ExclusionReason,
    Meeting,
    MeetingKind,
    MeetingStatus,
    SignInMethod,
    SitInRequest,
    SitInStatus,
    generate_checkin_token,
)
from .notifications import Channel, Delivery, DeliveryStatus, Notification
from .audit import AuditLog, ContentType
from .roster import RosterImport, RosterImportStatus
from .workdays import CalendarSource, DayKind, Holiday, HolidayYear
from .reminders import Digest, Reminder, ReminderStatus

# The disclosure outbox lives in its own module (see branches/outbox.py); imported here to register it.
from ..outbox import DisclosureDraft
# isort: on

__all__ = [  # noqa: RUF022 — grouped by module
    "User",
    "CommitteeTerm",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "UnitType",
    "PARTY_MEMBER_CATEGORIES",
    "Gender",
    "Household",
    "Liaison",
    "LiaisonKind",
    "Member",
    "MemberCategory",
    "MemberQuerySet",
    "Standing",
    "COMMITTEE_ROLES",
    "Role",
    "RoleKind",
    "RoleQuerySet",
    "Attendance",
    "AttendanceStatus",
    "ExclusionReason",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "SignInMethod",
    "SitInRequest",
    "SitInStatus",
    "generate_checkin_token",
    "Channel",
    "Delivery",
    "DeliveryStatus",
    "Notification",
    "AuditLog",
    "ContentType",
    "RosterImport",
    "RosterImportStatus",
    "CalendarSource",
    "DayKind",
    "Holiday",
    "HolidayYear",
    "Digest",
    "Reminder",
    "ReminderStatus",
    "DisclosureDraft",
]
