"""Pure rules of disclosure: who may do what to an item, approval level, secrecy findings, notice ends,
catalogue periods and the standing of an obligation. Nothing here writes.

Every number comes from `settings.ZHIBU_RULES` (domain.md §5 and §6) through `rule()`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import PARTY_MEMBER_CATEGORIES, OrganisationKind
from branches.outbox import DisclosureScope
from branches.rules import id_number_is_valid, mask_id_number
from branches.workdays import DueDate, WorkCalendar

from .models import CURRENT_STATES, EDITABLE_STATES, Frequency, ItemStatus

if TYPE_CHECKING:
    from branches.models import Organisation
    from branches.selectors import Scope

    from .models import CatalogueEntry, DisclosureItem, Obligation


def rule(name: str):
    return settings.ZHIBU_RULES[name]


# --- approval level (公开条例 art. 15) ----------------------------------------------------------------------


def beyond_authority(item: DisclosureItem) -> bool:
    """An item beyond its organisation's authority is approved by the higher committee: when the drafter
    says so, for the categories the rule set names, and for items to society from a branch or a group."""
    if item.beyond_authority or item.category in rule("disclosure_higher_approval_categories"):
        return True
    return item.scope == DisclosureScope.SOCIETY and item.organisation.kind in rule(
        "disclosure_society_higher_approval_kinds"
    )


def approving_organisation(item: DisclosureItem) -> Organisation:
    """The organisation whose committee approves the item: its own, or the one above when beyond authority."""
    org = item.organisation
    if beyond_authority(item) and org.parent_id:
        return org.parent
    return org


# --- the secrecy check (保密审查) ---------------------------------------------------------------------------

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_TAG = re.compile(r"<[^>]+>")

SECRECY_CHECKS = ("necessary", "accurate", "no_secrets", "no_private_data")


def secrecy_findings(*texts: str) -> dict[str, list[str]]:
    """Private data the reviewer must look at: valid ID numbers (blocking) and mobile numbers (a warning).
    The findings are masked, so the review page does not repeat what it warns about."""
    plain = " ".join(_TAG.sub(" ", t or "") for t in texts)
    ids = sorted({mask_id_number(m) for m in _ID_NUMBER.findall(plain) if id_number_is_valid(m.upper())})
    phones = sorted({f"{m[:3]}****{m[-4:]}" for m in _MOBILE.findall(plain)})
    return {"id_numbers": ids, "phones": phones}


def duties_must_be_separate(approver_count: int) -> bool:
    """Whether the secrecy reviewer and the approver must be different people: wherever the approving
    organisation has enough people who may approve (the rule value); in a one-officer organisation one
    person may do both."""
    return approver_count >= rule("disclosure_separate_duties_min_approvers")


def blocking_issues(
    item: DisclosureItem,
    action: str,
    *,
    attachment_names: list[str] | None = None,
    actor=None,
    approver_count: int = 0,
) -> list[str]:
    """Why `action` ("submit", "pass_secrecy", "approve") is not yet possible; an empty list means it is.
    For "approve", `actor` is who would approve and `approver_count` how many may approve the item."""
    issues: list[str] = []
    if (
        action == "approve"
        and actor is not None
        and item.reviewer_id == actor.pk
        and duties_must_be_separate(approver_count)
    ):
        issues.append(
            _(
                "You performed the secrecy review of this item: another officer of %(org)s approves it "
                "(the reviewer and the approver are different people)."
            )
            % {"org": item.approver_organisation}
        )
    if action == "submit":
        if not item.title.strip():
            issues.append(_("The item has no title."))
        if not _TAG.sub("", item.body or "").strip():
            issues.append(_("The item has no content."))
        if item.scope == DisclosureScope.RANGE and not (
            item.pk and (item.range_organisations.exists() or item.range_members.exists())
        ):
            issues.append(_("A defined range names at least one organisation or person."))
        if item.expires_on and item.publish_at and item.expires_on < timezone.localdate(item.publish_at):
            issues.append(_("The item would expire before it is published."))
    if action == "pass_secrecy":
        found = secrecy_findings(item.title, item.body, *(attachment_names or []))
        if found["id_numbers"]:
            issues.append(
                _("The content contains ID numbers (%(ids)s): remove them before the review can pass.")
                % {"ids": ", ".join(found["id_numbers"])}
            )
    return issues


# --- who may do what ----------------------------------------------------------------------------------------


def is_party_member(scope: Scope) -> bool:
    return scope.member is not None and scope.member.category in PARTY_MEMBER_CATEGORIES


def can_edit(scope: Scope, item: DisclosureItem) -> bool:
    return item.status in EDITABLE_STATES and scope.can_manage(item.organisation)


def can_submit(scope: Scope, item: DisclosureItem) -> bool:
    return item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED) and scope.can_manage(item.organisation)


def can_review_secrecy(user, item: DisclosureItem) -> bool:
    """Only the reviewer named at submission performs the secrecy review."""
    return item.status == ItemStatus.REVIEW and user.is_authenticated and item.reviewer_id == user.pk


def can_approve(scope: Scope, item: DisclosureItem) -> bool:
    org = item.approver_organisation
    return (
        item.status == ItemStatus.APPROVAL
        and org is not None
        and (scope.can_manage(org) or scope.can_supervise(org))
    )


def can_return(user, scope: Scope, item: DisclosureItem) -> bool:
    """The named reviewer during review, the approvers during approval; supervisors at any stage before
    publication (纪检 review and may return an item with comments)."""
    if item.status == ItemStatus.REVIEW and can_review_secrecy(user, item):
        return True
    if item.status == ItemStatus.APPROVAL and can_approve(scope, item):
        return True
    return item.status in (
        ItemStatus.REVIEW,
        ItemStatus.APPROVAL,
        ItemStatus.SCHEDULED,
    ) and scope.can_supervise(item.organisation)


def can_correct(scope: Scope, item: DisclosureItem) -> bool:
    return item.status in CURRENT_STATES and scope.can_manage(item.organisation)


def can_archive(scope: Scope, item: DisclosureItem) -> bool:
    return item.status == ItemStatus.EXPIRED and scope.can_manage(item.organisation)


def can_discard(scope: Scope, item: DisclosureItem) -> bool:
    return (
        item.status in EDITABLE_STATES and item.published_at is None and scope.can_manage(item.organisation)
    )


def can_give_feedback(user, item: DisclosureItem, kind: str, now: dt.datetime | None = None) -> bool:
    """Those in scope (the caller fetched the item through the scope) comment on a current item; an
    objection is taken while the item is published and, for a notice, until its last day ends."""
    if not user.is_authenticated or item.status not in CURRENT_STATES:
        return False
    if kind != "objection":
        return True
    now = now or timezone.now()
    return item.status == ItemStatus.PUBLISHED and (item.notice_ends_at is None or now < item.notice_ends_at)


def can_answer_feedback(scope: Scope, item: DisclosureItem) -> bool:
    return scope.can_manage(item.organisation)


def can_see_pending(scope: Scope, item: DisclosureItem) -> bool:
    """Who sees an item before publication (and its reviews and audit trail)."""
    return scope.can_manage(item.organisation) or scope.can_supervise(item.organisation)


def can_define_catalogue(scope: Scope, org: Organisation | None) -> bool:
    """The default catalogue is the administrators'; a higher committee (not a branch or a group) keeps
    entries for its own subtree."""
    if org is None:
        return scope.is_superuser
    return org.kind in (OrganisationKind.COMMITTEE, OrganisationKind.GENERAL_BRANCH) and scope.can_manage(org)


# --- notices (公示) -----------------------------------------------------------------------------------------


def start_of_next_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def notice_end(published: dt.datetime, working_days: int, calendar: WorkCalendar | None = None) -> DueDate:
    """The last day of a notice: the n-th working day after the day of publication (which does not count),
    by the Chinese calendar — holidays off, adjusted weekends worked."""
    calendar = calendar or WorkCalendar()
    return calendar.add_working_days(timezone.localdate(published), working_days)


def notice_is_running(item: DisclosureItem, now: dt.datetime) -> bool:
    return (
        item.status == ItemStatus.PUBLISHED and item.notice_ends_at is not None and now < item.notice_ends_at
    )


def notice_is_due(item: DisclosureItem, now: dt.datetime) -> bool:
    return (
        item.status == ItemStatus.PUBLISHED and item.notice_ends_at is not None and now >= item.notice_ends_at
    )


# --- catalogue periods and obligations ----------------------------------------------------------------------


def period_label(day: dt.date, frequency: str) -> str:
    if frequency == Frequency.MONTHLY:
        return f"{day:%Y-%m}"
    if frequency == Frequency.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if frequency == Frequency.YEARLY:
        return str(day.year)
    return day.isoformat()


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def period_display(label: str) -> str:
    """A period key as a reader says it: "2026-Q3" → 2026年第三季度, "2026-07" → 2026年7月, "2026" → 2026年
    (the key itself stays what the catalogue stores and the filters take)."""
    label = str(label or "")
    if m := _QUARTER.match(label):
        quarters = [_("first quarter"), _("second quarter"), _("third quarter"), _("fourth quarter")]
        return _("%(year)s, %(quarter)s") % {"year": m[1], "quarter": quarters[int(m[2]) - 1]}
    if m := _MONTH.match(label):
        return _("%(month)d/%(year)s") % {"year": m[1], "month": int(m[2])}
    if m := _YEAR.match(label):
        return _("year %(year)s") % {"year": m[1]}
    return label


def period_bounds(label: str, frequency: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period label ("2026-03", "2026-Q1", "2026")."""
    if frequency == Frequency.MONTHLY:
        year, month = (int(x) for x in label.split("-"))
        first = dt.date(year, month, 1)
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return first, last
    if frequency == Frequency.QUARTERLY:
        year, quarter = label.split("-Q")
        start_month = (int(quarter) - 1) * 3 + 1
        first = dt.date(int(year), start_month, 1)
        end = dt.date(int(year) + (start_month == 10), 1 if start_month == 10 else start_month + 3, 1)
        return first, end - dt.timedelta(days=1)
    if frequency == Frequency.YEARLY:
        return dt.date(int(label), 1, 1), dt.date(int(label), 12, 31)
    day = dt.date.fromisoformat(label)
    return day, day


def periods_between(start: dt.date, end: dt.date, frequency: str) -> list[str]:
    """The labels of the periods that have begun between `start` and `end` (both included)."""
    labels: list[str] = []
    day = start
    while day <= end:
        label = period_label(day, frequency)
        if label not in labels:
            labels.append(label)
        day = period_bounds(label, frequency)[1] + dt.timedelta(days=1)
    return labels


def period_is_valid(label: str, frequency: str) -> bool:
    try:
        period_bounds(label, frequency)
    except (ValueError, TypeError):
        return False
    return period_label(period_bounds(label, frequency)[0], frequency) == label


def obligation_due(entry: CatalogueEntry, label: str, calendar: WorkCalendar | None = None) -> DueDate:
    """Due `deadline_working_days` working days after the period ends (or after the occurrence)."""
    calendar = calendar or WorkCalendar()
    return calendar.add_working_days(period_bounds(label, entry.frequency)[1], entry.deadline_working_days)


def obligation_status(obligation: Obligation, today: dt.date) -> str:
    """ "on_time", "late", "missing" (due and not published) or "pending" (not yet due)."""
    if obligation.fulfilled_on is not None:
        return "on_time" if obligation.fulfilled_on <= obligation.due_on else "late"
    return "missing" if obligation.due_on < today else "pending"
