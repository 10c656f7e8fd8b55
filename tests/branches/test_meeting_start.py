"""Meetings start on their date: earlier only as an urgent meeting with its reason, shown on the minutes;
应到 follows the roll until the start."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import AuditLog, Meeting
from tests.factories import MemberFactory


@pytest.fixture
def later_meeting(tree, sam, alice):
    return services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="下周大会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )


def test_an_early_start_without_a_reason_is_refused_in_chinese(client, later_meeting, sam):
    client.force_login(sam)
    response = client.post(reverse("branches:meeting_action", args=[later_meeting.pk, "start"]), follow=True)
    later_meeting.refresh_from_db()
    assert later_meeting.status == "scheduled"
    text = response.content.decode()
    assert "紧急" in text and "理由" in text
    with pytest.raises(services.BranchError):
        services.start_meeting(actor=sam, meeting=later_meeting, urgent_reason="   ")


def test_an_early_start_with_a_reason_is_recorded_and_shown_on_the_minutes(client, later_meeting, sam, alice):
    client.force_login(sam)
    client.post(
        reverse("branches:meeting_action", args=[later_meeting.pk, "start"]),
        {"urgent_reason": "防汛紧急任务，须当日部署"},
    )
    later_meeting.refresh_from_db()
    assert later_meeting.status == "in_progress"
    assert later_meeting.urgent_reason == "防汛紧急任务，须当日部署"
    assert later_meeting.started_at is not None
    assert AuditLog.objects.filter(verb="meeting.urgent_start").count() == 1
    client.force_login(alice)
    page = client.get(reverse("branches:meeting", args=[later_meeting.pk])).content.decode()
    assert 'data-testid="urgent-reason"' in page and "防汛紧急任务，须当日部署" in page


def test_the_page_asks_for_the_reason_before_the_scheduled_day(client, later_meeting, sam):
    client.force_login(sam)
    page = client.get(reverse("branches:meeting", args=[later_meeting.pk])).content.decode()
    assert 'data-testid="urgent-start"' in page


def test_a_start_on_the_scheduled_day_needs_no_reason_and_records_none(later_meeting, sam):
    with time_machine.travel(later_meeting.starts_at - dt.timedelta(minutes=5)):
        meeting = services.start_meeting(actor=sam, meeting=later_meeting, urgent_reason="不需要")
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.status, meeting.urgent_reason) == ("in_progress", "")
    assert meeting.real_start < meeting.starts_at


def test_expected_attendance_follows_a_roster_change_until_the_start(client, tree, later_meeting, sam):
    before = later_meeting.attendances.count()
    newcomer = MemberFactory(organisation=tree.a, category="full")  # joined after the scheduling
    leaver = MemberFactory(organisation=tree.a, category="full")
    services.refresh_roll(later_meeting)
    assert later_meeting.attendances.count() == before + 2
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    with time_machine.travel(later_meeting.starts_at - dt.timedelta(minutes=5)):
        services.start_meeting(actor=sam, meeting=later_meeting)
    members = set(later_meeting.attendances.values_list("member_id", flat=True))
    assert newcomer.pk in members and leaver.pk not in members
    client.force_login(sam)
    with time_machine.travel(later_meeting.starts_at):
        response = client.get(reverse("branches:meeting", args=[later_meeting.pk]))
    assert response.context["figures"].expected == before + 1
    # After the start the roll is the meeting's: a later newcomer is not added.
    MemberFactory(organisation=tree.a, category="full")
    services.refresh_roll(Meeting.objects.get(pk=later_meeting.pk))
    assert later_meeting.attendances.count() == before + 1


def test_a_member_added_after_the_scheduling_is_expected_when_the_meeting_starts(tree, later_meeting, sam):
    before = later_meeting.attendances.count()
    MemberFactory(organisation=tree.a, category="full")
    with time_machine.travel(later_meeting.starts_at - dt.timedelta(minutes=5)):
        services.start_meeting(actor=sam, meeting=later_meeting)
    assert later_meeting.attendances.count() == before + 1


def test_only_managers_start_a_meeting(client, later_meeting, alice, bob):
    address = reverse("branches:meeting_action", args=[later_meeting.pk, "start"])
    client.force_login(alice)
    assert client.post(address, {"urgent_reason": "急"}).status_code == 403
    client.force_login(bob)
    assert client.post(address, {"urgent_reason": "急"}).status_code == 404
    assert client.get(address).status_code == 405
    later_meeting.refresh_from_db()
    assert later_meeting.status == "scheduled"
