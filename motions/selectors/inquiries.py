"""Scoped reads of inquiries (询问 / 质询), inquiry days and misconduct reports.

Inquiries are public to the members of the branch and to the organisations above it (全程公示); a
misconduct report only to discipline officers of its organisation or above, never to the person accused
(404, the same as a report that does not exist), and to the member who filed it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from branches.models import Member, Organisation, Role
from branches.selectors import Scope, scope_for

from .. import rules
from ..models import CosignStatus, Inquiry, InquiryCosigner, MisconductReport
from ..models.inquiries import INQUIRY_OPEN_STATES, INQUIRY_WAITING_STATES
from .common import NOTHING, fetch_for, party_members, public_q, under_paths


def inquiry_q(scope: Scope) -> Q:
    """His branch and those above it, what he reads, and what he asked, co-signed or is asked."""
    if scope.is_superuser:
        return Q()
    q = public_q(scope)
    if scope.member is not None:
        cosigned = InquiryCosigner.objects.filter(inquiry=OuterRef("pk"), member=scope.member)
        q |= (
            Q(author=scope.member)
            | Q(responsible=scope.member)
            | Q(target=scope.member)
            | Q(Exists(cosigned))
        )
    return q


def report_q(scope: Scope) -> Q:
    """Discipline officers' subtrees, less any report naming him; and the reports he filed himself."""
    if scope.member is None:
        return NOTHING
    q = under_paths(rules.discipline_paths(scope), "organisation__path") & ~Q(accused=scope.member)
    return q | Q(reporter=scope.member)


def get_inquiry_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Inquiry:
    return fetch_for(
        request,
        Inquiry.objects.select_related("organisation", "author__user", "target", "responsible__user"),
        inquiry_q,
        pk,
        check=rules.can_manage_inquiry if manage else None,
    )


def get_report_for(request: HttpRequest, pk: int, *, handle: bool = False) -> MisconductReport:
    return fetch_for(
        request,
        MisconductReport.objects.select_related("organisation", "accused", "reporter"),
        report_q,
        pk,
        check=rules.can_handle_report if handle else None,
    )


def signers(inquiry: Inquiry) -> list[Member]:
    """The asker and the co-signers who confirmed."""
    confirmed = [
        c.member
        for c in inquiry.cosigners.filter(status=CosignStatus.CONFIRMED).select_related("member__user")
    ]
    return [inquiry.author, *confirmed]


def is_signer(scope: Scope, inquiry: Inquiry) -> bool:
    return scope.member is not None and any(m.pk == scope.member.pk for m in signers(inquiry))


def party_member_count(org: Organisation) -> int:
    """The base of a formal challenge's co-signers (rules.challenge_cosigners_required)."""
    return party_members(org).count()


# --- who is told -------------------------------------------------------------------------------


def discipline_officers(org: Organisation, *, excluding=None) -> list:
    """Discipline officers of `org` and above (纪检委员 and supervisors), less the person accused."""
    roles = (
        Role.objects.current()
        .filter(
            kind__in=rules.DISCIPLINE_ROLES,
            organisation__path__in=org.ancestor_paths(),
            member__user__isnull=False,
        )
        .select_related("member__user")
    )
    if excluding is not None:
        roles = roles.exclude(member=excluding)
    return [r.member.user for r in roles]


# --- the board and the reports' list --------------------------------------------------------------


def inquiry_board(
    user, *, organisation: Organisation | None = None, today: dt.date | None = None
) -> QuerySet:
    today = today or timezone.localdate()
    qs = (
        Inquiry.objects.filter(inquiry_q(scope_for(user)))
        .select_related("organisation", "author", "target", "responsible")
        .annotate(
            light=rules.traffic_light_sql(
                today, open_states=INQUIRY_OPEN_STATES, waiting_states=INQUIRY_WAITING_STATES
            )
        )
        .order_by("-created_at", "-pk")
    )
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    return qs


def inquiry_rates(inquiries: QuerySet) -> list[dict]:
    """Per branch: inquiries received, answered, answer rate and average days to the first answer."""
    time_to_answer = ExpressionWrapper(
        F("first_answered_at") - F("submitted_at"), output_field=DurationField()
    )
    rows = (
        Inquiry.objects.filter(pk__in=inquiries.values("pk"), submitted_at__isnull=False)
        .values("organisation_id", "organisation__name", "organisation__path")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(first_answered_at__isnull=False)),
            avg_time=Avg(time_to_answer, filter=Q(first_answered_at__isnull=False)),
        )
        .order_by("organisation__path")
    )
    return [
        {
            "organisation_id": r["organisation_id"],
            "name": r["organisation__name"],
            "received": r["received"],
            "answered": r["answered"],
            "answer_rate": rules.percent(r["answered"], r["received"]),
            "avg_days": round(r["avg_time"].total_seconds() / 86400, 1) if r["avg_time"] else None,
        }
        for r in rows
    ]


def report_list(user) -> QuerySet[MisconductReport]:
    return (
        MisconductReport.objects.filter(report_q(scope_for(user)))
        .select_related("organisation", "accused")
        .order_by("-created_at", "-pk")
    )
