"""Pure rules: approval level, the secrecy findings, obligations' standing, notice ends."""

import datetime as dt
from types import SimpleNamespace

import pytest

from branches.workdays import WorkCalendar
from openness import rules
from tests.factories import make_id_number


def item(kind="branch", category="daily", scope="internal", beyond=False, parent=True):
    org = SimpleNamespace(kind=kind, parent_id=1 if parent else None, parent="PARENT")
    return SimpleNamespace(organisation=org, category=category, scope=scope, beyond_authority=beyond)


@pytest.mark.parametrize(
    ("fields", "beyond"),
    [
        ({}, False),
        ({"beyond": True}, True),
        ({"category": "leadership"}, True),
        ({"scope": "society"}, True),
        ({"scope": "society", "kind": "group"}, True),
        ({"scope": "society", "kind": "committee"}, False),
        ({"scope": "range"}, False),
    ],
)
def test_what_is_beyond_an_organisations_authority(fields, beyond):
    assert rules.beyond_authority(item(**fields)) is beyond


def test_beyond_authority_goes_to_the_parent_unless_there_is_none():
    assert rules.approving_organisation(item(beyond=True)) == "PARENT"
    top = item(beyond=True, parent=False)
    assert rules.approving_organisation(top) is top.organisation


def test_the_approval_rules_come_from_the_rule_set(settings):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "disclosure_society_higher_approval_kinds": []}
    assert not rules.beyond_authority(item(scope="society"))


def test_secrecy_findings_mask_id_numbers_and_phones_and_ignore_lookalikes():
    number = make_id_number(dt.date(1985, 6, 1))
    found = rules.secrecy_findings(f"<p>身份证 {number}，电话 13912345678</p>", "订单号 123456789012345678")
    assert found["id_numbers"] == [rules.mask_id_number(number)]  # the 18-digit order number fails the check
    assert found["phones"] == ["139****5678"]
    assert rules.secrecy_findings("<p>无</p>") == {"id_numbers": [], "phones": []}


@pytest.mark.parametrize(
    ("fulfilled", "due", "today", "status"),
    [
        (dt.date(2026, 4, 8), dt.date(2026, 4, 8), dt.date(2026, 5, 1), "on_time"),
        (dt.date(2026, 4, 9), dt.date(2026, 4, 8), dt.date(2026, 5, 1), "late"),
        (None, dt.date(2026, 4, 8), dt.date(2026, 4, 8), "pending"),
        (None, dt.date(2026, 4, 8), dt.date(2026, 4, 9), "missing"),
    ],
)
def test_the_standing_of_an_obligation(fulfilled, due, today, status):
    obligation = SimpleNamespace(fulfilled_on=fulfilled, due_on=due)
    assert rules.obligation_status(obligation, today) == status


def test_a_notice_ends_by_the_working_day_calendar(db):
    from zoneinfo import ZoneInfo

    published = dt.datetime(
        2026, 9, 29, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai")
    )  # before the National Day week
    end = rules.notice_end(published, 5, WorkCalendar())
    assert end.day == WorkCalendar().add_working_days(dt.date(2026, 9, 29), 5).day
    assert end.day > dt.date(2026, 10, 7)  # 1–7 October are holidays
    assert rules.start_of_next_day(end.day).date() == end.day + dt.timedelta(days=1)
