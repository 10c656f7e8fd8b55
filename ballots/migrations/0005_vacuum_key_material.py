"""The rows that held key material are vacuumed soon after the count destroys it.

The count sets the poll's wrapped private key and the scrutineers' encrypted shares to NULL; the old row
versions keep the bytes until a vacuum. The count vacuums them itself when its role owns the tables; for the
portal's own role (which owns none) autovacuum is told to act on these tables at the first dead row.
"""

from django.db import migrations

TABLES = ("elections_poll", "elections_scrutineer")
SQL = "\n".join(
    f"ALTER TABLE {t} SET (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0);" for t in TABLES
)
REVERSE_SQL = "\n".join(
    f"ALTER TABLE {t} RESET (autovacuum_vacuum_threshold, autovacuum_vacuum_scale_factor);" for t in TABLES
)


class Migration(migrations.Migration):
    dependencies = [("ballots", "0004_paper_void_write_ins")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
