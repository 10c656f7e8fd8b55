"""Every gate of 公推直选 refusing, as tables: the margin short by one; attendance at exactly 4/5 (refused by
default, accepted with the "≥" setting); the notice not over; an objection open; a probationary member, a
member too new to the party or a scrutineer as candidate; 书记 without approval; and the life-cycle table.

A branch of 10 full members (sam, alice, m1–m8) and petra; a committee of 3 (standard mode) unless a test
says otherwise, so: preliminary 5, pre-candidates 4, candidates ≥ 4."""

import datetime as dt

import pytest
from django.utils import timezone

from ballots.services import BallotError
from branches.models import Member
from elections import selectors, services
from elections.models import Election
from elections.services.errors import ElectionError
from elections.states import ELECTION
from tests.factories import MemberFactory, UserFactory

from .procedure_flow import (
    candidacy,
    end_notice,
    fresh,
    members_by_username,
    names,
    new_election,
    to_inspection_state,
    to_meeting,
    to_notice,
)


@pytest.fixture
def ten(tree, sam, alice, petra, olga):
    for i in range(1, 9):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


# --- margins ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pre, allowed", [(("m1", "m2", "m3"), False), (("m1", "m2", "m3", "m4"), True)])
def test_pre_candidates_short_by_one_are_not_submitted(tree, sam, olga, ten, pre, allowed):
    election = to_inspection_state(tree, sam, olga, ten, pre=pre)
    if allowed:
        services.submit_pre_candidates(actor=sam, election=election)
        assert fresh(election).status == "pre_approval"
    else:
        with pytest.raises(ElectionError, match="3"):
            services.submit_pre_candidates(actor=sam, election=election)
        assert fresh(election).status == "inspection"


def test_the_list_is_not_fixed_when_a_withdrawn_candidate_leaves_the_margin_short_by_one(
    tree, sam, olga, ten
):
    election = to_notice(tree, sam, olga, ten)
    objection = services.raise_objection(
        actor=ten["alice"].user, candidacy=candidacy(election, ten["m4"].name), text="问题"
    )
    services.answer_objection(actor=sam, objection=objection, answer="属实，取消预备人选资格。", upheld=True)
    election = end_notice(election)
    with pytest.raises(ElectionError) as refused:
        services.fix_candidates(actor=sam, election=election)
    assert "3" in str(refused.value) and "4" in str(refused.value)  # 3 candidates, at least 4


# --- the notice ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "notice_over, objection, answered, allowed",
    [
        (False, False, False, False),  # the notice period is not over
        (True, True, False, False),  # an objection is still open
        (True, True, True, True),
        (True, False, False, True),
    ],
)
def test_the_list_is_fixed_only_after_the_notice_with_every_objection_answered(
    tree, sam, olga, ten, notice_over, objection, answered, allowed
):
    election = to_notice(tree, sam, olga, ten)
    if objection:
        o = services.raise_objection(
            actor=ten["m5"].user, candidacy=candidacy(election, ten["m1"].name), text="意见"
        )
        if answered:
            services.answer_objection(actor=sam, objection=o, answer="已核实")
    if notice_over:
        election = end_notice(election)
    if allowed:
        services.fix_candidates(actor=sam, election=election)
        assert fresh(election).status == "candidates"
    else:
        with pytest.raises(ElectionError):
            services.fix_candidates(actor=sam, election=election)
        from elections.selectors import issues_for

        issues = issues_for(fresh(election))
        assert any(("notice period" in i or "公示期" in i or "objection" in i or "异议" in i) for i in issues)


def test_objections_are_taken_during_the_notice_only(tree, sam, olga, ten):
    election = end_notice(to_notice(tree, sam, olga, ten))
    with pytest.raises(ElectionError):
        services.raise_objection(
            actor=ten["m5"].user, candidacy=candidacy(election, ten["m1"].name), text="迟到的意见"
        )


# --- quorum -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "present, inclusive, allowed",
    [(8, False, False), (9, False, True), (8, True, True), (7, True, False)],
)
def test_the_quorum_gate_at_exactly_four_fifths(tree, sam, olga, ten, settings, present, inclusive, allowed):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "election_quorum_inclusive": inclusive}
    election = to_meeting(tree, sam, olga, ten, present=present)
    assert selectors.roll_call(election) == (10, present)
    if allowed:
        services.confirm_quorum(actor=sam, election=election)
        assert fresh(election).present_electors == present
    else:
        with pytest.raises(ElectionError, match=f"{present}"):
            services.confirm_quorum(actor=sam, election=election)
        with pytest.raises(ElectionError):
            services.prepare_ballot(actor=sam, election=election, post="committee")


# --- who may stand ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, post, party_years, problem",
    [
        ("petra", "committee", None, "预备党员|probationary"),
        ("m1", "secretary", 0, "1"),  # 书记: 党龄 ≥ 1 year
        ("m1", "committee", 0, None),
        ("m1", "secretary", 1, None),
    ],
)
def test_the_qualification_review_applies_the_conditions_of_the_post(
    tree, sam, olga, ten, who, post, party_years, problem
):
    election = new_election(sam, tree.a, seats=3)
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    member = ten[who]
    if party_years is not None:
        Member.objects.filter(pk=member.pk).update(
            full_on=timezone.localdate() - dt.timedelta(days=365 * party_years + 10)
        )
    if member.category != "full":  # refused at the nomination already (only 正式党员 stand)
        with pytest.raises(ElectionError, match=problem):
            services.nominate(actor=sam, election=election, member=member, post=post, source="organisation")
        return
    if post != "committee":  # a 书记 nominee stands for the committee first
        services.nominate(
            actor=sam, election=election, member=member, post="committee", source="organisation"
        )
    nomination = services.nominate(
        actor=sam, election=election, member=member, post=post, source="organisation"
    )
    Election.objects.filter(pk=election.pk).update(status="review")
    c = nomination.candidacy
    c.member.refresh_from_db()
    if problem is None:
        services.review_candidacy(actor=olga, candidacy=c, qualified=True)
    else:
        with pytest.raises(ElectionError, match=problem):
            services.review_candidacy(actor=olga, candidacy=c, qualified=True)
        with pytest.raises(ElectionError):
            services.review_candidacy(
                actor=olga, candidacy=c, qualified=False, reason=""
            )  # a reason is required
        services.review_candidacy(actor=olga, candidacy=c, qualified=False, reason="不符合条件")


def test_a_scrutineer_of_the_recommendation_cannot_stand_in_it(tree, sam, olga, ten):
    from .procedure_flow import review_all, start_meeting

    election = new_election(sam, tree.a, seats=3, mode="standard")
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    for u in ("m1", "m2", "m3", "m4", "m5"):
        services.nominate(
            actor=sam, election=election, member=ten[u], post="committee", source="organisation"
        )
    review_all(election, olga)
    meeting = start_meeting(tree.a, sam, [m for m in ten.values() if m.category == "full"])
    with pytest.raises(BallotError, match=ten["m1"].name):
        services.prepare_recommendation(
            actor=sam, election=election, meeting=meeting, scrutineers=[ten["m1"], ten["m7"]]
        )
    assert not election.election_polls.exists()  # nothing half-prepared


def test_a_candidate_cannot_be_elected_scrutineer(tree, sam, olga, ten):
    election = to_meeting(tree, sam, olga, ten, present=10)
    services.confirm_quorum(actor=sam, election=election)
    with pytest.raises(ElectionError, match=ten["m1"].name):
        services.elect_scrutineers(actor=sam, election=election, members=[ten["m1"], ten["m7"]], votes_for=9)
    with pytest.raises(ElectionError):
        services.elect_scrutineers(
            actor=sam, election=election, members=[ten["m8"], ten["m7"]], votes_for=5
        )  # 5/10
    services.elect_scrutineers(actor=sam, election=election, members=[ten["m8"], ten["m7"]], votes_for=6)


# --- seats and office ---------------------------------------------------------------------------------


def test_no_seat_reduction_below_three_and_the_new_committee_waits_for_approval(tree, sam, olga, ten):
    """A shortfall: 2 of 3 elected. Reducing to 2 is refused (never below 3); a further round fills the seat;
    the 书记 named by the new committee takes office only after the higher committee's approval."""
    from .procedure_flow import close_and_count, seal_and_open, vote

    election = to_meeting(tree, sam, olga, ten, present=10)
    services.confirm_quorum(actor=sam, election=election)
    services.elect_scrutineers(actor=sam, election=election, members=[ten["m8"], ten["m7"]], votes_for=9)
    services.adopt_election_rules(actor=sam, election=election, text="选举办法", votes_for=9)
    link = services.prepare_ballot(actor=sam, election=election, post="committee")
    poll = seal_and_open(link.poll, sam)
    voters = list(Member.objects.filter(organisation=tree.a, category="full"))
    for i, m in enumerate(voters):
        vote(poll, m, names(ten, "m1", "m2") + (names(ten, "m3") if i < 5 else names(ten, "m4")))
    close_and_count(poll, sam)
    progress = selectors.progress_of(election, "committee")
    assert progress.next_step == "shortfall" and progress.open_seats == 1  # m3, m4: 5 of 10, not > 1/2
    with pytest.raises(ElectionError, match="3"):
        services.reduce_seats(actor=sam, election=election, votes_for=9)
    further = services.start_further_round(actor=sam, election=election, post="committee")
    assert sorted(o.member_id for o in further.poll.options.all()) == sorted([ten["m3"].pk, ten["m4"].pk])
    poll = seal_and_open(further.poll, sam)
    for m in voters:
        vote(poll, m, names(ten, "m3"))
    close_and_count(poll, sam)
    assert selectors.progress_of(election, "committee").done
    with pytest.raises(ElectionError):
        services.announce_results(actor=sam, election=election, secretary=ten["m5"])  # not on the committee
    services.announce_results(actor=sam, election=election, secretary=ten["m1"])
    services.file_results(actor=sam, election=election)
    with pytest.raises(ElectionError):
        services.take_office(actor=sam, election=fresh(election))  # 书记 without approval
    assert fresh(election).status == "filed"
    services.confirm_results(actor=olga, election=election)
    services.take_office(actor=sam, election=fresh(election))
    assert fresh(election).status == "in_office"


@pytest.mark.parametrize(
    "elected, new_seats, votes_for, present, post, ok",
    [
        (3, 3, 6, 10, "committee", True),
        (3, 3, 5, 10, "committee", False),  # exactly half is not more than half
        (2, 2, 9, 10, "committee", False),  # never fewer than 3
        (3, 4, 9, 10, "committee", False),
        (0, 0, 9, 10, "secretary", False),  # never without a 书记
    ],
)
def test_seat_reduction_rules(elected, new_seats, votes_for, present, post, ok):
    from elections import rules as prules

    rules = {"committee_min_size": 3, "election_seat_reduction_threshold": [1, 2]}
    problems = prules.seat_reduction_problems(
        rules, post=post, elected=elected, new_seats=new_seats, votes_for=votes_for, present=present
    )
    assert (not problems) == ok


# --- the life-cycle table -----------------------------------------------------------------------------

ALLOWED = {(a, b) for a, targets in ELECTION.moves.items() for b in targets}
STATES = list(ELECTION.moves)


@pytest.mark.parametrize("current", STATES)
@pytest.mark.parametrize("new", STATES)
def test_the_life_cycle_allows_only_the_moves_of_its_table(current, new):
    assert ELECTION.allowed(current, new) == ((current, new) in ALLOWED)
    order = [s for s in STATES if s != "cancelled"]
    if current in order and new in order and (current, new) in ALLOWED:
        # forward one step, or back for another pass (a returned request or returned pre-candidates)
        assert order.index(new) == order.index(current) + 1 or (current, new) in {
            ("requested", "draft"),
            ("pre_approval", "inspection"),
            ("inspection", "recommendation"),  # a post short of preliminary candidates recommended again
        }


def test_a_jump_is_refused_and_nothing_changes(tree, sam, olga, ten):
    election = new_election(sam, tree.a, seats=3)
    with pytest.raises(ElectionError):
        services.approve_pre_candidates(actor=olga, election=election)
    with pytest.raises(ElectionError):
        services.take_office(actor=sam, election=election)
    assert fresh(election).status == "draft"
