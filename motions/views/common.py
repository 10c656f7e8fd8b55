"""What the motions views share: the member acting, member lists for the forms, CSV responses."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from branches.models import COMMITTEE_ROLES, Member, Organisation, Role
from branches.selectors import scope_for


def acting_member(request: HttpRequest) -> Member:
    """The party member behind the request; staff without a member record cannot file anything."""
    member = scope_for(request.user).member
    if member is None or member.category not in ("full", "probationary"):
        raise PermissionDenied
    return member


def party_members(org: Organisation) -> QuerySet[Member]:
    return Member.objects.filter(
        organisation__path__startswith=org.path, is_active=True, category__in=["full", "probationary"]
    ).order_by("name_pinyin", "pk")


def committee_members(org: Organisation) -> QuerySet[Member]:
    """Current committee members of the organisation and those above it (who may be addressed)."""
    ids = Role.objects.current().filter(kind__in=COMMITTEE_ROLES, organisation__path__in=org.ancestor_paths())
    return Member.objects.filter(pk__in=ids.values("member_id"), is_active=True).order_by("name_pinyin", "pk")


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A UTF-8 CSV with a byte-order mark, so that Excel opens the Chinese correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
