"""First deliberation (党员首议制): put forward → reviewed → a week's notice (the absent told in writing) →
group discussion → conclusion published → satisfaction measured twice."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from branches.models import Meeting, Notification, Reminder
from branches.services import update_member
from motions import services
from motions.models import Topic
from motions.services import MotionError

from .conftest import member


@pytest.fixture
def topic(people, tree):
    return services.put_forward_topic(
        actor=people["sam"],
        organisation=tree.a,
        title="村集体经济收益分配",
        description="讨论今年集体经济收益的分配方案。",
        source="villagers",
        supporters=130,
        base=1200,
    )


def test_villagers_below_one_tenth_cannot_put_a_topic_forward(people, tree):
    with pytest.raises(MotionError, match="below the threshold of 1/10"):
        services.put_forward_topic(
            actor=people["sam"],
            organisation=tree.a,
            title="t",
            description="d",
            source="villagers",
            supporters=100,
            base=1200,
        )
    with pytest.raises(MotionError, match="At least 10 members"):
        services.put_forward_topic(
            actor=people["sam"],
            organisation=tree.a,
            title="t",
            description="d",
            source="members",
            supporters=6,
        )
    assert not Topic.objects.exists()


def test_not_taking_a_topic_up_needs_a_reason(people, topic):
    with pytest.raises(MotionError, match="written reason"):
        services.review_topic(actor=people["sam"], topic=topic, accept=False)
    services.review_topic(actor=people["sam"], topic=topic, accept=False, note="属村委会职权，转村委会办理")
    assert Topic.objects.get(pk=topic.pk).status == "rejected"


def test_the_meeting_is_called_at_least_a_week_ahead(people, topic):
    services.review_topic(actor=people["sam"], topic=topic, accept=True)
    with pytest.raises(MotionError, match="at least 7 days ahead"):
        services.call_topic_meeting(
            actor=people["sam"], topic=topic, starts_at=timezone.now() + dt.timedelta(days=5)
        )
    assert not Meeting.objects.exists()


def test_the_whole_course_with_a_migrant_member_told_in_writing(people, topic, tree):
    update_member(actor=None, member=member(people["ned"]), migrant=True, migrant_to="广东省深圳市")
    services.review_topic(actor=people["sam"], topic=topic, accept=True)
    starts = timezone.now() + dt.timedelta(days=8)
    services.call_topic_meeting(actor=people["sam"], topic=topic, starts_at=starts, location="村委会会议室")
    topic.refresh_from_db()
    assert topic.status == "scheduled"
    notice = Reminder.objects.get(kind="meeting.notice", object_id=topic.meeting.pk, status="pending")
    assert notice.due_at == starts - dt.timedelta(days=7)  # the branch's week-ahead notice
    assert [o.member.name for o in topic.opinions.all()] == ["倪德"]
    assert Reminder.objects.filter(kind="topic.written_notice").exists()

    group = services.form_discussion_group(
        actor=people["sam"],
        topic=topic,
        name="第一组",
        leader=member(people["carl"]),
        recorder=member(people["mia"]),
    )
    with pytest.raises(MotionError, match="two different members"):
        services.form_discussion_group(
            actor=people["sam"],
            topic=topic,
            name="第二组",
            leader=member(people["mia"]),
            recorder=member(people["mia"]),
        )
    with pytest.raises(MotionError) as refused:
        services.conclude_topic(actor=people["sam"], topic=topic, conclusion="同意方案")
    for issue in ("not taken place", "no record", "倪德"):
        assert issue in str(refused.value)

    services.record_written_notice(
        actor=people["sam"],
        topic=topic,
        member=member(people["ned"]),
        channel="phone",
        opinion="同意，建议多分给困难户。",
    )
    services.record_group_discussion(actor=people["sam"], group=group, record="多数同意，建议公示分配名单。")
    with time_machine.travel(starts + dt.timedelta(hours=3)):
        services.conclude_topic(
            actor=people["sam"],
            topic=topic,
            conclusion="按人口均分，困难户适当倾斜。",
            decision="提交党员大会票决",
        )
    topic.refresh_from_db()
    assert topic.status == "concluded" and topic.published_at is not None
    assert Notification.objects.filter(kind="topic.concluded", recipient=people["alice"]).exists()

    services.record_satisfaction(
        actor=people["sam"], topic=topic, audience="members", satisfied=20, basically=3, dissatisfied=1
    )
    assert Topic.objects.get(pk=topic.pk).status == "concluded"
    services.record_satisfaction(
        actor=people["sam"], topic=topic, audience="masses", satisfied=300, basically=40, dissatisfied=12
    )
    assert Topic.objects.get(pk=topic.pk).status == "closed"


def test_members_of_the_branch_read_the_topic_and_others_do_not(client, people, topic):
    client.force_login(people["alice"])
    assert client.get(f"/motions/topics/{topic.pk}/").status_code == 200
    client.force_login(people["bob"])
    assert client.get(f"/motions/topics/{topic.pk}/").status_code == 404
