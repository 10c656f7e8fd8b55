"""The Chinese working-day calendar: holidays, adjusted working weekends, and a year nobody entered."""

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from branches import workdays
from branches.models import CalendarSource, Holiday, HolidayYear

D = dt.date


@pytest.fixture
def holiday_table(db):
    """The table as the migration seeds it (a transactional test elsewhere may have flushed it)."""
    workdays.seed_from_package()
    return HolidayYear.objects.all()


def test_the_migration_seeds_every_year_the_package_covers(holiday_table):
    years, _h, _w = workdays.package_data()
    assert set(holiday_table.values_list("year", flat=True)) >= set(years)
    national_day = Holiday.objects.get(date=D(2025, 10, 1))
    assert (national_day.kind, national_day.name) == ("holiday", "国庆节")
    assert Holiday.objects.get(date=D(2025, 9, 28)).kind == "workday"  # a Sunday worked in lieu


def test_five_working_days_over_national_day_count_the_sunday_worked_in_lieu(holiday_table):
    # Fri 26 Sep 2025 → Sun 28 (worked), Mon 29, Tue 30, holidays 1–8 Oct, Thu 9, Fri 10.
    assert workdays.add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)


def test_the_spring_festival_holiday_is_skipped(holiday_table):
    # 2026: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked.
    assert workdays.is_working_day(D(2026, 2, 14))
    assert not workdays.is_working_day(D(2026, 2, 16))
    assert workdays.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_calendar_days_ignore_holidays(holiday_table):
    assert workdays.add_calendar_days(D(2025, 9, 26), 15) == D(2025, 10, 11)


def test_working_days_can_be_counted_backwards(holiday_table):
    assert workdays.add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert workdays.add_working_days(D(2025, 10, 9), 0) == D(2025, 10, 9)


def test_working_days_between_two_dates(holiday_table):
    assert workdays.WorkCalendar().working_days_between(D(2025, 9, 26), D(2025, 10, 10)) == 5


def test_a_year_without_data_falls_back_to_monday_to_friday_and_is_flagged(holiday_table, caplog):
    assert not HolidayYear.objects.filter(year=2031).exists()
    with caplog.at_level(logging.WARNING, logger="branches.workdays"):
        due = workdays.days_after(D(2031, 9, 26), 5, working=True)  # Fri → Fri, no holidays known
    assert due.day == D(2031, 10, 3)
    assert due.estimated and due.estimated_years == (2031,)
    assert "2031" in caplog.text
    assert workdays.years_without_data([2025, 2031]) == [2031]
    # The plain function never raises either.
    assert workdays.add_working_days(D(2031, 9, 26), 5) == D(2031, 10, 3)


def test_a_deadline_that_crosses_into_a_year_without_data_is_flagged(holiday_table):
    last = workdays.package_data()[0].stop - 1
    due = workdays.days_after(D(last, 12, 28), 10, working=True)
    assert due.day.year == last + 1
    assert due.estimated_years == (last + 1,)
    assert not workdays.days_after(D(last, 3, 2), 10, working=True).estimated


def test_a_year_the_administrators_enter_is_used_and_not_flagged(holiday_table):
    year = HolidayYear.objects.create(year=2031, source=CalendarSource.ADMIN)
    Holiday.objects.create(year=year, date=D(2031, 10, 1), kind="holiday", name="国庆节")
    Holiday.objects.create(year=year, date=D(2031, 10, 2), kind="holiday", name="国庆节")
    Holiday.objects.create(year=year, date=D(2031, 9, 28), kind="workday", name="国庆节")  # a Sunday
    due = workdays.days_after(D(2031, 9, 26), 5, working=True)
    # Sun 28 (worked), Mon 29, Tue 30, Wed 1 off, Thu 2 off, Fri 3, Mon 6.
    assert due == workdays.DueDate(D(2031, 10, 6))


def test_the_table_overrides_the_package(holiday_table):
    Holiday.objects.filter(date=D(2025, 10, 8)).update(kind="workday")
    assert workdays.add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 9)


def test_a_year_missing_from_the_table_is_computed_from_the_package(holiday_table):
    HolidayYear.objects.filter(year=2025).delete()
    calendar = workdays.WorkCalendar()
    assert calendar.source(2025) == "package"
    assert calendar.add_working_days(D(2025, 9, 26), 5) == workdays.DueDate(D(2025, 10, 10))


def test_one_computation_reads_the_table_once_per_year(holiday_table, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        workdays.add_working_days(D(2025, 3, 3), 60)


def test_seeding_is_idempotent_and_never_touches_a_year_an_administrator_entered(holiday_table):
    HolidayYear.objects.filter(year=2024).update(source=CalendarSource.ADMIN)
    Holiday.objects.filter(date=D(2024, 10, 7)).delete()
    before = Holiday.objects.count()
    assert workdays.seed_from_package() == []
    assert workdays.seed_from_package(refresh=True) == [y for y in workdays.package_data()[0] if y != 2024]
    assert Holiday.objects.count() == before
    assert not Holiday.objects.filter(date=D(2024, 10, 7)).exists()


def test_the_load_holidays_command_reports_what_it_wrote(holiday_table, capsys):
    HolidayYear.objects.filter(year=2020).delete()
    call_command("load_holidays")
    assert "2020" in capsys.readouterr().out
    assert Holiday.objects.filter(date=D(2020, 10, 1)).exists()


def test_an_administrator_edits_a_year_in_the_admin_and_it_becomes_his(holiday_table, admin_client):
    year = HolidayYear.objects.get(year=2025)
    url = reverse("admin:branches_holidayyear_change", args=[year.pk])
    assert admin_client.get(url).status_code == 200
    days = list(year.days.order_by("date"))
    data = {
        "year": 2025,
        "source": "package",
        "notes": "",
        "days-TOTAL_FORMS": len(days) + 1,
        "days-INITIAL_FORMS": len(days),
        "days-MIN_NUM_FORMS": 0,
        "days-MAX_NUM_FORMS": 1000,
    }
    for i, day in enumerate(days):
        data |= {
            f"days-{i}-id": day.pk,
            f"days-{i}-year": year.pk,
            f"days-{i}-date": day.date.isoformat(),
            f"days-{i}-kind": day.kind,
            f"days-{i}-name": day.name,
        }
    n = len(days)
    data |= {
        f"days-{n}-year": year.pk,
        f"days-{n}-date": "2025-12-31",
        f"days-{n}-kind": "holiday",
        f"days-{n}-name": "测试",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    year.refresh_from_db()
    assert year.source == CalendarSource.ADMIN
    assert not workdays.is_working_day(D(2025, 12, 31))


def test_a_day_outside_its_year_is_refused_by_the_admin_form(holiday_table):
    from django.core.exceptions import ValidationError

    day = Holiday(year=HolidayYear.objects.get(year=2025), date=D(2026, 1, 1), kind="holiday")
    with pytest.raises(ValidationError):
        day.full_clean()
