"""One member, one vote — under real concurrency, on the real PostgreSQL (threads, one connection each)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from ballots import services
from ballots.models import HasVoted

from .conftest import crowd, make_poll, option_ids, sealed_count, start_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(n, fn):
    """Run fn(i) for i in range(n) in n threads released together; returns results or exceptions."""
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait(timeout=30)
            return fn(i)
        except Exception as exc:  # collected, asserted by the test
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


@pytest.fixture
def big_poll(tree, sam, members):
    voters = crowd(tree.a, 200)
    meeting = start_meeting(tree.a, sam, sign_in=[*members.values(), *voters])
    poll = make_poll(
        meeting,
        sam,
        options=[members["m1"], members["m2"]],
        seats=1,
        scrutineers=[members["m4"], members["m5"]],
    )
    return poll, voters


def test_fifty_simultaneous_submissions_by_one_member_record_exactly_one_ballot(big_poll):
    poll, voters = big_poll
    o = option_ids(poll)
    voter = voters[0]

    def submit(i):
        # Half are retries of one form (same key), half are other forms of the same member.
        key = "the-same-form-0123456789" if i % 2 else f"another-form-{i:02d}-0123456789"
        return services.cast_ballot(
            user=voter.user, poll=poll, marks={o[0]: "for"}, write_ins=[], idempotency_key=key
        )

    results = _in_threads(50, submit)
    accepted = [r for r in results if isinstance(r, services.CastResult)]
    refused = [r for r in results if isinstance(r, services.BallotError)]
    assert len(accepted) + len(refused) == 50, [
        r for r in results if not isinstance(r, services.CastResult | services.BallotError)
    ]
    assert sealed_count(poll) == 1
    assert HasVoted.objects.filter(poll=poll).count() == 1
    assert len({r.tracker for r in accepted}) == 1  # every accepted answer shows the one ballot's tracker
    assert sum(not r.replayed for r in accepted) == 1


def test_two_hundred_members_in_parallel_give_two_hundred_ballots(big_poll):
    poll, voters = big_poll
    o = option_ids(poll)
    workers = 40  # PostgreSQL's 100 connections are shared with other test runs on this machine

    def submit_batch(i):
        out = []
        for voter in voters[i::workers]:
            out.append(
                services.cast_ballot(
                    user=voter.user,
                    poll=poll,
                    marks={o[i % 2]: "for"},
                    write_ins=[],
                    idempotency_key=f"form-of-{voter.pk}-0123456789",
                )
            )
        return out

    results = _in_threads(workers, submit_batch)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(len(r) for r in results) == 200
    assert sealed_count(poll) == 200
    assert HasVoted.objects.filter(poll=poll).count() == 200


def test_votes_racing_a_close_are_never_accepted_after_it(big_poll, sam):
    poll, voters = big_poll
    o = option_ids(poll)
    workers = 30
    closed = threading.Event()
    counts = {}

    def submit_batch(i):
        out = []
        for voter in voters[i::workers]:
            try:
                out.append(
                    services.cast_ballot(
                        user=voter.user,
                        poll=poll,
                        marks={o[0]: "for"},
                        write_ins=[],
                        idempotency_key=f"race-{voter.pk}-0123456789",
                    )
                )
            except services.BallotError as exc:
                out.append(exc)
        return out

    def closer():
        try:
            while sealed_count(poll) < 40:
                pass
            services.close_poll(actor=sam, poll=poll)
            # Read in a fresh statement right after the close committed.
            counts["at_close"] = sealed_count(poll)
            closed.set()
        finally:
            connection.close()

    close_thread = threading.Thread(target=closer)
    close_thread.start()
    results = _in_threads(workers, submit_batch)
    close_thread.join(timeout=60)
    assert closed.is_set()
    flat = [r for batch in results for r in batch]
    accepted = [r for r in flat if isinstance(r, services.CastResult)]
    refused = [r for r in flat if isinstance(r, services.BallotError)]
    assert refused, f"the close came after every vote; the race did not happen ({counts})"
    assert len(accepted) + len(refused) == 200
    final = sealed_count(poll)
    assert final == counts["at_close"] == len(accepted)
    assert HasVoted.objects.filter(poll=poll).count() == final
