"""Copy the holiday schedules of the installed `chinesecalendar` into the table (years not there yet).

`--refresh` also replaces years copied earlier from the package; years an administrator entered or edited
are never touched.
"""

from django.core.management.base import BaseCommand

from branches.workdays import package_data, seed_from_package


class Command(BaseCommand):
    help = "Copy chinesecalendar's holiday schedules into the holiday table."

    def add_arguments(self, parser):
        parser.add_argument("--refresh", action="store_true", help="Replace years copied from the package.")

    def handle(self, *args, refresh: bool = False, **options):
        written = seed_from_package(refresh=refresh)
        years = package_data()[0]
        self.stdout.write(
            f"Package covers {years.start}–{years.stop - 1}; wrote {len(written)} year(s)"
            + (f": {', '.join(map(str, written))}" if written else ".")
        )
