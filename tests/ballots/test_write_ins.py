"""另选他人 on the ballot page: a search per write-in line, not every member of the branch in a list."""

import pytest
from django.urls import reverse

from ballots.models import HasVoted
from tests.factories import MemberFactory

from .conftest import make_poll, option_ids, sealed_count

pytestmark = pytest.mark.django_db


def search(client, poll, text):
    return client.get(reverse("ballots:write_in_search", args=[poll.pk]), {"find": text})


def test_a_voter_finds_an_eligible_member_by_name_pinyin_or_initials(client, election, members):
    client.force_login(members["alice"].user)
    for text in ("周四", "zhousi", "zs", "ZHOU"):
        page = search(client, election, text).content.decode()
        assert "周四" in page and f'value="{members["m4"].pk}"' in page, text
    # One match is chosen at once; the voter still sees whom.
    assert "selected" in search(client, election, "周四").content.decode()


def test_candidates_probationary_members_and_other_branches_are_not_offered(client, election, members, bob):
    client.force_login(members["alice"].user)
    assert f'value="{members["m1"].pk}"' not in search(client, election, "王一").content.decode()  # candidate
    page = search(client, election, members["petra"].name).content.decode()
    assert f'value="{members["petra"].pk}"' not in page and "不能另选" in page  # probationary
    assert f'value="{bob.member.pk}"' not in search(client, election, bob.member.name).content.decode()


def test_the_search_answers_only_those_who_see_the_poll(client, election, members, bob):
    response = search(client, election, "周")
    assert response.status_code == 302 and reverse("login") in response["Location"]  # anonymous
    client.force_login(bob)  # another branch
    assert search(client, election, "周").status_code == 404
    client.force_login(members["alice"].user)
    assert client.post(reverse("ballots:write_in_search", args=[election.pk])).status_code == 405


def test_a_poll_without_write_ins_has_no_search(client, meeting, sam, members):
    poll = make_poll(meeting, sam, options=[members["m1"]], scrutineers=[members["m4"], members["m5"]])
    client.force_login(members["alice"].user)
    assert search(client, poll, "周").status_code == 404


def test_many_matches_are_capped_and_say_so(client, election, members, tree):
    for i in range(30):
        MemberFactory(organisation=tree.a, name=f"周{i:02d}")
    client.force_login(members["alice"].user)
    page = search(client, election, "周").content.decode()
    assert page.count("<option value=") == 21  # the prompt and 20 members
    assert "请输入更多" in page


def test_the_ballot_page_does_not_grow_with_the_branch(client, election, members, tree):
    client.force_login(members["alice"].user)
    url = reverse("ballots:vote", args=[election.pk])
    small = client.get(url).content
    for i in range(50):
        MemberFactory(organisation=tree.a, name=f"新党员{i}")
    assert abs(len(client.get(url).content) - len(small)) < 200  # only the new idempotency key differs
    assert "新党员" not in client.get(url).content.decode()


def test_a_write_in_picked_from_the_search_is_cast(client, election, members):
    client.force_login(members["alice"].user)
    url = reverse("ballots:vote", args=[election.pk])
    key = client.get(url).context["key"]
    o = option_ids(election)
    done = client.post(
        url, {"key": key, f"o{o[0]}": "against", "find": "zhousi", "w": str(members["m4"].pk), "confirm": "1"}
    )
    assert done.status_code == 200 and 'data-testid="tracker"' in done.content.decode()
    assert HasVoted.objects.filter(poll=election).count() == sealed_count(election) == 1


def test_exactly_as_many_matches_as_shown_do_not_ask_for_more(client, election, members, tree):
    for i in range(19):  # with 周四: 20 matches, all shown
        MemberFactory(organisation=tree.a, name=f"周{i:02d}")
    client.force_login(members["alice"].user)
    page = search(client, election, "周").content.decode()
    assert page.count("<option value=") == 21 and "请输入更多" not in page
