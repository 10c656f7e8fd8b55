"""The inbox between the cast and the box: the cast writes here with its has-voted row, the mixer moves the
ballots into the box in shuffled batches and deletes them here (services/mixing.py).

Inserts are refused unless the poll is open and updates always (the same functions as the box's triggers,
elections/0002); deletes are the mixer's. Autovacuum is told to clean the table as soon as anything is
deleted, so the dead rows that still carry a cast's transaction id do not wait for the usual 20 %.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models

SQL = r"""
CREATE TRIGGER ballots_ballotinbox_while_open BEFORE INSERT ON ballots_ballotinbox
    FOR EACH ROW EXECUTE FUNCTION elections_insert_only_while_open();
CREATE TRIGGER ballots_ballotinbox_no_update BEFORE UPDATE ON ballots_ballotinbox
    FOR EACH ROW EXECUTE FUNCTION elections_refuse_change();
ALTER TABLE ballots_ballotinbox SET (
    autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_cost_delay = 0
);
"""

REVERSE_SQL = r"""
DROP TRIGGER IF EXISTS ballots_ballotinbox_while_open ON ballots_ballotinbox;
DROP TRIGGER IF EXISTS ballots_ballotinbox_no_update ON ballots_ballotinbox;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0001_engine_from_elections"),
        ("elections", "0004_engine_to_ballots"),
    ]

    operations = [
        migrations.CreateModel(
            name="BallotInbox",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("sealed", models.BinaryField()),
                ("tracker", models.CharField(max_length=64)),
                (
                    "poll",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="ballots.poll"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("poll", "tracker"), name="ballot_inbox_tracker_unique")
                ],
            },
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]
