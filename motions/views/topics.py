"""First deliberation (党员首议制): topics, their meeting, the written notices, groups, conclusion,
surveys."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.selectors import get_organisation_for, scope_for

from .. import rules, selectors, services
from ..filters import TopicFilter
from ..forms import (
    GroupForm,
    GroupRecordForm,
    SurveyForm,
    TopicConclusionForm,
    TopicForm,
    TopicMeetingForm,
    TopicReviewForm,
    WrittenNoticeForm,
)
from ..models import DiscussionGroup, Topic, TopicStatus
from .common import (
    DetailPage,
    board_organisation,
    detail_view,
    list_page,
    managed_organisations,
    party_members,
    post_action,
    submitted,
)


@login_required
@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = selectors.topic_list(request.user, organisation=board_organisation(request))
    return list_page(
        request,
        "motions/topic_list.html",
        TopicFilter(request.GET, queryset=topics),
        managed=managed_organisations(scope_for(request.user)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request, pk, manage=True)
    form = TopicForm(request.POST or None)
    if topic := submitted(
        request, form, lambda data: services.put_forward_topic(actor=request.user, organisation=org, **data)
    ):
        return redirect("motions:topic", pk=topic.pk)
    return render(
        request, "motions/topic_form.html", {"form": form, "org": org}, status=400 if form.errors else 200
    )


def _context(request: HttpRequest, topic: Topic, **forms) -> dict:
    can_manage = scope_for(request.user).can_manage(topic.organisation)
    members = party_members(topic.organisation)
    groups = list(topic.groups.select_related("leader", "recorder"))
    opinions = list(topic.opinions.select_related("member"))
    scheduled = topic.status == TopicStatus.SCHEDULED
    context = {
        "topic": topic,
        "groups": groups,
        "opinions": opinions,
        "surveys": list(topic.surveys.all()),
        "can_manage": can_manage,
        "issues": rules.topic_conclusion_issues(topic, groups=groups, opinions=opinions, now=timezone.now())
        if scheduled
        else [],
        "forms": {
            "review": TopicReviewForm() if can_manage and topic.status == TopicStatus.PROPOSED else None,
            "meeting": TopicMeetingForm() if can_manage and topic.status == TopicStatus.ACCEPTED else None,
            "notice": WrittenNoticeForm(members=members) if can_manage and scheduled else None,
            "group": GroupForm(members=members) if can_manage and scheduled else None,
            "record": GroupRecordForm() if can_manage and scheduled else None,
            "conclude": TopicConclusionForm() if can_manage and scheduled else None,
            "survey": SurveyForm() if can_manage and topic.status == TopicStatus.CONCLUDED else None,
        },
    }
    context["forms"].update(forms)
    return context


PAGE = DetailPage("motions/topic_detail.html", _context, "motions:topic", selectors.get_topic_for)


topic_detail = detail_view(PAGE)


def _members(topic):
    return {"members": party_members(topic.organisation)}


# Each action calls service(actor=…, topic=…, **the form's data); the managers only.
_action = partial(post_action, PAGE, noun="topic", allowed=selectors.can_manage_organisation)
topic_review = _action("review", services.review_topic, TopicReviewForm)
topic_meeting = _action("meeting", services.call_topic_meeting, TopicMeetingForm)
topic_notice = _action("notice", services.record_written_notice, WrittenNoticeForm, form_kwargs=_members)
topic_group = _action("group", services.form_discussion_group, GroupForm, form_kwargs=_members)
topic_conclude = _action("conclude", services.conclude_topic, TopicConclusionForm)
topic_survey = _action("survey", services.record_satisfaction, SurveyForm)


@login_required
@require_POST
def topic_group_record(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    def run(topic, data):
        group = DiscussionGroup.objects.filter(pk=group_pk, topic=topic).first()
        if group is None:
            raise Http404
        services.record_group_discussion(actor=request.user, group=group, **data)

    return PAGE.act(
        request,
        pk,
        name="record",
        form_class=GroupRecordForm,
        allowed=selectors.can_manage_organisation,
        run=run,
    )
