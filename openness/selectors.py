"""Scoped reads of disclosure. `item_q(user)` is the security boundary of every item list and fetch.

Who sees an item (domain.md §5):
- published (or once published: completed, corrected, expired, archived) to society — everyone, anonymous too;
- party-internal — party members (full and probationary) of its organisation and of those below it;
- a defined range — exactly the organisations (and their members below) and the people it names;
- in every state, drafts included — the organisation's managers and supervisors (and those above it),
  the named secrecy reviewer, and the approving committee.
Anything else answers 404, like an item that does not exist.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone

from branches.models import COMMITTEE_ROLES, AuditLog, Meeting, Organisation, Role, RoleKind
from branches.outbox import DisclosureDraft, DisclosureScope
from branches.selectors import scope_for

from . import rules
from .models import (
    CURRENT_STATES,
    PENDING_STATES,
    PUBLIC_STATES,
    Attachment,
    DisclosureItem,
    Feedback,
    FeedbackStatus,
    ItemStatus,
    Obligation,
)

_NOTHING = Q(pk__in=[])


def _paths_q(paths, lookup: str) -> Q:
    q = _NOTHING
    for p in sorted(paths):
        q |= Q(**{f"{lookup}__startswith": p})
    return q


def item_q(user) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    public = Q(status__in=PUBLIC_STATES)
    q = public & Q(scope=DisclosureScope.SOCIETY)
    if scope.member is not None:
        member = scope.member
        if rules.is_party_member(scope):
            q |= public & Q(scope=DisclosureScope.INTERNAL, organisation__path__in=scope.own_ancestor_paths)
        in_range = Exists(
            DisclosureItem.range_members.through.objects.filter(
                disclosureitem_id=OuterRef("pk"), member_id=member.pk
            )
        )
        if rules.is_party_member(scope):
            in_range |= Exists(
                DisclosureItem.range_organisations.through.objects.filter(
                    disclosureitem_id=OuterRef("pk"), organisation__path__in=scope.own_ancestor_paths
                )
            )
        q |= public & Q(scope=DisclosureScope.RANGE) & in_range
    if scope.read_paths:
        q |= _paths_q(scope.read_paths, "organisation__path")
    if user is not None and user.is_authenticated:
        # The named reviewer, while the review is his (he is normally in the read paths anyway).
        q |= Q(reviewer_id=user.pk, status=ItemStatus.REVIEW)
    return q


# --- fetch-and-check ----------------------------------------------------------------------------------------


def get_item_for(request: HttpRequest, pk: int, *, manage: bool = False) -> DisclosureItem:
    scope = scope_for(request.user)
    item = (
        DisclosureItem.objects.filter(item_q(request.user), pk=pk)
        .select_related(
            "organisation", "approver_organisation", "reviewer", "obligation__entry", "created_by"
        )
        .first()
    )
    if item is None:
        raise Http404
    if manage and not scope.can_manage(item.organisation):
        raise PermissionDenied
    return item


def get_attachment_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Attachment:
    attachment = Attachment.objects.filter(pk=pk).only("pk", "item_id").first()
    if attachment is None:
        raise Http404
    item = get_item_for(request, attachment.item_id, manage=manage)
    attachment = Attachment.objects.get(pk=pk)
    attachment.item = item
    return attachment


def get_feedback_for(request: HttpRequest, pk: int, *, answer: bool = False) -> Feedback:
    feedback = Feedback.objects.filter(pk=pk).select_related("author").first()
    if feedback is None:
        raise Http404
    item = get_item_for(request, feedback.item_id)
    scope = scope_for(request.user)
    mine = feedback.author_id == request.user.pk
    if not (mine or rules.can_answer_feedback(scope, item) or scope.can_supervise(item.organisation)):
        raise Http404  # someone else's feedback is not shown to the rest of the audience
    if answer and not rules.can_answer_feedback(scope, item):
        raise PermissionDenied
    feedback.item = item
    return feedback


# --- boards -------------------------------------------------------------------------------------------------


def board_items(user, *, public_only: bool = False, archive: bool = False) -> QuerySet[DisclosureItem]:
    """Current items (with `archive`, expired and archived ones too) in one query: the organisation joined,
    attachments counted."""
    states = [*CURRENT_STATES, ItemStatus.EXPIRED, ItemStatus.ARCHIVED] if archive else CURRENT_STATES
    qs = DisclosureItem.objects.filter(status__in=states)
    qs = qs.filter(scope=DisclosureScope.SOCIETY) if public_only else qs.filter(item_q(user))
    # A correlated count, not a join with GROUP BY: the paginator's COUNT(*) then drops it altogether.
    attachments = (
        Attachment.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("organisation")
        .annotate(attachment_count=Coalesce(Subquery(attachments), 0))
        .order_by("-published_at", "-pk")
    )


def open_meetings(user, *, limit: int = 10) -> list[Meeting]:
    """三会开放: open meetings ahead (their agendas are published, people may apply to sit in)."""
    since = timezone.now() - dt.timedelta(hours=12)
    qs = Meeting.objects.filter(is_open=True, status__in=["scheduled", "in_progress"], starts_at__gte=since)
    return list(qs.select_related("organisation").order_by("starts_at", "pk")[:limit])


def board_organisations(user, *, public_only: bool = False) -> QuerySet[Organisation]:
    """The organisations offered in the board's filter: those with an item the reader may see."""
    items = DisclosureItem.objects.current()
    items = items.filter(scope=DisclosureScope.SOCIETY) if public_only else items.filter(item_q(user))
    return Organisation.objects.filter(pk__in=items.values("organisation_id")).order_by("path")


# --- the workbench and the review queue ---------------------------------------------------------------------


def pending_items(user) -> QuerySet[DisclosureItem]:
    """Items before publication that the user runs or oversees (drafts, in review, awaiting approval …)."""
    scope = scope_for(user)
    q = _NOTHING if not scope.is_superuser else Q()
    q |= _paths_q(scope.read_paths, "organisation__path")
    return (
        DisclosureItem.objects.filter(q, status__in=PENDING_STATES)
        .select_related("organisation", "reviewer", "approver_organisation")
        .order_by("-created_at", "-pk")
    )


def review_queue(user) -> dict[str, list[DisclosureItem]]:
    """What waits for this user: secrecy reviews he is named for, approvals of his committee, and for
    supervisors everything before publication in their jurisdiction."""
    scope = scope_for(user)
    related = ("organisation", "reviewer", "approver_organisation", "created_by")
    secrecy = list(
        DisclosureItem.objects.filter(status=ItemStatus.REVIEW, reviewer_id=user.pk).select_related(*related)
    )
    approval_q = _paths_q(scope.manage_paths | scope.supervise_paths, "approver_organisation__path")
    if scope.is_superuser:
        approval_q = Q()
    approval = [
        item
        for item in DisclosureItem.objects.filter(approval_q, status=ItemStatus.APPROVAL).select_related(
            *related
        )
        if rules.can_approve(scope, item)
    ]
    supervision = []
    if scope.supervise_paths or scope.is_superuser:
        q = Q() if scope.is_superuser else _paths_q(scope.supervise_paths, "organisation__path")
        seen = {i.pk for i in secrecy + approval}
        supervision = [
            item
            for item in DisclosureItem.objects.filter(
                q, status__in=[ItemStatus.REVIEW, ItemStatus.APPROVAL, ItemStatus.SCHEDULED]
            ).select_related(*related)
            if item.pk not in seen
        ]
    return {"secrecy": secrecy, "approval": approval, "supervision": supervision}


def open_feedback(user) -> QuerySet[Feedback]:
    """Comments and objections waiting for an answer from an organisation the user manages."""
    scope = scope_for(user)
    q = Q() if scope.is_superuser else _paths_q(scope.manage_paths, "item__organisation__path")
    return (
        Feedback.objects.filter(q, status=FeedbackStatus.OPEN)
        .select_related("item__organisation", "author")
        .order_by("reply_due_on", "pk")
    )


def unconsumed_drafts(user) -> QuerySet[DisclosureDraft]:
    """Outbox rows not yet turned into items (normally none: the receiver and the sweep take them)."""
    scope = scope_for(user)
    q = Q() if scope.is_superuser else _paths_q(scope.manage_paths, "organisation__path")
    return DisclosureDraft.objects.filter(q, consumed_at__isnull=True).select_related("organisation")


# --- one item -----------------------------------------------------------------------------------------------


def versions_of(item: DisclosureItem, user) -> list[DisclosureItem]:
    """The versions of the item's series the user may see, newest first (published ones for the audience)."""
    series = item.series_id
    return list(
        DisclosureItem.objects.filter(item_q(user))
        .filter(Q(pk=series) | Q(root_id=series))
        .filter(Q(status__in=PUBLIC_STATES) | Q(pk=item.pk) | Q(status__in=PENDING_STATES))
        .only("pk", "version", "status", "published_at", "correction_note", "title", "root_id", "created_at")
        .order_by("-version")
    )


def audit_trail(item: DisclosureItem) -> QuerySet[AuditLog]:
    """Every state change of every version of the item: the audit log is the history (never a second one)."""
    from django.contrib.contenttypes.models import ContentType

    series = item.series_id
    pks = [
        str(pk)
        for pk in DisclosureItem.objects.filter(Q(pk=series) | Q(root_id=series)).values_list("pk", flat=True)
    ]
    return (
        AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(DisclosureItem), object_id__in=pks
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def feedback_for(item: DisclosureItem, user) -> tuple[list[Feedback], dict[str, int]]:
    """The feedback the user may read (all of it for managers and supervisors, his own otherwise), and the
    counts everyone sees: comments and objections received and answered."""
    scope = scope_for(user)
    rows = list(item.feedback.select_related("author", "answered_by").order_by("created_at", "pk"))
    counts = {
        "comments": sum(1 for f in rows if f.kind == "comment"),
        "objections": sum(1 for f in rows if f.kind == "objection"),
        "open": sum(1 for f in rows if f.status == FeedbackStatus.OPEN),
        "answered": sum(1 for f in rows if f.status == FeedbackStatus.ANSWERED),
    }
    if not (rules.can_answer_feedback(scope, item) or scope.can_supervise(item.organisation)):
        rows = [f for f in rows if user.is_authenticated and f.author_id == user.pk]
    return rows, counts


# --- people -------------------------------------------------------------------------------------------------


def _users_of(roles) -> list:
    seen, users = set(), []
    for role in roles:
        user = role.member.user
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            users.append(user)
    return users


def managers_of(org: Organisation) -> list:
    """Who runs an organisation's disclosures: its committee; failing that, the officers above it."""
    roles = (
        Role.objects.current()
        .filter(organisation=org, kind__in=COMMITTEE_ROLES)
        .select_related("member__user")
    )
    users = _users_of(roles)
    if not users:
        roles = (
            Role.objects.current()
            .filter(organisation__path__in=org.ancestor_paths(), kind=RoleKind.OFFICER)
            .select_related("member__user")
        )
        users = _users_of(roles)
    return users


def approvers_of(org: Organisation) -> list:
    """The approving committee: its committee members and officers, and the supervisors over it."""
    roles = (
        Role.objects.current()
        .filter(
            Q(organisation=org, kind__in=[*COMMITTEE_ROLES, RoleKind.OFFICER])
            | Q(organisation__path__in=org.ancestor_paths(), kind=RoleKind.SUPERVISOR)
        )
        .select_related("member__user")
    )
    return _users_of(roles)


def eligible_reviewers(item: DisclosureItem, *, exclude=None) -> list:
    """Who may be named for the secrecy review: committee members, officers and supervisors of the item's
    organisation or of those above it — never the person submitting (a second pair of eyes)."""
    roles = (
        Role.objects.current()
        .filter(
            organisation__path__in=item.organisation.ancestor_paths(),
            kind__in=[*COMMITTEE_ROLES, RoleKind.OFFICER, RoleKind.SUPERVISOR],
            member__user__isnull=False,
            member__is_active=True,
        )
        .select_related("member__user", "organisation")
        .order_by("-organisation__depth", "kind", "member__name_pinyin")
    )
    users = _users_of(roles)
    return [u for u in users if exclude is None or u.pk != exclude.pk]


# --- the catalogue ------------------------------------------------------------------------------------------


def obligations_for(
    user, *, root: Organisation | None = None, year: int | None = None
) -> QuerySet[Obligation]:
    scope = scope_for(user)
    q = Q() if scope.is_superuser else _paths_q(scope.read_paths, "organisation__path")
    qs = Obligation.objects.filter(q)
    if root is not None:
        qs = qs.filter(organisation__path__startswith=root.path)
    if year is not None:
        # Periods are labelled from their year ("2026-Q4", "2026-03", "2026", an occurrence "2026-04-01"):
        # the fourth quarter belongs to its year even though it falls due in the next.
        qs = qs.filter(period__startswith=f"{year:04d}")
    return qs.select_related("organisation", "entry", "fulfilled_by")


def compliance(
    user, *, root: Organisation | None = None, year: int | None = None, today: dt.date | None = None
):
    """Per organisation, in one query: owed, on time, late, missing (due, not published), not yet due."""
    today = today or timezone.localdate()
    published = Q(fulfilled_on__isnull=False)
    rows = (
        obligations_for(user, root=root, year=year)
        .values("organisation_id", "organisation__name", "organisation__path")
        .annotate(
            owed=Count("pk"),
            on_time=Count("pk", filter=published & Q(fulfilled_on__lte=F("due_on"))),
            late=Count("pk", filter=published & Q(fulfilled_on__gt=F("due_on"))),
            missing=Count("pk", filter=Q(fulfilled_on__isnull=True, due_on__lt=today)),
            pending=Count("pk", filter=Q(fulfilled_on__isnull=True, due_on__gte=today)),
        )
        .order_by("organisation__path")
    )
    return list(rows)
