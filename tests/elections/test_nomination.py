"""Who may be nominated, refused at the nomination form rather than at the review: only full members
(正式党员) stand, and a nominee for 书记 stands for the committee first. The nominee table names each
person's category."""

import pytest
from django.urls import reverse

from elections import rules as prules
from elections import selectors, services
from elections.models import Candidacy
from elections.services.errors import ElectionError
from tests.factories import MemberFactory, UserFactory

from .procedure_flow import members_by_username, new_election


@pytest.fixture
def branch(tree, sam, alice, petra, olga):
    MemberFactory(organisation=tree.a, user=UserFactory(username="act"), category="activist", name="钱积极")
    for i in range(1, 5):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


@pytest.fixture
def election(tree, sam, olga, branch):
    election = new_election(sam, tree.a, seats=3)
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    return election


@pytest.mark.parametrize("who, category", [("petra", "预备党员"), ("act", "入党积极分子")])
def test_only_full_members_can_be_nominated(sam, election, branch, who, category):
    with pytest.raises(ElectionError, match=f"{category}.*正式党员|full members"):
        services.nominate(
            actor=sam, election=election, member=branch[who], post="committee", source="organisation"
        )
    assert not Candidacy.objects.filter(election=election).exists()


def test_a_full_member_is_nominated(sam, election, branch):
    services.nominate(
        actor=sam, election=election, member=branch["m1"], post="committee", source="organisation"
    )
    assert Candidacy.objects.filter(election=election, member=branch["m1"]).exists()


def test_a_secretary_nominee_must_be_nominated_for_the_committee_first(sam, election, branch):
    with pytest.raises(ElectionError, match="委员|committee"):
        services.nominate(
            actor=sam, election=election, member=branch["m1"], post="secretary", source="organisation"
        )
    assert not Candidacy.objects.filter(election=election).exists()
    services.nominate(
        actor=sam, election=election, member=branch["m1"], post="committee", source="organisation"
    )
    services.nominate(
        actor=sam, election=election, member=branch["m1"], post="secretary", source="organisation"
    )
    assert set(Candidacy.objects.filter(member=branch["m1"]).values_list("post", flat=True)) == {
        "committee",
        "secretary",
    }


def test_the_blocking_issues_name_a_secretary_nominee_not_on_the_committee(sam, election, branch):
    """A candidacy that got there another way (data from before the rule) is named while nomination is open."""
    Candidacy.objects.create(election=election, member=branch["m2"], post="secretary")
    issues = selectors.issues_for(election)
    assert any(branch["m2"].name in i and ("委员" in i or "committee" in i) for i in issues)


def test_the_rule_lists_each_officer_off_the_committee():
    facts = prules.Facts(
        status="nomination",
        posts=["committee", "secretary"],
        seats={"committee": 3, "secretary": 1},
        post_labels={"committee": "委员", "secretary": "书记"},
        nominated={"committee": 9, "secretary": 9},
        officers_off_committee=["张三"],
    )
    rules = {
        "election_pre_candidate_margin_percent": 20,
        "election_competitive_candidates_per_post": 2,
    }
    assert [i for i in prules.blocking_issues(rules, facts) if "张三" in i]
    assert not prules.blocking_issues(rules, prules.Facts(**{**facts.__dict__, "officers_off_committee": []}))


def test_the_page_refuses_a_probationary_nominee_with_a_message_and_lists_categories(
    client, sam, election, branch
):
    client.force_login(sam)
    action = reverse("elections:election_action", args=[election.pk, "nominate_org"])
    response = client.post(action, {"member": branch["petra"].pk, "post": "committee"}, follow=True)
    assert response.status_code == 200
    assert "正式党员" in response.content.decode()
    assert not Candidacy.objects.filter(election=election).exists()
    client.post(action, {"member": branch["m1"].pk, "post": "committee"})
    page = client.get(reverse("elections:election", args=[election.pk])).content.decode()
    assert 'data-testid="category">正式党员' in page
    # the nomination forms offer full members only
    form = page.split('data-testid="nominate-form"')[1].split("</form>")[0]
    assert branch["m1"].name in form and branch["petra"].name not in form
