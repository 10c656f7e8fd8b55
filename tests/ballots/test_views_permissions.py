"""Who sees and does what: allowed, hidden (404), forbidden (403), wrong method (405); results timing."""

import pytest
from django.urls import reverse

from ballots import services

from .conftest import option_ids, passphrases_of

pytestmark = pytest.mark.django_db


def _counted(poll, sam, members):
    o = option_ids(poll)
    services.cast_ballot(
        user=members["alice"].user,
        poll=poll,
        marks={o[0]: "for"},
        write_ins=[],
        idempotency_key="perm-alice-0123456789",
    )
    services.close_poll(actor=sam, poll=poll)
    services.count_poll(actor=sam, poll=poll, passphrases=passphrases_of(poll))
    poll.refresh_from_db()
    return poll


ORGANISER_GETS = ["poll", "turnout", "desk", "seal", "unseal", "paper_accept", "ballot_pdf"]


@pytest.mark.parametrize("name", ORGANISER_GETS)
@pytest.mark.parametrize(
    ("persona", "status"), [("sam", 200), ("olga", 200), ("alice", 403), ("bob", 404), ("victor", 403)]
)
def test_organiser_pages(client, election, members, bob, olga, victor, name, persona, status):
    users = {
        "sam": members["sam"].user,
        "olga": olga,
        "alice": members["alice"].user,
        "bob": bob,
        "victor": victor,
    }
    client.force_login(users[persona])
    response = client.get(reverse(f"ballots:{name}", args=[election.pk]))
    expected = status
    if name == "poll" and persona in ("alice", "victor"):
        expected = 200  # members and supervisors see the poll page, without the organiser's parts
    assert response.status_code == expected


@pytest.mark.parametrize("name", ["open", "close", "publish", "void", "new_round"])
def test_actions_are_post_only_and_for_organisers(client, election, members, name):
    client.force_login(members["sam"].user)
    assert client.get(reverse(f"ballots:{name}", args=[election.pk])).status_code == 405
    client.force_login(members["alice"].user)
    assert client.post(reverse(f"ballots:{name}", args=[election.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, election):
    response = client.get(reverse("ballots:vote", args=[election.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_member_of_another_branch_does_not_see_the_poll(client, election, bob):
    client.force_login(bob)
    assert client.get(reverse("ballots:vote", args=[election.pk])).status_code == 404
    assert client.get(reverse("ballots:results", args=[election.pk])).status_code == 404
    assert election.title not in client.get(reverse("ballots:polls")).content.decode()


def test_nobody_sees_results_before_the_count_and_only_organisers_before_publication(
    client, election, sam, members, victor
):
    client.force_login(sam)
    assert client.get(reverse("ballots:results", args=[election.pk])).status_code == 404
    poll = _counted(election, sam, members)
    assert client.get(reverse("ballots:results", args=[poll.pk])).status_code == 200
    for user in (members["alice"].user, victor):
        client.force_login(user)
        assert client.get(reverse("ballots:results", args=[poll.pk])).status_code == 403
        assert client.get(reverse("ballots:trackers", args=[poll.pk])).status_code == 403
    services.publish_poll(actor=sam, poll=poll)
    for user in (members["alice"].user, victor):
        client.force_login(user)
        assert client.get(reverse("ballots:results", args=[poll.pk])).status_code == 200
        assert client.get(reverse("ballots:trackers", args=[poll.pk])).status_code == 200


def test_supervisors_never_see_named_votes_members_do_after_publication(
    client, meeting, sam, members, victor
):
    from .conftest import make_poll

    poll = make_poll(
        meeting,
        sam,
        kind="motion",
        options=["关于表彰的决定"],
        secrecy="named",
        scrutineers=[members["m4"], members["m5"]],
    )
    poll = _counted(poll, sam, members)
    services.publish_poll(actor=sam, poll=poll)
    client.force_login(victor)
    assert "艾丽斯" not in client.get(reverse("ballots:results", args=[poll.pk])).content.decode()
    client.force_login(members["m1"].user)
    assert "艾丽斯" in client.get(reverse("ballots:results", args=[poll.pk])).content.decode()


def test_turnout_is_a_number_and_only_organisers_see_who_has_not_voted(client, election, sam, members):
    o = option_ids(election)
    services.cast_ballot(
        user=members["alice"].user,
        poll=election,
        marks={o[0]: "for"},
        write_ins=[],
        idempotency_key="turnout-alice-0123456789",
    )
    client.force_login(sam)
    fragment = client.get(reverse("ballots:turnout", args=[election.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert 'data-testid="turnout-voted">1<' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()  # a partial, not the page
    desk = client.get(reverse("ballots:desk", args=[election.pk])).content.decode()
    assert "王一" in desk  # the desk lists the roll: who voted (the channel), who did not
    client.force_login(members["m1"].user)
    page = client.get(reverse("ballots:poll", args=[election.pk])).content.decode()
    assert "turnout-voted" not in page and "艾丽斯" not in page.split("<main")[1]


def test_a_member_sees_his_own_has_voted_status(client, election, members):
    o = option_ids(election)
    client.force_login(members["alice"].user)
    assert (
        'data-testid="voted"' not in client.get(reverse("ballots:vote", args=[election.pk])).content.decode()
    )
    services.cast_ballot(
        user=members["alice"].user,
        poll=election,
        marks={o[0]: "for"},
        write_ins=[],
        idempotency_key="status-alice-0123456789",
    )
    page = client.get(reverse("ballots:vote", args=[election.pk])).content.decode()
    assert 'data-testid="voted"' in page and "已投票" in page
    assert 'data-testid="ballot-form"' not in page


def test_the_poll_list_query_count_does_not_grow_with_polls(
    client, meeting, sam, members, django_assert_max_num_queries
):
    from .conftest import make_poll

    client.force_login(members["alice"].user)
    make_poll(meeting, sam, kind="motion", options=["议题"], seal=False, open_=False)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("ballots:polls"))
    for i in range(10):
        make_poll(meeting, sam, kind="motion", options=[f"议题{i}"], seal=False, open_=False)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("ballots:polls"))
