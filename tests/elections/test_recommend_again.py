"""A recommendation that leaves a post fewer preliminary candidates than the pre-candidates it needs is no
dead end: the page names the shortfall and offers the remedy, recommending the post again (重新推荐)."""

import pytest
from django.urls import reverse

from elections import selectors, services
from elections.models import ElectionPoll
from elections.services.errors import ElectionError
from tests.factories import MemberFactory, UserFactory

from .procedure_flow import fresh, members_by_username, names, new_election, recommend_by_members, review_all


@pytest.fixture
def by(tree, sam, alice, olga, bob, victor):
    for i in range(1, 9):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


def short_after_recommendation(tree, sam, olga, by):
    """Committee of 3 (standard): 6 qualified nominees, the members mark only 3 → 3 preliminary, 4 needed."""
    election = new_election(sam, tree.a, seats=3, mode="standard")
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    for u in ("m1", "m2", "m3", "m4", "m5", "m6"):
        services.nominate(actor=sam, election=election, member=by[u], post="committee", source="organisation")
    review_all(election, olga)
    voters = [m for m in by.values() if m.category == "full"]
    recommend_by_members(
        election, sam, voters, [by["m7"], by["m8"]], {"committee": names(by, "m1", "m2", "m3")}
    )
    services.close_recommendation(actor=sam, election=election)
    return fresh(election), voters


def test_a_post_left_short_is_recommended_again_and_then_has_enough(tree, sam, olga, by):
    election, voters = short_after_recommendation(tree, sam, olga, by)
    assert election.status == "inspection"
    assert election.candidacies.filter(stage="preliminary").count() == 3
    assert any("4" in i for i in selectors.issues_for(election))
    old_poll = ElectionPoll.objects.get(election=election).poll_id
    services.recommend_again(actor=sam, election=election, post="committee")
    election = fresh(election)
    assert election.status == "recommendation"
    assert election.candidacies.filter(stage="qualified").count() == 6
    assert not ElectionPoll.objects.filter(election=election).exists()  # the old poll stays in the engine
    links = recommend_by_members(
        election, sam, voters, [by["m7"], by["m8"]], {"committee": names(by, "m1", "m2", "m3", "m4", "m5")}
    )
    assert [link.poll_id for link in links] != [old_poll]
    services.close_recommendation(actor=sam, election=election)
    election = fresh(election)
    assert election.status == "inspection"
    assert election.candidacies.filter(stage="preliminary").count() == 5
    assert election.recommendation_result["posts"]["committee"]["poll"] == links[0].poll_id


def test_a_post_with_enough_preliminary_candidates_is_not_recommended_again(tree, sam, olga, by):
    election, voters = short_after_recommendation(tree, sam, olga, by)
    services.recommend_again(actor=sam, election=election, post="committee")
    recommend_by_members(
        election, sam, voters, [by["m7"], by["m8"]], {"committee": names(by, "m1", "m2", "m3", "m4", "m5")}
    )
    services.close_recommendation(actor=sam, election=fresh(election))
    with pytest.raises(ElectionError, match="已足额|enough"):
        services.recommend_again(actor=sam, election=fresh(election), post="committee")
    with pytest.raises(ElectionError):
        services.recommend_again(actor=sam, election=fresh(election), post="nonsense")


def test_the_page_offers_the_remedy_and_it_works(client, tree, sam, olga, by):
    election, _voters = short_after_recommendation(tree, sam, olga, by)
    client.force_login(sam)
    page = client.get(reverse("elections:election", args=[election.pk])).content.decode()
    assert 'data-testid="short-post"' in page and "重新推荐委员人选" in page
    action = reverse("elections:election_action", args=[election.pk, "recommend_again"])
    assert client.post(action, {"post": "committee"}).status_code == 302
    assert fresh(election).status == "recommendation"
    page = client.get(reverse("elections:election", args=[election.pk])).content.decode()
    assert "prepare_recommendation" in page  # the ballot for the post can be prepared again


@pytest.mark.parametrize("who, expected", [("alice", 403), ("bob", 404), ("victor", 403)])
def test_only_those_who_run_the_election_recommend_again(client, request, tree, sam, olga, by, who, expected):
    election, _voters = short_after_recommendation(tree, sam, olga, by)
    client.force_login(request.getfixturevalue(who))
    action = reverse("elections:election_action", args=[election.pk, "recommend_again"])
    assert client.post(action, {"post": "committee"}).status_code == expected
    assert client.get(action).status_code in (404, 405)
    assert fresh(election).status == "inspection"


def test_a_bad_post_is_refused_with_a_message_not_a_500(client, tree, sam, olga, by):
    election, _voters = short_after_recommendation(tree, sam, olga, by)
    client.force_login(sam)
    action = reverse("elections:election_action", args=[election.pk, "recommend_again"])
    response = client.post(action, {"post": "x" * 500}, follow=True)
    assert response.status_code == 200
    assert fresh(election).status == "inspection"
