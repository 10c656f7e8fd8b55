"""Every bad input of the issue's list: refused with a clear Chinese message, no 500, nothing written."""

import pytest
from django.urls import reverse

from ballots import services
from ballots.models import HasVoted
from branches import services as branch_services
from tests.factories import UserFactory

from .conftest import option_ids, sealed_count

pytestmark = pytest.mark.django_db


def _post(client, user, poll, data):
    client.force_login(user)
    return client.post(reverse("ballots:vote", args=[poll.pk]), data)


def _assert_refused(response, message, poll, ballots=0):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert sealed_count(poll) == ballots
    assert HasVoted.objects.filter(poll=poll).count() == ballots


def test_a_forged_option_id_is_refused(client, election, members):
    response = _post(client, members["alice"].user, election, {"key": "k" * 20, "o999999": "for"})
    _assert_refused(response, "选票上没有这个选项", election)


def test_an_over_vote_is_refused(client, election, members):
    o = option_ids(election)
    response = _post(
        client, members["alice"].user, election, {"key": "k" * 20, **{f"o{x}": "for" for x in o}}
    )
    _assert_refused(response, "超过应选名额", election)


def test_an_ineligible_write_in_is_refused(client, election, members):
    o = option_ids(election)
    data = {"key": "k" * 20, f"o{o[0]}": "against", "w": str(members["petra"].pk)}  # probationary
    _assert_refused(_post(client, members["alice"].user, election, data), "不是有选举资格的党员", election)


def test_a_write_in_of_someone_from_another_branch_is_refused(client, election, members, bob):
    o = option_ids(election)
    data = {"key": "k" * 20, f"o{o[0]}": "against", "w": str(bob.member.pk)}
    _assert_refused(_post(client, members["alice"].user, election, data), "不是有选举资格的党员", election)


def test_a_non_member_is_refused(client, election, olga):
    o = option_ids(election)
    # olga is an officer above the branch: she sees the poll but is not on its roll.
    _assert_refused(
        _post(client, olga, election, {"key": "k" * 20, f"o{o[0]}": "for"}),
        "您不在本次表决的名册上",
        election,
    )


def test_a_login_without_a_member_record_is_refused(client, election):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    o = option_ids(election)
    _assert_refused(
        _post(client, admin, election, {"key": "k" * 20, f"o{o[0]}": "for"}),
        "只有本次表决名册上的党员才能投票",
        election,
    )


def test_a_probationary_member_is_refused(client, election, petra):
    o = option_ids(election)
    _assert_refused(
        _post(client, petra, election, {"key": "k" * 20, f"o{o[0]}": "for"}), "预备党员没有表决权", election
    )


def test_a_member_not_signed_in_is_refused(client, election, members, sam):
    branch_services.set_attendance(
        actor=sam, meeting=election.meeting, member=members["alice"], status="excused"
    )
    o = option_ids(election)
    _assert_refused(
        _post(client, members["alice"].user, election, {"key": "k" * 20, f"o{o[0]}": "for"}),
        "您尚未签到",
        election,
    )


def test_a_vote_after_close_is_refused(client, election, members, sam):
    services.close_poll(actor=sam, poll=election)
    o = option_ids(election)
    _assert_refused(
        _post(client, members["alice"].user, election, {"key": "k" * 20, f"o{o[0]}": "for"}),
        "本次投票已经结束",
        election,
    )


def test_a_replayed_form_records_nothing_more_and_says_so(client, election, members):
    o = option_ids(election)
    data = {"key": "replayed-form-0123456789", f"o{o[0]}": "for", "confirm": "1"}
    first = _post(client, members["alice"].user, election, data)
    assert first.status_code == 200 and "已投票" in first.content.decode()
    again = _post(client, members["alice"].user, election, data)
    assert again.status_code == 200
    assert "这张选票已经记录，不会重复记录" in again.content.decode()
    assert first.context["result"].tracker == again.context["result"].tracker
    assert sealed_count(election) == 1


def test_a_second_form_of_a_member_who_voted_is_refused(client, election, members):
    o = option_ids(election)
    _post(
        client,
        members["alice"].user,
        election,
        {"key": "first-form-0123456789", f"o{o[0]}": "for", "confirm": "1"},
    )
    response = _post(
        client,
        members["alice"].user,
        election,
        {"key": "other-form-0123456789", f"o{o[0]}": "for", "confirm": "1"},
    )
    _assert_refused(response, "您已经在本次表决中投过票", election, ballots=1)


@pytest.mark.parametrize(
    "data",
    [
        {},  # nothing at all
        {"o1": "for"},  # no idempotency key
        {"key": "short"},  # a key that was never issued by the form
        {"key": "k" * 20, "oabc": "for"},  # an option field that is no id
        {"key": ["k" * 20, "j" * 20]},  # two keys
        {"key": "k" * 20, "w": "not-a-member"},
    ],
)
def test_a_malformed_post_is_refused(client, election, members, data):
    _assert_refused(_post(client, members["alice"].user, election, data), "选票表单不完整或已损坏", election)


def test_a_mark_that_does_not_exist_is_refused(client, election, members):
    o = option_ids(election)
    _assert_refused(
        _post(client, members["alice"].user, election, {"key": "k" * 20, f"o{o[0]}": "maybe"}),
        "选票上有不允许的标记",
        election,
    )


@pytest.mark.parametrize("digits", ["²", "٣", "１２", "3²"])
def test_unicode_digits_are_not_numbers_at_the_booth(client, election, members, digits):
    """`str.isdigit()` took "²" for a number and int() then failed with a 500 (the hostile test's replay)."""
    o = option_ids(election)
    data = {"key": "k" * 20, f"o{o[0]}": "against", "w": digits}
    _assert_refused(_post(client, members["alice"].user, election, data), "选票表单不完整或已损坏", election)
    _assert_refused(
        _post(client, members["alice"].user, election, {"key": "k" * 20, f"o{digits}": "for"}),
        "选票表单不完整或已损坏",
        election,
    )


def _paper_poll(client, election, sam, members):
    client.force_login(sam)
    client.post(reverse("ballots:desk", args=[election.pk]), {"member": members["alice"].pk})
    client.post(reverse("ballots:close", args=[election.pk]))
    return reverse("ballots:paper_entry", args=[election.pk, 1])


@pytest.mark.parametrize("field", ["returned", "invalid", "wvoid"])
def test_unicode_digits_are_not_numbers_at_the_paper_count(client, election, sam, members, field):
    from ballots.models import PaperCount

    url = _paper_poll(client, election, sam, members)
    data = {"returned": "1", "invalid": "0", "blank": "0", field: "²"}
    response = client.post(url, data)
    assert response.status_code == 400 and "票数须为零或正整数" in response.content.decode()
    assert not PaperCount.objects.filter(poll=election).exists()


def test_an_empty_paper_count_is_refused_not_recorded_as_zero(client, election, sam, members):
    from ballots.models import PaperCount

    url = _paper_poll(client, election, sam, members)
    response = client.post(url, {})
    assert response.status_code == 400 and "请填写计票结果" in response.content.decode()
    assert not PaperCount.objects.filter(poll=election).exists()


def test_a_draft_poll_is_seen_only_by_its_organisers(client, meeting, sam, members):
    from .conftest import make_poll

    draft = make_poll(
        meeting, sam, options=[members["m1"]], scrutineers=[members["m4"]], seal=False, open_=False
    )
    client.force_login(members["alice"].user)  # signed in to the meeting, not an organiser
    assert client.get(reverse("ballots:poll", args=[draft.pk])).status_code == 404
    assert client.get(reverse("ballots:vote", args=[draft.pk])).status_code == 404
    assert str(draft.pk) not in [
        href.split("/")[3]
        for href in client.get(reverse("ballots:polls")).content.decode().split('href="')[1:]
        if href.startswith("/ballots/polls/")
    ]
    client.force_login(sam)
    assert client.get(reverse("ballots:poll", args=[draft.pk])).status_code == 200
