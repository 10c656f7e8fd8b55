"""The Chinese working-day calendar: "N working days after D" and "N calendar days after D", in one place.

A day is a working day when it is Monday–Friday and not a statutory holiday, or when it is a weekend day
worked in lieu (调休). For each year the source is, in this order:

1. the table (`HolidayYear` and its `Holiday` days), which administrators edit in the admin and which the
   migration `0003_seed_holidays` fills from the `chinesecalendar` package;
2. the package itself, for a year it covers that has no row in the table;
3. Monday to Friday, for a year nobody has entered yet. The package's data stops at its release year and it
   raises beyond; here such a year never raises: the result is flagged (`DueDate.estimated`) and logged, so
   a page can say "estimated — the holiday schedule for 2027 is not entered yet".

Elections (notice periods), motions (answer deadlines) and openness (disclosure limits) all call this module.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction

log = logging.getLogger(__name__)

ONE_DAY = dt.timedelta(days=1)

# chinesecalendar names the holidays in English; the table keeps the official Chinese names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class DueDate:
    """A computed date, and the years it crossed for which no holiday data exists (Monday–Friday was used)."""

    day: dt.date
    estimated_years: tuple[int, ...] = ()

    @property
    def estimated(self) -> bool:
        return bool(self.estimated_years)


# --- the package ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def package_data() -> tuple[range, dict[dt.date, str], dict[dt.date, str]]:
    """(years covered, holidays, adjusted working days) of the installed `chinesecalendar`."""
    try:
        import chinese_calendar
    except ImportError:  # the calendar still works from the table and Monday–Friday
        return range(0), {}, {}
    holidays = dict(chinese_calendar.holidays)
    workdays = dict(chinese_calendar.workdays)
    years = range(min(holidays).year, max(holidays).year + 1)
    return years, holidays, workdays


def package_days(year: int) -> dict[dt.date, tuple[str, str]] | None:
    """{date: (kind, name)} of one year from the package, or None if it does not cover the year."""
    years, holidays, workdays = package_data()
    if year not in years:
        return None
    days = {d: ("holiday", HOLIDAY_NAMES.get(n, n)) for d, n in holidays.items() if d.year == year}
    days |= {d: ("workday", HOLIDAY_NAMES.get(n, n)) for d, n in workdays.items() if d.year == year}
    return days


# --- the calendar ---------------------------------------------------------------------------------


class WorkCalendar:
    """The exceptions to Monday–Friday of the years a computation touches, loaded once per year.

    Build one per computation (or per request): it reads the table with one query for all the years it is
    asked about at once, and keeps them, so a loop over many days costs no further queries.
    """

    def __init__(self) -> None:
        self._days: dict[int, dict[dt.date, str]] = {}
        self._source: dict[int, str] = {}

    def load(self, years: Iterable[int]) -> None:
        from .models import Holiday, HolidayYear

        wanted = sorted(set(years) - self._days.keys())
        if not wanted:
            return
        in_table = set(HolidayYear.objects.filter(year__in=wanted).values_list("year", flat=True))
        for year in wanted:
            self._days[year] = {}
        if in_table:
            for day, kind in Holiday.objects.filter(year__year__in=in_table).values_list("date", "kind"):
                self._days[day.year][day] = kind
        for year in wanted:
            if year in in_table:
                self._source[year] = "table"
                continue
            package = package_days(year)
            if package is not None:
                self._days[year] = {d: kind for d, (kind, _name) in package.items()}
                self._source[year] = "package"
            else:
                self._source[year] = "weekdays"
                log.warning("No holiday data for %s: Monday–Friday is used and the result is flagged.", year)

    def source(self, year: int) -> str:
        """ "table", "package" or "weekdays" (no data: Monday–Friday, flagged)."""
        self.load([year])
        return self._source[year]

    def is_working_day(self, day: dt.date) -> bool:
        self.load([day.year])
        kind = self._days[day.year].get(day)
        if kind == "holiday":
            return False
        if kind == "workday":
            return True
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> DueDate:
        """The n-th working day after `start` (before it if n < 0); `start` itself never counts."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        # A working day is at least every fifth day even around the Spring Festival; load generously.
        span = abs(n) * 2 + 30
        self.load({(start + step * i).year for i in (0, span // 2, span)})
        day, left, years = start, abs(n), set()
        while left:
            day += step
            if self.source(day.year) == "weekdays":
                years.add(day.year)
            if self.is_working_day(day):
                left -= 1
        return DueDate(day, tuple(sorted(years)))

    def add_calendar_days(self, start: dt.date, n: int) -> DueDate:
        return DueDate(start + dt.timedelta(days=n))

    def add_days(self, start: dt.date, n: int, *, working: bool) -> DueDate:
        return self.add_working_days(start, n) if working else self.add_calendar_days(start, n)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 if end ≤ start)."""
        count, day = 0, start
        self.load(range(start.year, end.year + 1))
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


# --- the functions every app calls ----------------------------------------------------------------


def add_working_days(start: dt.date, n: int) -> dt.date:
    """N working days after D, by the holiday table (Monday–Friday for a year without data, logged)."""
    return WorkCalendar().add_working_days(start, n).day


def add_calendar_days(start: dt.date, n: int) -> dt.date:
    """N calendar days after D."""
    return WorkCalendar().add_calendar_days(start, n).day


def days_after(start: dt.date, n: int, *, working: bool) -> DueDate:
    """N working or calendar days after D, with the flag that says whether a year without data was crossed."""
    return WorkCalendar().add_days(start, n, working=working)


def is_working_day(day: dt.date) -> bool:
    return WorkCalendar().is_working_day(day)


def years_without_data(years: Iterable[int]) -> list[int]:
    """The years among `years` for which neither the table nor the package has a holiday schedule."""
    calendar = WorkCalendar()
    return [y for y in sorted(set(years)) if calendar.source(y) == "weekdays"]


# --- seeding from the package ---------------------------------------------------------------------


@transaction.atomic
def seed_from_package(*, refresh: bool = False) -> list[int]:
    """Copy each year the package covers into the table, unless the table has it already.

    A year an administrator entered is never touched; with `refresh`, years copied earlier from the
    package are replaced by the installed package's data (a newer release may correct a schedule).
    Returns the years written.
    """
    from .models import CalendarSource, Holiday, HolidayYear

    years, _holidays, _workdays = package_data()
    existing = dict(HolidayYear.objects.values_list("year", "source"))
    written = []
    for year in years:
        source = existing.get(year)
        if source == CalendarSource.ADMIN or (source == CalendarSource.PACKAGE and not refresh):
            continue
        row, _created = HolidayYear.objects.update_or_create(
            year=year, defaults={"source": CalendarSource.PACKAGE, "notes": "chinesecalendar"}
        )
        row.days.all().delete()
        Holiday.objects.bulk_create(
            Holiday(year=row, date=day, kind=kind, name=name)
            for day, (kind, name) in sorted((package_days(year) or {}).items())
        )
        written.append(year)
    return written
