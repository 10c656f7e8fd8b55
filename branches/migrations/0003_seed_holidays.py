"""Seed the holiday table from the `chinesecalendar` package (each year it covers, 2004 to its release year).

Administrators enter later years in the admin; `manage.py load_holidays` copies a newer package's years.
Reversing removes only the years copied from the package.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from branches.workdays import package_data, package_days

    HolidayYear = apps.get_model("branches", "HolidayYear")
    Holiday = apps.get_model("branches", "Holiday")
    existing = set(HolidayYear.objects.values_list("year", flat=True))
    years, _holidays, _workdays = package_data()
    for year in years:
        if year in existing:
            continue
        row = HolidayYear.objects.create(year=year, source="package", notes="chinesecalendar")
        Holiday.objects.bulk_create(
            Holiday(year=row, date=day, kind=kind, name=name)
            for day, (kind, name) in sorted((package_days(year) or {}).items())
        )


def unseed(apps, schema_editor):
    apps.get_model("branches", "HolidayYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("branches", "0002_reminders_workdays")]

    operations = [migrations.RunPython(seed, unseed)]
