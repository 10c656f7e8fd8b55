"""公开目录 and the compliance board: what is owed, published on time, late, missing."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from branches.exports import xlsx_cell
from branches.models import Organisation
from branches.selectors import get_organisation_for, scope_for

from .. import rules, selectors, services
from ..forms import CatalogueEntryForm
from ..models import CatalogueEntry


def _require_reader(request: HttpRequest):
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths):
        raise PermissionDenied
    return scope


def _visible_entries(scope):
    """The default catalogue and the entries of the organisations the user reads (or sits below)."""
    if scope.is_superuser:
        return CatalogueEntry.objects.all()
    q = Q(organisation__isnull=True) | Q(organisation__path__in=scope.own_ancestor_paths)
    for path in sorted(scope.read_paths):
        q |= Q(organisation__path__startswith=path)
    return CatalogueEntry.objects.filter(q)


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    scope = _require_reader(request)
    entries = list(
        _visible_entries(scope)
        .select_related("organisation")
        .order_by("organisation__path", "category", "key")
    )
    editable = {e.pk for e in entries if rules.can_define_catalogue(scope, e.organisation)}
    committees = sorted(
        {r.organisation for r in scope.roles if rules.can_define_catalogue(scope, r.organisation)},
        key=lambda o: o.path,
    )
    return render(
        request,
        "openness/catalogue.html",
        {"entries": entries, "editable": editable, "committees": committees},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    if not rules.can_define_catalogue(scope_for(request.user), org):
        raise PermissionDenied
    form = CatalogueEntryForm(
        request.POST or None,
        initial={"starts_on": timezone.localdate(), "is_active": True, "deadline_working_days": 5},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_entry(actor=request.user, organisation=org, **form.cleaned_data)
        except services.DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The catalogue entry was saved."))
            return redirect("openness:catalogue")
    return render(request, "openness/entry_form.html", {"form": form, "org": org, "entry": None})


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _require_reader(request)
    entry = _visible_entries(scope).filter(pk=pk).select_related("organisation").first()
    if entry is None:
        raise Http404
    if not rules.can_define_catalogue(scope, entry.organisation):
        raise PermissionDenied
    form = CatalogueEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "key"}
        try:
            services.save_entry(actor=request.user, organisation=entry.organisation, entry=entry, **values)
        except services.DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The catalogue entry was saved."))
            return redirect("openness:catalogue")
    return render(
        request, "openness/entry_form.html", {"form": form, "org": entry.organisation, "entry": entry}
    )


# --- compliance ---------------------------------------------------------------------------------------------


def _compliance_params(request: HttpRequest, scope) -> tuple[Organisation | None, int, list[Organisation]]:
    roots = list(
        Organisation.objects.visible_to(request.user)
        .filter(Q() if scope.is_superuser else _read_q(scope))
        .order_by("path")
    )
    root = None
    if request.GET.get("org"):
        try:
            root = next(o for o in roots if str(o.pk) == request.GET["org"])
        except StopIteration:
            raise Http404 from None
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return root, year, roots


def _read_q(scope) -> Q:
    q = Q(pk__in=[])
    for path in sorted(scope.read_paths):
        q |= Q(path__startswith=path)
    return q


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """The supervisors' board: per organisation, owed / on time / late / missing / not yet due."""
    scope = _require_reader(request)
    root, year, roots = _compliance_params(request, scope)
    today = timezone.localdate()
    rows = selectors.compliance(request.user, root=root, year=year, today=today)
    overdue = [
        o
        for o in selectors.obligations_for(request.user, root=root, year=year).order_by(
            "due_on", "organisation__path"
        )
        if rules.obligation_status(o, today) in ("missing", "late")
    ][:200]
    totals = {k: sum(r[k] for r in rows) for k in ("owed", "on_time", "late", "missing", "pending")}
    chart = {
        "labels": [r["organisation__name"] for r in rows],
        "series": [
            {"key": "on_time", "label": _("On time"), "data": [r["on_time"] for r in rows]},
            {"key": "late", "label": _("Late"), "data": [r["late"] for r in rows]},
            {"key": "missing", "label": _("Missing"), "data": [r["missing"] for r in rows]},
            {"key": "pending", "label": _("Not yet due"), "data": [r["pending"] for r in rows]},
        ],
    }
    context = {
        "rows": rows,
        "overdue": overdue,
        "totals": totals,
        "chart": chart,
        "root": root,
        "year": year,
        "roots": roots,
        "years": range(today.year - 3, today.year + 1),
        "today": today,
    }
    return render(request, "openness/compliance.html", context)


def _append(sheet, values: list) -> None:
    """One row of an export. Names and titles are typed by anyone: their cells hold text, never a formula."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


@login_required
@require_GET
def compliance_export(request: HttpRequest) -> HttpResponse:
    """The same board as an .xlsx workbook: a summary sheet and every obligation with its standing."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    scope = _require_reader(request)
    root, year, _roots = _compliance_params(request, scope)
    today = timezone.localdate()
    labels = {
        "on_time": _("On time"),
        "late": _("Late"),
        "missing": _("Missing"),
        "pending": _("Not yet due"),
    }
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    _append(summary, [_("Organisation"), _("Owed"), _("On time"), _("Late"), _("Missing"), _("Not yet due")])
    for row in selectors.compliance(request.user, root=root, year=year, today=today):
        _append(
            summary,
            [
                row["organisation__name"],
                row["owed"],
                row["on_time"],
                row["late"],
                row["missing"],
                row["pending"],
            ],
        )
    detail = book.create_sheet(_("Obligations")[:31])
    _append(
        detail,
        [
            _("Organisation"),
            _("Catalogue entry"),
            _("Period"),
            _("Due"),
            _("Published on"),
            _("Result"),
            _("Item"),
        ],
    )
    for o in selectors.obligations_for(request.user, root=root, year=year).order_by(
        "organisation__path", "due_on"
    ):
        _append(
            detail,
            [
                o.organisation.name,
                o.entry.name,
                o.period,
                o.due_on,
                o.fulfilled_on,
                labels[rules.obligation_status(o, today)],
                o.fulfilled_by.title if o.fulfilled_by else "",
            ],
        )
    for sheet in (summary, detail):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 1.6), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"compliance-{year}{'-' + str(root.pk) if root else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
