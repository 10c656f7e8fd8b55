"""The work queue on each persona's home: what waits on him, the most urgent first, counted in the navbar,
in the same number of queries whatever the number of rows."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches import services as branch_services
from branches.workqueue import PROVIDERS, work_queue
from elections import services as election_services
from motions import services as motion_services
from tests.ballots.conftest import EXTRA, make_poll, start_meeting
from tests.conftest import member_of
from tests.factories import MemberFactory, UserFactory

HOME = "/"


def _home_queries(client) -> int:
    client.get(HOME)  # warm the per-process caches (content types, the rule set)
    with CaptureQueriesContext(connection) as ctx:
        client.get(HOME)
    return len(ctx.captured_queries)


def _same_queries_at_two_sizes(client, grow, django_assert_num_queries):
    """Counts the home page's queries, adds rows with `grow()`, and pins the count: the same."""
    before = _home_queries(client)
    grow()
    with django_assert_num_queries(before):
        response = client.get(HOME)
    return response.content.decode()


def test_every_app_registers_its_part_of_the_queue():
    modules = {p.__module__ for p in PROVIDERS}
    assert {"branches.work", "ballots.work", "motions.work", "elections.work", "openness.work"} <= modules


# --- the member ---------------------------------------------------------------------------------------------


@pytest.fixture
def voters(tree, sam, alice):
    extra = [MemberFactory(organisation=tree.a, name=name, user=UserFactory(username=u)) for u, name in EXTRA]
    return [member_of(sam), member_of(alice), *extra]


def _open_poll(meeting, sam, voters, title="关于发展党员的决议"):
    return make_poll(meeting, sam, kind="motion", options=[title], scrutineers=voters[-2:])


def test_a_member_sees_please_vote_for_an_open_poll_he_has_not_voted_in(client_for, sam, alice, voters, tree):
    meeting = start_meeting(tree.a, sam, sign_in=voters)
    poll = _open_poll(meeting, sam, voters)
    items = work_queue(alice)
    assert [(i.action, i.url) for i in items] == [("请投票", reverse("ballots:vote", args=[poll.pk]))]
    body = client_for(alice).get(HOME).content.decode()
    assert "请投票" in body and reverse("ballots:vote", args=[poll.pk]) in body


def test_a_member_not_signed_in_is_asked_to_sign_in_not_to_vote(sam, alice, voters, tree):
    others = [v for v in voters if v.user_id != alice.pk]
    meeting = start_meeting(tree.a, sam, sign_in=others)
    _open_poll(meeting, sam, voters)
    assert [i.action for i in work_queue(alice)] == ["签到"]


def test_a_member_of_another_branch_sees_nothing_of_it(sam, bob, voters, tree):
    meeting = start_meeting(tree.a, sam, sign_in=voters)
    _open_poll(meeting, sam, voters)
    assert work_queue(bob) == []


def test_the_members_home_costs_the_same_queries_for_one_poll_and_three(
    client_for, sam, alice, voters, tree, django_assert_num_queries
):
    meeting = start_meeting(tree.a, sam, sign_in=voters)
    _open_poll(meeting, sam, voters)
    client = client_for(alice)

    def grow():
        for i in range(2):
            _open_poll(meeting, sam, voters, title=f"决议{i}")
        start_meeting(tree.a, sam)  # a second meeting under way: 签到

    body = _same_queries_at_two_sizes(client, grow, django_assert_num_queries)
    assert body.count("请投票") == 3 and "签到" in body
    # the most urgent first: both are "now", the navbar counts them
    assert 'text-bg-danger" title="待我办理">4<' in body


# --- the secretary ------------------------------------------------------------------------------------------


def _proposal(user, title):
    return motion_services.file_proposal(
        actor=user,
        proposer=member_of(user),
        title=title,
        content="东街路灯损坏三处，夜间出行不便，建议尽快修复。",
    )


def test_the_secretary_sees_proposals_to_register_and_to_answer_with_days_left(client_for, sam, alice, tree):
    waiting = _proposal(alice, "修缮村道路灯")
    running = _proposal(alice, "增设健身器材")
    motion_services.register_proposal(actor=sam, proposal=running)
    running.refresh_from_db()
    items = {i.title: i for i in work_queue(sam)}
    assert items[waiting.title].action == "登记提议"
    assert items[running.title].action == "答复提议"
    assert items[running.title].days_left == (running.due_on - timezone.localdate()).days > 0
    body = client_for(sam).get(HOME).content.decode()
    assert f"还剩{items[running.title].days_left}天" in body


def test_a_member_is_not_asked_to_answer_proposals(alice):
    _proposal(alice, "修缮村道路灯")
    assert [i for i in work_queue(alice) if i.action in ("登记提议", "答复提议")] == []


def test_the_secretarys_home_costs_the_same_queries_for_one_proposal_and_four(
    client_for, sam, alice, tree, django_assert_num_queries
):
    _proposal(alice, "提议0")

    def grow():
        for i in range(1, 4):
            proposal = _proposal(alice, f"提议{i}")
            motion_services.register_proposal(actor=sam, proposal=proposal)
        branch_services.schedule_meeting(
            actor=sam,
            organisation=tree.a,
            kind="committee",
            title="支委会",
            agenda="议事",
            starts_at=timezone.now() + dt.timedelta(days=2),
        )

    body = _same_queries_at_two_sizes(client_for(sam), grow, django_assert_num_queries)
    assert body.count("答复提议") == 3 and body.count("登记提议") == 1


# --- the higher-committee officer -------------------------------------------------------------------------


def _requested_election(org, actor):
    election = election_services.draft_election(
        actor=actor,
        organisation=org,
        title=f"{org.name}换届选举",
        committee_seats=3,
        request_text="拟于下月换届。",
    )
    return election_services.submit_request(actor=actor, election=election)


def test_the_officer_sees_the_election_requests_of_the_branches_below(client_for, sam, olga, tree):
    election = _requested_election(tree.a, sam)
    items = work_queue(olga)
    assert [(i.action, i.url) for i in items] == [
        ("审批换届选举请示", reverse("elections:election", args=[election.pk]))
    ]
    # the branch's own secretary waits: it is not his to approve
    assert "审批换届选举请示" not in [i.action for i in work_queue(sam)]


def test_the_officers_home_costs_the_same_queries_for_one_branch_and_two(
    client_for, sam, olga, tree, django_assert_num_queries
):
    _requested_election(tree.a, sam)
    secretary_b = UserFactory(username="sec_b")
    MemberFactory(organisation=tree.b, name="白书记", user=secretary_b)
    body = _same_queries_at_two_sizes(
        client_for(olga), lambda: _requested_election(tree.b, secretary_b), django_assert_num_queries
    )
    assert body.count("审批换届选举请示") == 2


# --- the supervisor ---------------------------------------------------------------------------------------


def test_the_supervisor_sees_overdue_answers_with_the_same_queries_for_one_and_three(
    client_for, sam, alice, victor, tree, django_assert_num_queries
):
    first = _proposal(alice, "逾期提议0")
    motion_services.register_proposal(actor=sam, proposal=first)
    more = []
    for i in range(1, 3):
        proposal = _proposal(alice, f"逾期提议{i}")
        motion_services.register_proposal(actor=sam, proposal=proposal)
        more.append(proposal)
    client = client_for(victor)
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        assert [i.action for i in work_queue(victor)].count("逾期未答复") == 3
        body = client.get(HOME).content.decode()
        assert body.count("逾期未答复") == 3 and "逾期" in body
    # two sizes: answer two of them (closed clocks leave the queue), count again
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        many = _home_queries(client)
    from motions.models import Proposal

    Proposal.objects.filter(pk__in=[p.pk for p in more]).update(
        due_on=timezone.localdate() + dt.timedelta(days=60)
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)), django_assert_num_queries(many):
        body = client.get(HOME).content.decode()
    assert body.count("逾期未答复") == 1


def test_the_meeting_list_offers_a_new_meeting_to_those_who_manage(client_for, sam, alice, tree):
    url = reverse("branches:meeting_new", args=[tree.a.pk])
    assert url in client_for(sam).get(reverse("branches:meetings")).content.decode()
    assert url not in client_for(alice).get(reverse("branches:meetings")).content.decode()
