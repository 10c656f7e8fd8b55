"""The linkage attack on a closed poll, as whoever holds a copy of the database would run it.

Used by tests/security/test_linkage.py (after a burst through HTTP, in make test) and by the benchmark
tests/bench/linkage.py (1,000 ballots). The attacker reads the live rows — who voted (`elections_hasvoted`:
member, xmin, ctid) and the box (`elections_ballot`: tracker, xmin, ctid) — and pairs voters with ballots
four ways: an exact xmin join, both tables ranked by xmin, both ranked by physical position, and the best
guess a batch allows (the right batch, a random ballot in it). The truth comes from each member's receipt,
sealed under the key of his form, which the caller kept.
"""

from __future__ import annotations

import random


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


def no_better_than_chance(figures: dict) -> bool:
    """No attack beats a guess inside the right batch by more than noise (3 standard errors), nothing is
    left in the inbox, and no voter's xmin is a ballot's."""
    chance, n = figures["chance"], max(1, figures["voters"])
    worst = max(
        figures[k] for k in ("right_by_exact_xmin_join", "right_by_xmin_rank", "right_by_physical_order")
    )
    return (
        figures["inbox_left_after_close"] == 0
        and figures["voter_xmin_shared_with_a_ballot"] == 0
        and worst <= chance + 3 * (chance * (1 - chance) / n) ** 0.5
    )
