"""The services of the engine, built step by step through the real services."""

import pytest

from ballots import services
from ballots.models import CountedBallot, HasVoted, NamedVote, Poll, RollEntry, Scrutineer
from ballots.rules import blocking_issues
from branches import services as branch_services
from tests.factories import exclude_from_expected

from .conftest import PASSPHRASES, make_poll, option_ids, passphrases_of, sealed_count, start_meeting


def _cast(poll, member, marks, write_ins=(), key=None):
    return services.cast_ballot(
        user=member.user,
        poll=poll,
        marks=marks,
        write_ins=[str(w) for w in write_ins],
        idempotency_key=key or f"key-{member.pk}-0123456789abcdef",
    )


def test_opening_is_refused_below_quorum_with_the_blocking_issues_as_data(tree, sam, members):
    present = [members[n] for n in ("sam", "alice", "m1", "m2")]  # 4 of the 7 with voting rights
    meeting = start_meeting(tree.a, sam, sign_in=present)
    poll = make_poll(
        meeting, sam, options=[members["m1"]], scrutineers=[members["m4"], members["m5"]], open_=False
    )
    issues = blocking_issues(poll)
    assert len(issues) == 1 and "4/5" in issues[0] and "4" in issues[0] and "7" in issues[0]
    with pytest.raises(services.BallotError):
        services.open_poll(actor=sam, poll=poll)
    poll.refresh_from_db()
    assert poll.status == "draft"


def test_quorum_exactly_four_fifths_is_refused_and_one_more_opens(tree, sam, olga, members):
    # 5 entitled (sam, alice, m1, m2, m3): m4 and m5 excluded from 应到 with a reason; petra has no rights.
    meeting = start_meeting(
        tree.a, sam, sign_in=[members[n] for n in ("sam", "alice", "m1", "m2", "m4", "m5")]
    )
    poll = make_poll(
        meeting, sam, options=[members["m1"]], scrutineers=[members["m4"], members["m5"]], open_=False
    )
    # 8 on the meeting; 7 with voting rights; present with rights: sam alice m1 m2 m4 m5 = 6 of 7 → open.
    assert blocking_issues(poll) == []
    exclude_from_expected(
        meeting=meeting, member=members["m3"], reason="illness", secretary=sam, officer=olga
    )
    branch_services.set_attendance(actor=sam, meeting=meeting, member=members["m5"], status="expected")
    # Now 应到 6 (m3 excluded), present 5 (m5 no longer) → 5/6 > 4/5: opens. Make it exactly 4/5:
    branch_services.set_attendance(actor=sam, meeting=meeting, member=members["alice"], status="expected")
    exclude_from_expected(
        meeting=meeting, member=members["alice"], reason="abroad", secretary=sam, officer=olga
    )
    # 应到 5 (sam m1 m2 m4 m5), present 4 (sam m1 m2 m4): exactly 4/5 → refused.
    assert any("4/5" in issue for issue in blocking_issues(poll))
    poll.rules = {**poll.rules, "quorum_inclusive": True}
    Poll.objects.filter(pk=poll.pk).update(rules=poll.rules)
    assert blocking_issues(poll) == []


def test_the_roll_is_frozen_at_opening_without_probationary_or_excluded_members(
    tree, sam, olga, members, meeting
):
    branch_services.set_attendance(actor=sam, meeting=meeting, member=members["m3"], status="expected")
    exclude_from_expected(
        meeting=meeting, member=members["m3"], reason="sentence", secretary=sam, officer=olga
    )
    poll = make_poll(meeting, sam, options=[members["m1"]], scrutineers=[members["m4"], members["m5"]])
    roll = set(RollEntry.objects.filter(poll=poll).values_list("member__user__username", flat=True))
    assert roll == {"sam", "alice", "m1", "m2", "m4", "m5"}
    assert poll.expected_count == 6 and poll.present_at_open == 6


def test_a_retry_of_the_same_form_records_one_ballot_and_shows_the_same_tracker(election, members):
    o = option_ids(election)
    first = _cast(election, members["alice"], {o[0]: "for"}, key="same-key-0123456789")
    again = _cast(election, members["alice"], {o[0]: "against"}, key="same-key-0123456789")
    assert again.replayed and again.tracker == first.tracker and not first.replayed
    assert sealed_count(election) == 1


def test_a_second_vote_with_another_form_is_refused(election, members):
    o = option_ids(election)
    _cast(election, members["alice"], {o[0]: "for"}, key="first-key-0123456789")
    with pytest.raises(services.BallotError, match="already voted|投过票"):
        _cast(election, members["alice"], {o[0]: "for"}, key="second-key-0123456789")
    assert HasVoted.objects.filter(poll=election).count() == 1


def test_the_online_booth_refuses_a_member_who_took_a_paper_ballot_and_the_desk_one_who_voted_online(
    election, sam, members
):
    o = option_ids(election)
    services.issue_paper_ballot(actor=sam, poll=election, member=members["alice"])
    with pytest.raises(services.BallotError):
        _cast(election, members["alice"], {o[0]: "for"})
    _cast(election, members["m1"], {o[0]: "for"})
    with pytest.raises(services.BallotError):
        services.issue_paper_ballot(actor=sam, poll=election, member=members["m1"])
    assert sealed_count(election) == 1
    assert HasVoted.objects.filter(poll=election).count() == 2


def _paper_round(election, sam, members, olga_user, *, returned=2, second=None):
    o = option_ids(election)
    services.issue_paper_ballot(actor=sam, poll=election, member=members["alice"])
    services.issue_paper_ballot(actor=sam, poll=election, member=members["sam"], assisted=True)
    _cast(election, members["m1"], {o[0]: "for", o[1]: "for"})
    _cast(election, members["m2"], {o[0]: "for", o[2]: "against"}, write_ins=[members["m4"].pk])
    services.close_poll(actor=sam, poll=election)
    totals = {
        o[0]: {"for": 2, "against": 0, "abstain": 0},
        o[1]: {"for": 1, "against": 0, "abstain": 1},
        o[2]: {"for": 0, "against": 1, "abstain": 1},
    }
    services.enter_paper_count(
        actor=sam, poll=election, entry=1, returned=returned, invalid=0, blank=0, totals=totals, write_ins={}
    )
    services.enter_paper_count(
        actor=olga_user,
        poll=election,
        entry=2,
        returned=returned,
        invalid=0,
        blank=0,
        totals=second or totals,
        write_ins={},
    )
    return o


def test_paper_counts_entered_twice_must_agree_and_be_signed_before_the_count(election, sam, olga, members):
    o = option_ids(election)
    different = {
        o[0]: {"for": 2, "against": 0, "abstain": 0},
        o[1]: {"for": 0, "against": 0, "abstain": 2},
        o[2]: {"for": 1, "against": 1, "abstain": 0},
    }
    _paper_round(election, sam, members, olga, second=different)
    with pytest.raises(services.BallotError):
        services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    with pytest.raises(services.BallotError):
        services.accept_paper_count(actor=sam, poll=election, passphrases=passphrases_of(election))
    same = {
        o[0]: {"for": 2, "against": 0, "abstain": 0},
        o[1]: {"for": 1, "against": 0, "abstain": 1},
        o[2]: {"for": 0, "against": 1, "abstain": 1},
    }
    services.enter_paper_count(
        actor=olga, poll=election, entry=2, returned=2, invalid=0, blank=0, totals=same, write_ins={}
    )
    with pytest.raises(services.BallotError):  # one signature is not enough
        services.accept_paper_count(actor=sam, poll=election, passphrases=passphrases_of(election, 1))
    services.accept_paper_count(actor=sam, poll=election, passphrases=passphrases_of(election))
    result = services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    assert result.voters == 4 and result.returned == 4
    assert result.figures["online"]["totals"][o[0]]["for"] == 2
    assert result.figures["paper"]["totals"][o[0]]["for"] == 2
    assert result.figures["total"]["totals"][o[0]]["for"] == 4
    assert result.figures["total"]["write_ins"] == {str(members["m4"].pk): 1}
    # present 7: 4 > 7/2 → 王一 elected; 李二 has 2.
    assert result.outcome["elected"] == [f"o{o[0]}"]
    assert result.outcome["shortfall"] == 1


def test_the_same_counter_cannot_enter_both_counts(election, sam, members):
    o = option_ids(election)
    services.issue_paper_ballot(actor=sam, poll=election, member=members["alice"])
    services.close_poll(actor=sam, poll=election)
    totals = {x: {"for": 0, "against": 0, "abstain": 1} for x in o}
    services.enter_paper_count(
        actor=sam, poll=election, entry=1, returned=1, invalid=0, blank=0, totals=totals, write_ins={}
    )
    with pytest.raises(services.BallotError):
        services.enter_paper_count(
            actor=sam, poll=election, entry=2, returned=1, invalid=0, blank=0, totals=totals, write_ins={}
        )


def test_more_ballots_returned_than_voters_voids_the_round_and_a_new_round_supersedes_it(
    election, sam, olga, members
):
    o = option_ids(election)
    totals = {
        o[0]: {"for": 3, "against": 0, "abstain": 0},
        o[1]: {"for": 0, "against": 0, "abstain": 3},
        o[2]: {"for": 0, "against": 0, "abstain": 3},
    }
    services.issue_paper_ballot(actor=sam, poll=election, member=members["alice"])
    services.close_poll(actor=sam, poll=election)
    for actor, entry in ((sam, 1), (olga, 2)):
        services.enter_paper_count(
            actor=actor,
            poll=election,
            entry=entry,
            returned=3,
            invalid=0,
            blank=0,
            totals=totals,
            write_ins={},
        )
    services.accept_paper_count(actor=sam, poll=election, passphrases=passphrases_of(election))
    result = services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    election.refresh_from_db()
    assert result.void_required and election.status == "void" and election.void_reason
    successor = services.new_round(actor=sam, poll=election)
    assert (
        successor.round_no == 2 and successor.previous_round_id == election.pk and successor.status == "draft"
    )
    assert successor.options.count() == 3 and successor.scrutineers.count() == 2


def test_counting_destroys_the_key_so_the_box_can_never_be_opened_again(election, sam, members):
    o = option_ids(election)
    _cast(election, members["alice"], {o[0]: "for"})
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    election.refresh_from_db()
    assert election.wrapped_private_key is None
    assert not Scrutineer.objects.filter(poll=election, encrypted_share__isnull=False).exists()
    assert CountedBallot.objects.filter(poll=election).count() == 1


def test_counting_with_k_minus_one_passphrases_or_a_wrong_one_fails_and_writes_nothing(
    election, sam, members
):
    o = option_ids(election)
    _cast(election, members["alice"], {o[0]: "for"})
    services.close_poll(actor=sam, poll=election)
    with pytest.raises(services.BallotError):
        services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election, 1))
    first, second = election.scrutineers.order_by("pk")
    with pytest.raises(services.BallotError, match=second.member.name):
        services.count_poll(
            actor=sam, poll=election, passphrases={first.pk: PASSPHRASES[0], second.pk: "wrong!!!"}
        )
    election.refresh_from_db()
    assert election.status == "closed" and not CountedBallot.objects.filter(poll=election).exists()


def test_a_named_poll_reveals_who_voted_how_only_at_the_count(meeting, sam, members):
    poll = make_poll(
        meeting,
        sam,
        kind="motion",
        options=["关于表彰的决定"],
        secrecy="named",
        scrutineers=[members["m4"], members["m5"]],
    )
    o = option_ids(poll)
    _cast(poll, members["alice"], {o[0]: "for"})
    _cast(poll, members["m1"], {o[0]: "against"})
    assert not NamedVote.objects.filter(poll=poll).exists()
    services.close_poll(actor=sam, poll=poll)
    result = services.count_poll(actor=sam, poll=poll, passphrases=passphrases_of(poll))
    votes = {v.member.user.username: v.content["c"][o[0]] for v in NamedVote.objects.filter(poll=poll)}
    assert votes == {"alice": "for", "m1": "against"}
    # general meeting: 1 for of 7 expected → not passed
    assert result.outcome["options"][o[0]]["passed"] is False
    with pytest.raises(services.BallotError):
        services.issue_paper_ballot(actor=sam, poll=poll, member=members["m2"])


def test_a_rating_poll_counts_each_value_of_its_scale(meeting, sam, members):
    poll = make_poll(
        meeting,
        sam,
        kind="rating",
        options=["支部委员会", "孙书记"],
        scale=[["1", "称职"], ["2", "基本称职"], ["3", "不称职"]],
        scrutineers=[members["m4"], members["m5"]],
    )
    o = option_ids(poll)
    _cast(poll, members["alice"], {o[0]: "1", o[1]: "2"})
    _cast(poll, members["m1"], {o[0]: "1"})
    services.close_poll(actor=sam, poll=poll)
    result = services.count_poll(actor=sam, poll=poll, passphrases=passphrases_of(poll))
    assert result.figures["total"]["totals"][o[0]] == {"1": 2, "2": 0, "3": 0}
    assert result.outcome["options"][o[1]]["shares"]["2"] == 100.0


def test_candidates_appear_in_surname_stroke_order(meeting, sam, members):
    poll = make_poll(
        meeting,
        sam,
        options=[members["m3"], members["m2"], members["m1"], members["m4"]],
        seats=2,
        scrutineers=[members["m5"], members["alice"]],
        open_=False,
    )
    assert list(poll.options.order_by("position").values_list("label", flat=True)) == [
        "王一",
        "李二",
        "张三",
        "周四",
    ]


def test_a_scrutineer_cannot_stand_and_a_candidate_cannot_be_scrutineer(meeting, sam, members):
    poll = make_poll(meeting, sam, options=[members["m1"]], seal=False, open_=False)
    with pytest.raises(services.BallotError):
        services.add_scrutineer(actor=sam, poll=poll, member=members["m1"])
    services.add_scrutineer(actor=sam, poll=poll, member=members["m4"])
    with pytest.raises(services.BallotError):
        services.add_option(actor=sam, poll=poll, member=members["m4"])
    with pytest.raises(services.BallotError):  # probationary members never stand
        services.add_option(actor=sam, poll=poll, member=members["petra"])


def test_sealing_refuses_short_or_identical_passphrases(meeting, sam, members):
    poll = make_poll(
        meeting,
        sam,
        options=[members["m1"]],
        scrutineers=[members["m4"], members["m5"]],
        seal=False,
        open_=False,
    )
    s1, s2 = poll.scrutineers.order_by("pk")
    with pytest.raises(services.BallotError):
        services.seal_box(actor=sam, poll=poll, passphrases={s1.pk: "short", s2.pk: "long enough one"})
    with pytest.raises(services.BallotError):
        services.seal_box(actor=sam, poll=poll, passphrases={s1.pk: "the same one", s2.pk: "the same one"})
    poll.refresh_from_db()
    assert poll.public_key is None


def test_publication_sends_a_signal_with_the_poll_id_only(
    election, sam, members, django_capture_on_commit_callbacks
):
    from ballots.signals import poll_published

    received = []
    poll_published.connect(lambda **kwargs: received.append(kwargs), weak=False, dispatch_uid="test")
    try:
        services.close_poll(actor=sam, poll=election)
        services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_poll(actor=sam, poll=election)
    finally:
        poll_published.disconnect(dispatch_uid="test")
    assert [sorted(k for k in r if k != "signal") for r in received] == [["poll_id", "sender"]]
    assert received[0]["poll_id"] == election.pk
