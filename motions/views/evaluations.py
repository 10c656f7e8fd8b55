"""Democratic evaluation: the list, member evaluation, and the leadership's evaluation with its
consequences. The ratings by invitation, 民评官 and 双向述职 are in `ratings`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.models import Member
from branches.rules import is_ascii_digits
from branches.selectors import get_organisation_for, scope_for

from .. import rules, selectors, services
from ..forms import (
    LeadershipForm,
    MeetingChoiceForm,
    NameForm,
    PeerReviewForm,
    QuestionForm,
    TextForm,
    YearForm,
)
from ..models import (
    Grade,
    LeadershipEvaluation,
    LeadershipStatus,
    MemberEvaluation,
    PublicRating,
    TwoWayReport,
)
from .common import flash_run, managed_organisations, submitted
from .ratings import token_message


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    q = selectors.evaluation_q(scope)
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
    evaluation = selectors.get_member_evaluation_for(request, pk)
    scope = scope_for(request.user)
    can_manage = scope.can_manage(evaluation.organisation)
    assessments = list(evaluation.assessments.select_related("member"))
    me = scope.member
    mine = next((a for a in assessments if me is not None and a.member_id == me.pk), None)
    counts = selectors.poll_counts(evaluation.poll) if can_manage else {}
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
    evaluation = selectors.get_member_evaluation_for(request, pk, manage=manage)
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
            if key.startswith("grade-") and is_ascii_digits(key.removeprefix("grade-"))
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
    evaluation = selectors.get_leadership_evaluation_for(request, pk)
    scope = scope_for(request.user)
    can_manage = scope.can_manage(evaluation.organisation)
    counts = (
        selectors.leadership_counts(evaluation) if evaluation.status != LeadershipStatus.REPORTING else {}
    )
    names = {
        str(m.pk): m.name for m in Member.objects.filter(pk__in=[k for k in counts if is_ascii_digits(k)])
    }
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
                "cells": [(rules.label_of(v), row.get(v, 0)) for v in scale],
                "satisfaction": rules.satisfaction(row, scale),
                "satisfied": rules.satisfaction_reached(row, scale),
                "verdict": rules.label_of(verdict) if verdict else "",
            }
        )
    consequences = [
        {
            "name": names.get(c.target, c.target),
            "verdict": rules.label_of(c.verdict),
            "action": rules.CONSEQUENCE_LABELS[c.action],
            "key": c.action,
        }
        for c in selectors.consequences_of(evaluation)
    ]
    previous = selectors.previous_leadership_evaluation(evaluation)
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


@login_required
@require_POST
def leadership_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("question", "rating", "invite", "conclude"):
        raise Http404
    evaluation = selectors.get_leadership_evaluation_for(request, pk, manage=True)
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
            lambda: token_message(
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
