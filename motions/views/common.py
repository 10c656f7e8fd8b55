"""What the motions views share: the member acting, member lists for the forms, lists and CSV, and the
shapes of a write: a form page (`submitted`), an action answered with a message (`flash_run`), and an
action on an object's page that shows it again with the form's error (`DetailPage.act`, `post_action`)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from branches.exports import inert_cell
from branches.models import COMMITTEE_ROLES, Member, Organisation, Role
from branches.rules import is_ascii_digits
from branches.selectors import Scope, get_organisation_for, scope_for
from branches.views.common import flash_form_errors

from .. import selectors
from ..forms import CosignForm
from ..services import MotionError
from ..services.common import is_party_member


def acting_member(request: HttpRequest) -> Member:
    """The party member behind the request; staff without a member record cannot file anything."""
    member = scope_for(request.user).member
    if not is_party_member(member):
        raise PermissionDenied
    return member


def party_members(org: Organisation) -> QuerySet[Member]:
    """The party members of `org` and below, in the order of the forms' member lists."""
    return selectors.party_members(org).order_by("name_pinyin", "pk")


def committee_members(org: Organisation) -> QuerySet[Member]:
    """Current committee members of the organisation and those above it (who may be addressed)."""
    ids = Role.objects.current().filter(kind__in=COMMITTEE_ROLES, organisation__path__in=org.ancestor_paths())
    return Member.objects.filter(pk__in=ids.values("member_id"), is_active=True).order_by("name_pinyin", "pk")


# --- lists and boards -----------------------------------------------------------------------------


def board_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation a list is narrowed to (`?org=`), fetched and checked; None for all he may see."""
    pk = request.GET.get("org")
    if not pk:
        return None
    if not is_ascii_digits(pk):
        raise Http404
    return get_organisation_for(request, int(pk))


def managed_organisations(scope: Scope) -> list[Organisation]:
    """The organisations whose "new …" links a list offers."""
    return sorted(
        {r.organisation for r in scope.roles if scope.can_manage(r.organisation)}, key=lambda o: o.path
    )


def may_export(scope: Scope) -> bool:
    """Secretaries and supervisors download a board as CSV; the members read it on the page."""
    return scope.is_manager or scope.is_supervisor


def list_page(request: HttpRequest, template: str, filterset, **context) -> HttpResponse:
    """A filtered list, 30 rows a page; `query` keeps the filter in the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    return render(
        request, template, {"page": page, "filter": filterset, "query": query.urlencode(), **context}
    )


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A UTF-8 CSV with a byte-order mark, so that Excel opens the Chinese correctly; every cell through
    `branches.exports.inert_cell`, so a title typed as "=HYPERLINK(…)" is text in the spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([inert_cell(cell) for cell in header])
    writer.writerows([inert_cell(cell) for cell in row] for row in rows)
    return response


# --- writes ---------------------------------------------------------------------------------------


def submitted(request: HttpRequest, form, call: Callable[[dict], object]):
    """A form page's POST: a valid form goes to the service (`call(cleaned_data)`), whose result is
    returned; a refusal becomes the form's error. None on a GET, an invalid form or a refusal: the page is
    shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except MotionError as exc:
        form.add_error(None, str(exc))
        return None


def flash_run(
    request: HttpRequest, obj, call: Callable[[], object], success: str = "", form=None
) -> HttpResponse:
    """An action posted from an object's page that answers on that page with a message: the form's errors,
    the service's refusal, or `success`. `call` may return its own response (a poll to go to), or its own
    message."""
    if form is not None and not form.is_valid():
        flash_form_errors(request, form)
        return redirect(obj)
    try:
        outcome = call()
    except MotionError as exc:
        messages.error(request, str(exc))
        return redirect(obj)
    if isinstance(outcome, HttpResponse):
        return outcome
    if message := outcome if isinstance(outcome, str) else success:
        messages.success(request, message)
    return redirect(obj)


@dataclass(frozen=True)
class DetailPage:
    """An object's page with its forms; an action posted from it shows it again with the form's error."""

    template: str
    context: Callable[..., dict]  # (request, obj, **forms): a form given replaces the page's own
    url_name: str
    fetch: Callable[[HttpRequest, int], object]  # the object if the user may see it, else 404

    def render(self, request: HttpRequest, obj, *, status: int = 200, **forms) -> HttpResponse:
        return render(request, self.template, self.context(request, obj, **forms), status=status)

    def act(
        self,
        request: HttpRequest,
        pk: int,
        *,
        name: str,
        allowed: Callable[[Scope, object], bool],
        run: Callable[[object, dict], object],
        form_class=None,
        form_kwargs: Callable[[object], dict] | None = None,
        prefix: str | None = None,
    ) -> HttpResponse:
        """Fetch (404) and check (`allowed`, else 403) the object, validate the form `name` (if the action
        has one) and call the service (`run(obj, data)`), then back to the page. A refusal shows the page
        again with the error on the form (400) — or, for a button without a form, as a message. `run` may
        return its own response."""
        obj = self.fetch(request, pk)
        if not allowed(scope_for(request.user), obj):
            raise PermissionDenied
        form = None
        if form_class is not None:
            form = form_class(request.POST, prefix=prefix, **(form_kwargs(obj) if form_kwargs else {}))
            if not form.is_valid():
                return self.render(request, obj, status=400, **{name: form})
        try:
            result = run(obj, form.cleaned_data if form else {})
        except MotionError as exc:
            if form is None:
                messages.error(request, str(exc))
                return redirect(self.url_name, pk=obj.pk)
            form.add_error(None, str(exc))
            return self.render(request, obj, status=400, **{name: form})
        if isinstance(result, HttpResponse):
            return result
        return redirect(self.url_name, pk=obj.pk)


def detail_view(page: DetailPage):
    """The GET view of an object's page: fetched and checked by `page.fetch` (404 if hidden)."""

    @login_required
    @require_GET
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return page.render(request, page.fetch(request, pk))

    return view


def post_action(page: DetailPage, name: str, service: Callable, form_class=None, *, noun: str, **options):
    """The POST view of the action `name` on an object's page (`DetailPage.act`), which calls
    `service(actor=the user, <noun>=the object, **the form's data)`."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        def run(obj, data: dict):
            return service(actor=request.user, **{noun: obj}, **data)

        return page.act(request, pk, name=name, form_class=form_class, run=run, **options)

    return view


def cosign_action(page: DetailPage, service: Callable, *, noun: str):
    """The POST view of a named co-signer's answer (confirm or decline) on a proposal's or a challenge's
    page: `service(actor=…, <noun>=…, member=his member record, confirm=…)`."""

    def is_named(scope: Scope, obj) -> bool:
        return scope.member is not None and obj.cosigners.filter(member=scope.member).exists()

    def cosign(*, actor, **answer):
        return service(actor=actor, member=scope_for(actor).member, **answer)

    return post_action(page, "cosign", cosign, CosignForm, noun=noun, allowed=is_named)
