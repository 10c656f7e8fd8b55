"""The mixer: sealed ballots go from the inbox into the box in shuffled batches, so the box links nobody.

The cast writes the has-voted row and the sealed ballot (into the inbox) in one transaction, so the two
share a transaction id (xmin) and a moment. The box must not: whoever holds a copy of the database could
otherwise join has-voted rows to ballots by xmin, by ctid or by physical order. So:

1. A ballot is durable and final at the cast's commit, in the inbox. It leaves the inbox only in the
   statement that writes it into the box, so it is never lost and never written twice.
2. While the poll is open a batch holds at least `ballot_mix_batch` ballots (a rule value): the beat job
   (`ballots.tasks.mix_ballots`) mixes every inbox that has reached it. At close and at void the rest is
   mixed, whatever its size, in the transaction that ends the voting, before any count.
3. A batch is one statement of one transaction: its ballots share that transaction's xmin, get new random
   ids, and are written in random order, so neither xmin, ctid, physical nor index order tells which ballot
   of the batch was cast first. A voter is linked to his ballot no better than 1 in the batch's size.
4. The inbox rows are deleted in the same statement; autovacuum cleans the dead rows at once (migration
   0002), and the beat job vacuums the inbox itself when the role it connects as may.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction

from branches.rules import rule

log = logging.getLogger(__name__)

# Two mixers of one poll never run at once (the beat and a close): a transaction-scoped advisory lock.
_MIX_NAMESPACE = 7302

_MIX_SQL = """
WITH moved AS (
    DELETE FROM ballots_ballotinbox
     WHERE poll_id = %(poll)s
       AND (SELECT count(*) FROM ballots_ballotinbox WHERE poll_id = %(poll)s) >= %(least)s
    RETURNING poll_id, sealed, tracker
)
INSERT INTO elections_ballot (id, poll_id, sealed, tracker)
SELECT gen_random_uuid(), poll_id, sealed, tracker FROM moved ORDER BY random()
"""


def mix_batch_size() -> int:
    return max(1, int(rule("ballot_mix_batch")))


def mix_poll(poll_id: int, *, final: bool = False) -> int:
    """Move the poll's inbox into the box as one shuffled batch; how many ballots moved.

    Not final (the beat): only when the inbox holds a full batch, and not while another mixer of the poll
    runs. Final (close, void): everything, waiting for a running mixer. The poll must still be open (the
    box's insert trigger refuses ballots otherwise), so a close mixes before it changes the status."""
    with transaction.atomic(), connection.cursor() as cursor:
        if final:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_MIX_NAMESPACE, poll_id])
        else:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_MIX_NAMESPACE, poll_id])
            if not cursor.fetchone()[0]:
                return 0
        cursor.execute(_MIX_SQL, {"poll": poll_id, "least": 1 if final else mix_batch_size()})
        return cursor.rowcount


def mix_due() -> int:
    """The beat's round: every open poll whose inbox holds a full batch; then vacuum the inbox."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.poll_id FROM ballots_ballotinbox i JOIN elections_poll p ON p.id = i.poll_id
                WHERE p.status = 'open' GROUP BY i.poll_id HAVING count(*) >= %s""",
            [mix_batch_size()],
        )
        due = [row[0] for row in cursor.fetchall()]
    moved = sum(mix_poll(poll_id) for poll_id in due)
    if moved:
        vacuum_inbox()
    return moved


def vacuum_inbox() -> bool:
    """VACUUM the inbox, so the dead rows that carried a cast's xmin are gone now rather than at the next
    autovacuum."""
    return vacuum("ballots_ballotinbox")


def vacuum(*tables: str) -> bool:
    """VACUUM tables whose dead rows held something secret (the inbox's cast xmins, the key material a
    count destroyed). Only a table's owner may: the portal's own role is not the owner (README, database
    roles), so for it PostgreSQL skips the table with a warning, and autovacuum — told by migrations 0002 and
    0005 to act on the first dead row of these tables — does it within its nap time. Never inside a
    transaction (VACUUM cannot run in one): from a task, or on commit."""
    if connection.in_atomic_block:
        return False
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
    except DatabaseError:
        log.debug("VACUUM of %s left to autovacuum", ", ".join(tables))
        return False
    return True
