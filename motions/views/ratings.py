"""Democratic evaluation: member evaluation, leadership evaluation with its consequences, 民评官 and
双向述职; the one-time invitation page for mass representatives and the public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.models import Member
from branches.selectors import get_organisation_for, scope_for
from branches.views.common import flash_form_errors

from .. import rules, selectors_motions, services
from ..forms_motions import (
    LeadershipForm,
    MeetingChoiceForm,
    MemberChoiceForm,
    NameForm,
    PeerReviewForm,
    PublicRatingForm,
    QuestionForm,
    TextForm,
    TwoWayForm,
    TwoWayRatingForm,
    YearForm,
)
from ..models import (
    Grade,
    Invitation,
    LeadershipEvaluation,
    MemberEvaluation,
    PublicRating,
    TwoWayReport,
)
from ..services import evaluations as evaluation_services
from .common import flash_run, managed_organisations, submitted


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    q = selectors_motions.evaluation_q(scope)
    return render(
        request,
        "motions/evaluation_list.html",
        {
            "member_evaluations": MemberEvaluation.objects.filter(q).select_related("organisation")[:50],
            "leadership": LeadershipEvaluation.objects.filter(q).select_related("organisation")[:50],
            "public_ratings": PublicRating.objects.filter(q).select_related("organisation", "leader")[:50],
            "two_way": TwoWayReport.objects.filter(q).select_related("organisation", "secretary")[:50],
            "managed": managed_organisations(scope),
        },
    )


# --- member evaluation --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_evaluation_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = YearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if evaluation := submitted(
        request,
        form,
        lambda data: services.start_member_evaluation(
            actor=request.user, organisation=org, year=data["year"]
        ),
    ):
        return redirect(evaluation)
    return render(
        request,
        "motions/evaluation_form.html",
        {"form": form, "org": org, "heading": _("Democratic evaluation of members")},
    )


@login_required
@require_GET
def member_evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors_motions.get_member_evaluation_for(request, pk)
    scope = scope_for(request.user)
    can_manage = scope.can_manage(evaluation.organisation)
    assessments = list(evaluation.assessments.select_related("member"))
    me = scope.member
    mine = next((a for a in assessments if me is not None and a.member_id == me.pk), None)
    counts = evaluation_services.poll_counts(evaluation.poll) if can_manage else {}
    rows = [
        {"assessment": a, "counts": [counts.get(str(a.member_id), {}).get(g, 0) for g in Grade.values]}
        for a in assessments
    ]
    return render(
        request,
        "motions/member_evaluation.html",
        {
            "evaluation": evaluation,
            "can_manage": can_manage,
            "rows": rows if can_manage else [],
            "mine": mine,
            "grades": Grade.choices,
            "cap": rules.excellent_cap(len(assessments)),
            "members": len(assessments),
            "peer_reviews": evaluation.peer_reviews.select_related("author", "subject") if can_manage else [],
            "self_form": TextForm(initial={"text": mine.self_assessment if mine else ""}),
            "peer_form": PeerReviewForm(organisation=evaluation.organisation),
            "meeting_form": MeetingChoiceForm(organisation=evaluation.organisation),
        },
    )


@login_required
@require_POST
def member_evaluation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    manage = action in ("advance", "rating", "grading", "grades", "conclude")
    if not manage and action not in ("self", "peer"):
        raise Http404
    evaluation = selectors_motions.get_member_evaluation_for(request, pk, manage=manage)
    user = request.user
    me = scope_for(user).member
    if action in ("self", "peer"):
        if me is None:
            raise PermissionDenied
        if action == "self":
            form = TextForm(request.POST)
            return flash_run(
                request,
                evaluation,
                lambda: services.submit_self_assessment(
                    actor=user, evaluation=evaluation, member=me, text=form.cleaned_data["text"]
                ),
                _("Your self-assessment is saved."),
                form=form,
            )
        form = PeerReviewForm(request.POST, organisation=evaluation.organisation)
        return flash_run(
            request,
            evaluation,
            lambda: services.submit_peer_review(
                actor=user,
                evaluation=evaluation,
                author=me,
                subject=form.cleaned_data["member"],
                text=form.cleaned_data["text"],
            ),
            _("Your assessment is saved."),
            form=form,
        )
    if action == "advance":
        return flash_run(
            request,
            evaluation,
            lambda: services.advance_member_evaluation(actor=user, evaluation=evaluation),
            _("Peer assessment is open."),
        )
    if action == "rating":
        form = MeetingChoiceForm(request.POST, organisation=evaluation.organisation)
        return flash_run(
            request,
            evaluation,
            lambda: redirect(
                "ballots:poll",
                services.open_member_rating(
                    actor=user, evaluation=evaluation, meeting=form.cleaned_data["meeting"]
                ).pk,
            ),
            form=form,
        )
    if action == "grading":
        return flash_run(
            request,
            evaluation,
            lambda: services.start_grading(actor=user, evaluation=evaluation),
            _("The committee may set the grades."),
        )
    if action == "grades":
        grades = {
            int(key.removeprefix("grade-")): value
            for key, value in request.POST.items()
            if key.startswith("grade-") and key.removeprefix("grade-").isdigit()
        }
        return flash_run(
            request,
            evaluation,
            lambda: services.set_grades(actor=user, evaluation=evaluation, grades=grades),
            _("The grades are saved."),
        )
    return flash_run(
        request,
        evaluation,
        lambda: services.conclude_member_evaluation(actor=user, evaluation=evaluation),
        _("Concluded: each member is told his grade."),
    )


# --- leadership evaluation ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def leadership_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = LeadershipForm(request.POST or None)
    if evaluation := submitted(
        request,
        form,
        lambda data: services.start_leadership_evaluation(actor=request.user, organisation=org, **data),
    ):
        return redirect(evaluation)
    return render(
        request,
        "motions/evaluation_form.html",
        {"form": form, "org": org, "heading": _("Evaluation of the leadership")},
    )


@login_required
@require_GET
def leadership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors_motions.get_leadership_evaluation_for(request, pk)
    scope = scope_for(request.user)
    can_manage = scope.can_manage(evaluation.organisation)
    counts = evaluation_services.leadership_counts(evaluation) if evaluation.status != "reporting" else {}
    names = {str(m.pk): m.name for m in Member.objects.filter(pk__in=[k for k in counts if k.isdigit()])}
    names["team"] = _("The leadership team")
    rows = []
    for key, row in sorted(counts.items(), key=lambda kv: (kv[0] != "team", kv[0])):
        scale = evaluation.team_scale if key == "team" else evaluation.member_scale
        verdict = (
            evaluation.verdicts.get("team")
            if key == "team"
            else evaluation.verdicts.get("members", {}).get(key)
        )
        rows.append(
            {
                "name": names.get(key, key),
                "cells": [(evaluation_services.label_of(v), row.get(v, 0)) for v in scale],
                "satisfaction": rules.satisfaction(row, scale),
                "satisfied": rules.satisfaction_reached(row, scale),
                "verdict": evaluation_services.label_of(verdict) if verdict else "",
            }
        )
    consequences = [
        {
            "name": names.get(c.target, c.target),
            "verdict": evaluation_services.label_of(c.verdict),
            "action": rules.CONSEQUENCE_LABELS[c.action],
            "key": c.action,
        }
        for c in evaluation_services.consequences_of(evaluation)
    ]
    previous = evaluation_services.previous_leadership_evaluation(evaluation)
    return render(
        request,
        "motions/leadership_evaluation.html",
        {
            "evaluation": evaluation,
            "can_manage": can_manage,
            "rows": rows,
            "consequences": consequences,
            "previous": previous,
            "questions": evaluation.questions.all(),
            "question_form": QuestionForm(),
            "meeting_form": MeetingChoiceForm(organisation=evaluation.organisation),
            "name_form": NameForm(),
            "invitations": evaluation.invitations.all() if can_manage else [],
        },
    )


def _token_message(request, invited: tuple[Invitation, str]) -> str:
    """The one-time link of an invitation, for the message on the page (it is shown only now)."""
    _invitation, token = invited
    url = request.build_absolute_uri(reverse("motions:rate", args=[token]))
    return _("Hand this one-time link to the person invited (it is shown only now): %(url)s") % {"url": url}


@login_required
@require_POST
def leadership_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("question", "rating", "invite", "conclude"):
        raise Http404
    evaluation = selectors_motions.get_leadership_evaluation_for(request, pk, manage=True)
    user = request.user
    if action == "question":
        form = QuestionForm(request.POST)
        return flash_run(
            request,
            evaluation,
            lambda: services.add_question(actor=user, evaluation=evaluation, **form.cleaned_data),
            _("The question is recorded."),
            form=form,
        )
    if action == "rating":
        form = MeetingChoiceForm(request.POST, organisation=evaluation.organisation)
        return flash_run(
            request,
            evaluation,
            lambda: services.open_leadership_rating(
                actor=user, evaluation=evaluation, meeting=form.cleaned_data["meeting"]
            ),
            _("The two rating polls are prepared in the meeting."),
            form=form,
        )
    if action == "invite":
        form = NameForm(request.POST)
        return flash_run(
            request,
            evaluation,
            lambda: _token_message(
                request,
                services.invite_representative(
                    actor=user, evaluation=evaluation, name=form.cleaned_data["name"]
                ),
            ),
            form=form,
        )
    return flash_run(
        request,
        evaluation,
        lambda: services.conclude_leadership_evaluation(actor=user, evaluation=evaluation),
        _("Concluded: the verdicts and their consequences are listed."),
    )


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
    lines = [
        (key, label, [(v, evaluation_services.label_of(v)) for v in scale]) for key, label, scale in lines
    ]
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
    rating = selectors_motions.get_public_rating_for(request, pk)
    can_manage = scope_for(request.user).can_manage(rating.organisation)
    results = rating.results if rating.status == "published" else {}
    rows = (
        [
            {
                "dimension": d,
                "cells": [
                    (evaluation_services.label_of(v), results.get(d, {}).get(v, 0)) for v in rating.scale
                ],
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
    rating = selectors_motions.get_public_rating_for(request, pk, manage=True)
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
        lambda: _token_message(
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
    report = selectors_motions.get_two_way_report_for(request, pk)
    scope = scope_for(request.user)
    parent = report.organisation.parent
    ratings: dict[str, dict[str, int]] = {}
    for r in report.ratings.all():
        ratings.setdefault(r.audience, {})[r.value] = r.count
    scale = ["good", "fair", "poor"]
    rows = [
        {
            "audience": label,
            "cells": [(evaluation_services.label_of(v), ratings.get(key, {}).get(v, 0)) for v in scale],
            "satisfaction": rules.satisfaction(ratings.get(key, {}), scale),
        }
        for key, label in (("higher", _("The higher committee")), ("members", _("His own members")))
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
    report = selectors_motions.get_two_way_report_for(request, pk)
    scope = scope_for(request.user)
    form = TwoWayRatingForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("motions:two_way", report.pk)
    audience = form.cleaned_data["audience"]
    # The members' rating is recorded by the branch; the higher committee's by the higher committee.
    judge = report.organisation.parent if audience == "higher" else report.organisation
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
