"""The candidate pages of 公推直选: a candidate's page with his nominations and questions, and the actions
posted from it — the qualification review, the inspection, an objection, a question and its answer, the
candidate's own page, the answer to an objection."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ballots.views.common import flash_step

from .. import forms as f
from .. import services
from ..models import Candidacy, CandidateQuestion, Objection
from ..selectors import ElectionAccess, get_candidacy_for
from .common import read_form


@never_cache
@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidacy, access = get_candidacy_for(request, pk)
    is_candidate = candidacy.member.user_id == request.user.pk
    context = {
        "candidacy": candidacy,
        "election": access.election,
        "access": access,
        "is_candidate": is_candidate,
        "questions": list(candidacy.questions.order_by("asked_at", "pk")),
        "nominations": list(candidacy.nominations.order_by("created_at", "pk")),
        "page_form": f.CandidatePageForm(initial={k: getattr(candidacy, k) for k in services.PAGE_FIELDS})
        if is_candidate or access.can_manage
        else None,
        "objections": list(candidacy.objections.order_by("raised_at", "pk")) if access.can_manage else [],
    }
    return render(request, "elections/candidate.html", context)


def candidacy_step(*, via: QuerySet | None = None, **permission: bool):
    """An action posted from a candidate page: the candidacy is fetched and checked (`manage=True`, …), the
    step runs (`step(request, candidacy, access)`, or with the question or objection of `via` when the URL
    names one), its message or refusal is flashed, and the page goes back to the candidate — or to the
    election when the form says back=election."""

    def decorate(step: Callable[[HttpRequest, Any, ElectionAccess], str]):
        @login_required
        @require_POST
        @wraps(step)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            row = get_object_or_404(via, pk=pk) if via is not None else None
            candidacy, access = get_candidacy_for(request, row.candidacy_id if row else pk, **permission)
            flash_step(request, lambda: step(request, row or candidacy, access))
            if request.POST.get("back") == "election":
                return redirect("elections:election", pk=candidacy.election_id)
            return redirect("elections:candidate", pk=candidacy.pk)

        return view

    return decorate


@candidacy_step(approve=True)
def candidate_review(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    data = read_form(f.ReviewForm, request)
    services.review_candidacy(
        actor=request.user, candidacy=candidacy, qualified=data["qualified"], reason=data["reason"]
    )
    return _("The review is recorded.")


@candidacy_step(manage=True)
def candidate_inspect(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    services.record_inspection(
        actor=request.user, candidacy=candidacy, note=read_form(f.RequiredTextForm, request)["text"]
    )
    return _("The inspection is recorded.")


@candidacy_step(take_part=True)
def candidate_object(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    services.raise_objection(
        actor=request.user, candidacy=candidacy, text=read_form(f.RequiredTextForm, request)["text"]
    )
    return _("Your objection is received; it will be answered before the list is fixed.")


@candidacy_step(take_part=True)
def candidate_ask(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    services.ask_question(
        actor=request.user, candidacy=candidacy, text=read_form(f.RequiredTextForm, request)["text"]
    )
    return _("Your question is sent to the candidate.")


@candidacy_step()
def candidate_page(request: HttpRequest, candidacy: Candidacy, access: ElectionAccess) -> str:
    if candidacy.member.user_id != request.user.pk and not access.can_manage:
        raise PermissionDenied
    services.update_candidate_page(
        actor=request.user, candidacy=candidacy, **read_form(f.CandidatePageForm, request)
    )
    return _("The candidate page is saved.")


@candidacy_step(via=CandidateQuestion.objects.select_related("candidacy"))
def question_answer(request: HttpRequest, question: CandidateQuestion, access: ElectionAccess) -> str:
    if question.candidacy.member.user_id != request.user.pk:
        raise PermissionDenied
    services.answer_question(
        actor=request.user, question=question, answer=read_form(f.RequiredTextForm, request)["text"]
    )
    return _("Your answer is published.")


@candidacy_step(via=Objection.objects.select_related("candidacy__member", "election"), manage=True)
def objection_answer(request: HttpRequest, objection: Objection, access: ElectionAccess) -> str:
    data = read_form(f.ObjectionAnswerForm, request)
    services.answer_objection(
        actor=request.user, objection=objection, answer=data["answer"], upheld=data["upheld"]
    )
    return _("The objection is answered.")
