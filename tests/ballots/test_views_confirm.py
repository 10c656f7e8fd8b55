"""A blank or partly marked ballot is asked about on the server before it counts (no JavaScript needed)."""

import pytest
from django.urls import reverse

from ballots.models import HasVoted

from .conftest import option_ids, sealed_count

pytestmark = pytest.mark.django_db


def _open_booth(client, user, poll):
    client.force_login(user)
    url = reverse("ballots:vote", args=[poll.pk])
    return url, client.get(url).context["key"]


def test_an_empty_ballot_asks_before_it_counts_and_writes_nothing(client, election, members):
    url, key = _open_booth(client, members["alice"].user, election)
    asked = client.post(url, {"key": key})
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "您没有选择任何选项，将投出空白票，确定吗？" in page
    assert 'data-testid="confirm-cast"' in page and 'name="confirm" value="1"' in page
    assert f'name="key" value="{key}"' in page  # the same idempotency key, re-posted by the button
    assert 'data-testid="tracker"' not in page
    assert not HasVoted.objects.filter(poll=election).exists() and sealed_count(election) == 0


def test_a_confirmed_blank_ballot_records_exactly_one_and_a_retry_changes_nothing(client, election, members):
    url, key = _open_booth(client, members["alice"].user, election)
    client.post(url, {"key": key})
    done = client.post(url, {"key": key, "confirm": "1"})
    assert done.status_code == 200 and 'data-testid="tracker"' in done.content.decode()
    tracker = done.context["result"].tracker
    again = client.post(url, {"key": key, "confirm": "1"})  # the browser re-posts the confirmation
    assert again.status_code == 200 and again.context["result"].tracker == tracker
    again_unconfirmed = client.post(url, {"key": key})  # an earlier tab's first post: the same receipt
    assert again_unconfirmed.context["result"].tracker == tracker
    assert HasVoted.objects.filter(poll=election).count() == sealed_count(election) == 1


def test_a_partial_ballot_names_the_unmarked_lines_and_keeps_the_marks(client, election, members):
    url, key = _open_booth(client, members["alice"].user, election)
    o = option_ids(election)
    asked = client.post(url, {"key": key, f"o{o[0]}": "for", "assisted": "on"})
    page = asked.content.decode()
    assert "共3项，您有2项没有选择" in page
    assert f'id="o{o[0]}-for" value="for" autocomplete="off" checked' in page
    assert f'id="o{o[1]}-for" value="for" autocomplete="off" checked' not in page
    assert 'id="assisted" checked' in page
    assert not HasVoted.objects.filter(poll=election).exists()
    done = client.post(url, {"key": key, f"o{o[0]}": "for", "confirm": "1"})
    assert 'data-testid="tracker"' in done.content.decode()
    assert HasVoted.objects.filter(poll=election).count() == sealed_count(election) == 1


def test_a_full_ballot_is_one_post_and_its_retry_records_one(client, election, members):
    url, key = _open_booth(client, members["alice"].user, election)
    o = option_ids(election)
    full = {"key": key, f"o{o[0]}": "for", f"o{o[1]}": "against", f"o{o[2]}": "abstain"}
    done = client.post(url, full)
    assert 'data-testid="tracker"' in done.content.decode()
    again = client.post(url, full)
    assert (
        again.context["result"].replayed and again.context["result"].tracker == done.context["result"].tracker
    )
    assert HasVoted.objects.filter(poll=election).count() == sealed_count(election) == 1


def test_an_invalid_ballot_is_refused_before_any_question(client, election, members):
    url, key = _open_booth(client, members["alice"].user, election)
    o = option_ids(election)
    refused = client.post(url, {"key": key, f"o{o[0]}": "for", f"o{o[1]}": "for", f"o{o[2]}": "for"})
    assert refused.status_code == 400 and 'data-testid="confirm-question"' not in refused.content.decode()
    assert not HasVoted.objects.filter(poll=election).exists()


def test_a_motion_left_unmarked_is_asked_about_too(client, motion, members):
    url, key = _open_booth(client, members["alice"].user, motion)
    assert "将投出空白票" in client.post(url, {"key": key}).content.decode()
    assert not HasVoted.objects.filter(poll=motion).exists()
