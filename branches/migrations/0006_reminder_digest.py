# A reminder may bypass the daily digest (the meeting notice). Its own migration, so that going backward the
# column is dropped after 0007 has committed its data changes (PostgreSQL refuses to alter a table with
# pending trigger events in the same transaction).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("branches", "0005_disclosure_outbox")]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="digest",
            field=models.BooleanField(default=True),
        ),
    ]
