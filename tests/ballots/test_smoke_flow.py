from ballots import services
from ballots.models import HasVoted

from .conftest import option_ids, passphrases_of, sealed_count


def test_a_full_round_counts_and_publishes(election, sam, members):
    o = option_ids(election)
    for name in ("alice", "sam", "m1"):
        user = members[name].user
        services.cast_ballot(
            user=user,
            poll=election,
            marks={o[0]: "for", o[1]: "for"},
            write_ins=[],
            idempotency_key=f"key-{name}-0123456789abcdef",
        )
    assert sealed_count(election) == 3
    assert HasVoted.objects.filter(poll=election).count() == 3
    services.close_poll(actor=sam, poll=election)
    result = services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    assert result.valid == 3
    election.refresh_from_db()
    assert election.status == "counted"
    services.publish_poll(actor=sam, poll=election)
