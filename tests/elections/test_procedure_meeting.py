"""The election meeting in 公推直选 mode with a deputy secretary: the committee first, then 书记 and
副书记 from the elected committee (the secretary elected is no candidate for deputy); who each step
waits on is told; the election page's queries do not grow with the votes."""

import pytest
from django.urls import reverse

from branches import reminders
from branches.models import Member, Notification
from elections import services
from elections.services.errors import ElectionError
from tests.factories import MemberFactory, UserFactory

from .procedure_flow import (
    close_and_count,
    fresh,
    members_by_username,
    names,
    new_election,
    publish_notice,
    recommend_by_members,
    review_all,
    seal_and_open,
    to_meeting,
    vote,
)


@pytest.fixture
def ten(tree, sam, alice, petra, olga, victor):
    for i in range(1, 9):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


def test_each_step_tells_whoever_it_waits_on(tree, sam, olga, alice, ten):
    election = new_election(sam, tree.a, seats=3)
    reminders.run()
    assert Notification.objects.filter(recipient=sam, kind="election.step").count() == 1
    services.submit_request(actor=sam, election=election)
    reminders.run()
    reminders.run()  # twice: nothing sent twice
    assert Notification.objects.filter(recipient=olga, kind="election.step").count() == 1
    assert Notification.objects.filter(recipient=sam, kind="election.step").count() == 1
    assert not Notification.objects.filter(recipient=alice, kind="election.step").exists()
    assert reminders.pending_for(election).filter(kind="election.step").count() == 1  # the repeat, for olga
    services.approve_request(actor=olga, election=election)
    pending = reminders.pending_for(election).filter(kind="election.step").get()
    assert list(pending.recipients.all()) == [sam]


def direct_with_deputy_to_meeting(tree, sam, olga, ten):
    election = new_election(sam, tree.a, seats=3, deputy_seats=1, mode="direct")
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    for u in ("m1", "m2", "m3", "m4", "m5", "m6"):
        services.nominate(
            actor=sam, election=election, member=ten[u], post="committee", source="organisation"
        )
    for post in ("secretary", "deputy"):
        for u in ("m1", "m2", "m3"):
            services.nominate(actor=sam, election=election, member=ten[u], post=post, source="organisation")
    review_all(election, olga)
    voters = [m for m in ten.values() if m.category == "full"]
    recommend_by_members(
        election,
        sam,
        voters,
        [ten["m7"], ten["m8"]],
        {
            "committee": names(ten, "m1", "m2", "m3", "m4", "m5"),
            "secretary": names(ten, "m1", "m2"),
            "deputy": names(ten, "m2", "m3"),
        },
    )
    services.close_recommendation(actor=sam, election=election)
    for c in election.candidacies.filter(stage="preliminary"):
        services.record_inspection(actor=sam, candidacy=c, note="合格")
    chosen = [
        c.pk
        for c in election.candidacies.filter(stage="preliminary").select_related("member")
        if (c.post, c.member.user.username)
        in {("committee", u) for u in ("m1", "m2", "m3", "m4")}
        | {("secretary", "m1"), ("secretary", "m2"), ("deputy", "m2"), ("deputy", "m3")}
    ]
    services.choose_pre_candidates(actor=sam, election=election, candidacy_ids=chosen)
    services.submit_pre_candidates(actor=sam, election=election)
    services.approve_pre_candidates(actor=olga, election=election)
    publish_notice(election, sam, olga)
    election = to_meeting(tree, sam, olga, ten, present=10, election=_end_and_fix(election, sam))
    services.confirm_quorum(actor=sam, election=election)
    services.elect_scrutineers(actor=sam, election=election, members=[ten["m7"], ten["m8"]], votes_for=9)
    services.adopt_election_rules(actor=sam, election=election, text="选举办法", votes_for=9)
    return fresh(election)


def _end_and_fix(election, sam):
    from .procedure_flow import end_notice

    election = end_notice(fresh(election))
    services.fix_candidates(actor=sam, election=election)
    return fresh(election)


def test_secretary_and_deputy_are_elected_from_the_new_committee(
    client, tree, sam, olga, ten, django_assert_max_num_queries
):
    election = direct_with_deputy_to_meeting(tree, sam, olga, ten)
    voters = list(Member.objects.filter(organisation=tree.a, category="full"))
    with pytest.raises(ElectionError):
        services.prepare_ballot(actor=sam, election=election, post="secretary")  # the committee first
    link = services.prepare_ballot(actor=sam, election=election, post="committee")
    poll = seal_and_open(link.poll, sam)
    for m in voters:
        vote(poll, m, names(ten, "m1", "m2", "m3"))
    close_and_count(poll, sam)
    client.force_login(sam)
    page = reverse("elections:election", args=[election.pk])
    client.get(page)
    with django_assert_max_num_queries(40) as one_round:
        client.get(page)

    sec = services.prepare_ballot(actor=sam, election=election, post="secretary")
    poll = seal_and_open(sec.poll, sam)
    for m in voters:
        vote(poll, m, names(ten, "m2"))
    close_and_count(poll, sam)
    deputy = services.prepare_ballot(actor=sam, election=election, post="deputy")
    # m2 is the secretary now: the deputy's ballot has m3 only (m1 was no deputy candidate)
    assert [o.member_id for o in deputy.poll.options.all()] == [ten["m3"].pk]
    poll = seal_and_open(deputy.poll, sam)
    for m in voters:
        vote(poll, m, names(ten, "m3"))
    close_and_count(poll, sam)
    with django_assert_max_num_queries(
        len(one_round) + 8
    ):  # two more posts' rounds: a few queries each, not per vote
        assert client.get(page).status_code == 200
    services.announce_results(actor=sam, election=election)
    sheet = fresh(election).result_sheet
    assert {(r["post"], r["name"]) for r in sheet["elected"]} >= {
        ("secretary", ten["m2"].name),
        ("deputy", ten["m3"].name),
    }
    # The elected are listed in rank order on the election page: 书记, 副书记, then the members.
    from elections.selectors import elected_in_rank_order

    assert [e.post for e in elected_in_rank_order(election)][:2] == ["secretary", "deputy"]
    assert [e.post for e in elected_in_rank_order(election)][-1] == "committee"
    services.file_results(actor=sam, election=election)
    services.confirm_results(actor=olga, election=election)
    services.take_office(actor=sam, election=fresh(election))
    from branches.models import Role

    kinds = dict(
        Role.objects.current().filter(organisation=tree.a).values_list("member__user__username", "kind")
    )
    assert kinds == {"m1": "committee_member", "m2": "secretary", "m3": "deputy_secretary"}
