"""The poll life cycle as a table, and PostgreSQL refusing what the application must never do."""

import pytest
from django.db import IntegrityError, connection, transaction

from ballots import services
from ballots.models import Ballot, HasVoted, Poll
from ballots.states import POLL

from .conftest import option_ids, passphrases_of, sealed_count

STATES = ["draft", "open", "closed", "counted", "published", "void"]
ALLOWED = {
    ("draft", "open"),
    ("draft", "void"),
    ("open", "closed"),
    ("open", "void"),
    ("closed", "counted"),
    ("closed", "void"),
    ("counted", "published"),
    ("counted", "void"),
}


@pytest.mark.parametrize("old", STATES)
@pytest.mark.parametrize("new", STATES)
def test_the_table_allows_exactly_the_documented_moves(old, new):
    assert POLL.allowed(old, new) is ((old, new) in ALLOWED)


def test_an_illegal_move_is_refused_with_a_message(election, sam):
    with pytest.raises(services.BallotError):
        services.publish_poll(actor=sam, poll=election)  # open → published
    election.refresh_from_db()
    assert election.status == "open"


def _published(election, sam, members):
    o = option_ids(election)
    services.cast_ballot(
        user=members["alice"].user,
        poll=election,
        marks={o[0]: "for"},
        write_ins=[],
        idempotency_key="alice-key-0123456789",
    )
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    services.publish_poll(actor=sam, poll=election)
    election.refresh_from_db()
    return election


def _refused(sql, params):
    with pytest.raises(IntegrityError, match="zhibu"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_postgresql_refuses_to_change_or_delete_ballots_and_has_voted_rows(election, sam, members):
    poll = _published(election, sam, members)
    ballot = Ballot.objects.get(poll=poll)
    _refused("UPDATE elections_ballot SET tracker = 'x' WHERE id = %s", [ballot.pk])
    _refused("DELETE FROM elections_ballot WHERE id = %s", [ballot.pk])
    _refused("UPDATE elections_hasvoted SET channel = 'paper' WHERE poll_id = %s", [poll.pk])
    _refused("DELETE FROM elections_hasvoted WHERE poll_id = %s", [poll.pk])
    _refused("DELETE FROM elections_countedballot WHERE poll_id = %s", [poll.pk])
    _refused("UPDATE elections_pollresult SET valid = 99 WHERE poll_id = %s", [poll.pk])
    assert sealed_count(poll) == HasVoted.objects.filter(poll=poll).count() == 1


def test_a_published_poll_is_never_edited_or_deleted(election, sam, members):
    poll = _published(election, sam, members)
    _refused("UPDATE elections_poll SET title = 'changed' WHERE id = %s", [poll.pk])
    _refused("DELETE FROM elections_poll WHERE id = %s", [poll.pk])
    _refused("UPDATE elections_polloption SET label = 'changed' WHERE poll_id = %s", [poll.pk])
    assert Poll.objects.get(pk=poll.pk).title == poll.title


def test_postgresql_refuses_a_ballot_for_a_poll_that_is_not_open(election, sam):
    services.close_poll(actor=sam, poll=election)
    _refused(
        "INSERT INTO elections_ballot (id, poll_id, sealed, tracker) VALUES (gen_random_uuid(), %s, "
        "'\\x00', 'x')",
        [election.pk],
    )
