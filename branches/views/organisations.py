from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..filters import AuditFilter
from ..forms import RoleForm
from ..models import Meeting, Member, Role
from ..rules import committee_warnings
from ..selectors import audit_for, committee_of, get_organisation_for, scope_for, tree_for
from ..verbs import changes_of, object_url, sentence
from .common import flash_form_errors


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.read_paths and not scope.is_superuser:
        raise PermissionDenied
    return render(request, "branches/tree.html", {"organisations": tree_for(request.user)})


@login_required
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk)
    scope = scope_for(request.user)
    can_manage = scope.can_manage(org)
    shape = services.committee_shape(org)
    context = {
        "org": org,
        "children": org.children.order_by("path"),
        "committee": committee_of(org),
        "shape": shape,
        "warnings": committee_warnings(shape) if scope.can_read_roster(org) else [],
        "term": org.terms.first(),
        "meetings": Meeting.objects.filter(organisation=org).order_by("-starts_at")[:5],
        "can_manage": can_manage,
        "can_read_roster": scope.can_read_roster(org),
        "role_form": RoleForm(
            members=Member.objects.filter(organisation__path__startswith=org.path, is_active=True)
        )
        if can_manage
        else None,
    }
    return render(request, "branches/organisation.html", context)


@login_required
@require_POST
def role_assign(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    members = Member.objects.filter(organisation__path__startswith=org.path, is_active=True)
    form = RoleForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.assign_role(actor=request.user, organisation=org, **form.cleaned_data)
            messages.success(request, form.cleaned_data["member"].name)
        except services.BranchError as exc:
            messages.error(request, str(exc))
    else:
        flash_form_errors(request, form)
    return redirect("branches:organisation", pk=org.pk)


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    role = Role.objects.select_related("organisation").filter(pk=pk).first()
    if role is None:
        raise Http404
    org = get_organisation_for(request, role.organisation_id, manage=True)
    try:
        services.end_role(actor=request.user, role=role)
    except services.BranchError as exc:
        messages.error(request, str(exc))
    return redirect("branches:organisation", pk=org.pk)


@login_required
@require_GET
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, roster=True)
    entries = AuditFilter(request.GET, queryset=audit_for(org))
    page = Paginator(entries.qs, 50).get_page(request.GET.get("page"))
    rows = [(entry, sentence(entry), object_url(entry), changes_of(entry)) for entry in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "branches/audit.html",
        {"org": org, "page": page, "rows": rows, "filter": entries, "query": query.urlencode()},
    )
