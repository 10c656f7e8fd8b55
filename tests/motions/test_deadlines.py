"""The whole course of a proposal's time limit, with the clock moved by time-machine, never by sleep.

Registered on Monday 3 March 2025 with 15 calendar days: due Tuesday 18 March. The responsible person is
reminded on day 10 (13 March) and day 14 (17 March), the secretary on the deadline, the higher committee
every day once it has passed. The beat job runs every morning, twice, as a doubled run would.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from branches import reminders
from branches.models import Notification, Reminder
from motions import services
from motions.models import Proposal

from .conftest import member

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def moment(day: dt.date, hour: int = 8, minute: int = 1) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def mornings(first: dt.date, last: dt.date, *, beats: int = 2) -> dict[dt.date, list[str]]:
    """Run the beat job `beats` times each morning; {day: sorted recipients of that morning's e-mails}."""
    sent = {}
    day = first
    while day <= last:
        before = len(mail.outbox)
        with time_machine.travel(moment(day), tick=False):
            for _ in range(beats):
                reminders.run()
        sent[day] = sorted(m.to[0].split("@")[0] for m in mail.outbox[before:])
        day += dt.timedelta(days=1)
    return sent


def only(sent: dict, expected: dict) -> dict:
    """The mornings with e-mails."""
    return {d: who for d, who in sent.items() if who} == expected


D = dt.date


@pytest.fixture
def registered_on_3_march(assigned_proposal):
    with time_machine.travel(moment(D(2025, 3, 3), 9), tick=False):
        return assigned_proposal()


def test_registration_sets_a_fifteen_day_limit_and_its_reminders(registered_on_3_march):
    proposal = registered_on_3_march
    assert (proposal.due_on, proposal.warn_on, proposal.limit_days, proposal.limit_working_days) == (
        D(2025, 3, 18),
        D(2025, 3, 13),
        15,
        False,
    )
    planned = sorted((r.due_at.astimezone(SHANGHAI).date(), r.kind) for r in reminders.pending_for(proposal))
    assert planned == [
        (D(2025, 3, 13), "proposal.due_soon"),
        (D(2025, 3, 17), "proposal.due_soon"),
        (D(2025, 3, 18), "proposal.due_today"),
        (D(2025, 3, 19), "proposal.overdue"),
    ]


def test_the_fifteen_day_course_day_10_day_14_the_deadline_and_daily_after(registered_on_3_march):
    sent = mornings(D(2025, 3, 4), D(2025, 3, 23))
    assert only(
        sent,
        {
            D(2025, 3, 13): ["carl"],  # day 10: the responsible person
            D(2025, 3, 17): ["carl"],  # day 14
            D(2025, 3, 18): ["sam"],  # the deadline: the secretary
            D(2025, 3, 19): ["olga"],  # overdue: the higher committee, every day
            D(2025, 3, 20): ["olga"],
            D(2025, 3, 21): ["olga"],
            D(2025, 3, 22): ["olga"],
            D(2025, 3, 23): ["olga"],
        },
    )
    day10 = next(m for m in mail.outbox if m.to == ["carl@example.cn"])
    assert "2025-03-18" in day10.body and "修缮村道路灯" in day10.body
    assert Notification.objects.filter(recipient__username="olga", kind="proposal.overdue").count() == 5


def test_an_extension_moves_the_reminders_and_tells_the_proposer(registered_on_3_march, people):
    proposal = registered_on_3_march
    before = mornings(D(2025, 3, 4), D(2025, 3, 14))
    with time_machine.travel(moment(D(2025, 3, 15), 10), tick=False):
        services.extend_proposal(actor=people["sam"], proposal=proposal, days=5, reason="需等待镇里拨款")
    assert Proposal.objects.get(pk=proposal.pk).due_on == D(2025, 3, 23)
    notice = Notification.objects.get(recipient=people["alice"], kind="proposal.extended")
    assert "2025-03-23" in notice.subject and notice.body == "需等待镇里拨款"
    after = mornings(D(2025, 3, 15), D(2025, 3, 25))
    assert only(
        {**before, **after},
        {
            D(2025, 3, 13): ["carl"],
            D(2025, 3, 18): ["carl"],  # 5 days before the new deadline
            D(2025, 3, 22): ["carl"],  # 1 day before
            D(2025, 3, 23): ["sam"],
            D(2025, 3, 24): ["olga"],
            D(2025, 3, 25): ["olga"],
        },
    )


def test_the_answer_stops_the_reminders(registered_on_3_march, people):
    proposal = registered_on_3_march
    mornings(D(2025, 3, 4), D(2025, 3, 15))
    with time_machine.travel(moment(D(2025, 3, 16), 15), tick=False):
        services.answer_proposal(
            actor=people["carl"],
            proposal=proposal,
            outcome="adopted",
            reasons="已安排电工于本周修复三处路灯。",
        )
    assert not reminders.pending_for(proposal).exists()
    assert mornings(D(2025, 3, 16), D(2025, 3, 25)) == {D(2025, 3, d): [] for d in range(16, 26)}
    assert Proposal.objects.get(pk=proposal.pk).answered_on_time is True


def test_an_overdue_escalation_stops_with_a_late_answer_recorded_as_late(registered_on_3_march, people):
    proposal = registered_on_3_march
    mornings(D(2025, 3, 4), D(2025, 3, 20))
    with time_machine.travel(moment(D(2025, 3, 20), 16), tick=False):
        services.answer_proposal(
            actor=people["carl"],
            proposal=proposal,
            outcome="not_yet",
            reasons="资金尚未落实，待明年预算安排。",
        )
    assert mornings(D(2025, 3, 21), D(2025, 3, 23)) == {D(2025, 3, d): [] for d in (21, 22, 23)}
    proposal.refresh_from_db()
    assert proposal.answered_on_time is False
    assert proposal.answers.get().on_time is False


def test_a_dissatisfied_proposer_reopens_it_with_a_new_limit_and_new_reminders(registered_on_3_march, people):
    proposal = registered_on_3_march
    with time_machine.travel(moment(D(2025, 3, 10), 10), tick=False):
        services.answer_proposal(
            actor=people["carl"],
            proposal=proposal,
            outcome="partly",
            reasons="先修复两处，第三处需更换线路。",
        )
        services.rate_answer(actor=people["alice"], proposal=proposal, rating="dissatisfied")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reopen_count, proposal.due_on) == ("reopened", 1, D(2025, 3, 25))
    sent = mornings(D(2025, 3, 11), D(2025, 3, 26))
    assert only(
        sent,
        {
            D(2025, 3, 20): ["carl"],
            D(2025, 3, 24): ["carl"],
            D(2025, 3, 25): ["sam"],
            D(2025, 3, 26): ["olga"],
        },
    )


@pytest.fixture
def working_days(settings):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "proposal_reply_working_days": True}


def test_over_national_day_the_limit_counts_working_days_of_the_holiday_table(
    working_days, assigned_proposal
):
    # Friday 26 Sep 2025: Sunday 28 Sep and Saturday 11 Oct are worked; 1–8 October are off.
    with time_machine.travel(moment(D(2025, 9, 26), 10), tick=False):
        proposal = assigned_proposal()
    assert (proposal.due_on, proposal.limit_working_days, proposal.due_estimated) == (
        D(2025, 10, 23),
        True,
        False,
    )
    sent = mornings(D(2025, 9, 27), D(2025, 10, 25))
    assert only(
        sent,
        {
            D(2025, 10, 16): ["carl"],  # working day 10
            D(2025, 10, 22): ["carl"],  # working day 14
            D(2025, 10, 23): ["sam"],  # working day 15
            D(2025, 10, 24): ["olga"],
            D(2025, 10, 25): ["olga"],
        },
    )


def test_a_limit_running_into_a_year_without_holiday_data_is_computed_and_flagged(
    working_days, assigned_proposal, client, people
):
    from branches.workdays import package_data

    last = package_data()[0].stop - 1
    with time_machine.travel(moment(D(last, 12, 21), 10), tick=False):
        proposal = assigned_proposal()
    assert proposal.due_on.year == last + 1
    assert proposal.due_estimated is True
    with time_machine.travel(moment(D(last, 12, 22), 10), tick=False):
        client.force_login(people["alice"])
        page = client.get(f"/motions/proposals/{proposal.pk}/").content.decode()
    assert "Monday–Friday" in page or "周一至周五" in page


def test_the_daily_job_keeps_reminder_recipients_current_when_the_secretary_changes(
    registered_on_3_march, people, tree
):
    from branches import services as branch_services
    from branches.models import Role
    from motions.tasks import replan_open_reminders

    with time_machine.travel(moment(D(2025, 3, 10), 10), tick=False):
        branch_services.end_role(
            actor=None,
            role=Role.objects.get(member__user=people["sam"], kind="secretary"),
            ends_on=D(2025, 3, 9),
        )
        branch_services.assign_role(
            actor=None,
            member=member(people["mia"]),
            organisation=tree.a,
            kind="secretary",
            starts_on=D(2025, 3, 10),
        )
        assert replan_open_reminders() == 1
    due_today = Reminder.objects.get(kind="proposal.due_today", status="pending")
    assert list(due_today.recipients.values_list("username", flat=True)) == ["mia"]
