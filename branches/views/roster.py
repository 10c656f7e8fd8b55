"""Roster import (preview, then all or nothing) and export, in the national column order."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..audit import log_action
from ..forms import RosterUploadForm
from ..models import RosterImportStatus
from ..roster import (
    COLUMNS,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    apply_roster,
    current_problems,
    describe,
    export_roster,
    preview_roster,
    preview_rows,
)
from ..selectors import get_organisation_for, get_roster_import_for
from ..services import BranchError

PREVIEW_PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def roster_upload(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = RosterUploadForm()
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                roster_import = preview_roster(
                    actor=request.user, organisation=org, uploaded_file=form.cleaned_data["file"]
                )
            except BranchError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("branches:roster_preview", pk=roster_import.pk)
    return render(
        request,
        "branches/roster_upload.html",
        {"org": org, "form": form, "columns": COLUMNS, "max_rows": MAX_ROWS},
    )


@login_required
@require_GET
def roster_preview(request: HttpRequest, pk: int) -> HttpResponse:
    roster_import = get_roster_import_for(request, pk)
    problems = current_problems(roster_import, actor=request.user)
    table = preview_rows(roster_import.rows, problems)
    page = Paginator(table, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/roster_preview.html",
        {
            "roster_import": roster_import,
            "org": roster_import.organisation,
            "columns": COLUMNS,
            "page": page,
            "problems": [describe(p) for p in problems],
            "can_apply": roster_import.status == RosterImportStatus.PREVIEWED and not problems,
            "row_count": len(roster_import.rows),
        },
    )


@login_required
@require_POST
def roster_apply(request: HttpRequest, pk: int) -> HttpResponse:
    roster_import = get_roster_import_for(request, pk)
    try:
        count = apply_roster(actor=request.user, roster_import=roster_import)
    except BranchError as exc:
        messages.error(request, str(exc))
        return redirect("branches:roster_preview", pk=roster_import.pk)
    done = ngettext("%(count)d member imported.", "%(count)d members imported.", count) % {"count": count}
    messages.success(request, done)
    return redirect("branches:members", pk=roster_import.organisation_id)


@login_required
@require_GET
def roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, roster=True)
    today = timezone.localdate().isoformat()
    response = HttpResponse(export_roster(org), content_type=XLSX_CONTENT_TYPE)
    # An ASCII name for old clients, the organisation's name for the others (RFC 6266).
    readable = _("%(org)s roster %(date)s.xlsx") % {"org": org.name, "date": today}
    response["Content-Disposition"] = (
        f"attachment; filename=\"roster-{org.pk}-{today}.xlsx\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
    # Full ID numbers: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    # Every full ID number of the subtree leaves the system: who took them is recorded.
    log_action(request.user, "roster.export", org)
    return response
