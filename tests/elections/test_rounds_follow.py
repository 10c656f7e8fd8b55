"""A recommendation ballot voided in the engine and given a new round there stays the election's: the
engine's `round_started` signal moves the link (ballots never imports elections)."""

import pytest

from ballots import services as engine
from ballots.models import Poll
from elections import selectors, services
from elections.models import ElectionPoll
from tests.factories import MemberFactory, UserFactory

from .procedure_flow import (
    close_and_count,
    members_by_username,
    names,
    new_election,
    review_all,
    seal_and_open,
    start_meeting,
    vote,
)


@pytest.fixture
def by(tree, sam, alice, olga):
    for i in range(1, 9):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


def in_recommendation(tree, sam, olga, by):
    election = new_election(sam, tree.a, seats=3, mode="standard")
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    for u in ("m1", "m2", "m3", "m4", "m5", "m6"):
        services.nominate(actor=sam, election=election, member=by[u], post="committee", source="organisation")
    review_all(election, olga)
    voters = list(by.values())
    meeting = start_meeting(tree.a, sam, voters)
    (link,) = services.prepare_recommendation(
        actor=sam, election=election, meeting=meeting, scrutineers=[by["m7"], by["m8"]]
    )
    return election, link, voters


def test_a_voided_recommendation_ballots_new_round_belongs_to_the_election(tree, sam, olga, by):
    election, link, voters = in_recommendation(tree, sam, olga, by)
    poll = seal_and_open(link.poll, sam)
    engine.void_poll(actor=sam, poll=poll, reason="选票数多于到会人数")
    successor = engine.new_round(actor=sam, poll=Poll.objects.get(pk=poll.pk))
    link.refresh_from_db()
    assert link.poll_id == successor.pk
    assert ElectionPoll.objects.filter(election=election).count() == 1
    # the void poll no longer holds the recommendation up; the new one is counted and closes it
    successor = seal_and_open(successor, sam)
    for member in voters:
        vote(successor, member, names(by, "m1", "m2", "m3", "m4", "m5"))
    close_and_count(successor, sam)
    assert selectors.issues_for(election) == []
    services.close_recommendation(actor=sam, election=election)
    assert election.candidacies.filter(stage="preliminary").count() == 5


def test_a_new_round_of_a_poll_outside_any_election_links_nothing(tree, sam, olga, by):
    election, link, _voters = in_recommendation(tree, sam, olga, by)
    counted = seal_and_open(link.poll, sam)
    close_and_count(counted, sam)
    engine.new_round(actor=sam, poll=Poll.objects.get(pk=counted.pk))  # a counted round: not a repeat
    link.refresh_from_db()
    assert link.poll_id == counted.pk
    assert ElectionPoll.objects.filter(election=election).count() == 1
