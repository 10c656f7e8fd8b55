"""The sealed box's cryptography on its own: k-of-n, wrong passphrases, padding."""

import pytest

from ballots import ballotbox

PASSPHRASES = ["first scrutineer", "second scrutineer", "third scrutineer"]


@pytest.fixture
def box():
    return ballotbox.make_box(PASSPHRASES, 2)


def _shares(box, indexes):
    return [ballotbox.unlock_share(box.shares[i], PASSPHRASES[i]) for i in indexes]


@pytest.mark.parametrize("indexes", [(0, 1), (0, 2), (1, 2), (0, 1, 2)])
def test_any_k_scrutineers_open_the_box(box, indexes):
    opened = ballotbox.open_box(box.wrapped_private_key, _shares(box, indexes), 2)
    sealed = ballotbox.seal(box.public_key, {"c": {"1": "for"}, "w": []})
    assert ballotbox.open_ballot(opened, sealed) == {"c": {"1": "for"}, "w": []}


def test_k_minus_one_scrutineers_cannot_open_it_even_bypassing_the_count_check(box):
    with pytest.raises(ballotbox.BoxError):
        ballotbox.open_box(box.wrapped_private_key, _shares(box, [0]), 2)
    with pytest.raises(ballotbox.BoxError):
        ballotbox.open_box(box.wrapped_private_key, _shares(box, [0]), 1)  # one share recombines to garbage


def test_a_wrong_passphrase_opens_nothing(box):
    with pytest.raises(ballotbox.BoxError):
        ballotbox.unlock_share(box.shares[0], "not the passphrase")


def test_sealed_ballots_have_the_same_length_and_equal_ballots_differ(box):
    a = ballotbox.seal(box.public_key, {"c": {"1": "for"}, "w": []})
    b = ballotbox.seal(box.public_key, {"c": {"1": "against", "2": "abstain"}, "w": [12]})
    c = ballotbox.seal(box.public_key, {"c": {"1": "for"}, "w": []})
    assert len(a) == len(b) == len(c)
    assert a != c and ballotbox.tracker_of(a) != ballotbox.tracker_of(c)


def test_a_receipt_is_read_back_only_with_the_same_idempotency_key():
    receipt = ballotbox.make_receipt("key-one-0123456789", "ab" * 32)
    assert ballotbox.read_receipt("key-one-0123456789", receipt) == "ab" * 32
    assert ballotbox.read_receipt("key-two-0123456789", receipt) is None
