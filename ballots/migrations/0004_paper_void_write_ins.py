"""The paper count records the write-ins for someone not eligible: void marks, the ballots stand."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ballots", "0003_refuse_truncate")]

    operations = [
        migrations.AddField(
            model_name="papercount",
            name="void_write_ins",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
