"""The pure rules of 公推直选 at their boundaries, and the periodic jobs run twice (one notice end, one
reminder each)."""

from fractions import Fraction

import pytest

from elections import rules as prules

RULES = {
    "election_preliminary_margin_percent": 40,
    "election_pre_candidate_margin_percent": 20,
    "election_candidate_margin_percent": 20,
    "election_competitive_candidates_per_post": 2,
    "election_recommendation_masses": True,
    "election_recommendation_member_weight": 70,
    "election_recommendation_mass_weight": 30,
}


@pytest.mark.parametrize(
    "seats, percent, expected",
    [(5, 20, 6), (5, 40, 7), (3, 20, 4), (3, 40, 5), (7, 20, 9), (1, 40, 2), (1, 20, 2), (10, 20, 12)],
)
def test_margins_round_up(seats, percent, expected):
    assert prules.with_margin(seats, percent) == expected


@pytest.mark.parametrize(
    "post, seats, count, short",
    [
        ("committee", 5, 6, False),
        ("committee", 5, 5, True),
        ("secretary", 1, 2, False),
        ("secretary", 1, 1, True),
    ],
)
def test_the_candidate_margin_is_short_by_one(post, seats, count, short):
    assert (prules.margin_problem(RULES, post, seats, count, post) is not None) == short


def test_recommendation_weights_member_and_mass_shares():
    # 10 member ballots, 4 mass ballots: A 10/10 and 0/4 → 0.7; B 6/10 and 4/4 → 0.72; C 7/10 and 1/4 → 0.565
    ranked = prules.rank_recommendations(
        [(1, 10, 0), (2, 6, 4), (3, 7, 1)], member_ballots=10, mass_ballots=4, rules=RULES, target=2
    )
    assert [(r.key, r.advances) for r in ranked] == [(2, True), (1, True), (3, False)]
    assert ranked[0].score == Fraction(72, 100)


def test_recommendation_without_mass_ballots_counts_the_members_alone():
    ranked = prules.rank_recommendations(
        [(1, 3, 0), (2, 5, 0)], member_ballots=5, mass_ballots=0, rules=RULES, target=1
    )
    assert [r.key for r in ranked if r.advances] == [2]


def test_a_tie_at_the_recommendation_cut_off_advances_everyone_tied():
    ranked = prules.rank_recommendations(
        [(1, 5, 0), (2, 4, 0), (3, 4, 0), (4, 1, 0)], member_ballots=5, mass_ballots=0, rules=RULES, target=2
    )
    assert [r.key for r in ranked if r.advances] == [1, 2, 3]


@pytest.mark.parametrize(
    "votes, seats, winners, tied",
    [({1: 5, 2: 3}, 1, [1], []), ({1: 4, 2: 4}, 1, [], [1, 2]), ({1: 6, 2: 4, 3: 4}, 2, [1], [2, 3])],
)
def test_a_runoff_is_won_by_the_most_votes_and_a_new_tie_is_a_new_runoff(votes, seats, winners, tied):
    assert prules.runoff_outcome(votes, seats) == (winners, tied)


def _round(kind, seats, status="counted", elected=(), tied=(), votes=None, candidates=()):
    options = {str(100 + m): m for m in candidates}
    return {
        "kind": kind,
        "seats": seats,
        "status": status,
        "outcome": {"elected": [f"o{100 + m}" for m in elected], "tied": [f"o{100 + m}" for m in tied]},
        "votes": votes or {},
        "option_members": options,
        "candidates": list(candidates),
    }


def test_post_progress_through_a_tie_and_its_runoff():
    first = _round("first", 5, elected=[1, 2, 3, 4], tied=[5, 6], candidates=[1, 2, 3, 4, 5, 6])
    progress = prules.post_progress(5, [first])
    assert progress.next_step == "runoff" and progress.tied == [5, 6] and progress.open_seats == 1
    runoff = _round("runoff", 1, votes={5: 20, 6: 18}, candidates=[5, 6])
    progress = prules.post_progress(5, [first, runoff])
    assert progress.done and progress.elected == [1, 2, 3, 4, 5]


def test_post_progress_shortfall_further_round_and_void_repeat():
    first = _round("first", 3, elected=[1], candidates=[1, 2, 3, 4])
    assert prules.post_progress(3, [first]).next_step == "shortfall"
    void = _round("further", 2, status="void", candidates=[2, 3, 4])
    assert prules.post_progress(3, [first, void]).next_step == "repeat"
    repeat = _round("repeat", 2, elected=[2, 3], candidates=[2, 3, 4])
    assert prules.post_progress(3, [first, void, repeat]).done
    open_ = _round("further", 2, status="open", candidates=[2, 3, 4])
    assert prules.post_progress(3, [first, open_]).next_step == "voting"
    assert prules.post_progress(3, []).next_step == "ballot"


def test_write_ins_elected_are_members_too():
    first = _round("first", 2, elected=[1], candidates=[1, 2])
    first["outcome"]["elected"].append("m77")
    assert prules.post_progress(2, [first]).elected == [1, 77]


@pytest.mark.parametrize(
    "present, expected, inclusive, ok",
    [
        (32, 40, False, False),
        (33, 40, False, True),
        (32, 40, True, True),
        (31, 40, True, False),
        (0, 0, True, False),
    ],
)
def test_the_election_quorum(present, expected, inclusive, ok):
    rules = {"election_quorum": [4, 5], "election_quorum_inclusive": inclusive}
    assert prules.election_quorum_reached(present, expected, rules) == ok
    assert (prules.quorum_problem(present, expected, rules) is None) == ok


# --- the periodic jobs, twice -------------------------------------------------------------------------


def test_the_notice_ends_once_however_often_the_beat_runs(tree, sam, olga):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from branches import reminders
    from branches.models import Notification
    from elections.models import Election
    from elections.tasks import end_due_notices

    from .procedure_flow import new_election

    election = new_election(sam, tree.a)
    # Straight to the notice, through the table (the services before it are covered elsewhere).
    Election.objects.filter(pk=election.pk).update(status="pre_approval")
    from elections import services

    services.approve_pre_candidates(actor=olga, election=Election.objects.get(pk=election.pk))
    # the board publishes the notice (no pre-candidates here, so straight through the service it reports to)
    services.start_notice(election=election, published_at=timezone.now(), ends_at=None)
    election.refresh_from_db()
    with time_machine.travel(election.notice_ends_at - dt.timedelta(minutes=1)):
        assert end_due_notices.apply().get() == 0
    with time_machine.travel(election.notice_ends_at + dt.timedelta(minutes=1)):
        assert end_due_notices.apply().get() == 1
        assert end_due_notices.apply().get() == 0
        reminders.run()
        reminders.run()
        now = timezone.now()
    election.refresh_from_db()
    assert election.status == "notice_over"
    notes = Notification.objects.filter(recipient=sam, kind="election.notice_end")
    assert notes.count() == 1  # one notice-end reminder, however often the beat runs
    assert Notification.objects.filter(recipient=sam, kind="election.step", created_at__lte=now).count() >= 1
