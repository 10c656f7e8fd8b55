"""The working-day calendar (branches.workdays): official holiday schedules and adjusted days."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar package")
    ADMIN = "admin", _("Entered by an administrator")


class HolidayYear(models.Model):
    """A year whose official holiday schedule (国务院办公厅 放假安排) is in the table.

    A year without a row is computed from the `chinesecalendar` package if it covers the year, else as plain
    Monday–Friday, flagged as an estimate (branches.workdays).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=CalendarSource.choices, default="admin")
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday schedule")
        verbose_name_plural = _("holiday schedules")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2200), name="holiday_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(source__in=CalendarSource.values), name="holiday_year_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (day off)")
    WORKDAY = "workday", _("Adjusted working day (调休)")


class Holiday(models.Model):
    """A day that differs from Monday–Friday: a statutory day off, or a weekend day worked in lieu."""

    year = models.ForeignKey(
        HolidayYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="holiday_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.year_id and self.date and self.date.year != self.year.year:
            raise ValidationError(
                {"date": _("The date lies outside the year %(year)s.") % {"year": self.year.year}}
            )
