"""公示 in Chinese working days: a notice over the Spring Festival ends on the right day, completes by
itself after it (beat, row-based, twice = once), and an open objection holds it until answered."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from branches.models import Reminder, ReminderStatus
from branches.workdays import add_working_days
from openness import services
from openness.models import FeedbackKind, ItemStatus
from openness.services.notices import HELD_REMINDER

from .conftest import publish

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def notice(tree, sam, olga, time_machine):
    """A 5-working-day notice published on Thursday 12 February 2026, before the Spring Festival
    (holidays 15–23 February; Saturday 14 February and Saturday 28 February are worked in lieu)."""
    time_machine.move_to(at(2026, 2, 12, 10, 0), tick=False)
    return publish(
        author=sam,
        reviewer=olga,
        approver=sam,
        org=tree.a,
        title="发展对象公示",
        notice_working_days=5,
        category="organisation",
    )


def test_a_notice_over_the_spring_festival_ends_on_the_fifth_working_day(notice):
    # 13 Feb (Fri) 1, 14 Feb (Sat, worked in lieu) 2, 15–23 Feb holiday, 24 Feb 3, 25 Feb 4, 26 Feb 5.
    assert notice.notice_ends_on == dt.date(2026, 2, 26)
    assert notice.notice_ends_at == at(2026, 2, 27, 0, 0)
    assert not notice.notice_estimated
    # Monday to Friday alone would have ended it during the holiday, on 19 February.
    assert notice.notice_ends_on != dt.date(2026, 2, 19)


def test_a_seven_day_notice_ends_on_a_saturday_worked_in_lieu(tree, sam, olga, time_machine):
    time_machine.move_to(at(2026, 2, 12, 10, 0), tick=False)
    item = publish(author=sam, reviewer=olga, approver=sam, org=tree.a, notice_working_days=7)
    assert item.notice_ends_on == dt.date(2026, 2, 28) == add_working_days(dt.date(2026, 2, 12), 7)


def test_the_notice_completes_by_itself_after_its_last_day_once(notice, time_machine):
    time_machine.move_to(at(2026, 2, 26, 23, 59), tick=False)
    assert services.complete_due_notices() == 0
    notice.refresh_from_db()
    assert notice.status == ItemStatus.PUBLISHED
    time_machine.move_to(at(2026, 2, 27, 0, 1), tick=False)
    assert services.complete_due_notices() == 1
    assert services.complete_due_notices() == 0  # a second run (or worker) finds nothing to do
    notice.refresh_from_db()
    assert notice.status == ItemStatus.COMPLETED
    assert "2026-02-26" in notice.notice_outcome


def test_a_missed_run_completes_it_later_never_lost(notice, time_machine):
    time_machine.move_to(at(2026, 3, 9, 8, 0), tick=False)  # the beat was down for ten days
    assert services.complete_due_notices() == 1


def test_an_open_objection_holds_the_notice_until_it_is_answered(client, notice, sam, alice, time_machine):
    time_machine.move_to(at(2026, 2, 24, 9, 0), tick=False)
    objection = services.give_feedback(
        user=alice, item=notice, kind=FeedbackKind.OBJECTION, body="该同志参加组织生活不够经常。"
    )
    assert objection.during_notice

    time_machine.move_to(at(2026, 2, 27, 0, 5), tick=False)
    assert services.complete_due_notices() == 0
    assert services.complete_due_notices() == 0
    notice.refresh_from_db()
    assert notice.status == ItemStatus.PUBLISHED  # held
    held = Reminder.objects.filter(kind=HELD_REMINDER, object_id=notice.pk)
    assert held.count() == 1 and held.get().status == ReminderStatus.PENDING

    client.force_login(alice)
    page = client.get(reverse("openness:item", args=[notice.pk]))
    assert page.context["notice_held"]

    time_machine.move_to(at(2026, 3, 2, 10, 0), tick=False)
    services.answer_feedback(
        actor=sam, feedback=objection, answer="经核实，该同志按时参加组织生活，情况属实。"
    )
    notice.refresh_from_db()
    assert notice.status == ItemStatus.COMPLETED  # the answer to the last objection completes it
    assert "1" in notice.notice_outcome
    assert not Reminder.objects.filter(
        kind=HELD_REMINDER, object_id=notice.pk, status=ReminderStatus.PENDING
    ).exists()


def test_an_objection_is_refused_once_the_notice_period_has_ended(notice, alice, time_machine):
    time_machine.move_to(at(2026, 2, 27, 9, 0), tick=False)
    with pytest.raises(services.DisclosureError):
        services.give_feedback(user=alice, item=notice, kind=FeedbackKind.OBJECTION, body="迟到的异议")
    services.give_feedback(user=alice, item=notice, kind=FeedbackKind.COMMENT, body="一条意见")


def test_a_comment_does_not_hold_the_notice(notice, sam, alice, time_machine):
    time_machine.move_to(at(2026, 2, 24, 9, 0), tick=False)
    services.give_feedback(user=alice, item=notice, kind=FeedbackKind.COMMENT, body="建议张贴到公开栏。")
    time_machine.move_to(at(2026, 2, 27, 9, 0), tick=False)
    assert services.complete_due_notices() == 1


def test_a_notice_crossing_a_year_without_holiday_data_is_flagged_and_never_crashes(
    tree, sam, olga, time_machine
):
    from branches.models import HolidayYear

    HolidayYear.objects.filter(year=2031).delete()
    time_machine.move_to(at(2031, 12, 24, 10, 0), tick=False)
    item = publish(author=sam, reviewer=olga, approver=sam, org=tree.a, notice_working_days=7)
    assert item.notice_ends_on is not None
    assert item.notice_estimated
