"""Every write of a first-deliberation topic (党员首议制, 肃州): put forward → reviewed → members
notified a week ahead (the absent told in writing, their opinions collected) → group discussion →
conclusion published → satisfaction measured twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches import services as branch_services
from branches.audit import log_action
from branches.models import MeetingKind, Member, Organisation
from branches.rules import rule

from .. import rules, selectors, states
from ..models import (
    DiscussionGroup,
    SurveyAudience,
    Topic,
    TopicOpinion,
    TopicSource,
    TopicStatus,
    TopicSurvey,
    WrittenNoticeChannel,
)
from .common import MotionError, check_issues, clean_text, move, tell, users_of


def _url(topic: Topic) -> str:
    return reverse("motions:topic", args=[topic.pk])


@transaction.atomic
def put_forward_topic(
    *,
    actor,
    organisation: Organisation,
    title: str,
    description: str,
    source: str,
    supporters: int | None = None,
    base: int | None = None,
) -> Topic:
    title, description = clean_text(title), clean_text(description)
    if not title or not description:
        raise MotionError(_("A topic needs a title and a description."))
    if source not in TopicSource.values:
        raise MotionError(_("Say who puts the topic forward."))
    check_issues(rules.topic_threshold_issues(source, supporters, base))
    topic = Topic.objects.create(
        organisation=organisation,
        title=title[:200],
        description=description,
        source=source,
        supporters=supporters,
        base=base,
        proposed_by=actor,
    )
    log_action(
        actor, "topic.put_forward", topic, changes={"source": source, "supporters": supporters, "base": base}
    )
    tell(
        selectors.committee_heads(organisation),
        kind="topic.proposed",
        url=_url(topic),
        subject=_("A topic for first deliberation awaits the committee's review: %(title)s")
        % {"title": title},
    )
    return topic


@transaction.atomic
def review_topic(*, actor, topic: Topic, accept: bool, note: str = "") -> Topic:
    note = clean_text(note)
    if not accept and not note:
        raise MotionError(_("Not taking a topic up needs a written reason."))
    move(
        topic,
        states.TOPIC,
        TopicStatus.ACCEPTED if accept else TopicStatus.REJECTED,
        actor=actor,
        verb="topic.review",
        review_note=note,
    )
    return topic


@transaction.atomic
def call_topic_meeting(*, actor, topic: Topic, starts_at: dt.datetime, location: str = "") -> Topic:
    """The members' meeting, at least a week ahead [cfg]: the branch's meeting notice tells every member a
    week before; members away (migrant, or excused) must be told in writing and their opinions collected."""
    days = rule("first_deliberation_notice_days")
    if starts_at < timezone.now() + dt.timedelta(days=days):
        raise MotionError(
            _("Members are notified a week before: the meeting is at least %(n)d days ahead.") % {"n": days}
        )
    meeting = branch_services.schedule_meeting(
        actor=actor,
        organisation=topic.organisation,
        kind=MeetingKind.GENERAL,
        title=_("First deliberation: %(title)s") % {"title": topic.title},
        agenda=topic.description,
        starts_at=starts_at,
        location=clean_text(location),
    )
    move(topic, states.TOPIC, TopicStatus.SCHEDULED, actor=actor, verb="topic.call_meeting", meeting=meeting)
    away = selectors.party_members(topic.organisation).filter(migrant=True)
    TopicOpinion.objects.bulk_create(TopicOpinion(topic=topic, member=m) for m in away)
    if away:
        # Three days before the meeting, the secretary is reminded to have told them and collected opinions.
        reminders.schedule(
            kind="topic.written_notice",
            obj=topic,
            due_at=reminders.at_reminder_hour(timezone.localdate(starts_at) - dt.timedelta(days=3)),
            recipients=selectors.committee_heads(topic.organisation),
            url=_url(topic),
            subject=_("Tell the members who are away about “%(title)s” and collect their opinions")
            % {"title": topic.title},
            organisation=topic.organisation,
        )
    return topic


@transaction.atomic
def record_written_notice(
    *, actor, topic: Topic, member: Member, channel: str, opinion: str = ""
) -> TopicOpinion:
    """A member who will be away was told (in writing, by phone, in person); his opinion, when collected."""
    if topic.status != TopicStatus.SCHEDULED:
        raise MotionError(_("Members are told while the meeting is being prepared."))
    if channel not in WrittenNoticeChannel.values:
        raise MotionError(_("Say how the member was told."))
    if not member.organisation.is_within(topic.organisation):
        raise MotionError(_("%(name)s is not a member of the branch.") % {"name": member.name})
    now = timezone.now()
    row, _created = TopicOpinion.objects.get_or_create(topic=topic, member=member)
    row.channel, row.notified_at = channel, row.notified_at or now
    opinion = clean_text(opinion)
    if opinion:
        row.opinion, row.collected_at = opinion, now
    row.save()
    log_action(
        actor,
        "topic.written_notice",
        topic,
        changes={"member": member.name, "channel": channel, "opinion": bool(opinion)},
    )
    return row


@transaction.atomic
def form_discussion_group(
    *, actor, topic: Topic, name: str, leader: Member, recorder: Member
) -> DiscussionGroup:
    name = clean_text(name)
    if not name:
        raise MotionError(_("A group needs a name."))
    if leader.pk == recorder.pk:
        raise MotionError(_("A group has a leader and a recorder: two different members."))
    for member in (leader, recorder):
        if not member.organisation.is_within(topic.organisation):
            raise MotionError(_("%(name)s is not a member of the branch.") % {"name": member.name})
    if topic.status != TopicStatus.SCHEDULED:
        raise MotionError(_("Groups are formed for the meeting."))
    if topic.groups.filter(name=name).exists():
        raise MotionError(_("There is already a group of that name."))
    group = DiscussionGroup.objects.create(topic=topic, name=name, leader=leader, recorder=recorder)
    log_action(
        actor, "topic.group", topic, changes={"group": name, "leader": leader.name, "recorder": recorder.name}
    )
    return group


@transaction.atomic
def record_group_discussion(*, actor, group: DiscussionGroup, record: str) -> DiscussionGroup:
    record = clean_text(record)
    if not record:
        raise MotionError(_("The record of the discussion needs its text."))
    if group.topic.status != TopicStatus.SCHEDULED:
        raise MotionError(_("The discussion is recorded before the conclusion."))
    group.record = record
    group.save(update_fields=["record"])
    log_action(actor, "topic.group_record", group.topic, changes={"group": group.name, "record": len(record)})
    return group


@transaction.atomic
def conclude_topic(*, actor, topic: Topic, conclusion: str, decision: str = "") -> Topic:
    """The conclusion is published to the members; refused while `rules.topic_conclusion_issues` lists any."""
    conclusion = clean_text(conclusion)
    if not conclusion:
        raise MotionError(_("The conclusion needs its text."))
    check_issues(
        rules.topic_conclusion_issues(
            topic,
            groups=list(topic.groups.all()),
            opinions=list(topic.opinions.select_related("member")),
            now=timezone.now(),
        )
    )
    move(
        topic,
        states.TOPIC,
        TopicStatus.CONCLUDED,
        actor=actor,
        verb="topic.conclude",
        conclusion=conclusion,
        decision=clean_text(decision),
        published_at=timezone.now(),
    )
    tell(
        users_of(
            selectors.party_members(topic.organisation).filter(user__isnull=False).select_related("user")
        ),
        kind="topic.concluded",
        url=_url(topic),
        subject=_("Conclusion published: %(title)s") % {"title": topic.title},
    )
    return topic


@transaction.atomic
def record_satisfaction(
    *, actor, topic: Topic, audience: str, satisfied: int, basically: int, dissatisfied: int
) -> TopicSurvey:
    """Satisfaction is measured twice, among the members and among the masses; with both, the topic
    closes."""
    if audience not in SurveyAudience.values:
        raise MotionError(_("Say among whom satisfaction was measured."))
    if topic.status != TopicStatus.CONCLUDED:
        raise MotionError(_("Satisfaction is measured once the conclusion is published."))
    if min(satisfied, basically, dissatisfied) < 0 or satisfied + basically + dissatisfied == 0:
        raise MotionError(_("Enter how many answered, in each column."))
    survey, created = TopicSurvey.objects.update_or_create(
        topic=topic,
        audience=audience,
        defaults={
            "satisfied": satisfied,
            "basically": basically,
            "dissatisfied": dissatisfied,
            "recorded_by": actor,
        },
    )
    log_action(
        actor,
        "topic.satisfaction",
        topic,
        changes={
            "audience": audience,
            "satisfied": satisfied,
            "basically": basically,
            "dissatisfied": dissatisfied,
        },
    )
    if topic.surveys.count() == len(SurveyAudience.values):
        move(topic, states.TOPIC, TopicStatus.CLOSED, actor=actor, verb="topic.close")
    return survey
