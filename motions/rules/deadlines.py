"""The clock of a time-limited answer (a proposal's, an inquiry's): its deadline, reminder days and traffic
light. The light is written once for Python and once for SQL; tests/motions/test_rules.py proves they
agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When

from branches import workdays
from branches.rules import rule


@dataclass(frozen=True)
class Deadline:
    """A time limit and its reminder days, with the rule values it was computed under."""

    due_on: dt.date
    reminder_days: tuple[dt.date, ...]
    limit_days: int
    working_days: bool
    estimated: bool

    @property
    def warn_on(self) -> dt.date:
        return self.reminder_days[0] if self.reminder_days else self.due_on


def deadline(start: dt.date, *, limit_days: int, working_days: bool, reminder_days: list[int]) -> Deadline:
    """`limit_days` calendar or working days after `start`; reminders on the given days of that course."""
    calendar = workdays.WorkCalendar()
    due = calendar.add_days(start, limit_days, working=working_days)
    return _with_reminders(
        calendar, due, limit_days=limit_days, working_days=working_days, reminder_days=reminder_days
    )


def moved_deadline(
    new_due_on: dt.date, *, limit_days: int, working_days: bool, reminder_days: list[int]
) -> Deadline:
    """An extended (or reopened) deadline: the reminders keep their distance from the deadline (day 10 of
    15 is 5 days before it)."""
    calendar = workdays.WorkCalendar()
    return _with_reminders(
        calendar,
        workdays.DueDate(new_due_on),
        limit_days=limit_days,
        working_days=working_days,
        reminder_days=reminder_days,
    )


def _with_reminders(calendar, due: workdays.DueDate, *, limit_days, working_days, reminder_days) -> Deadline:
    days, estimated = [], due.estimated
    for k in sorted(reminder_days):
        if 0 < k < limit_days:
            day = calendar.add_days(due.day, k - limit_days, working=working_days)
            estimated |= day.estimated
            days.append(day.day)
    return Deadline(due.day, tuple(days), limit_days, working_days, estimated)


def proposal_deadline(start: dt.date) -> Deadline:
    return deadline(
        start,
        limit_days=rule("proposal_reply_days"),
        working_days=rule("proposal_reply_working_days"),
        reminder_days=rule("proposal_reminder_days"),
    )


def inquiry_deadline(start: dt.date) -> Deadline:
    return deadline(
        start,
        limit_days=rule("inquiry_reply_days"),
        working_days=rule("inquiry_reply_working_days"),
        reminder_days=rule("inquiry_reminder_days"),
    )


# --- the traffic light (board) --------------------------------------------------------------------

GREEN, AMBER, RED, DONE, WAITING = "green", "amber", "red", "done", "waiting"


def traffic_light(
    status: str,
    due_on: dt.date | None,
    warn_on: dt.date | None,
    today: dt.date,
    *,
    open_states: tuple[str, ...],
    waiting_states: tuple[str, ...],
) -> str:
    """waiting: no clock yet (not registered); green: on course; amber: in the reminder window; red: overdue;
    done: answered, closed or not accepted."""
    if status in waiting_states:
        return WAITING
    if status not in open_states:
        return DONE
    if today > due_on:
        return RED
    if warn_on is not None and today >= warn_on:
        return AMBER
    return GREEN


def traffic_light_sql(
    today: dt.date, *, open_states: tuple[str, ...], waiting_states: tuple[str, ...]
) -> Case:
    """The same rule as an annotation, so the board computes every light in its one query."""
    return Case(
        When(status__in=waiting_states, then=Value(WAITING)),
        When(~Q(status__in=open_states), then=Value(DONE)),
        When(due_on__lt=today, then=Value(RED)),
        When(warn_on__lte=today, then=Value(AMBER)),
        default=Value(GREEN),
        output_field=CharField(),
    )
