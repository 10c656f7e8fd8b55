"""Benchmark: seconds to unseal and count N sealed ballots (target: 100,000 in ≤ 15 s).

    .venv/bin/python tests/bench/tally.py --ballots 100000 [--test-kdf]

Builds a throw-away database with N members who voted (bulk inserts of sealed ballots and has-voted rows,
as casting would write them), closes the poll, then times `count_poll` with two scrutineers' passphrases:
argon2id for both (production cost unless --test-kdf), recombining the key, reading and shuffling the
ballots, opening each, the tally, writing the counted ballots in random order, the result. One JSON line.
"""

import argparse
import json
import os
import random
import time

from _setup import PASSPHRASES, build_poll, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--test-kdf", action="store_true", help="libsodium's cheapest argon2id cost")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    with throwaway_database():
        from django.conf import settings

        if not args.test_kdf:  # production strength: libsodium's MODERATE (256 MiB, 3 passes)
            del settings.ZHIBU_ARGON2_OPSLIMIT
            del settings.ZHIBU_ARGON2_MEMLIMIT
        from ballots import ballotbox, services
        from ballots.models import Ballot, HasVoted

        poll, members, secretary = build_poll(args.ballots, with_users=False)
        options = [str(pk) for pk in poll.options.values_list("pk", flat=True)]
        rng = random.Random(1)
        public_key = bytes(poll.public_key)
        batch_ballots, batch_voted = [], []
        for member in members:
            marks = {o: rng.choice(["for", "against", "abstain"]) for o in rng.sample(options, 3)}
            sealed = ballotbox.seal(public_key, {"c": marks, "w": []})
            batch_ballots.append(Ballot(poll_id=poll.pk, sealed=sealed, tracker=ballotbox.tracker_of(sealed)))
            batch_voted.append(HasVoted(poll_id=poll.pk, member_id=member.pk, channel="online"))
        HasVoted.objects.bulk_create(batch_voted, batch_size=5000)
        Ballot.objects.bulk_create(batch_ballots, batch_size=5000)
        services.close_poll(actor=secretary, poll=poll)
        scrutineers = list(poll.scrutineers.order_by("pk"))
        start = time.perf_counter()
        result = services.count_poll(
            actor=secretary,
            poll=poll,
            passphrases={s.pk: p for s, p in zip(scrutineers, PASSPHRASES, strict=True)},
        )
        seconds = time.perf_counter() - start
        print(
            json.dumps(
                {
                    "benchmark": "tally",
                    "ballots": args.ballots,
                    "seconds": round(seconds, 2),
                    "ballots_per_second": round(args.ballots / seconds),
                    "valid": result.valid,
                    "invalid": result.invalid,
                    "blank": result.blank,
                    "kdf": "test" if args.test_kdf else "production",
                    "target_seconds": 15,
                    "met": seconds <= 15,
                }
            )
        )


if __name__ == "__main__":
    main()
