"""One item: its page, its attachment files, and the drafting pages (new, edit); its actions are in actions.py."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from branches.outbox import DisclosureScope
from branches.selectors import get_organisation_for, scope_for
from branches.states import TransitionError

from .. import rules, selectors, services
from ..forms import (
    AnswerForm,
    AttachmentForm,
    CommentForm,
    CorrectionForm,
    FeedbackForm,
    ItemForm,
    ReturnForm,
    SecrecyReviewForm,
    SubmitForm,
)
from ..models import DisclosureItem, FeedbackStatus, ItemStatus

ERRORS = (services.DisclosureError, TransitionError)

log = logging.getLogger(__name__)


def back_to(item: DisclosureItem, anchor: str = "") -> HttpResponse:
    """Back to the item's page, where every action on it is posted from and answered."""
    return redirect(reverse("openness:item", args=[item.pk]) + anchor)


# --- reading ------------------------------------------------------------------------------------------------


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request, pk)
    user = request.user
    scope = scope_for(user)
    now = timezone.now()
    oversees = rules.can_see_pending(scope, item)
    feedback, counts = selectors.feedback_for(item, user)
    attachments = list(item.attachments.all())
    context = {
        "item": item,
        "attachments": attachments,
        "images": [a for a in attachments if a.is_image],
        "versions": selectors.versions_of(item, user),
        "successor": DisclosureItem.objects.filter(supersedes=item).only("pk", "version", "status").first(),
        "oversees": oversees,
        "reviews": list(item.reviews.select_related("reviewer", "organisation"))
        if oversees or rules.can_review_secrecy(user, item)
        else [],
        "trail": list(selectors.audit_trail(item)) if oversees else [],
        "range_orgs": list(item.range_organisations.all())
        if item.scope == DisclosureScope.RANGE and oversees
        else [],
        "range_people": list(item.range_members.select_related("organisation"))
        if item.scope == DisclosureScope.RANGE and oversees
        else [],
        "feedback": feedback,
        "counts": counts,
        "can_edit": rules.can_edit(scope, item),
        "can_submit": rules.can_submit(scope, item),
        "can_review": rules.can_review_secrecy(user, item),
        "can_approve": rules.can_approve(scope, item),
        "can_return": rules.can_return(user, scope, item),
        "can_correct": rules.can_correct(scope, item)
        and not DisclosureItem.objects.filter(supersedes=item).exists(),
        "can_archive": rules.can_archive(scope, item),
        "can_discard": rules.can_discard(scope, item),
        "can_comment": rules.can_give_feedback(user, item, "comment", now),
        "can_object": rules.can_give_feedback(user, item, "objection", now),
        "can_answer": rules.can_answer_feedback(scope, item),
        "notice_running": rules.notice_is_running(item, now),
        "notice_held": rules.notice_is_due(item, now) and counts["open"] > 0,
        "submit_issues": rules.blocking_issues(item, "submit") if rules.can_submit(scope, item) else [],
        "findings": rules.secrecy_findings(item.title, item.body, *[a.original_name for a in attachments])
        if rules.can_review_secrecy(user, item)
        or (oversees and item.status in (ItemStatus.REVIEW, ItemStatus.APPROVAL))
        else None,
        "secrecy_issues": rules.blocking_issues(
            item, "pass_secrecy", attachment_names=[a.original_name for a in attachments]
        )
        if rules.can_review_secrecy(user, item)
        else [],
        "approve_issues": rules.blocking_issues(
            item,
            "approve",
            actor=user,
            approver_count=len(selectors.approvers_of(item.approver_organisation)),
        )
        if rules.can_approve(scope, item)
        else [],
        "approver": item.approver_organisation or (rules.approving_organisation(item) if oversees else None),
        "beyond_authority": rules.beyond_authority(item) if oversees else False,
        "open_feedback": sum(1 for f in feedback if f.status == FeedbackStatus.OPEN),
    }
    if context["can_submit"]:
        context["submit_form"] = SubmitForm(reviewers=selectors.eligible_reviewers(item, exclude=user))
    if context["can_review"]:
        context["secrecy_form"] = SecrecyReviewForm()
    if context["can_approve"]:
        context["approve_form"] = CommentForm()
    if context["can_return"]:
        context["return_form"] = ReturnForm()
    if context["can_correct"]:
        context["correction_form"] = CorrectionForm()
    if context["can_edit"]:
        context["attachment_form"] = AttachmentForm()
    if context["can_comment"]:
        form = FeedbackForm()
        if not context["can_object"]:
            form.fields["kind"].choices = [c for c in form.fields["kind"].choices if c[0] != "objection"]
        context["feedback_form"] = form
    if context["can_answer"]:
        context["answer_form"] = AnswerForm()
    response = render(request, "openness/item_detail.html", context)
    if item.scope != DisclosureScope.SOCIETY or item.status not in (
        ItemStatus.PUBLISHED,
        ItemStatus.COMPLETED,
    ):
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Served only after the item's scope check; never from a public media URL."""
    att = selectors.get_attachment_for(request, pk)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        # The row outlived its file (restored without the media, a disk cleaned by hand): nothing to
        # serve, and the reader is told so rather than shown a server error.
        log.warning("attachment %s: %s is missing from storage", att.pk, att.file.name)
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=att.content_type,
        as_attachment=not att.is_image,
        filename=att.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    public = att.item.scope == DisclosureScope.SOCIETY and att.item.status in (
        ItemStatus.PUBLISHED,
        ItemStatus.COMPLETED,
    )
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


# --- drafting -----------------------------------------------------------------------------------------------


def _item_values(form: ItemForm) -> dict:
    data = dict(form.cleaned_data)
    return {
        "title": data["title"],
        "category": data["category"],
        "body": data["body"],
        "scope": data["scope"],
        "timing": data["timing"],
        "period": data.get("period") or "",
        "notice_working_days": data.get("notice_working_days"),
        "publish_at": data.get("publish_at"),
        "expires_on": data.get("expires_on"),
        "beyond_authority": data.get("beyond_authority", False),
        "range_organisations": data.get("range_organisations") or [],
        "range_members": data.get("range_members") or [],
        "catalogue_entry": data.get("catalogue_entry"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = ItemForm(
        request.POST or None,
        organisation=org,
        initial={"scope": DisclosureScope.INTERNAL, "timing": "temporary", "category": "daily"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(actor=request.user, organisation=org, **_item_values(form))
        except services.DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Saved. Attach files if needed, then submit it for the secrecy review.")
            )
            return back_to(item)
    return render(request, "openness/item_form.html", {"form": form, "org": org, "item": None})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request, pk, manage=True)
    if not item.is_editable:
        messages.error(
            request,
            _("A published item is never edited in place: publish a correction (a new version) instead.")
            if item.published_at
            else _("The content is frozen while the item is reviewed."),
        )
        return back_to(item)
    form = ItemForm(request.POST or None, organisation=item.organisation, initial=ItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(actor=request.user, item=item, **_item_values(form))
        except ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            return back_to(item)
    return render(request, "openness/item_form.html", {"form": form, "org": item.organisation, "item": item})
