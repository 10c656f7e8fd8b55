"""The pure rules at their exact boundaries, table-driven."""

import pytest

from ballots import rules

ELECTION = {
    "quorum": [4, 5],
    "quorum_inclusive": False,
    "threshold": [1, 2],
    "threshold_base": "present",
    "threshold_inclusive": False,
    "shamir_threshold": 2,
}
MOTION = {**ELECTION, "quorum": [1, 2], "threshold_base": "expected"}


@pytest.mark.parametrize(
    ("present", "expected", "inclusive", "reached"),
    [
        (4, 5, False, False),  # exactly 4/5 → refused by default
        (8, 10, False, False),
        (5, 5, False, True),
        (9, 10, False, True),
        (4, 5, True, True),  # "≥" as a setting
        (3, 5, True, False),
        (0, 0, False, False),
    ],
)
def test_election_quorum_is_strictly_more_than_four_fifths_by_default(present, expected, inclusive, reached):
    assert rules.quorum_reached(present, expected, {**ELECTION, "quorum_inclusive": inclusive}) is reached


@pytest.mark.parametrize(
    ("votes", "present", "elected"),
    [(5, 10, False), (6, 10, True), (4, 7, True), (3, 7, False), (0, 1, False), (1, 1, True)],
)
def test_a_candidate_is_elected_only_with_more_than_half_of_the_electors_present(votes, present, elected):
    outcome = rules.candidate_outcome(ELECTION, 1, {"o1": votes}, base=present)
    assert (outcome["elected"] == ["o1"]) is elected


@pytest.mark.parametrize(
    ("votes_for", "expected", "passed"), [(5, 10, False), (6, 10, True), (10, 21, False), (11, 21, True)]
)
def test_a_motion_passes_only_with_more_than_half_of_the_expected_members(votes_for, expected, passed):
    assert rules.motion_outcome(MOTION, votes_for, base=expected)["passed"] is passed


def test_a_majority_of_those_present_is_not_a_majority_of_the_expected():
    # 10 expected, 6 present, 5 for: 5 > 6/2 but not > 10/2.
    assert rules.motion_outcome(MOTION, 5, base=10)["passed"] is False


def test_a_tie_at_the_cut_off_is_reported_for_a_runoff_among_the_tied_only():
    outcome = rules.candidate_outcome(ELECTION, 2, {"o1": 9, "o2": 7, "o3": 7, "o4": 2}, base=10)
    assert outcome["elected"] == ["o1"]
    assert sorted(outcome["tied"]) == ["o2", "o3"]
    assert outcome["tie_seats"] == 1
    assert outcome["shortfall"] == 0


def test_more_qualifiers_than_seats_the_most_votes_win():
    outcome = rules.candidate_outcome(ELECTION, 2, {"o1": 9, "o2": 8, "o3": 7}, base=10)
    assert outcome["elected"] == ["o1", "o2"]
    assert outcome["tied"] == []


def test_fewer_qualifiers_than_seats_is_a_shortfall_for_the_caller():
    outcome = rules.candidate_outcome(ELECTION, 3, {"o1": 9, "o2": 5, "o3": 2}, base=10)
    assert outcome["elected"] == ["o1"]
    assert outcome["shortfall"] == 2


SPEC = rules.BallotSpec(
    kind="candidates",
    seats=2,
    option_ids=frozenset({"1", "2", "3"}),
    choices=frozenset({"for", "against", "abstain"}),
    allow_write_in=True,
    eligible_write_ins=frozenset({"50", "51"}),
    candidate_member_ids=frozenset({"7", "8", "9"}),
)


@pytest.mark.parametrize(
    ("content", "valid"),
    [
        ({"c": {"1": "for", "2": "for"}, "w": []}, True),
        ({"c": {"1": "for", "2": "for", "3": "for"}, "w": []}, False),  # more 赞成 than seats
        ({"c": {"1": "for", "2": "for", "3": "against"}, "w": [50]}, False),  # the write-in makes 3 in favour
        ({"c": {"1": "for", "2": "against"}, "w": []}, True),
        ({"c": {"1": "against"}, "w": [50]}, True),
        ({"c": {"1": "against"}, "w": [99]}, False),  # not an eligible member
        ({"c": {"1": "against"}, "w": [7]}, False),  # already a candidate
        ({"c": {"1": "for"}, "w": [50]}, False),  # a write-in replaces a candidate marked against
        ({"c": {"4": "for"}, "w": []}, False),  # an option not on the ballot
        ({"c": {"1": "maybe"}, "w": []}, False),
        ({"c": {}, "w": []}, True),  # blank, but valid
        ({"c": None}, False),
    ],
)
def test_ballot_validity(content, valid):
    assert (not rules.ballot_problems(SPEC, content)) is valid


def test_the_tally_counts_valid_invalid_and_blank_and_unmarked_lines_as_abstentions():
    contents = [
        {"c": {"1": "for", "2": "for"}, "w": []},
        {"c": {"1": "for", "2": "for", "3": "for"}, "w": []},  # invalid
        {"c": {}, "w": []},  # blank
        {"c": {"1": "against"}, "w": [50]},
    ]
    tally, opened = rules.tally(SPEC, contents)
    assert (tally.returned, tally.valid, tally.invalid, tally.blank) == (4, 2, 1, 1)
    assert tally.totals["1"] == {"for": 1, "against": 1, "abstain": 0}
    assert tally.totals["3"] == {"for": 0, "against": 0, "abstain": 2}
    assert tally.write_ins == {"50": 1}
    assert [valid for _c, valid, _b in opened] == [True, False, True, True]


@pytest.mark.parametrize(("returned", "voters", "void"), [(10, 10, False), (11, 10, True), (9, 10, False)])
def test_more_ballots_returned_than_voters_voids_the_round(returned, voters, void):
    assert rules.ballots_exceed_voters(returned, voters) is void


def test_candidates_are_sorted_by_surname_strokes_then_stroke_order():
    # 丁 2, 王 4 (横起), 毛 4 (撇起), 白 5, 石 5? (横起 before 撇起), 李 7, 张 7, 欧阳 8
    names = ["欧阳华", "张伟", "李明", "白雪", "石磊", "毛静", "王芳", "丁一"]
    assert rules.sort_by_strokes(names) == ["丁一", "王芳", "毛静", "石磊", "白雪", "李明", "张伟", "欧阳华"]


def test_same_surname_orders_by_the_given_name():
    assert rules.sort_by_strokes(["王小明", "王一", "王大力"]) == ["王一", "王大力", "王小明"]


def test_paper_entries_that_differ_are_listed_field_by_field():
    a = {"returned": 10, "invalid": 1, "blank": 0, "totals": {"1": {"for": 6, "against": 3}}, "write_ins": {}}
    b = {
        "returned": 10,
        "invalid": 1,
        "blank": 0,
        "totals": {"1": {"for": 5, "against": 4}},
        "write_ins": {"50": 1},
    }
    assert rules.paper_differences(a, b) == [("1:against", 3, 4), ("1:for", 6, 5), ("w:50", 0, 1)]
    assert rules.paper_differences(a, a) == []


def test_the_rule_snapshot_records_the_values_from_settings(settings):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "election_quorum_inclusive": True}
    snapshot = rules.rule_snapshot("election")
    assert snapshot["quorum"] == [4, 5] and snapshot["quorum_inclusive"] is True
    assert snapshot["threshold"] == [1, 2] and snapshot["threshold_base"] == "present"
    assert rules.rule_snapshot("general_meeting")["threshold_base"] == "expected"
