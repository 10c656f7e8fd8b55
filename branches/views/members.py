from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..filters import MemberFilter
from ..forms import HouseholdForm, LiaisonForm, MemberForm
from ..models import Member
from ..selectors import get_member_for, get_organisation_for, scope_for
from ..selectors import member_list as member_list_qs
from .common import flash_form_errors

PAGE_SIZE = 50


@login_required
@require_GET
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, roster=True)
    members = MemberFilter(request.GET, queryset=member_list_qs(org))
    page = Paginator(members.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "branches/member_list.html",
        {
            "org": org,
            "filter": members,
            "page": page,
            "query": query.urlencode(),
            "can_manage": scope_for(request.user).can_manage(org),
        },
    )


@login_required
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    member = scope_for(request.user).member
    if member is None:
        raise Http404
    return redirect("branches:member", pk=member.pk)


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for(request, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "branches/member_detail.html",
        {
            "member": member,
            "can_manage": scope.can_manage(member.organisation),
            "households": member.households.all(),
            "liaisons_down": member.liaisons_down.select_related("lower"),
            "liaisons_up": member.liaisons_up.select_related("upper"),
            "roles": member.roles.select_related("organisation").order_by("-starts_on"),
            "household_form": HouseholdForm(),
            "liaison_form": _liaison_form(member) if scope.can_manage(member.organisation) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            member = services.add_member(
                actor=request.user,
                organisation=org,
                name=data.pop("name"),
                category=data.pop("category"),
                **data,
            )
        except services.BranchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, member.name)
            return redirect("branches:member", pk=member.pk)
    return render(request, "branches/member_form.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for(request, pk, manage=True)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            # The form validated against a copy; the service reloads and applies the changes.
            member.refresh_from_db()
            services.update_member(actor=request.user, member=member, **form.cleaned_data)
        except services.BranchError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("branches:member", pk=member.pk)
    return render(
        request, "branches/member_form.html", {"form": form, "org": member.organisation, "member": member}
    )


@login_required
@require_POST
def household_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for(request, pk, manage=True)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            services.add_household(actor=request.user, member=member, **form.cleaned_data)
        except services.BranchError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("branches:member", pk=member.pk)


def _liaison_form(member: Member, data=None) -> LiaisonForm:
    form = LiaisonForm(data)
    form.fields["lower"].queryset = Member.objects.filter(
        organisation__path__startswith=member.organisation.path,
        is_active=True,
        category__in=["full", "probationary"],
    ).exclude(pk=member.pk)
    return form


@login_required
@require_POST
def liaison_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for(request, pk, manage=True)
    form = _liaison_form(member, request.POST)
    if form.is_valid():
        try:
            services.link_liaison(actor=request.user, upper=member, **form.cleaned_data)
        except services.BranchError as exc:
            messages.error(request, str(exc))
    else:
        flash_form_errors(request, form)
    return redirect("branches:member", pk=member.pk)
