"""The polls motions and evaluations vote with now live in the ballots app (same table: state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ballots', '0001_engine_from_elections'),
        ('motions', '0002_motions_evaluations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='leadershipevaluation',
                    name='member_poll',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ballots.poll'),
                ),
                migrations.AlterField(
                    model_name='leadershipevaluation',
                    name='team_poll',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ballots.poll'),
                ),
                migrations.AlterField(
                    model_name='memberevaluation',
                    name='poll',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='member_evaluation', to='ballots.poll'),
                ),
                migrations.AlterField(
                    model_name='motionvote',
                    name='poll',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='motion_vote', to='ballots.poll'),
                ),
            ],
            database_operations=[],
        ),
    ]
