"""The 公推直选 pages: every persona on every kind of endpoint (allowed, hidden 404, forbidden 403,
wrong method 405, anonymous to the login page), the one-time invitation page without an account, pages
rendered, and pinned query counts on the list and the election page (the same with 1 and with many rows)."""

import pytest
from django.urls import reverse

from elections import services
from elections.models import Candidacy, Election
from tests.factories import MemberFactory, UserFactory

from ..conftest import member_of
from .procedure_flow import new_election


@pytest.fixture
def branch(tree, sam, alice, petra, bob, olga, victor):
    """Branch a: sam, alice, petra, and six more full members (m1–m6)."""
    return [MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}")) for i in range(1, 7)]


@pytest.fixture
def election(tree, sam, branch):
    return new_election(sam, tree.a, seats=3, mode="standard")


def in_nomination(election, sam, olga):
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    return election


def url(name, *args):
    return reverse(f"elections:{name}", args=args)


PERSONAS = ["anonymous", "sam", "alice", "petra", "bob", "olga", "victor"]


def client_as(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", 302),
        ("sam", 200),
        ("alice", 200),
        ("petra", 200),
        ("bob", 404),
        ("olga", 200),
        ("victor", 200),
    ],
)
def test_the_election_page_is_seen_by_the_branch_its_managers_and_supervisors_only(
    client, request, election, who, expected
):
    response = client_as(client, request, who).get(url("election", election.pk))
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "action, who, expected",
    [
        # manage: the branch's committee (and officers above, who manage the subtree)
        ("submit_request", "anonymous", 302),
        ("submit_request", "alice", 403),
        ("submit_request", "petra", 403),
        ("submit_request", "bob", 404),
        ("submit_request", "victor", 403),
        ("submit_request", "sam", 302),
        ("submit_request", "olga", 302),
        # approve: the higher committee only, never the branch's own secretary
        ("approve_request", "sam", 403),
        ("approve_request", "alice", 403),
        ("approve_request", "victor", 403),
        ("approve_request", "bob", 404),
        ("approve_request", "olga", 302),
        ("no_such_step", "sam", 404),
    ],
)
def test_each_step_answers_each_persona_as_the_rules_say(
    client, request, election, sam, action, who, expected
):
    if action == "approve_request":
        services.submit_request(actor=sam, election=election)
    response = client_as(client, request, who).post(
        url("election_action", election.pk, action), {"text": "好"}
    )
    assert response.status_code == expected
    if expected == 302 and who != "anonymous":
        assert response["Location"] == url("election", election.pk)
        election.refresh_from_db()
        assert election.status == {"submit_request": "requested", "approve_request": "approved"}[action]


def test_a_step_refuses_get(client, sam, election):
    client.force_login(sam)
    assert client.get(url("election_action", election.pk, "submit_request")).status_code == 405


@pytest.mark.parametrize(
    "who, expected", [("alice", 302), ("petra", 302), ("bob", 404), ("victor", 403), ("olga", 403)]
)
def test_members_of_the_branch_nominate_others_do_not(
    client, request, election, sam, olga, branch, who, expected
):
    in_nomination(election, sam, olga)
    response = client_as(client, request, who).post(
        url("election_action", election.pk, "nominate"), {"member": branch[0].pk, "post": "committee"}
    )
    assert response.status_code == expected
    created = Candidacy.objects.filter(election=election, member=branch[0]).exists()
    # petra may take part but has no voting rights: the service refuses her recommendation with a message
    assert created == (who == "alice")


def test_a_member_nominating_herself_is_a_self_nomination(client, alice, election, sam, olga):
    in_nomination(election, sam, olga)
    client.force_login(alice)
    client.post(
        url("election_action", election.pk, "nominate"), {"member": member_of(alice).pk, "post": "committee"}
    )
    assert Candidacy.objects.get(election=election).nominations.get().source == "self"


def test_the_invitation_link_works_once_and_without_an_account(client, election, sam, olga, branch):
    in_nomination(election, sam, olga)
    _inv, token = services.invite(actor=sam, election=election, purpose="nominate", name="居民代表")
    page = client.get(url("invitation", token))
    assert page.status_code == 200 and "居民代表" in page.content.decode()
    done = client.post(url("invitation", token), {"member": branch[1].pk, "post": "committee"})
    assert done.status_code == 200 and b"invitation-done" in done.content
    assert Candidacy.objects.get(election=election, member=branch[1]).nominations.get().source == "mass"
    assert client.get(url("invitation", token)).status_code == 410
    assert client.get(url("invitation", token[:-2] + "xx")).status_code == 410


def test_the_candidate_page_is_hidden_from_another_branch(client, election, sam, olga, bob, alice, branch):
    in_nomination(election, sam, olga)
    nomination = services.nominate(
        actor=sam, election=election, member=branch[0], post="committee", source="organisation"
    )
    page = url("candidate", nomination.candidacy_id)
    client.force_login(bob)
    assert client.get(page).status_code == 404
    client.force_login(alice)
    assert client.get(page).status_code == 200
    assert client.post(url("candidate_ask", nomination.candidacy_id), {"text": "?"}).status_code == 302
    assert client.get(url("candidate_ask", nomination.candidacy_id)).status_code == 405
    client.force_login(bob)
    assert client.post(url("candidate_ask", nomination.candidacy_id), {"text": "?"}).status_code == 404


def test_the_qualification_review_is_the_higher_committees(client, election, sam, olga, branch):
    in_nomination(election, sam, olga)
    nomination = services.nominate(
        actor=sam, election=election, member=branch[0], post="committee", source="organisation"
    )
    Election.objects.filter(pk=election.pk).update(status="review")
    client.force_login(sam)
    assert (
        client.post(url("candidate_review", nomination.candidacy_id), {"qualified": "on"}).status_code == 403
    )
    client.force_login(olga)
    assert (
        client.post(url("candidate_review", nomination.candidacy_id), {"reason": "不符合条件"}).status_code
        == 302
    )
    candidacy = Candidacy.objects.get(pk=nomination.candidacy_id)
    assert candidacy.stage == "rejected" and candidacy.rejection_reason == "不符合条件"


def test_the_pages_render_for_each_persona_in_nomination(client, request, election, sam, olga, branch):
    in_nomination(election, sam, olga)
    services.nominate(actor=sam, election=election, member=branch[0], post="committee", source="organisation")
    for who in ("sam", "alice", "olga", "victor", "petra"):
        client.force_login(request.getfixturevalue(who))
        page = client.get(url("election", election.pk))
        assert page.status_code == 200
        body = page.content.decode()
        assert 'data-testid="timeline"' in body
        assert ('data-testid="nominate-form"' in body) == (who in ("alice", "petra", "sam"))
    client.force_login(sam)
    assert client.get(url("election_list")).status_code == 200
    assert client.get(url("election_new", election.organisation_id)).status_code == 200


def test_a_secretary_drafts_an_election_through_the_form(client, tree, sam, alice):
    client.force_login(alice)
    assert client.get(url("election_new", tree.a.pk)).status_code == 403
    client.force_login(sam)
    response = client.post(
        url("election_new", tree.a.pk),
        {"title": "换届", "mode": "direct", "committee_seats": 5, "deputy_seats": 1, "request_text": "请示"},
    )
    election = Election.objects.get(organisation=tree.a)
    assert response["Location"] == url("election", election.pk)
    assert election.rules["election_quorum"] == [4, 5]  # the rule values are recorded


# --- pinned query counts ------------------------------------------------------------------------------


def _many_elections(tree, sam, n):
    for _i in range(n - 1):
        e = new_election(sam, tree.a, seats=3)
        services.cancel_election(actor=sam, election=e, reason="重来")
    return new_election(sam, tree.a, seats=3)


@pytest.mark.parametrize("n", [1, 8])
def test_the_election_list_costs_the_same_queries_for_1_and_for_many(
    client, tree, sam, branch, n, django_assert_num_queries
):
    _many_elections(tree, sam, n)
    client.force_login(sam)
    client.get(url("election_list"))  # warm the session
    with django_assert_num_queries(6):
        response = client.get(url("election_list"))
    assert response.content.decode().count('class="list-group-item') == n


@pytest.mark.parametrize("n", [1, 6])
def test_the_election_page_costs_the_same_queries_for_1_and_for_many_nominees(
    client, tree, sam, olga, branch, n, django_assert_num_queries
):
    election = new_election(sam, tree.a, seats=3)
    in_nomination(election, sam, olga)
    for m in branch[:n]:
        services.nominate(actor=sam, election=election, member=m, post="committee", source="organisation")
    client.force_login(sam)
    client.get(url("election", election.pk))
    # 18: one of them asks for 书记 nominees not nominated for the committee (direct mode, two posts)
    with django_assert_num_queries(18):
        response = client.get(url("election", election.pk))
    assert response.content.decode().count('data-testid="candidate-link"') == n


# --- every state renders for every persona ----------------------------------------------------------------


def test_the_election_page_renders_at_every_step_for_every_persona(client, request, tree, sam, olga, branch):
    """Walk a standard election from the request to office; at each step every persona who may see the page
    gets it, with the current step marked on the timeline."""
    from .procedure_flow import (
        close_and_count,
        end_notice,
        members_by_username,
        names,
        publish_notice,
        recommend_by_members,
        seal_and_open,
        to_inspection,
        to_meeting,
        vote,
    )

    by = members_by_username(tree.a)
    seen = []

    def look():
        election.refresh_from_db()
        for who in ("sam", "alice", "olga", "victor"):
            client.force_login(request.getfixturevalue(who))
            page = client.get(url("election", election.pk))
            assert page.status_code == 200, (election.status, who)
            assert f'data-step="{election.status}" data-state="current"' in page.content.decode() or (
                election.status == "in_office"
            )
        seen.append(election.status)

    election = new_election(sam, tree.a, seats=3, mode="standard")
    look()
    in_nomination(election, sam, olga)
    look()
    for u in ("m1", "m2", "m3", "m4", "m5", "m6"):
        services.nominate(actor=sam, election=election, member=by[u], post="committee", source="organisation")
    services.close_nomination(actor=sam, election=election)
    look()
    for c in election.candidacies.all():
        services.review_candidacy(actor=olga, candidacy=c, qualified=True)
    services.complete_review(actor=olga, election=election)
    look()
    voters = [m for m in by.values() if m.category == "full"]
    recommend_by_members(
        election,
        sam,
        voters,
        [by["alice"], by["sam"]],
        {"committee": names(by, "m1", "m2", "m3", "m4", "m5")},
    )
    to_inspection(election, sam, {"committee": names(by, "m1", "m2", "m3", "m4")})
    look()
    services.submit_pre_candidates(actor=sam, election=election)
    look()
    services.approve_pre_candidates(actor=olga, election=election)
    look()
    publish_notice(election, sam, olga)
    end_notice(election)
    look()
    services.fix_candidates(actor=sam, election=election)
    look()
    election = to_meeting(tree, sam, olga, by, present=8, election=election)
    services.confirm_quorum(actor=sam, election=election)
    services.elect_scrutineers(actor=sam, election=election, members=[by["m5"], by["m6"]], votes_for=8)
    services.adopt_election_rules(actor=sam, election=election, text="选举办法", votes_for=8)
    link = services.prepare_ballot(actor=sam, election=election, post="committee")
    poll = seal_and_open(link.poll, sam)
    for m in voters[:8]:
        vote(poll, m, names(by, "m1", "m2", "m3"))
    close_and_count(poll, sam)
    look()
    services.announce_results(actor=sam, election=election, secretary=by["m1"])
    look()
    services.file_results(actor=sam, election=election)
    look()
    services.confirm_results(actor=olga, election=election)
    look()
    services.take_office(actor=sam, election=election)
    look()
    assert seen[-1] == "in_office" and len(set(seen)) == 14
