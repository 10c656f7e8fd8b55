"""The motion rules at their boundaries (支部条例 art. 11/12, 发展细则, 泰安), pure: no database."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import timezone

from motions import rules


@pytest.mark.parametrize("expected", [1, 2, 3, 6, 7, 30, 31])
def test_it_passes_with_one_more_than_half_of_the_expected(expected):
    outcome = rules.motion_outcome(
        category="major_affairs", expected=expected, present=expected, votes_for=expected // 2 + 1
    )
    assert outcome.passed


@pytest.mark.parametrize("expected", [2, 4, 6, 30])
def test_it_fails_at_exactly_half_of_the_expected(expected):
    outcome = rules.motion_outcome(
        category="major_affairs", expected=expected, present=expected, votes_for=expected // 2
    )
    assert not outcome.passed


def test_a_majority_of_those_present_is_not_a_majority_of_the_expected():
    # 应到 10, 实到 6 (quorum reached), 5 for: 5/6 of those present, but not more than 5 of 10.
    assert rules.meeting_quorum_issues(present=6, expected=10) == []
    outcome = rules.motion_outcome(
        category="major_affairs", expected=10, present=6, votes_for=5, votes_against=1
    )
    assert not outcome.passed
    assert outcome.rules["threshold"] == [1, 2] and outcome.rules["threshold_base"] == "expected"


def test_the_general_meeting_quorum_of_exactly_half_is_refused():
    assert rules.meeting_quorum_issues(present=5, expected=10)
    assert rules.meeting_quorum_issues(present=6, expected=10) == []
    assert rules.meeting_quorum_issues(present=3, expected=6)
    assert rules.meeting_quorum_issues(present=4, expected=6) == []


def test_the_committee_quorum_of_exactly_half_is_enough():
    assert rules.committee_quorum_issues(present=2, size=4) == []
    assert rules.committee_quorum_issues(present=1, size=4)
    assert rules.committee_quorum_issues(present=3, size=5) == []
    assert rules.committee_quorum_issues(present=2, size=5)


def test_four_two_needs_two_thirds_present_inclusive():
    assert rules.meeting_quorum_issues(present=6, expected=9, four_two=True) == []
    assert rules.meeting_quorum_issues(present=5, expected=9, four_two=True)


@override_settings(
    ZHIBU_RULES={**__import__("django.conf").conf.settings.ZHIBU_RULES, "motion_village_quorum": [3, 4]}
)
def test_the_four_two_quorum_is_configurable():
    assert rules.meeting_quorum_issues(present=6, expected=9, four_two=True)
    assert rules.general_meeting_quorum(True)["quorum"] == [3, 4]


@pytest.mark.parametrize(
    "category, counted",
    [
        ("admission", True),
        ("conversion", True),
        ("major_affairs", False),
        ("discipline", False),
        ("committee_election", False),
        ("collective_income", False),
    ],
)
def test_written_opinions_count_only_for_admission_and_conversion(category, counted):
    # 应到 6, 3 for at the meeting (not enough), 1 written opinion for from an absentee (4 > 3).
    outcome = rules.motion_outcome(
        category=category, expected=6, present=4, votes_for=3, written={"for": 1, "against": 0, "abstain": 0}
    )
    assert outcome.passed is counted
    assert outcome.written_for == (1 if counted else 0)
    assert outcome.rules["written_opinions_counted"] is counted


@pytest.mark.parametrize(
    "outcomes, reason_after, blocked",
    [
        ([], None, False),
        ([False], None, False),
        ([False, False], None, True),
        ([False, False], 2, False),  # the committee recorded a reason after the second failure
        ([False, False], 1, True),  # a reason recorded before the second failure does not carry over
        ([True, False], None, False),
        ([False, False, False], 2, True),  # a third failure needs a new reason
        ([False, False, False], 3, False),
        ([False, True, False, False], None, True),
    ],
)
def test_no_third_vote_after_two_failures_in_a_row_without_a_reason(outcomes, reason_after, blocked):
    assert bool(rules.third_vote_issues(outcomes=outcomes, reason_after_votes=reason_after)) is blocked


# --- the checks before a step, as data: the rules take the facts, the page and the service list the same ---


def _motion(**fields):
    defaults = {
        "organisation_id": 1,
        "four_two": False,
        "joint_deliberation": "",
        "status": "debated",
        "category": "major_affairs",
        "revote_reason_after_votes": None,
        "circulated_at": None,
        "meeting": SimpleNamespace(status="in_progress"),
    }
    return SimpleNamespace(**{**defaults, **fields})


def test_circulation_needs_a_scheduled_general_meeting_of_the_branch_and_for_four_two_the_joint_deliberation():
    now = timezone.now()
    meeting = SimpleNamespace(
        organisation_id=1, kind="general", status="scheduled", starts_at=now + dt.timedelta(days=10)
    )
    assert rules.circulation_issues(_motion(), meeting, now) == []
    assert len(rules.circulation_issues(_motion(four_two=True), None, now)) == 2
    elsewhere = SimpleNamespace(
        organisation_id=2, kind="committee", status="closed", starts_at=meeting.starts_at
    )
    assert len(rules.circulation_issues(_motion(), elsewhere, now)) == 2


def test_the_debate_needs_the_meeting_under_way_and_its_quorum():
    assert rules.debate_issues(_motion(), expected=10, present=6) == []
    assert rules.debate_issues(_motion(), expected=10, present=5)  # exactly half is not > 1/2
    assert rules.debate_issues(_motion(meeting=None), expected=0, present=0)
    assert rules.debate_issues(_motion(meeting=SimpleNamespace(status="scheduled")), expected=10, present=6)


def test_the_materials_days_count_to_the_real_start_of_the_meeting():
    circulated = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    on_its_day = SimpleNamespace(status="in_progress", real_start=circulated + dt.timedelta(days=4))
    early = SimpleNamespace(status="in_progress", real_start=circulated + dt.timedelta(days=1))
    assert (
        rules.debate_issues(_motion(circulated_at=circulated, meeting=on_its_day), expected=10, present=6)
        == []
    )
    issues = rules.debate_issues(_motion(circulated_at=circulated, meeting=early), expected=10, present=6)
    assert len(issues) == 1 and "3" in issues[0]


@pytest.mark.parametrize(
    ("fields", "secrecy", "outcomes", "another_item_open", "blocked"),
    [
        ({}, "secret", [], False, False),
        ({"status": "circulated"}, "secret", [], False, True),  # not yet discussed by the general meeting
        ({}, "named", [], False, True),  # secret unless the rules allow a named ballot for the matter
        ({}, "secret", [False, False], False, True),  # a third vote needs the committee's reason
        ({}, "secret", [], True, True),  # one item at a time
    ],
)
def test_the_vote_issues_are_data(fields, secrecy, outcomes, another_item_open, blocked):
    issues = rules.vote_issues(
        _motion(**fields), secrecy, outcomes=outcomes, another_item_open=another_item_open
    )
    assert bool(issues) is blocked
