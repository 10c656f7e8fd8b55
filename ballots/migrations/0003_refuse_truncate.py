"""TRUNCATE refused on the engine's append-only tables: a BEFORE TRUNCATE trigger, once per statement.

The row triggers (elections/0002, 0002_ballot_inbox) never see a TRUNCATE, which empties a table without
touching a row. The portal's role cannot TRUNCATE at all (it lacks the privilege: config/database_roles.py);
these triggers refuse it to the owner too, so emptying the box, the inbox or the has-voted rows takes a
deliberate change of schema (ALTER TABLE … DISABLE TRIGGER, the owner's alone), never one stray statement.
The test suite empties its tables that way, as the owner, inside one transaction (tests/conftest.py).

Every table with an append-only or frozen-state trigger is guarded: polls and options, the roll, has-voted,
the inbox, the box, counted ballots, named votes, signatures and results. The function is the box's own
refusal (elections/0002): "zhibu: TRUNCATE on <table> refused: the table is append-only".
"""

from django.db import migrations

TABLES = [
    "elections_poll",
    "elections_polloption",
    "elections_rollentry",
    "elections_hasvoted",
    "ballots_ballotinbox",
    "elections_ballot",
    "elections_countedballot",
    "elections_namedvote",
    "elections_signature",
    "elections_pollresult",
]

SQL = "\n".join(
    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION elections_refuse_change();"
    for table in TABLES
)

REVERSE_SQL = "\n".join(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};" for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0002_ballot_inbox"),  # after ("ballots", "0001_…") and ("elections", "0004_…")
    ]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
