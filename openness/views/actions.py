"""The actions posted from an item's page, one small POST view each, answered on that page: attachments,
the procedure's steps (submit, secrecy review, approve, return), correction, archive, discard, feedback.

Each view fetches and checks (`selectors.get_item_for`, or `_item_for` with the step's predicate: hidden
answers 404, not his to do 403), then `_act` runs the service and turns a refusal into a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.selectors import Scope, scope_for
from branches.views.common import flash_form_errors

from .. import rules, selectors, services
from ..forms import (
    AnswerForm,
    AttachmentForm,
    CommentForm,
    CorrectionForm,
    FeedbackForm,
    ReturnForm,
    SecrecyReviewForm,
    SubmitForm,
)
from ..models import DisclosureItem
from .items import ERRORS, back_to


def _item_for(
    request: HttpRequest, pk: int, may: Callable[[Any, Scope, DisclosureItem], bool]
) -> DisclosureItem:
    """Fetch and check for a step of the procedure: 404 if the user may not see the item (selectors), 403 if
    he sees it but `may(user, scope, item)` says this step is not his."""
    item = selectors.get_item_for(request, pk)
    if not may(request.user, scope_for(request.user), item):
        raise PermissionDenied
    return item


def _act(
    request: HttpRequest,
    item: DisclosureItem,
    call: Callable[[], Any],
    *,
    form=None,
    anchor: str = "",
    success: str = "",
    then: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    """An action posted from the item's page, answered on that page (at `anchor`): the form's errors or the
    service's refusal as messages; on success the `success` message, and `then(result)` where the action
    leads elsewhere (the new version, the desk). `call` runs the service only once the form is valid."""
    if form is not None and not form.is_valid():
        flash_form_errors(request, form)
        return back_to(item, anchor)
    try:
        result = call()
    except ERRORS as exc:
        messages.error(request, str(exc))
        return back_to(item, anchor)
    if success:
        messages.success(request, success)
    return then(result) if then is not None else back_to(item, anchor)


# --- attachments --------------------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request, pk, manage=True)
    form = AttachmentForm(request.POST, request.FILES)
    return _act(
        request,
        item,
        lambda: services.add_attachment(actor=request.user, item=item, upload=form.cleaned_data["file"]),
        form=form,
        anchor="#attachments",
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    att = selectors.get_attachment_for(request, pk, manage=True)
    return _act(
        request,
        att.item,
        lambda: services.remove_attachment(actor=request.user, attachment=att),
        anchor="#attachments",
    )


# --- the procedure ------------------------------------------------------------------------------------------


@login_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request, pk, manage=True)
    form = SubmitForm(request.POST, reviewers=selectors.eligible_reviewers(item, exclude=request.user))
    return _act(
        request,
        item,
        lambda: services.submit_item(actor=request.user, item=item, reviewer=form.cleaned_data["reviewer"]),
        form=form,
    )


@login_required
@require_POST
def item_secrecy(request: HttpRequest, pk: int) -> HttpResponse:
    """The named reviewer's decision: pass (every point confirmed) or return with a comment."""
    item = _item_for(request, pk, lambda user, scope, item: rules.can_review_secrecy(user, item))
    form = SecrecyReviewForm(request.POST)
    form.is_valid()  # every field is optional: the service refuses a pass short of a point, a bare return
    comment = form.cleaned_data.get("comment", "")
    if request.POST.get("decision") == "return":
        return _act(
            request, item, lambda: services.return_item(actor=request.user, item=item, comment=comment)
        )
    checks = {name: bool(form.cleaned_data.get(name)) for name in rules.SECRECY_CHECKS}
    return _act(
        request,
        item,
        lambda: services.pass_secrecy_review(actor=request.user, item=item, checks=checks, comment=comment),
    )


@login_required
@require_POST
def item_approve(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, lambda user, scope, item: rules.can_approve(scope, item))
    form = CommentForm(request.POST)
    form.is_valid()  # the comment is optional
    comment = form.cleaned_data.get("comment", "")
    return _act(request, item, lambda: services.approve_item(actor=request.user, item=item, comment=comment))


@login_required
@require_POST
def item_return(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk, rules.can_return)
    form = ReturnForm(request.POST)
    return _act(
        request,
        item,
        lambda: services.return_item(actor=request.user, item=item, comment=form.cleaned_data["comment"]),
        form=form,
    )


@login_required
@require_POST
def item_correct(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request, pk, manage=True)
    form = CorrectionForm(request.POST)
    return _act(
        request,
        item,
        lambda: services.start_correction(actor=request.user, item=item, note=form.cleaned_data["note"]),
        form=form,
        then=lambda new: redirect("openness:item_edit", pk=new.pk),
    )


@login_required
@require_POST
def item_archive(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request, pk, manage=True)
    return _act(request, item, lambda: services.archive_item(actor=request.user, item=item))


@login_required
@require_POST
def item_discard(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request, pk, manage=True)
    return _act(
        request,
        item,
        lambda: services.discard_item(actor=request.user, item=item),
        then=lambda _: redirect("openness:manage"),
    )


# --- feedback -----------------------------------------------------------------------------------------------


@login_required
@require_POST
def feedback_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request, pk)
    form = FeedbackForm(request.POST)
    return _act(
        request,
        item,
        lambda: services.give_feedback(
            user=request.user, item=item, kind=form.cleaned_data["kind"], body=form.cleaned_data["body"]
        ),
        form=form,
        anchor="#feedback",
        success=_("Thank you. The committee answers you on this page and in your inbox."),
    )


@login_required
@require_POST
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.get_feedback_for(request, pk, answer=True)
    form = AnswerForm(request.POST)
    return _act(
        request,
        feedback.item,
        lambda: services.answer_feedback(
            actor=request.user, feedback=feedback, answer=form.cleaned_data["answer"]
        ),
        form=form,
        anchor="#feedback",
    )
