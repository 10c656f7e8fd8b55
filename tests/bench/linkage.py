"""Benchmark of the linkage attack: can a copy of the database tie a voter to his ballot?

    .venv/bin/python tests/bench/linkage.py --members 1000 [--batch 10] [--mix-every 1]

N members vote through HTTP (gunicorn, real sessions and CSRF, as ballot_burst.py) while the mixer runs
every `--mix-every` seconds as the beat would; then the poll is closed (the rest is mixed) and the attacker
reads the live rows — who voted (`elections_hasvoted`: member, xmin, ctid) and the box (`elections_ballot`:
tracker, xmin, ctid) — and matches voters to ballots four ways: an exact xmin join, both tables ranked by
xmin, both ranked by physical position (ctid), and the best guess a batch allows (the right batch, a random
ballot in it). The truth comes from each member's receipt (sealed under his form's key, which this script
kept). Prints one JSON line: how often each attack is right, against chance (the mean of 1 / the size of the
voter's batch); "met" when no attack does better than about chance.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import threading

from _setup import build_poll, gunicorn, throwaway_database
from ballot_burst import PASSWORD, Session, prepare

from tests.security.linkage import attack, no_better_than_chance


async def burst(port: int, usernames: list[str], poll_id: int, option_ids: list[int]) -> dict[str, dict]:
    sessions = [Session(port) for _u in usernames]
    semaphore = asyncio.Semaphore(32)

    async def prepared(session, username):
        async with semaphore:
            return await prepare(session, username, poll_id)

    forms = await asyncio.gather(*(prepared(s, u) for s, u in zip(sessions, usernames, strict=True)))

    async def vote(session, form, i):
        data = {**form, f"o{option_ids[i % len(option_ids)]}": random.choice(["for", "against"])}  # noqa: S311
        status, _page = await session.request("POST", f"/ballots/polls/{poll_id}/vote/", data, timeout=120)
        return status

    statuses = await asyncio.gather(
        *(vote(s, f, i) for i, (s, f) in enumerate(zip(sessions, forms, strict=True)))
    )
    return {u: {"key": f["key"], "status": st} for u, f, st in zip(usernames, forms, statuses, strict=True)}


def mixer_loop(stop: threading.Event, every: float) -> None:
    from django.db import connection

    from ballots.services.mixing import mix_due

    try:
        while not stop.wait(every):
            mix_due()
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=10, help="ballot_mix_batch, the mixer's least batch")
    parser.add_argument("--mix-every", type=float, default=1.0, metavar="SECONDS")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    with throwaway_database() as url:
        from django.conf import settings
        from django.db import connections

        settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "ballot_mix_batch": args.batch}
        from ballots import services
        from branches.models import Member

        poll, _members, secretary = build_poll(args.members, with_users=True, password=PASSWORD)
        option_ids = list(poll.options.values_list("pk", flat=True))
        usernames = [f"voter{i}" for i in range(args.members)]
        member_of = dict(
            Member.objects.filter(user__username__in=usernames).values_list("user__username", "pk")
        )
        connections.close_all()
        stop = threading.Event()
        mixer = threading.Thread(target=mixer_loop, args=(stop, args.mix_every), daemon=True)
        with gunicorn(url, workers=args.workers, threads=args.threads) as (port, _server):
            mixer.start()
            try:
                outcome = asyncio.run(burst(port, usernames, poll.pk, option_ids))
            finally:
                stop.set()
                mixer.join(timeout=30)
        poll.refresh_from_db()
        services.close_poll(actor=secretary, poll=poll)
        keys = {member_of[u]: o["key"] for u, o in outcome.items() if o["status"] == 200}
        figures = attack(poll.pk, keys)
        result = {
            "benchmark": "linkage",
            "members": args.members,
            "accepted": len(keys),
            "ballot_mix_batch": args.batch,
            **figures,
            "met": no_better_than_chance(figures),
        }
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
