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


def attack(poll_id: int, keys: dict[int, str]) -> dict:
    from django.db import connection

    from ballots import ballotbox
    from ballots.models import HasVoted

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT member_id, xmin::text::bigint, ctid FROM elections_hasvoted WHERE poll_id = %s", [poll_id]
        )
        voters = cursor.fetchall()
        cursor.execute(
            "SELECT tracker, xmin::text::bigint, ctid FROM elections_ballot WHERE poll_id = %s", [poll_id]
        )
        box = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM ballots_ballotinbox WHERE poll_id = %s", [poll_id])
        inbox_left = cursor.fetchone()[0]
    receipts = dict(HasVoted.objects.filter(poll_id=poll_id).values_list("member_id", "receipt"))
    truth = {m: ballotbox.read_receipt(keys[m], bytes(receipts[m])) for m in keys}

    def ctid_key(ctid: str):
        page, item = ctid.strip("()").split(",")
        return int(page), int(item)

    exact = {}
    by_xmin_box = {}
    for tracker, xmin, _c in box:
        by_xmin_box.setdefault(xmin, []).append(tracker)
    for member, xmin, _c in voters:
        if xmin in by_xmin_box and len(by_xmin_box[xmin]) == 1:
            exact[member] = by_xmin_box[xmin][0]
    voters_by_xmin = [m for m, _x, _c in sorted(voters, key=lambda r: (r[1], ctid_key(r[2])))]
    box_by_xmin = [t for t, _x, _c in sorted(box, key=lambda r: (r[1], ctid_key(r[2])))]
    voters_by_ctid = [m for m, _x, _c in sorted(voters, key=lambda r: ctid_key(r[2]))]
    box_by_ctid = [t for t, _x, _c in sorted(box, key=lambda r: ctid_key(r[2]))]

    # The batch a voter's ballot went to is the first mix after his cast: the first batch xmin above his.
    batch_xmins = sorted(by_xmin_box)
    batch_of = {}
    for member, xmin, _c in voters:
        later = [b for b in batch_xmins if b > xmin]
        batch_of[member] = later[0] if later else batch_xmins[-1]
    rng = random.Random(7)  # noqa: S311
    batch_guess = {m: rng.choice(by_xmin_box[b]) for m, b in batch_of.items()}

    n = len(truth)

    def right(pairs) -> float:
        return round(sum(truth.get(m) == t for m, t in pairs) / n, 4)

    sizes = [len(by_xmin_box[batch_of[m]]) for m in truth]
    return {
        "voters": n,
        "ballots_in_box": len(box),
        "inbox_left_after_close": inbox_left,
        "batches": len(batch_xmins),
        "smallest_batch": min(len(v) for v in by_xmin_box.values()),
        "largest_batch": max(len(v) for v in by_xmin_box.values()),
        "voter_xmin_shared_with_a_ballot": sum(1 for _m, x, _c in voters if x in by_xmin_box),
        "right_by_exact_xmin_join": right(exact.items()),
        "right_by_xmin_rank": right(zip(voters_by_xmin, box_by_xmin, strict=True)),
        "right_by_physical_order": right(zip(voters_by_ctid, box_by_ctid, strict=True)),
        "right_by_best_batch_guess": right(batch_guess.items()),
        "chance": round(sum(1 / s for s in sizes) / n, 4),
    }


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
        chance = figures["chance"]
        worst = max(
            figures[k] for k in ("right_by_exact_xmin_join", "right_by_xmin_rank", "right_by_physical_order")
        )
        result = {
            "benchmark": "linkage",
            "members": args.members,
            "accepted": len(keys),
            "ballot_mix_batch": args.batch,
            **figures,
            # No attack beats a guess inside the right batch by more than noise (3 standard errors).
            "met": figures["inbox_left_after_close"] == 0
            and figures["voter_xmin_shared_with_a_ballot"] == 0
            and worst <= chance + 3 * (chance * (1 - chance) / max(1, figures["voters"])) ** 0.5,
        }
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
