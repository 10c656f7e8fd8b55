"""Pure rules of the organisation: voting rights, committee structure, terms, attendance, and the one home
of fraction, quorum and majority arithmetic that the ballot engine, elections and motions all use.

Every number comes from `settings.ZHIBU_RULES` (domain.md §6) through `rule()`; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Member, Organisation


def rule(name: str):
    return settings.ZHIBU_RULES[name]


# --- Fractions, quorum and majorities ----------------------------------------------------------------
# Fractions compare in integers — `count × den > num × base` — so a boundary is exact: 4 present of 5 is
# not "> 4/5", 2 of 4 is not "> 1/2". Every quorum, threshold and margin in the portal goes through these.


def exceeds(count: int, base: int, fraction: list[int] | tuple[int, int], *, inclusive: bool = False) -> bool:
    """count > num/den × base (or ≥ when inclusive), in integers."""
    num, den = fraction
    return count * den >= num * base if inclusive else count * den > num * base


def fraction_text(fraction, inclusive: bool = False) -> str:
    """ "> 1/2" or "≥ 2/3" ("—" for no fraction), as the pages and the minutes state a rule."""
    if not fraction:
        return "—"
    return f"{'≥' if inclusive else '>'} {fraction[0]}/{fraction[1]}"


def votes_needed(base: int, fraction, *, inclusive: bool = False) -> int:
    """The fewest votes that pass `exceeds` on this base: ⌊num×base/den⌋ + 1, or ⌈num×base/den⌉ when inclusive."""
    num, den = fraction
    return -(-num * base // den) if inclusive else num * base // den + 1


def share_text(base: int, fraction) -> str:
    """num/den × base as the minutes write it: "25", "24.5", or "50×2/3" where it is no short decimal."""
    num, den = fraction
    whole, rest = divmod(num * base, den)
    if not rest:
        return str(whole)
    if (rest * 10) % den == 0:
        return f"{whole}.{rest * 10 // den}"
    return f"{base}×{num}/{den}"


def quorum_reached(present: int, expected: int, fraction, *, inclusive: bool = False) -> bool:
    """Enough present of those expected; never with nobody expected."""
    return expected > 0 and exceeds(present, expected, fraction, inclusive=inclusive)


def majority_of(votes_for: int, base: int, fraction=(1, 2), *, inclusive: bool = False) -> bool:
    """More than `fraction` of `base` (present, cast or 应到) voted for; never on an empty base."""
    return base > 0 and exceeds(votes_for, base, list(fraction), inclusive=inclusive)


# --- Numbers typed or posted ----------------------------------------------------------------------------


def is_ascii_digits(value) -> bool:
    """0–9 only. `str.isdigit()` also accepts "²" or "٣", on which `int()` or a pk lookup fails: every number
    that comes from a request is checked with this, never with `isdigit()`."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


# --- Kinds of unit ----------------------------------------------------------------------------------------


def is_village(org: Organisation) -> bool:
    """A village branch: its major matters go through 四议两公开 (the 2/3 quorum)."""
    from .models import UnitType

    return org.unit_type == UnitType.VILLAGE


def is_branch(org: Organisation) -> bool:
    """A party branch (支部): the size rules of 支部条例 (3 to 50 full members, a committee of 3–5 from 7
    full members, one deputy secretary at most) are written for branches, not for a committee above them."""
    from .models import OrganisationKind

    return org.kind == OrganisationKind.BRANCH


def has_secretary_post(org: Organisation) -> bool:
    """Every organisation but a party group (led by its 组长) has a secretary."""
    from .models import OrganisationKind

    return org.kind != OrganisationKind.GROUP


def is_village_or_community(org: Organisation) -> bool:
    """Village and community committees serve five-year terms."""
    from .models import UnitType

    return org.unit_type in (UnitType.VILLAGE, UnitType.COMMUNITY)


# --- Voting rights (domain.md §1, 选举条例 art. 5) --------------------------------------------------------
# One rule, written once for Python and once for SQL; tests/branches/test_rules.py proves they agree.


def has_voting_rights(member: Member) -> bool:
    """Full members on the roll, not under party probation, rights not suspended."""
    return (
        member.is_active
        and member.category == "full"
        and member.standing == "normal"
        and not member.rights_suspended
    )


def voting_rights_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}category": "full",
            f"{prefix}standing": "normal",
            f"{prefix}rights_suspended": False,
        }
    )


def party_age(member: Member, on: dt.date | None = None) -> int | None:
    """党龄 counts whole years from the day the member became a full member (党章 art. 7)."""
    if member.category != "full" or member.full_on is None:
        return None
    from django.utils import timezone

    on = on or timezone.localdate()
    years = on.year - member.full_on.year - ((on.month, on.day) < (member.full_on.month, member.full_on.day))
    return max(years, 0)


# --- ID numbers --------------------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_is_valid(value: str) -> bool:
    """GB 11643: 17 digits, a valid birth date, and the ISO 7064 check character."""
    if len(value) != 18 or not is_ascii_digits(value[:17]):
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def id_number_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def mask_id_number(value: str | None) -> str:
    """Lists show the first 6 and last 4 characters only."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


# --- Committee structure (支部条例, domain.md §1) ---------------------------------------------------------


@dataclass(frozen=True)
class CommitteeShape:
    full_members: int
    committee_size: int
    has_secretary: bool
    deputies: int
    # Which rules apply (is_branch, has_secretary_post of the organisation): a county or town committee
    # is not warned that it has more than 50 members.
    branch_rules: bool = True
    secretary_post: bool = True


def committee_warnings(shape: CommitteeShape) -> list[str]:
    """Warnings, not refusals: a branch out of shape still works, but the page says what is wrong."""
    warnings: list[str] = []
    if not shape.branch_rules:
        if shape.secretary_post and not shape.has_secretary:
            warnings.append(_("The organisation has no secretary."))
        return warnings
    full = shape.full_members
    if full < rule("branch_min_full_members"):
        warnings.append(
            _("A branch needs at least %(n)d full members; it has %(full)d.")
            % {"n": rule("branch_min_full_members"), "full": full}
        )
    if full > rule("branch_warn_above_members"):
        warnings.append(
            _("The branch has %(full)d full members, more than %(n)d: consider dividing it.")
            % {"full": full, "n": rule("branch_warn_above_members")}
        )
    if full >= rule("committee_required_from_full_members"):
        lo, hi = rule("committee_min_size"), rule("committee_max_size")
        if not lo <= shape.committee_size <= hi:
            warnings.append(
                _(
                    "With %(full)d full members the branch needs a committee of %(lo)d–%(hi)d; it has %(size)d."
                )
                % {"full": full, "lo": lo, "hi": hi, "size": shape.committee_size}
            )
    if not shape.has_secretary:
        warnings.append(_("The branch has no secretary."))
    if shape.deputies > rule("max_deputy_secretaries"):
        warnings.append(
            _("At most %(n)d deputy secretary; the branch has %(d)d.")
            % {"n": rule("max_deputy_secretaries"), "d": shape.deputies}
        )
    return warnings


# --- Terms -----------------------------------------------------------------------------------------------------


def term_years(org: Organisation) -> int:
    if is_village_or_community(org):
        return rule("term_years_village_community")
    return rule("term_years")


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_dates(org: Organisation, starts_on: dt.date) -> tuple[dt.date, dt.date]:
    """(ends_on, reminder_due_on) for a term starting `starts_on`."""
    ends_on = add_months(starts_on, 12 * term_years(org))
    return ends_on, add_months(ends_on, -rule("term_reminder_months_before"))


# --- Meetings and attendance ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceFigures:
    expected: int  # 应到: the roll less those excluded with a reason
    present: int  # 实到
    excused: int  # 请假
    excluded: int
    absent: int  # expected, neither present nor excused


def attendance_figures(statuses: list[str]) -> AttendanceFigures:
    excluded = statuses.count("excluded")
    present = statuses.count("present")
    excused = statuses.count("excused")
    expected = len(statuses) - excluded
    return AttendanceFigures(
        expected=expected,
        present=present,
        excused=excused,
        excluded=excluded,
        absent=expected - present - excused,
    )


def exclusion_passes(votes_for: int, votes_cast: int) -> bool:
    """The meeting's vote to leave a member out of 应到 (after the higher committee's consent): more than
    half of the votes cast."""
    return majority_of(votes_for, votes_cast)


def meeting_notice_due(starts_at: dt.datetime) -> dt.datetime:
    return starts_at - dt.timedelta(days=rule("meeting_notice_days_before"))


# Sign-in (by the rotating QR code or at the desk) is accepted from `signin_opens_minutes_before` (rule) the
# scheduled start until the meeting is closed.


def checkin_opens_at(meeting) -> dt.datetime:
    return meeting.starts_at - dt.timedelta(minutes=rule("signin_opens_minutes_before"))


def checkin_is_open(meeting, now: dt.datetime) -> bool:
    if meeting.status == "in_progress":
        return True
    return meeting.status == "scheduled" and now >= checkin_opens_at(meeting)


def signin_window(now: dt.datetime) -> int:
    """The number of the rotating sign-in code's current window (`signin_token_seconds`, rule)."""
    return int(now.timestamp()) // int(rule("signin_token_seconds"))


def starts_early(meeting, now: dt.datetime) -> bool:
    """A meeting started before its scheduled (local) day is an urgent meeting and needs a reason."""
    return timezone.localdate(now) < timezone.localdate(meeting.starts_at)


def online_meeting_allowed(meeting) -> bool:
    return meeting.kind in rule("online_meeting_kinds")
