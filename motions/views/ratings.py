"""The ratings of democratic evaluation: the one-time invitation page where a mass representative or a
member of the public rates, the public rating of a leader (民评官) and two-way reporting (双向述职)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.selectors import get_organisation_for, scope_for
from branches.views.common import flash_form_errors

from .. import rules, selectors, services
from ..forms import MemberChoiceForm, NameForm, PublicRatingForm, TwoWayForm, TwoWayRatingForm
from ..models import Audience, Invitation, PublicRatingStatus
from .common import flash_run, submitted


def token_message(request, invited: tuple[Invitation, str]) -> str:
    """The one-time link of an invitation, for the message on the page (it is shown only now)."""
    _invitation, token = invited
    url = request.build_absolute_uri(reverse("motions:rate", args=[token]))
    return _("Hand this one-time link to the person invited (it is shown only now): %(url)s") % {"url": url}


# --- one-time invitations ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """A mass representative or a member of the public rates once; no account, the link is the key."""
    invitation = (
        Invitation.objects.select_related("leadership__member_poll", "public_rating__leader")
        .filter(token_hash=Invitation.hash(token))
        .first()
    )
    if invitation is None:
        raise Http404
    if invitation.leadership_id:
        evaluation = invitation.leadership
        options = list(evaluation.member_poll.options.all()) if evaluation.member_poll else []
        lines = [("team", _("The leadership team"), evaluation.team_scale)] + [
            (str(o.member_id), o.label, evaluation.member_scale) for o in options
        ]
    else:
        rating = invitation.public_rating
        lines = [(str(i), d, rating.scale) for i, d in enumerate(rating.dimensions)]
    lines = [(key, label, [(v, rules.label_of(v)) for v in scale]) for key, label, scale in lines]
    if request.method == "POST":
        values = {
            key: request.POST.get(f"r-{key}") for key, _label, _scale in lines if request.POST.get(f"r-{key}")
        }
        try:
            services.rate_by_invitation(token=token, values=values)
        except services.MotionError as exc:
            messages.error(request, str(exc))
        else:
            return render(request, "motions/rate_done.html", {})
    return render(request, "motions/rate.html", {"invitation": invitation, "lines": lines})


# --- 民评官 ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def public_rating_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = PublicRatingForm(request.POST or None, organisation=org)
    if rating := submitted(
        request,
        form,
        lambda data: services.create_public_rating(
            actor=request.user, organisation=org, leader=data["member"], title=data["title"]
        ),
    ):
        return redirect(rating)
    return render(
        request,
        "motions/evaluation_form.html",
        {"form": form, "org": org, "heading": _("Public rating of a leader (民评官)")},
    )


@require_GET
def public_rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Published results are public; the open rating is seen by its organisation."""
    rating = selectors.get_public_rating_for(request, pk)
    can_manage = scope_for(request.user).can_manage(rating.organisation)
    results = rating.results if rating.status == PublicRatingStatus.PUBLISHED else {}
    rows = (
        [
            {
                "dimension": d,
                "cells": [(rules.label_of(v), results.get(d, {}).get(v, 0)) for v in rating.scale],
                "satisfaction": rules.satisfaction(results.get(d, {}), rating.scale),
                "satisfied": rules.satisfaction_reached(results.get(d, {}), rating.scale),
            }
            for d in rating.dimensions
        ]
        if results
        else []
    )
    return render(
        request,
        "motions/public_rating.html",
        {
            "rating": rating,
            "rows": rows,
            "can_manage": can_manage,
            "name_form": NameForm(),
            "invited": rating.invitations.count() if can_manage else None,
            "used": rating.invitations.filter(used_at__isnull=False).count() if can_manage else None,
        },
    )


@login_required
@require_POST
def public_rating_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("invite", "publish"):
        raise Http404
    rating = selectors.get_public_rating_for(request, pk, manage=True)
    if action == "publish":
        return flash_run(
            request,
            rating,
            lambda: services.publish_public_rating(actor=request.user, rating=rating),
            _("The results are published."),
        )
    form = NameForm(request.POST)
    return flash_run(
        request,
        rating,
        lambda: token_message(
            request,
            services.invite_public_rater(actor=request.user, rating=rating, name=form.cleaned_data["name"]),
        ),
        form=form,
    )


# --- 双向述职 -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def two_way_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    secretary_form = MemberChoiceForm(request.POST or None, organisation=org)
    form = TwoWayForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and secretary_form.is_valid():
        try:
            report = services.record_two_way_report(
                actor=request.user,
                organisation=org,
                secretary=secretary_form.cleaned_data["member"],
                **form.cleaned_data,
            )
        except services.MotionError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("motions:two_way", report.pk)
    return render(
        request,
        "motions/evaluation_form.html",
        {
            "form": form,
            "extra_form": secretary_form,
            "org": org,
            "heading": _("Two-way reporting (双向述职)"),
        },
    )


@login_required
@require_GET
def two_way_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_two_way_report_for(request, pk)
    scope = scope_for(request.user)
    parent = report.organisation.parent
    ratings: dict[str, dict[str, int]] = {}
    for r in report.ratings.all():
        ratings.setdefault(r.audience, {})[r.value] = r.count
    scale = ["good", "fair", "poor"]
    rows = [
        {
            "audience": label,
            "cells": [(rules.label_of(v), ratings.get(key, {}).get(v, 0)) for v in scale],
            "satisfaction": rules.satisfaction(ratings.get(key, {}), scale),
        }
        for key, label in (
            (Audience.HIGHER, _("The higher committee")),
            (Audience.MEMBERS, _("His own members")),
        )
    ]
    return render(
        request,
        "motions/two_way.html",
        {
            "report": report,
            "rows": rows,
            "can_rate_members": scope.can_manage(report.organisation),
            "can_rate_higher": parent is not None and scope.can_manage(parent),
            "form": TwoWayRatingForm(),
        },
    )


@login_required
@require_POST
def two_way_rate(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_two_way_report_for(request, pk)
    scope = scope_for(request.user)
    form = TwoWayRatingForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("motions:two_way", report.pk)
    audience = form.cleaned_data["audience"]
    # The members' rating is recorded by the branch; the higher committee's by the higher committee.
    judge = report.organisation.parent if audience == Audience.HIGHER else report.organisation
    if judge is None or not scope.can_manage(judge):
        raise PermissionDenied
    counts = {k: form.cleaned_data[k] for k in ("good", "fair", "poor")}
    try:
        services.record_two_way_rating(actor=request.user, report=report, audience=audience, counts=counts)
    except services.MotionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The rating is recorded."))
    return redirect("motions:two_way", report.pk)
